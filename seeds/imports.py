"""Import a file into the agenda: preview it, refuse to overwrite chat edits, apply it once.

An import is a change run inside one transaction: the rows it touches are
read (a snapshot), the change is made (the seed loader's upserts for a
document file, seeds/loader.py; the bulk updater for a spreadsheet,
seeds/bulk.py), the rows are read again, and the difference is the preview.
A dry run then rolls back; so does an import that would overwrite a field
people changed in chat since the seeds or the last import (the audit trail
says which), unless that is asked for. Otherwise one audit entry per row
("imported from FILE by …") is written and the transaction commits: all of
it, or nothing. The preview is what applying does, because it is what
applying did before it was rolled back. An import that changes nothing
writes nothing, so importing the same file twice is harmless.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, delete, select

from models.db import declare_write
from models.revision import agenda_changed
from models.tables import (
    Area,
    AuditEntry,
    Cadence,
    Commitment,
    CommitmentArea,
    CommitmentStage,
    Department,
    Document,
    Mechanism,
    Occurrence,
    Origin,
    Owner,
    Stage,
    Translation,
)

KINDS = ("document", "area", "department", "mechanism", "commitment")
IMPORT_ACTION = "import"
# Fields of a commitment that are its content (the seed loader keeps them once set otherwise).
CONTENT = {
    "title", "text", "section", "document", "areas", "kind", "due", "dates_stated", "organisations", "related",
    "mechanism", "sensitivity", "lineage", "title_fr", "title_ja",
}  # fmt: skip
TRANSLATED = ("title_fr", "title_ja", "official_fr", "official_ja")  # a commitment's, as a snapshot names them
# What a chat change's audit entry names (handlers/commands/changes.py, handlers/commands/forms.py) → the field it set
# here.
CHAT_FIELDS = {
    "owners": "owners", "people": "owners", "departments": "owners",
    "status": "status", "status_note": "status", "stage": "stage", "stage_date": "stage",
    "title": "title", "text": "text", "area": "areas", "kind": "kind", "due": "due", "source": "section",
    "sensitivity": "sensitivity", "cadence": "cadences", "date": "occurrences", "place": "occurrences",
    "host": "occurrences",
}  # fmt: skip


@dataclass(frozen=True)
class Scope:
    """The rows an import may touch, by kind and key; a document's commitments are read by document."""

    keys: dict[str, set[str]]
    documents: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Change:
    kind: str
    key: str
    before: dict | None  # None: added
    after: dict | None  # None: removed

    @property
    def action(self) -> str:
        return "added" if self.before is None else "removed" if self.after is None else "changed"

    @property
    def fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


@dataclass(frozen=True)
class Conflict:
    kind: str
    key: str
    field: str
    by: str
    at: datetime
    action: str
    now: object
    would_be: object


@dataclass
class ImportResult:
    source: str
    changes: list[Change]
    conflicts: list[Conflict]
    applied: bool
    dry_run: bool
    # Applying was asked with the fingerprint of an earlier preview, and the changes are no longer
    # those (the agenda changed meanwhile): nothing was applied; ``changes`` are what it would do now.
    stale: bool = False

    @property
    def refused(self) -> bool:
        return bool(self.conflicts) and not self.applied and not self.dry_run

    def render(self) -> str:
        return render(self)


class ImportRefused(RuntimeError):
    """The change itself failed (a rule of the database): nothing was written."""


def run_import(
    session: Session,
    *,
    source: str,
    actor: str,
    now: datetime,
    scope: Scope,
    change: Callable[[Session], None],
    apply: bool,
    overwrite_chat_edits: bool = False,
    origin: str | None = None,
    expected: str | None = None,
    on_apply: Callable[[Session], None] | None = None,
) -> ImportResult:
    """Make the change in one transaction, preview it, and commit it only when asked and allowed.

    ``expected``: apply only if the changes are those previewed (their ``fingerprint``); otherwise
    roll back and say so (``stale``). ``on_apply`` runs in the same transaction just before the
    commit (a chat import marks itself applied there); what it raises rolls everything back."""
    declare_write(session)
    try:
        before = snapshot(session, scope)
        change(session)
        session.flush()
        after = snapshot(session, scope)
        changes = diff(before, after)
        conflicts = chat_conflicts(session, changes)
        if apply and expected is not None and fingerprint(changes) != expected:
            session.rollback()
            return ImportResult(source, changes, conflicts, applied=False, dry_run=True, stale=True)
        allowed = apply and not (conflicts and not overwrite_chat_edits)
        if not allowed or not changes:
            session.rollback()
            return ImportResult(source, changes, conflicts, applied=False, dry_run=not apply)
        _mark_origins(session, changes)
        for item in changes:
            session.add(
                AuditEntry(
                    at=now,
                    actor_ref=actor,
                    origin=origin or f"import:{source}",
                    action=IMPORT_ACTION,
                    target_type=item.kind,
                    target_key=item.key,
                    before=_audited(item.before, item.fields),
                    after=_audited(item.after, item.fields),
                    note=f"imported from {source} by {actor}",
                )
            )
        if on_apply is not None:
            on_apply(session)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return ImportResult(source, changes, conflicts, applied=True, dry_run=False)


def fingerprint(changes: list[Change]) -> str:
    """What an import would change, as a digest: the same changes give the same one."""
    data = [[c.kind, c.key, c.before, c.after] for c in changes]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _audited(values: dict | None, fields: list[str]) -> dict:
    """The changed fields; for a row added or removed, those that say something."""
    values = values or {}
    return {k: values.get(k) for k in fields if values.get(k) not in (None, "", [])}


# -- what the rows say -------------------------------------------------------------------


def snapshot(session: Session, scope: Scope) -> dict[tuple[str, str], dict]:
    """Each row in scope as the fields a person reads, keyed by (kind, key)."""
    keys = {kind: set(scope.keys.get(kind, ())) for kind in KINDS}
    if scope.documents:
        in_documents = select(Commitment.key).join(Document, Document.id == Commitment.document_id)
        keys["commitment"] |= set(session.exec(in_documents.where(col(Document.key).in_(scope.documents))))
    rows: dict[tuple[str, str], dict] = {}
    for d in _by_key(session, Document, keys["document"]):
        rows["document", d.key] = {
            "title": d.title, "short_title": d.short_title, "date": d.date_edtf, "date_note": d.date_note,
            "place": d.place, "issued_by": d.issued_by, "source_file": d.source_file,
        }  # fmt: skip
    for a in _by_key(session, Area, keys["area"]):
        rows["area", a.key] = {"name": a.name, "description": a.description, "aliases": list(a.aliases)}
    for d in _by_key(session, Department, keys["department"]):
        rows["department", d.key] = {"name": d.name, "country": d.country, "aliases": list(d.aliases)}
    mechanism_keys = dict(session.exec(select(Mechanism.id, Mechanism.key)).all())
    for m in _by_key(session, Mechanism, keys["mechanism"]):
        cadences = session.exec(select(Cadence).where(Cadence.mechanism_id == m.id))
        occurrences = session.exec(select(Occurrence).where(Occurrence.mechanism_id == m.id))
        rows["mechanism", m.key] = {
            "name": m.name,
            "aliases": list(m.aliases),
            "areas": list(m.area_keys),
            "alternates_host": m.alternates_host,
            "usual_season": m.usual_season,
            "owners": _owners(session, mechanism_id=m.id),
            "cadences": sorted(f"{c.rrule} from {c.effective_edtf} ({c.source_commitment_key})" for c in cadences),
            "occurrences": sorted(
                " ".join(filter(None, [o.date_edtf, o.place, o.host and f"host {o.host}"])) for o in occurrences
            ),
        }
    documents = dict(session.exec(select(Document.id, Document.key)).all())
    area_keys = dict(session.exec(select(Area.id, Area.key)).all())
    commitments = _by_key(session, Commitment, keys["commitment"])
    # What hangs on them, read in one query each, not one per commitment: a spreadsheet is the whole agenda.
    ids = [c.id for c in commitments]
    links_of, stages_of, owners_of = defaultdict(list), defaultdict(list), defaultdict(list)
    if ids:
        for link in session.exec(select(CommitmentArea).where(col(CommitmentArea.commitment_id).in_(ids))):
            links_of[link.commitment_id].append(link)
        for stage in session.exec(select(CommitmentStage).where(col(CommitmentStage.commitment_id).in_(ids))):
            stages_of[stage.commitment_id].append(stage)
        for owner in session.exec(select(Owner).where(col(Owner.commitment_id).in_(ids))):
            owners_of[owner.commitment_id].append(owner.display_name)
    translated: dict[str, dict[str, str]] = defaultdict(dict)
    if commitments:  # the team's titles and the official texts: an import changes them too, previewed and audited
        of_them = select(Translation).where(Translation.subject == "commitment")
        for t in session.exec(of_them.where(col(Translation.key).in_([c.key for c in commitments]))):
            said = t.text if t.attribute == "title" else f"{t.text} (source: {t.source})"
            translated[t.key][f"{'title' if t.attribute == 'title' else 'official'}_{t.language}"] = said
    order = list(Stage)
    for c in commitments:
        links, stages = links_of[c.id], stages_of[c.id]
        rows["commitment", c.key] = {
            "document": documents[c.document_id],
            "section": c.section,
            "title": c.title,
            "text": c.text,
            "areas": [area_keys[link.area_id] for link in sorted(links, key=lambda x: (not x.is_primary, x.area_id))],
            "kind": str(c.kind),
            "due": c.due_edtf,
            "dates_stated": list(c.dates_stated),
            "organisations": c.organisation_list,
            "related": list(c.related_keys),
            "lineage": dict(c.lineage or {}),
            "mechanism": mechanism_keys.get(c.mechanism_id),
            "sensitivity": str(c.sensitivity),
            "owners": sorted(owners_of[c.id]),
            "status": str(c.status),
            "status_note": c.status_note,
            "stage": [f"{s.stage} {s.on_edtf}" for s in sorted(stages, key=lambda s: order.index(Stage(s.stage)))],
            **{name: translated[c.key].get(name, "") for name in TRANSLATED},
        }
    return rows


def _by_key(session: Session, model, keys: Iterable[str]) -> list:
    keys = list(keys)
    return list(session.exec(select(model).where(col(model.key).in_(keys)))) if keys else []


def _owners(session: Session, **target: int) -> list[str]:
    ((column, target_id),) = target.items()
    return sorted(o.display_name for o in session.exec(select(Owner).where(getattr(Owner, column) == target_id)))


def diff(before: dict, after: dict) -> list[Change]:
    def order(key: tuple[str, str]) -> tuple:
        return KINDS.index(key[0]), key[1]

    changes = []
    for kind, key in sorted(set(before) | set(after), key=order):
        old, new = before.get((kind, key)), after.get((kind, key))
        if old != new:
            changes.append(Change(kind, key, old, new))
    return changes


# -- chat edits it would overwrite -----------------------------------------------------------


def chat_conflicts(session: Session, changes: list[Change]) -> list[Conflict]:
    """Fields the import changes (or rows it removes) that people set in chat since the seeds
    or the last import: the audit trail's entries after that import, other than imports."""
    touched = {(c.kind, c.key): c for c in changes if c.kind in ("commitment", "mechanism") and c.before is not None}
    if not touched:
        return []
    entries = session.exec(
        select(AuditEntry)
        .where(col(AuditEntry.target_key).in_({key for _, key in touched}))
        .where(col(AuditEntry.target_type).in_(["commitment", "mechanism"]))
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    since: dict[tuple[str, str], list[AuditEntry]] = {}
    for entry in entries:
        target = (entry.target_type, entry.target_key)
        if entry.action == IMPORT_ACTION:
            since[target] = []  # what came before the last import was settled by it
        else:
            since.setdefault(target, []).append(entry)
    conflicts = []
    for target, change in touched.items():
        fields = set(change.fields) if change.after is not None else set(change.before)
        if change.kind == "mechanism" and change.after is not None:
            # A file adds dates and cadences to a meeting: only one it changes overwrites anything.
            fields -= {f for f in ("occurrences", "cadences") if set(change.before[f]) <= set(change.after[f])}
        latest: dict[str, AuditEntry] = {}
        for entry in since.get(target, []):
            for name in entry.after:
                if CHAT_FIELDS.get(name) in fields:
                    latest[CHAT_FIELDS[name]] = entry
        for name, entry in sorted(latest.items()):
            would_be = (change.after or {}).get(name) if change.after is not None else "(removed)"
            conflicts.append(
                Conflict(
                    kind=change.kind, key=change.key, field=name, by=entry.actor_ref, at=entry.at,
                    action=entry.action, now=change.before.get(name), would_be=would_be,
                )
            )  # fmt: skip
    return conflicts


def _mark_origins(session: Session, changes: list[Change]) -> None:
    """What an import set is the import's: the seed loader leaves it alone, and `show` says where it came from."""
    for item in changes:
        if item.after is None:
            continue
        fields = set(item.fields) if item.before is not None else set(item.after)
        if item.kind == "commitment":
            row = session.exec(select(Commitment).where(Commitment.key == item.key)).one()
            updates = {}
            if fields & CONTENT:
                updates["content_origin"] = Origin.imported
            if "owners" in fields:
                updates["owners_origin"] = Origin.imported
            if fields & {"status", "status_note", "stage"}:
                updates["status_origin"] = Origin.imported
        elif item.kind == "mechanism" and "owners" in fields:
            row = session.exec(select(Mechanism).where(Mechanism.key == item.key)).one()
            updates = {"owners_origin": Origin.imported}
        else:
            continue
        updates = {k: v for k, v in updates.items() if getattr(row, k) != v}
        if updates:
            agenda_changed(session)
            for name, value in updates.items():
                setattr(row, name, value)
            session.add(row)
    session.flush()


def remove_commitments(session: Session, keys: Iterable[str]) -> None:
    """Take commitments out with what hangs on them (their areas, owners and stages)."""
    for commitment in session.exec(select(Commitment).where(col(Commitment.key).in_(list(keys)))):
        agenda_changed(session)
        for model in (CommitmentArea, Owner, CommitmentStage):
            session.exec(delete(model).where(model.commitment_id == commitment.id))
        session.delete(commitment)
    session.flush()


# -- the preview, in words -----------------------------------------------------------------

_PLURAL = {"document": "Documents", "area": "Areas", "department": "Departments", "mechanism": "Meetings",
           "commitment": "Commitments"}  # fmt: skip
_SIGN = {"added": "+", "changed": "~", "removed": "-"}


def render(result: ImportResult) -> str:
    lines = []
    if not result.changes:
        lines.append(f"{result.source}: nothing to change; the agenda already says what it says.")
        return "\n".join(lines) + "\n"
    if result.applied:
        lines.append(f"Imported {result.source}:")
    elif result.dry_run:
        lines.append(f"Importing {result.source} would make these changes (dry run: nothing was changed):")
    else:
        lines.append(f"{result.source} was NOT imported: it would overwrite changes made in chat. It would make:")
    for kind in KINDS:
        of_kind = [c for c in result.changes if c.kind == kind]
        if not of_kind:
            continue
        counts = {a: sum(c.action == a for c in of_kind) for a in ("added", "changed", "removed")}
        lines.append(f"{_PLURAL[kind]}: " + ", ".join(f"{n} {a}" for a, n in counts.items() if n))
        for change in of_kind:
            lines.extend(describe(change))
    owners = _owner_counts(result.changes)
    if any(owners.values()):
        lines.append("Owners: " + ", ".join(f"{n} {a}" for a, n in owners.items() if n))
    if result.conflicts:
        lines.append("")
        lines.append("Changes made in chat that this file would overwrite:")
        for c in result.conflicts:
            lines.append(
                f"  ! {c.key} {c.field}: set by {c.by} on {c.at:%d %b %Y} ({c.action}): "
                f"{_show(c.now)}; the file says {_show(c.would_be)}"
            )
        if result.applied:
            lines.append("  (overwritten, as --overwrite-chat-edits asked)")
        else:
            lines.append("  Nothing is applied while these stand: add --overwrite-chat-edits to overwrite them.")
    if result.dry_run and not result.applied:
        lines.append("")
        lines.append("Run again with --apply to apply it (in one transaction, audited).")
    return "\n".join(lines) + "\n"


SHOWN_WHEN_ADDED = ("areas", "kind", "due", "owners", "mechanism", "lineage")


def describe(
    change: Change,
    *,
    field: Callable[[str], str] = str,
    value: Callable[[object], str] | None = None,
    reordered: str = "reordered",
) -> list[str]:
    """A change as preview lines: its sign, key and title, then what it adds or each field before → after.
    The terminal shows fields and values as recorded; chat passes its reader's words for them."""
    value = value or _show
    row = change.after or change.before or {}
    label = row.get("title") or row.get("name") or ""
    head = f"  {_SIGN[change.action]} {change.key}" + (f": {_clip(label)}" if label else "")
    if change.action == "added":
        return [head, *(f"      {field(k)}: {value(row[k])}" for k in SHOWN_WHEN_ADDED if row.get(k))]
    if change.action == "removed":
        return [head]
    lines = [head]
    for name in change.fields:
        old, new = change.before.get(name), change.after.get(name)
        if isinstance(old, list) and isinstance(new, list) and name != "areas":
            gone, came = [v for v in old if v not in new], [v for v in new if v not in old]
            words = "; ".join(filter(None, [came and "+ " + ", ".join(map(str, came)),
                                            gone and "- " + ", ".join(map(str, gone))]))  # fmt: skip
            lines.append(f"      {field(name)}: {words or reordered}")
        else:
            lines.append(f"      {field(name)}: {_clip(value(old))} → {_clip(value(new))}")
    return lines


def _owner_counts(changes: list[Change]) -> dict[str, int]:
    counts = {"added": 0, "removed": 0}
    for c in changes:
        old, new = set((c.before or {}).get("owners") or []), set((c.after or {}).get("owners") or [])
        counts["added"] += len(new - old)
        counts["removed"] += len(old - new)
    return counts


def _show(value) -> str:
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _clip(text: str, room: int = 90) -> str:
    return text if len(text) <= room else text[: room - 1] + "…"


# -- a document file ---------------------------------------------------------------------------


def known_keys(session: Session):
    from seeds.import_file import Known

    return Known(
        areas=frozenset(session.exec(select(Area.key))),
        departments=frozenset(session.exec(select(Department.key))),
        mechanisms=frozenset(session.exec(select(Mechanism.key))),
        commitments=frozenset(session.exec(select(Commitment.key))),
        documents_of=dict(
            session.exec(
                select(Commitment.key, Document.key).join(Document, Document.id == Commitment.document_id)
            ).all()
        ),
    )


def import_document(
    session: Session,
    path,
    *,
    actor: str,
    now: datetime,
    apply: bool,
    overwrite_chat_edits: bool = False,
    source: str | None = None,
    origin: str | None = None,
    expected: str | None = None,
    on_apply: Callable[[Session], None] | None = None,
) -> ImportResult:
    """Import one document file (seeds/import_file.py). Raises ImportFileError for a bad file."""
    from seeds.import_file import read_import_file
    from seeds.loader import load_fragment

    fragment = read_import_file(path, known_keys(session))
    cat = fragment.catalogue
    document = cat.documents[0].key
    stated = {c.id for _, c in fragment.commitments}
    scope = Scope(
        keys={
            "document": {document},
            "area": {a.key for a in cat.areas},
            "department": {d.key for d in cat.departments},
            "mechanism": {m.key for m in cat.mechanisms}
            | {c.mechanism for _, c in fragment.commitments if c.mechanism},
            "commitment": stated,
        },
        documents={document},
    )
    session.rollback()  # the reads above end here: the import's transaction starts with its write lock

    def change(db: Session) -> None:
        load_fragment(db, fragment)
        # The file is the whole document: its commitments the file no longer has go.
        in_document = select(Commitment.key).join(Document, Document.id == Commitment.document_id)
        dropped = set(db.exec(in_document.where(Document.key == document))) - stated
        remove_commitments(db, dropped)

    return run_import(
        session, source=source or str(path), actor=actor, now=now, scope=scope, change=change, apply=apply,
        overwrite_chat_edits=overwrite_chat_edits, origin=origin, expected=expected, on_apply=on_apply,
    )  # fmt: skip


def import_path(session: Session, path, **options) -> ImportResult:
    """Import a file by its kind: a document (.yaml, .yml), an export (.json), a spreadsheet (.csv)."""
    from seeds import bulk
    from seeds.import_file import ImportFileError

    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return import_document(session, path, **options)
    if suffix in (".csv", ".json"):
        read = bulk.read_csv if suffix == ".csv" else bulk.read_export
        rows = read(session, path, now=options["now"])
        return bulk.import_rows(session, path, rows, **options)
    raise ImportFileError(
        str(path), ["not a file agenda-bot imports: a document (.yaml), an export (.json) or a spreadsheet (.csv)"]
    )
