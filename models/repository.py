"""Read access to the agenda: keyword-only functions over an explicit session.

Lists are loaded in a fixed number of queries whatever their length (owners,
areas and documents are fetched for all rows at once), so a page of results
costs the same on the seeded agenda and on ten thousand commitments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.tables import (
    Area,
    AuditEntry,
    Cadence,
    Commitment,
    CommitmentArea,
    CommitmentStage,
    DashboardLink,
    Department,
    Document,
    Kind,
    Mechanism,
    Occurrence,
    Owner,
    OwnerKind,
    Person,
    Revision,
    Sensitivity,
    Stage,
    Status,
)


@dataclass(frozen=True)
class CommitmentRecord:
    """A commitment with everything a reply shows about it."""

    commitment: Commitment
    document: Document
    areas: list[Area]  # primary first
    owners: list[Owner]
    mechanism: Mechanism | None


@dataclass(frozen=True)
class MechanismRecord:
    mechanism: Mechanism
    cadences: list[Cadence]
    occurrences: list[Occurrence]
    owners: list[Owner]


def list_areas(*, session: Session, include_restricted: bool) -> list[tuple[Area, int]]:
    """Every area with the number of commitments filed under it."""
    statement = select(CommitmentArea.area_id, func.count()).group_by(CommitmentArea.area_id)
    if not include_restricted:
        statement = statement.join(Commitment, Commitment.id == CommitmentArea.commitment_id).where(
            Commitment.sensitivity == Sensitivity.public
        )
    counts = dict(session.exec(statement).all())
    areas = session.exec(select(Area).order_by(Area.name)).all()
    return [(area, counts.get(area.id, 0)) for area in areas]


def list_mechanisms(*, session: Session) -> list[Mechanism]:
    return list(session.exec(select(Mechanism).order_by(Mechanism.name)).all())


def list_departments(*, session: Session) -> list[Department]:
    return list(session.exec(select(Department).order_by(Department.name)).all())


def commitment_ids_in_area(*, session: Session, area_id: int) -> list[int]:
    """Newest document first, then document order."""
    statement = (
        select(Commitment.id)
        .join(CommitmentArea, CommitmentArea.commitment_id == Commitment.id)
        .join(Document, Document.id == Commitment.document_id)
        .where(CommitmentArea.area_id == area_id)
        .order_by(col(Document.year).desc(), Commitment.position)
    )
    return list(session.exec(statement).all())


def commitment_ids_owned_by(*, session: Session, refs: Sequence[str]) -> list[int]:
    """Commitments owned directly, or through the mechanism they belong to."""
    return _in_agenda_order(session, _owned_among(session, refs))


def commitment_ids_with_due_dates(*, session: Session) -> list[int]:
    statement = select(Commitment.id).where(col(Commitment.due_end).is_not(None))
    return list(session.exec(statement).all())


_CLOSED = (Status.done.value, Status.dropped.value)


def commitment_ids_due_within(*, session: Session, start, end, whole: bool | None = None) -> list[int]:
    """Open commitments outside meetings whose due window meets [start, end], soonest first.

    ``whole=True``: only those whose window ends by ``end`` (every day still open
    to them lies in the period); ``False``: only those whose window reaches past it."""
    begins = func.coalesce(Commitment.due_start, Commitment.due_end)
    statement = (
        select(Commitment.id)
        .where(
            col(Commitment.due_end) >= start,
            begins <= end,
            col(Commitment.mechanism_id).is_(None),
            col(Commitment.status).not_in(_CLOSED),
        )
        .order_by(begins, Commitment.id)
    )
    if whole is not None:
        statement = statement.where(col(Commitment.due_end) <= end if whole else col(Commitment.due_end) > end)
    return list(session.exec(statement).all())


def overdue_deadline_ids(*, session: Session, today) -> list[int]:
    """Deadlines that passed with no recorded outcome, oldest first."""
    statement = (
        select(Commitment.id)
        .where(
            Commitment.kind == Kind.deadline,
            col(Commitment.due_end) < today,
            col(Commitment.status).not_in(_CLOSED),
        )
        .order_by(Commitment.due_end, Commitment.id)
    )
    return list(session.exec(statement).all())


def get_commitment_id(*, session: Session, key: str) -> int | None:
    statement = select(Commitment.id).where(func.lower(Commitment.key) == key.lower())
    return session.exec(statement).first()


def load_commitments(*, session: Session, ids: Sequence[int]) -> list[CommitmentRecord]:
    """Full records for the given ids, in the order given."""
    if not ids:
        return []
    commitments = {c.id: c for c in session.exec(select(Commitment).where(col(Commitment.id).in_(ids)))}
    document_ids = {c.document_id for c in commitments.values()}
    documents = {d.id: d for d in session.exec(select(Document).where(col(Document.id).in_(document_ids)))}
    mechanism_ids = {c.mechanism_id for c in commitments.values() if c.mechanism_id}
    mechanisms = {m.id: m for m in session.exec(select(Mechanism).where(col(Mechanism.id).in_(mechanism_ids)))}
    areas_by_commitment: dict[int, list[tuple[bool, Area]]] = defaultdict(list)
    area_rows = session.exec(
        select(CommitmentArea, Area)
        .join(Area, Area.id == CommitmentArea.area_id)
        .where(col(CommitmentArea.commitment_id).in_(ids))
    )
    for link, area in area_rows:
        areas_by_commitment[link.commitment_id].append((link.is_primary, area))
    owners = owners_for(session=session, commitment_ids=list(commitments), mechanism_ids=list(mechanism_ids))
    records = []
    for commitment_id in ids:
        c = commitments.get(commitment_id)
        if c is None:
            continue
        areas = [a for _, a in sorted(areas_by_commitment[c.id], key=lambda pair: (not pair[0], pair[1].name))]
        own = owners[("commitment", c.id)] or (owners[("mechanism", c.mechanism_id)] if c.mechanism_id else [])
        records.append(
            CommitmentRecord(
                commitment=c,
                document=documents[c.document_id],
                areas=areas,
                owners=own,
                mechanism=mechanisms.get(c.mechanism_id) if c.mechanism_id else None,
            )
        )
    return records


def owners_for(
    *, session: Session, commitment_ids: Sequence[int], mechanism_ids: Sequence[int]
) -> dict[tuple[str, int | None], list[Owner]]:
    result: dict[tuple[str, int | None], list[Owner]] = defaultdict(list)
    statement = select(Owner).where(
        col(Owner.commitment_id).in_(commitment_ids) | col(Owner.mechanism_id).in_(mechanism_ids)
    )
    # People before departments: a named person is the one to ask.
    for owner in sorted(session.exec(statement), key=lambda o: (o.kind != OwnerKind.user, o.display_name)):
        if owner.commitment_id is not None:
            result[("commitment", owner.commitment_id)].append(owner)
        else:
            result[("mechanism", owner.mechanism_id)].append(owner)
    return result


def load_mechanism(*, session: Session, mechanism_id: int) -> MechanismRecord:
    return load_mechanisms(session=session, ids=[mechanism_id])[0]


def load_mechanisms(*, session: Session, ids: Sequence[int] | None = None) -> list[MechanismRecord]:
    statement = select(Mechanism).order_by(Mechanism.name)
    if ids is not None:
        statement = statement.where(col(Mechanism.id).in_(ids))
    mechanisms = list(session.exec(statement))
    wanted = [m.id for m in mechanisms]
    cadences: dict[int, list[Cadence]] = defaultdict(list)
    for cadence in session.exec(select(Cadence).where(col(Cadence.mechanism_id).in_(wanted))):
        cadences[cadence.mechanism_id].append(cadence)
    occurrences: dict[int, list[Occurrence]] = defaultdict(list)
    occurrence_rows = session.exec(
        select(Occurrence).where(col(Occurrence.mechanism_id).in_(wanted)).order_by(Occurrence.starts_on)
    )
    for occurrence in occurrence_rows:
        occurrences[occurrence.mechanism_id].append(occurrence)
    owners = owners_for(session=session, commitment_ids=[], mechanism_ids=wanted)
    return [
        MechanismRecord(
            mechanism=m,
            cadences=sorted(cadences[m.id], key=lambda c: c.effective_on),
            occurrences=occurrences[m.id],
            owners=owners[("mechanism", m.id)],
        )
        for m in mechanisms
    ]


def stages_by_commitment(*, session: Session) -> dict[int, list[tuple[str, str]]]:
    """Every recorded treaty stage as (stage, EDTF date), per commitment, in the order stages come.

    One query for the whole agenda: few commitments are treaties, each with a handful of stages."""
    order = list(Stage)
    result: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = session.exec(select(CommitmentStage.commitment_id, CommitmentStage.stage, CommitmentStage.on_edtf))
    for commitment_id, stage, on_edtf in rows:
        result[commitment_id].append((Stage(stage).value, on_edtf))
    return {key: sorted(value, key=lambda pair: order.index(Stage(pair[0]))) for key, value in result.items()}


def dates_set_at(*, session: Session, keys: Sequence[str]) -> dict[tuple[str, str], datetime]:
    """When each item's date was set through the bot: (item key, the date as EDTF) → the
    latest change that set it (a meeting's ``schedule``, a commitment's ``add`` or ``edit``).
    Dates from the seed documents were known from the start, and are not here."""
    found: dict[tuple[str, str], datetime] = {}
    if not keys:
        return found
    rows = session.exec(
        select(AuditEntry.target_key, AuditEntry.after, AuditEntry.at)
        .where(col(AuditEntry.target_key).in_(keys), col(AuditEntry.action).in_(("schedule", "add", "edit")))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    for key, after, at in rows:
        value = after.get("date") or after.get("due")
        if value:
            found[(key, value)] = at
    return found


def _in_agenda_order(session: Session, ids: set[int]) -> list[int]:
    if not ids:
        return []
    statement = (
        select(Commitment.id)
        .join(Document, Document.id == Commitment.document_id)
        .where(col(Commitment.id).in_(ids))
        .order_by(col(Document.year).desc(), Commitment.position)
    )
    return list(session.exec(statement).all())


def visible_ids(*, session: Session, ids: Sequence[int], owner_refs: Sequence[str] = ()) -> set[int]:
    """Of these commitments, the public ones, plus restricted ones owned (directly
    or through their meeting) by one of owner_refs: one person's identities."""
    public = select(Commitment.id).where(col(Commitment.id).in_(ids), Commitment.sensitivity == Sensitivity.public)
    allowed = set(session.exec(public).all())
    if owner_refs:
        allowed |= set(_owned_among(session, owner_refs, ids))
    return allowed


def _owned_among(session: Session, refs: Sequence[str], ids: Sequence[int] | None = None) -> set[int]:
    """Commitments owned by refs directly or through the meeting they belong to (of ids, if given)."""
    direct = select(Owner.commitment_id).where(col(Owner.ref).in_(refs), col(Owner.commitment_id).is_not(None))
    via_mechanism = (
        select(Commitment.id).join(Owner, Owner.mechanism_id == Commitment.mechanism_id).where(col(Owner.ref).in_(refs))
    )
    if ids is not None:
        direct = direct.where(col(Owner.commitment_id).in_(ids))
        via_mechanism = via_mechanism.where(col(Commitment.id).in_(ids))
    return set(session.exec(direct).all()) | set(session.exec(via_mechanism).all())


def commitment_ids_by_mechanism(*, session: Session, mechanism_ids: Sequence[int]) -> dict[int, list[int]]:
    """The commitments each of these meetings comes from (a meeting with none is absent)."""
    statement = select(Commitment.mechanism_id, Commitment.id).where(col(Commitment.mechanism_id).in_(mechanism_ids))
    found: dict[int, list[int]] = defaultdict(list)
    for mechanism_id, commitment_id in session.exec(statement):
        found[mechanism_id].append(commitment_id)
    return found


def restricted_names(*, session: Session) -> list[tuple[int | None, str, str]]:
    """(meeting id, id, title) of every restricted commitment: what would identify one."""
    statement = select(Commitment.mechanism_id, Commitment.key, Commitment.title).where(
        Commitment.sensitivity == Sensitivity.restricted
    )
    return list(session.exec(statement).all())


def all_commitment_ids(*, session: Session) -> list[int]:
    """Every commitment, newest document first, then in each document's order."""
    return _in_agenda_order(session, set(session.exec(select(Commitment.id)).all()))


def people_names(*, session: Session, refs: Sequence[str]) -> dict[str, str]:
    """Display names the platforms gave for these user refs (those known; others are absent)."""
    if not refs:
        return {}
    statement = select(Person.user_ref, Person.display_name).where(
        col(Person.user_ref).in_(refs), col(Person.display_name).is_not(None)
    )
    return dict(session.exec(statement).all())


def dashboard_link_owner(*, session: Session, token_sha256: str) -> str | None:
    """Whose dashboard link has this token digest (None: no such link, or revoked)."""
    return session.exec(select(DashboardLink.user_ref).where(DashboardLink.token_sha256 == token_sha256)).first()


# Built once, and on the table's columns: every question reads it, and an ORM statement built per call cost
# more than the read.
_CURRENT_REVISION = (
    select(Revision.__table__.c.value).where(Revision.__table__.c.id == 1)  # type: ignore[attr-defined]
)


def current_revision(*, session: Session) -> int:
    return session.execute(_CURRENT_REVISION).scalar_one()


def restricted_ids_owned_by(*, session: Session, owner_refs: Sequence[str]) -> tuple[int, ...]:
    """The restricted commitments these identities may see as owners (as ``visible_ids`` decides)."""
    restricted = select(Commitment.id).where(Commitment.sensitivity == Sensitivity.restricted)
    return tuple(sorted(_owned_among(session, owner_refs, list(session.exec(restricted).all()))))


def list_documents(*, session: Session) -> list[Document]:
    """The source documents, oldest first."""
    return list(session.exec(select(Document).order_by(Document.year, Document.id)).all())


def commitment_ids_by_document(*, session: Session) -> dict[int, list[int]]:
    """Every commitment, per document (document id → commitment ids in document order)."""
    statement = select(Commitment.document_id, Commitment.id).order_by(Commitment.document_id, Commitment.position)
    found: dict[int, list[int]] = defaultdict(list)
    for document_id, commitment_id in session.exec(statement):
        found[document_id].append(commitment_id)
    return found


def commitment_ids_from(
    *, session: Session, year: int | None = None, document_id: int | None = None, among: Sequence[int] | None = None
) -> list[int]:
    """Commitments of a document or of a year's documents: of ``among`` in its order, or all in agenda order."""
    statement = select(Commitment.id).join(Document, Document.id == Commitment.document_id)
    if year is not None:
        statement = statement.where(Document.year == year)
    if document_id is not None:
        statement = statement.where(Commitment.document_id == document_id)
    if among is None:
        return list(session.exec(statement.order_by(col(Document.year).desc(), Commitment.position)).all())
    if not among:
        return []
    kept = set(session.exec(statement.where(col(Commitment.id).in_(among))).all())
    return [i for i in among if i in kept]


def agenda_changes_since(*, session: Session, since: datetime, limit: int) -> list[AuditEntry]:
    """Changes to commitments and meetings made at or after ``since``, newest first (at most ``limit``)."""
    statement = (
        select(AuditEntry)
        .where(col(AuditEntry.at) >= since, col(AuditEntry.target_type).in_(("commitment", "mechanism")))
        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
        .limit(limit)
    )
    return list(session.exec(statement).all())


def ids_for_keys(*, session: Session, commitment_keys: Sequence[str], mechanism_keys: Sequence[str]) -> dict:
    """{("commitment", key): id, ("mechanism", key): id} for the keys that exist."""
    found: dict[tuple[str, str], int] = {}
    if commitment_keys:
        for key, i in session.exec(
            select(Commitment.key, Commitment.id).where(col(Commitment.key).in_(commitment_keys))
        ):
            found[("commitment", key)] = i
    if mechanism_keys:
        for key, i in session.exec(select(Mechanism.key, Mechanism.id).where(col(Mechanism.key).in_(mechanism_keys))):
            found[("mechanism", key)] = i
    return found


def area_names(*, session: Session, keys: Sequence[str]) -> dict[str, str]:
    """Area key → name, for the keys that exist."""
    return dict(session.exec(select(Area.key, Area.name).where(col(Area.key).in_(keys))).all())


def commitment_keys(*, session: Session) -> list[tuple[int, str]]:
    """(id, key) of every commitment."""
    return list(session.exec(select(Commitment.id, Commitment.key)).all())


def commitments_due_on_one_day(*, session: Session, low, high) -> list:
    """Commitments due on a single day between low and high: rows of (id, key, title, due_start)."""
    statement = select(Commitment.id, Commitment.key, Commitment.title, Commitment.due_start).where(
        col(Commitment.due_start) == col(Commitment.due_end),
        col(Commitment.due_start) >= low,
        col(Commitment.due_start) <= high,
    )
    return list(session.exec(statement).all())


def commitment_ids_owned_directly(*, session: Session, refs: Sequence[str], among: Sequence[int]) -> set[int]:
    """Of among, the commitments refs own themselves (owning their meeting is not enough)."""
    direct = select(Owner.commitment_id).where(col(Owner.ref).in_(refs), col(Owner.commitment_id).in_(among))
    return set(session.exec(direct).all())


def commitment_ids_oldest_first(*, session: Session) -> list[int]:
    """Every commitment, oldest document first, then in each document's order."""
    statement = (
        select(Commitment.id)
        .join(Document, Document.id == Commitment.document_id)
        .order_by(Document.year, Commitment.position)
    )
    return list(session.exec(statement).all())


def mechanism_ids_owned_by(*, session: Session, refs: Sequence[str]) -> set[int]:
    """The meetings refs own."""
    return set(session.exec(select(Owner.mechanism_id).where(col(Owner.ref).in_(refs))).all())


def area_by_key(*, session: Session, key: str) -> Area | None:
    return session.exec(select(Area).where(Area.key == key)).first()


def owners_of(*, session: Session, column: str, target_id: int) -> list[Owner]:
    """The owners of a commitment (column "commitment_id") or a meeting ("mechanism_id")."""
    return list(session.exec(select(Owner).where(getattr(Owner, column) == target_id)).all())


def commitment_stage(*, session: Session, commitment_id: int, stage: str) -> CommitmentStage | None:
    statement = select(CommitmentStage).where(
        CommitmentStage.commitment_id == commitment_id, CommitmentStage.stage == stage
    )
    return session.exec(statement).first()


def stages_of(*, session: Session, commitment_id: int) -> list[str]:
    """The stages recorded for a commitment, in no particular order."""
    return list(session.exec(select(CommitmentStage.stage).where(CommitmentStage.commitment_id == commitment_id)).all())


def occurrences_of(*, session: Session, mechanism_id: int) -> list[Occurrence]:
    """A meeting's occurrences, as stored (unordered)."""
    return list(session.exec(select(Occurrence).where(Occurrence.mechanism_id == mechanism_id)).all())


def user_owners(*, session: Session) -> list[Owner]:
    """Every owner who is a person (not a department)."""
    return list(session.exec(select(Owner).where(Owner.kind == OwnerKind.user)).all())


def mechanism_by_key(*, session: Session, key: str) -> Mechanism | None:
    return session.exec(select(Mechanism).where(Mechanism.key == key)).first()


def primary_area_id(*, session: Session, commitment_id: int) -> int | None:
    statement = select(CommitmentArea.area_id).where(
        CommitmentArea.commitment_id == commitment_id, CommitmentArea.is_primary
    )
    return session.exec(statement).first()


def area_links_of(*, session: Session, commitment_id: int) -> list[CommitmentArea]:
    return list(session.exec(select(CommitmentArea).where(CommitmentArea.commitment_id == commitment_id)).all())


def cadences_of(*, session: Session, mechanism_id: int) -> list[Cadence]:
    return list(session.exec(select(Cadence).where(Cadence.mechanism_id == mechanism_id)).all())


def cadence_from(*, session: Session, mechanism_id: int | None, commitment_key: str) -> Cadence | None:
    """The meeting's cadence that this commitment stated, if stored."""
    statement = select(Cadence).where(
        Cadence.mechanism_id == mechanism_id, Cadence.source_commitment_key == commitment_key
    )
    return session.exec(statement).first()


def document_by_key(*, session: Session, key: str) -> Document | None:
    return session.exec(select(Document).where(Document.key == key)).first()


def commitment_keys_starting(*, session: Session, prefix: str) -> set[str]:
    return set(session.exec(select(Commitment.key).where(col(Commitment.key).startswith(prefix))).all())
