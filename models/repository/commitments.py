"""Which commitments: ids by area, date, document, meeting and key, in agenda order
(newest document first, then each document's order) unless said otherwise; a commitment's stages.

Keyword-only read functions over an explicit session (re-exported by models.repository).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.tables import CLOSED, Commitment, CommitmentArea, CommitmentStage, Document, Kind, Mechanism


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


def commitment_ids_with_due_dates(*, session: Session) -> list[int]:
    statement = select(Commitment.id).where(col(Commitment.due_end).is_not(None))
    return list(session.exec(statement).all())


_CLOSED = tuple(status.value for status in CLOSED)


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
    return _open_deadline_ids(session, col(Commitment.due_end) < today)


def upcoming_deadline_ids(*, session: Session, today) -> list[int]:
    """Deadlines still ahead (their window not yet closed) with no recorded outcome, soonest first."""
    return _open_deadline_ids(session, col(Commitment.due_end) >= today)


def _open_deadline_ids(session: Session, window) -> list[int]:
    """Deadlines in ``window`` (a condition on their end) with no recorded outcome, by end then id."""
    statement = (
        select(Commitment.id)
        .where(Commitment.kind == Kind.deadline, window, col(Commitment.status).not_in(_CLOSED))
        .order_by(Commitment.due_end, Commitment.id)
    )
    return list(session.exec(statement).all())


def get_commitment_id(*, session: Session, key: str) -> int | None:
    statement = select(Commitment.id).where(func.lower(Commitment.key) == key.lower())
    return session.exec(statement).first()


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


def all_commitment_ids(*, session: Session) -> list[int]:
    """Every commitment, newest document first, then in each document's order."""
    return _in_agenda_order(session, set(session.exec(select(Commitment.id)).all()))


def commitment_ids_by_mechanism(*, session: Session, mechanism_ids: Sequence[int]) -> dict[int, list[int]]:
    """The commitments each of these meetings comes from (a meeting with none is absent)."""
    statement = select(Commitment.mechanism_id, Commitment.id).where(col(Commitment.mechanism_id).in_(mechanism_ids))
    found: dict[int, list[int]] = defaultdict(list)
    for mechanism_id, commitment_id in session.exec(statement):
        found[mechanism_id].append(commitment_id)
    return found


def commitment_ids_by_document(*, session: Session) -> dict[int, list[int]]:
    """Every commitment, per document (document id → commitment ids in document order)."""
    statement = select(Commitment.document_id, Commitment.id).order_by(Commitment.document_id, Commitment.position)
    found: dict[int, list[int]] = defaultdict(list)
    for document_id, commitment_id in session.exec(statement):
        found[document_id].append(commitment_id)
    return found


def statuses(*, session: Session) -> dict[int, str]:
    """Every commitment's recorded status (commitment id → Status value)."""
    return dict(session.exec(select(Commitment.id, Commitment.status)).all())


def commitment_ids_from(
    *,
    session: Session,
    year: int | None = None,
    years: tuple[int | None, int | None] | None = None,
    document_id: int | None = None,
    among: Sequence[int] | None = None,
) -> list[int]:
    """Commitments of a document, of a year's documents or of a span of years (both ends kept, None for
    open-ended): of ``among`` in its order, or all in agenda order."""
    statement = select(Commitment.id).join(Document, Document.id == Commitment.document_id)
    if year is not None:
        statement = statement.where(Document.year == year)
    first, last = years or (None, None)
    if first is not None:
        statement = statement.where(Document.year >= first)
    if last is not None:
        statement = statement.where(Document.year <= last)
    if document_id is not None:
        statement = statement.where(Commitment.document_id == document_id)
    if among is None:
        return list(session.exec(statement.order_by(col(Document.year).desc(), Commitment.position)).all())
    if not among:
        return []
    kept = set(session.exec(statement.where(col(Commitment.id).in_(among))).all())
    return [i for i in among if i in kept]


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


def commitment_ids_oldest_first(*, session: Session) -> list[int]:
    """Every commitment, oldest document first, then in each document's order."""
    statement = (
        select(Commitment.id)
        .join(Document, Document.id == Commitment.document_id)
        .order_by(Document.year, Commitment.position)
    )
    return list(session.exec(statement).all())


def commitment_stage(*, session: Session, commitment_id: int, stage: str) -> CommitmentStage | None:
    statement = select(CommitmentStage).where(
        CommitmentStage.commitment_id == commitment_id, CommitmentStage.stage == stage
    )
    return session.exec(statement).first()


def stages_of(*, session: Session, commitment_id: int) -> list[str]:
    """The stages recorded for a commitment, in no particular order."""
    return list(session.exec(select(CommitmentStage.stage).where(CommitmentStage.commitment_id == commitment_id)).all())


def commitment_keys_starting(*, session: Session, prefix: str) -> set[str]:
    return set(session.exec(select(Commitment.key).where(col(Commitment.key).startswith(prefix))).all())
