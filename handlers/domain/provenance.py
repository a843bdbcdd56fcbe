"""Where each fact comes from: every owner, status and date says whether the agreed text
gives it, the curator inferred it ("assumed"), someone set it in chat (who, when), or an
import brought it (which file, who, when).

The audit trail is the record of the last two: the newest entry that set a field says who
and how. A departmental owner nobody set since the seeds or an import is named in the
agreed text when the text names that department (its name or an acronym, as written),
and assumed otherwise: the curator's reading of who would carry it out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from handlers.views import i18n
from handlers.views.dates import day
from handlers.views.i18n import _
from handlers.views.names import EMPTY, NameBook
from models.repository import CommitmentRecord
from models.tables import AuditEntry, Department, OwnerKind, Status

IMPORTED = "import"
SPLIT = "split"
ASSUMED = "assumed"
# Audit fields (handlers/commands/changes.py, handlers/commands/forms.py, seeds/imports.py) that set each fact.
SETS = {
    "owners": {"owners", "people", "departments"},
    "status": {"status", "stage"},
    "due": {"due"},
}


@dataclass(frozen=True)
class Provenance:
    owners: list[tuple[str, str]]  # (owner as shown, where it comes from)
    status: str
    due: str | None

    def owners_wording(self) -> str:
        return "; ".join(f"{name}: {source}" for name, source in self.owners) or _("no owner yet")

    def as_row(self) -> dict[str, str | None]:
        """For exports: one column each."""
        return {"owners_source": self.owners_wording(), "status_source": self.status, "due_source": self.due}


def of(
    record: CommitmentRecord, entries: Sequence[AuditEntry], departments: Mapping[str, Department],
    mechanism_entries: Sequence[AuditEntry] = (), names: NameBook = EMPTY,
) -> Provenance:  # fmt: skip
    c = record.commitment
    owners = []
    for owner in record.owners:
        inherited = owner.commitment_id is None  # the meeting's owners stand in for the commitment's
        set_by, brought_by = _last(mechanism_entries if inherited else entries, "owners")
        if set_by is not None and owner.origin != "seed":
            source = _said(set_by)
        elif owner.kind == OwnerKind.department and named_in(c.text, departments.get(owner.ref)):
            source = _("named in the agreed text")
        elif owner.kind == OwnerKind.department:
            source = _("assumed (the curator's inference: the agreed text names no department)")
        else:
            source = _("assigned in chat") if owner.origin == "bot" else _("imported")
        if brought_by is not None and set_by is None and owner.origin == IMPORTED:
            source += f", {_said(brought_by)}"
        if inherited and record.mechanism:
            source += _(", as owner of the meeting ({name})").format(name=names.of(record.mechanism))
        owners.append((names.owner(owner), source))
    status_entry, status_brought = _last(entries, "status")
    if status_entry is not None:
        status = _said(status_entry)
    elif c.status == Status.unknown:
        status = _("no outcome on record: the agreed texts give none")
    else:
        status = _("from the agreed text")
    due = None
    due_entry, due_brought = _last(entries, "due")
    if due_entry is not None:
        due = _said(due_entry)
    elif c.due_edtf:
        stated = "; ".join(f"“{d}”" for d in c.dates_stated)
        due = _("the agreed text: {dates}").format(dates=stated) if stated else _("the agreed text")
        if due_brought is not None:
            due += f", {_said(due_brought)}"
    return Provenance(owners=owners, status=status, due=due)


def _last(entries: Sequence[AuditEntry], fact: str) -> tuple[AuditEntry | None, AuditEntry | None]:
    """The newest entry that set the fact, and the import that brought the item (an added row:
    what it says is the agreed text's, and the entry says which file brought it)."""
    for entry in reversed(entries):
        if SETS[fact] & set(entry.after):
            if entry.action == IMPORTED and not SETS[fact] & set(entry.before):
                return None, entry
            return entry, None
    return None, None


def _said(entry: AuditEntry) -> str:
    on = f"{entry.at:%-d %b %Y}" if i18n.current() == i18n.ENGLISH else day(entry.at.date())
    if entry.action == IMPORTED:
        return _("imported from {file} by {who} on {day}").format(
            file=imported_file(entry), who=entry.actor_ref, day=on
        )
    if entry.action == SPLIT:  # seeds/splits.py: what was set in chat on a merged record, given to its parts
        return _("set in chat on {key}, carried over when it was split on {day}").format(
            key=entry.note.removeprefix("split from "), day=on
        )
    return _("set by {who} in chat on {day}").format(who=f"<@{entry.actor_ref}>", day=on)


def imported_file(entry: AuditEntry) -> str:
    """The file an import came from, by its name: where it lay on the server is nobody's business in chat."""
    return PurePath(entry.origin.removeprefix("import:")).name


def named_in(text: str, department: Department | None) -> bool:
    """Whether the text names the department: its name, or an alias written as a name or an
    acronym (several words, or capitals); a common word ("Justice") is not a name."""
    if department is None:
        return False
    names = [department.name] + [a for a in department.aliases if " " in a or (a.isupper() and len(a) >= 3)]
    return any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) for name in names)


def owners_marked(record: CommitmentRecord, departments: Mapping[str, Department], names: NameBook = EMPTY) -> str:
    """Its owners, short (a department by its acronym), for the digest's lines: "owners: DND,
    MOD (assumed)" marks a seeded department the text does not name as `show` does, and
    "owners (assumed): GAC, MOFA" says it once when every owner is the curator's inference."""
    from handlers.views.i18n import _

    if not record.owners:
        return _("no owner yet")
    shown, assumed = [], []
    for owner in record.owners:
        department = departments.get(owner.ref) if owner.kind == OwnerKind.department else None
        short = next((a for a in department.aliases if a.isupper() and len(a) <= 6), None) if department else None
        shown.append(short or names.owner(owner))
        assumed.append(
            department is not None and owner.origin == "seed" and not named_in(record.commitment.text, department)
        )
    if all(assumed):
        return _("owners (assumed): {owners}").format(owners=", ".join(shown))
    pairs = zip(shown, assumed, strict=True)
    marked = [_("{name} (assumed)").format(name=name) if guess else name for name, guess in pairs]
    return _("owners: {owners}").format(owners=", ".join(marked))


def facts_of(ctx, record: CommitmentRecord) -> Provenance:
    """One commitment's provenance, read for it."""
    from models.provenance import changes_by_target, departments

    keys = [record.commitment.key] + ([record.mechanism.key] if record.mechanism else [])
    changes = changes_by_target(session=ctx.session, keys=keys)
    mechanism_changes = changes.get(record.mechanism.key, []) if record.mechanism else []
    return of(
        record, changes.get(record.commitment.key, []), departments(session=ctx.session), mechanism_changes, ctx.names
    )


def facts(ctx, record: CommitmentRecord) -> list:
    """`show`'s lines on where its owners, status and date come from."""
    from handlers.views.reply import Fact

    sourced = facts_of(ctx, record)
    lines = [Fact(_("Owners from"), sourced.owners_wording()), Fact(_("Status from"), sourced.status)]
    if sourced.due:
        lines.append(Fact(_("Date from"), sourced.due))
    return lines
