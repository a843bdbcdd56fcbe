"""Load the curated agenda into the database, idempotently.

Every row is found by its natural key and updated in place, so loading twice
changes nothing, and loading after a seed edit changes only what the edit
touched. What people set later in the bot (owners, statuses, occurrences they
recorded) is marked ``Origin.bot`` and left alone. A load that changes a row
bumps the agenda revision (models/revision.py); one that changes nothing does not.

The same upserts load a fragment (one document's commitments, and the areas,
departments and meetings it brings) from ``agenda-bot import`` (``load_fragment``,
used by seeds/imports.py): rows it creates are ``Origin.imported``, which the
seed loader keeps as it keeps what people set in chat. A fragment states what
it states and removes nothing else: a meeting's other dates and cadences stay.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, SQLModel, delete, select

from models.revision import agenda_changed
from models.search import TermGroup
from models.tables import (
    Area,
    Cadence,
    Commitment,
    CommitmentArea,
    CommitmentSplit,
    Department,
    Document,
    Mechanism,
    Occurrence,
    Origin,
    Owner,
    OwnerKind,
    SearchTerm,
    Translation,
)
from scheduling.clock import Clock, SystemClock
from scheduling.fuzzy import FuzzyDate
from seeds.catalogue import SeedAgenda, read_agenda
from seeds.schema import CommitmentSeed, MechanismSeed, SplitSeed

logger = logging.getLogger(__name__)


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or any(self.removed.values())

    def count(self, bucket: dict[str, int], table: str, n: int = 1) -> None:
        bucket[table] = bucket.get(table, 0) + n

    def __str__(self) -> str:
        def fmt(bucket: dict[str, int]) -> str:
            return ", ".join(f"{n} {t}" for t, n in sorted(bucket.items()) if n) or "nothing"

        return f"created {fmt(self.created)}; updated {fmt(self.updated)}; removed {fmt(self.removed)}"


def load_seeds(session: Session, agenda: SeedAgenda | None = None, *, clock: Clock | None = None) -> LoadReport:
    """Upsert the whole agenda in one transaction and return what changed."""
    agenda = agenda or read_agenda()
    loader = _Loader(session, LoadReport(), clock=clock or SystemClock())
    loader.run(agenda)
    session.commit()
    logger.info("seed load: %s", loader.report)
    return loader.report


def load_fragment(session: Session, fragment: SeedAgenda, *, owners: bool = True) -> LoadReport:
    """Upsert a fragment of the agenda as an import, in the caller's transaction (no commit).

    Keys the fragment names but does not define (an area, a department, a meeting, a
    document) must exist in the database. ``owners``: whether the fragment states the
    commitments' departmental owners (an export's rows carry owners of their own kind).
    """
    loader = _Loader(session, LoadReport(), origin=Origin.imported, owners=owners)
    loader.run_fragment(fragment)
    session.flush()
    return loader.report


_UNKNOWN: Any = object()  # upsert(): the caller does not know the row; look it up


class _Loader:
    def __init__(
        self,
        session: Session,
        report: LoadReport,
        *,
        origin: Origin = Origin.seed,
        owners: bool = True,
        clock: Clock | None = None,
    ) -> None:
        self.session = session
        self.clock = clock or SystemClock()
        self.report = report
        self.origin = origin
        self.importing = origin != Origin.seed
        self.with_owners = owners
        # The French and Japanese names, titles and official texts the seeds (or an import) state:
        # (subject, key, attribute, language) → (text, source), written by translations().
        self.stated: dict[tuple[str, str, str, str], tuple[str, str]] = {}

    # -- generic upsert ------------------------------------------------------

    def upsert(
        self, model: type[SQLModel], where: dict[str, Any], values: dict[str, Any], *, row: Any = _UNKNOWN
    ) -> SQLModel:
        """``row``: the row ``where`` finds, when the caller knows it already (None: there is none)."""
        if row is _UNKNOWN:
            row = self.session.exec(select(model).filter_by(**where)).first()
        table = model.__tablename__
        if row is None:
            agenda_changed(self.session)
            row = model(**where, **values)
            self.session.add(row)
            self.session.flush()
            self.report.count(self.report.created, table)
            return row
        changed = False
        for name, value in values.items():
            if getattr(row, name) != value:
                agenda_changed(self.session)
                setattr(row, name, value)
                changed = True
        if changed:
            self.session.add(row)
            self.session.flush()
            self.report.count(self.report.updated, table)
        return row

    def remove(self, rows: Iterable[SQLModel]) -> None:
        for row in rows:
            agenda_changed(self.session)
            self.session.delete(row)
            self.report.count(self.report.removed, row.__tablename__)
        self.session.flush()

    # -- the agenda ------------------------------------------------------------

    def run(self, agenda: SeedAgenda) -> None:
        cat = agenda.catalogue
        documents = {d.key: self.document(d, agenda.document_names.get(d.key, ())) for d in cat.documents}
        areas = {
            a.key: self.upsert(
                Area, {"key": a.key}, {"name": a.name, "description": a.description, "aliases": a.aliases}
            )
            for a in cat.areas
        }
        self.departments = {
            d.key: self.upsert(
                Department, {"key": d.key}, {"name": d.name, "country": d.country.value, "aliases": d.aliases}
            )
            for d in cat.departments
        }
        # Commitments whose content people edited in the bot, or an import set, keep it (and the cadence they state).
        self.edited = set(self.session.exec(select(Commitment.key).where(Commitment.content_origin != Origin.seed)))
        mechanisms = {m.key: self.mechanism(m) for m in cat.mechanisms}
        seen: set[str] = set()
        positions: dict[str, int] = {}
        for document_key, seed in agenda.commitments:
            positions[document_key] = positions.get(document_key, 0) + 1
            self.commitment(seed, documents[document_key], areas, mechanisms, positions[document_key])
            seen.add(seed.id)
        for _document_key, split in agenda.splits:
            self.split(split)
        self.remove_dropped_commitments(seen)
        self.search_terms(agenda.terms)
        self.state_translations(cat, agenda.commitments)
        self.translations()

    def run_fragment(self, fragment: SeedAgenda) -> None:
        """An import: what the fragment defines is upserted; what it names must already exist."""
        cat = fragment.catalogue
        self.edited = set()  # an import states content: chat edits it would overwrite are checked before
        documents = {d.key: d for d in self.session.exec(select(Document))}
        for d in cat.documents:  # other names come with the seeds' terms.yaml, not with an import
            documents[d.key] = self.document(d, fragment.document_names.get(d.key))
        areas = {a.key: a for a in self.session.exec(select(Area))}
        for a in cat.areas:
            areas[a.key] = self.upsert(
                Area, {"key": a.key}, {"name": a.name, "description": a.description, "aliases": a.aliases}
            )
        self.departments = {d.key: d for d in self.session.exec(select(Department))}
        for d in cat.departments:
            self.departments[d.key] = self.upsert(
                Department, {"key": d.key}, {"name": d.name, "country": d.country.value, "aliases": d.aliases}
            )
        mechanisms = {m.key: m for m in self.session.exec(select(Mechanism))}
        for m in cat.mechanisms:
            mechanisms[m.key] = self.mechanism(m)
        positions: dict[str, int] = {}
        for document_key, seed in fragment.commitments:
            positions[document_key] = positions.get(document_key, 0) + 1
            self.commitment(seed, documents[document_key], areas, mechanisms, positions[document_key])
        self.state_translations(cat, fragment.commitments)
        self.translations()

    # -- names and titles in French and Japanese, official texts ----------------------

    def state_translations(self, cat, commitments) -> None:
        for subject, rows, attribute, field_name in (
            ("document", cat.documents, "short_title", "short_titles"),
            ("area", cat.areas, "name", "names"),
            ("department", cat.departments, "name", "names"),
            ("mechanism", cat.mechanisms, "name", "names"),
        ):
            for row in rows:
                for language, text in getattr(row, field_name).items():
                    self.stated[(subject, row.key, attribute, language.value)] = (text, "")
        for _document_key, seed in commitments:
            # A title people edited in the bot is no longer the one the team translated: the translation goes.
            if seed.id not in self.edited:
                for language, text in seed.titles.items():
                    self.stated[("commitment", seed.id, "title", language.value)] = (text, "")
            for language, official in seed.official.items():
                self.stated[("commitment", seed.id, "text", language.value)] = (official.text, official.source)

    def translations(self) -> None:
        """Upsert what is stated; a seed load also removes the seeds' own rows no longer stated. An
        official text attached in the bot is a coordinator's: neither replaced nor removed here."""
        existing = {(t.subject, t.key, t.attribute, t.language): t for t in self.session.exec(select(Translation))}
        for where, (text, source) in self.stated.items():
            row = existing.get(where)
            if row is not None and row.origin == Origin.bot:
                continue
            keys = dict(zip(("subject", "key", "attribute", "language"), where, strict=True))
            self.upsert(Translation, keys, {"text": text, "source": source, "origin": self.origin}, row=row)
        if not self.importing:
            self.remove(t for where, t in existing.items() if t.origin == Origin.seed and where not in self.stated)

    def document(self, d, aliases: Sequence[str] | None) -> Document:
        """A document; its other names replaced when given (None keeps what it has)."""
        values = {
            "title": d.title,
            "short_title": d.short_title,
            "date_edtf": d.date,
            "date_note": d.date_note,
            "year": FuzzyDate.parse(d.date).start.year,
            "place": d.place,
            "issued_by": d.issued_by,
            "source_file": d.source_file,
            "preamble": " ".join((d.preamble or "").split()),
        }
        if aliases is not None:
            values["aliases"] = list(aliases)
        return self.upsert(Document, {"key": d.key}, values)

    def mechanism(self, seed: MechanismSeed) -> Mechanism:
        mechanism = self.upsert(
            Mechanism,
            {"key": seed.key},
            {
                "name": seed.name,
                "aliases": seed.aliases,
                "area_keys": seed.areas,
                "alternates_host": seed.alternates_host,
                "usual_season": seed.usual_season,
            },
        )
        for cadence in seed.cadences:
            if cadence.commitment in self.edited:
                continue
            self.upsert(
                Cadence,
                {"mechanism_id": mechanism.id, "source_commitment_key": cadence.commitment},
                {
                    "rrule": cadence.rrule,
                    "stated": cadence.stated,
                    "effective_edtf": cadence.effective,
                    "effective_on": FuzzyDate.parse(cadence.effective).start,
                },
            )
        stated_cadences = {c.commitment for c in seed.cadences}
        if not self.importing:  # an import adds cadences; the seeds are the whole list
            self.remove(
                c
                for c in self.session.exec(select(Cadence).where(Cadence.mechanism_id == mechanism.id))
                if c.source_commitment_key not in stated_cadences and c.source_commitment_key not in self.edited
            )
        for occurrence in seed.occurrences:
            window = FuzzyDate.parse(occurrence.date)
            self.upsert(
                Occurrence,
                {"mechanism_id": mechanism.id, "date_edtf": occurrence.date},
                {
                    "starts_on": window.start,
                    "ends_on": window.end,
                    "place": occurrence.place,
                    "host": occurrence.host.value if occurrence.host else None,
                    "note": occurrence.note,
                    "planned_only": occurrence.planned_only,
                    "source_commitment_key": occurrence.commitment,
                    "origin": self.origin,
                },
            )
        if self.importing:  # an import adds dates, and states owners only when it names some
            if seed.owners:
                self.replace_imported_owners(seed.owners, mechanism_id=mechanism.id)
            return mechanism
        seeded_dates = {o.date for o in seed.occurrences}
        self.remove(
            o
            for o in self.session.exec(select(Occurrence).where(Occurrence.mechanism_id == mechanism.id))
            if o.origin == Origin.seed and o.date_edtf not in seeded_dates
        )
        if mechanism.owners_origin == Origin.seed:
            self.replace_seed_owners(seed.owners, mechanism_id=mechanism.id)
        return mechanism

    def commitment(
        self,
        seed: CommitmentSeed,
        document: Document,
        areas: dict[str, Area],
        mechanisms: dict[str, Mechanism],
        position: int,
    ) -> None:
        if seed.id in self.edited:
            commitment = self.session.exec(select(Commitment).where(Commitment.key == seed.id)).one()
            if commitment.owners_origin == Origin.seed:
                self.replace_seed_owners(seed.owners, commitment_id=commitment.id)
            return
        due = FuzzyDate.parse(seed.due) if seed.due else None
        existing = self.session.exec(select(Commitment).where(Commitment.key == seed.id)).first()
        placed = {"position": position}
        if self.importing:
            # An import keeps an item's place in its document, and marks what it creates as imported.
            placed = {"position": existing.position} if existing else placed | {"content_origin": self.origin}
        commitment = self.upsert(
            Commitment,
            {"key": seed.id},
            {
                **placed,
                "document_id": document.id,
                "mechanism_id": mechanisms[seed.mechanism].id if seed.mechanism else None,
                "section": seed.section,
                "title": seed.title,
                "text": " ".join(seed.text.split()),
                "kind": seed.kind.value,
                "due_edtf": seed.due,
                "due_start": due.start if due else None,
                "due_end": due.end if due else None,
                "dates_stated": seed.dates_stated,
                "organisations": "; ".join(seed.organisations),
                "related_keys": seed.related,
                "lineage": seed.lineage,
                "steps": [step.model_dump() for step in seed.steps],
            },
        )
        wanted = {areas[key].id: index == 0 for index, key in enumerate(seed.areas)}
        links = {
            link.area_id: link
            for link in self.session.exec(select(CommitmentArea).where(CommitmentArea.commitment_id == commitment.id))
        }
        self.remove(link for area_id, link in links.items() if area_id not in wanted)
        for area_id, is_primary in wanted.items():
            self.upsert(
                CommitmentArea, {"commitment_id": commitment.id, "area_id": area_id}, {"is_primary": is_primary}
            )
        if self.importing:
            if self.with_owners:
                self.replace_imported_owners(seed.owners, commitment_id=commitment.id)
        elif commitment.owners_origin == Origin.seed:
            self.replace_seed_owners(seed.owners, commitment_id=commitment.id)

    def replace_imported_owners(self, department_keys: list[str], **target: int) -> None:
        """An import states the departments that own it: others go (whoever set them: a chat
        edit it overwrites was refused unless asked for), people assigned in chat stay."""
        ((column, target_id),) = target.items()
        existing = self.session.exec(
            select(Owner).where(getattr(Owner, column) == target_id, Owner.kind == OwnerKind.department.value)
        ).all()
        self.remove(o for o in existing if o.ref not in department_keys)
        have = {o.ref for o in existing}
        for key in department_keys:
            if key not in have:
                self.upsert(
                    Owner,
                    {column: target_id, "kind": OwnerKind.department.value, "ref": key, "origin": self.origin.value},
                    {"display_name": self.departments[key].name},
                )

    def replace_seed_owners(self, department_keys: list[str], **target: int) -> None:
        ((column, target_id),) = target.items()
        existing = self.session.exec(
            select(Owner).where(getattr(Owner, column) == target_id, Owner.origin == Origin.seed)
        ).all()
        self.remove(o for o in existing if o.ref not in department_keys)
        # The rows just read are the ones an upsert would look for: looked up here, not queried once
        # per department (that query went through the owner.ref index, whose rows grow with the
        # agenda: loading 10,000 commitments took over ten minutes).
        kept = {o.ref: o for o in existing if o.kind == OwnerKind.department.value}
        for key in department_keys:
            where = {column: target_id, "kind": OwnerKind.department.value, "ref": key, "origin": Origin.seed.value}
            self.upsert(Owner, where, {"display_name": self.departments[key].name}, row=kept.get(key))

    def remove_dropped_commitments(self, seen: set[str]) -> None:
        """A commitment taken out of the seeds goes, unless people have worked on it."""
        for commitment in self.session.exec(select(Commitment).where(Commitment.key.not_in(seen))):
            if commitment.content_origin == Origin.imported:  # never in the seeds: it came from an import
                continue
            if Origin.bot in (commitment.status_origin, commitment.owners_origin, commitment.content_origin):
                logger.warning("commitment %s left the seeds but was edited in the bot: kept", commitment.key)
                continue
            agenda_changed(self.session)
            self.session.exec(delete(CommitmentArea).where(CommitmentArea.commitment_id == commitment.id))
            self.session.exec(delete(Owner).where(Owner.commitment_id == commitment.id))
            self.remove([commitment])

    def split(self, split: SplitSeed) -> None:
        """A retired id: recorded with what it became. When the database still holds the merged
        record, what people set on it in chat goes to each part (seeds/splits.py), and it goes."""
        from seeds.splits import carry_over  # only when there is a split to make

        values: dict[str, Any] = {
            "successor_keys": list(split.into),
            "lead_in": " ".join((split.lead_in or "").split()),
        }
        merged = self.session.exec(select(Commitment).where(Commitment.key == split.id)).first()
        if merged is not None:
            parts = [self.session.exec(select(Commitment).where(Commitment.key == k)).one() for k in split.into]
            agenda_changed(self.session)
            now = self.clock.now()
            values |= {"carried": carry_over(self.session, merged, parts, now=now), "split_at": now}
            self.report.count(self.report.removed, Commitment.__tablename__)
        self.upsert(CommitmentSplit, {"key": split.id}, values)

    def search_terms(self, terms: Sequence[TermGroup]) -> None:
        """Names of things and topic words, as terms.yaml lists them; a name dropped there is dropped here."""
        for term in terms:
            values = {"variants": list(term.variants), "names_a_thing": term.names_a_thing}
            self.upsert(SearchTerm, {"canonical": term.canonical}, values)
        kept = {term.canonical for term in terms}
        self.remove(t for t in self.session.exec(select(SearchTerm)).all() if t.canonical not in kept)
