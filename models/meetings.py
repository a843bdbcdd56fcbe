"""Meetings as they happened: reading and writing a mechanism's records.

A record is an Occurrence row with ``held`` set (handlers/commands/held.py decides
what may be recorded; this module only reads and writes). Keyword-only, as
models/repository/.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from models.tables import AuditEntry, Delegate, Held, MeetingAction, MeetingOutcome, Milestone, Occurrence, Proposal


def occurrences_of(*, session: Session, mechanism_id: int) -> list[Occurrence]:
    """Every occurrence of one mechanism (records, fixed dates, seeded history), oldest first."""
    statement = (
        select(Occurrence).where(Occurrence.mechanism_id == mechanism_id).order_by(Occurrence.starts_on, Occurrence.id)
    )
    return list(session.exec(statement).all())


def save_record(
    *,
    session: Session,
    row: Occurrence | None,
    mechanism_id: int,
    date_edtf: str,
    starts_on,
    ends_on,
    held: Held,
    place: str | None,
    host: str | None,
    ordinal: int | None,
    reason: str,
    note: str,
    origin: str,
) -> Occurrence:
    """Write one record: into ``row`` (a fixed date or an announcement it confirms), or a new row.

    The caller has called models.revision.agenda_changed(session) first."""
    row = row or Occurrence(mechanism_id=mechanism_id, date_edtf=date_edtf, starts_on=starts_on, ends_on=ends_on)
    row.date_edtf, row.starts_on, row.ends_on = date_edtf, starts_on, ends_on
    row.held, row.planned_only, row.origin, row.note = held, False, origin, note
    row.place = place if place is not None else row.place
    row.host = host if host is not None else row.host
    row.ordinal = ordinal if ordinal is not None else row.ordinal
    row.reason = reason
    session.add(row)
    session.flush()
    return row


def milestones_of(*, session: Session, occurrence_ids: list[int]) -> dict[int, list[Milestone]]:
    """The checklist rows changed for each of these occurrences (handlers/commands/milestones.py adds the defaults)."""
    found: dict[int, list[Milestone]] = {i: [] for i in occurrence_ids}
    if occurrence_ids:
        statement = select(Milestone).where(col(Milestone.occurrence_id).in_(occurrence_ids)).order_by(Milestone.id)
        for row in session.exec(statement):
            found[row.occurrence_id].append(row)
    return found


def save_milestone(*, session: Session, row: Milestone) -> Milestone:
    """Write one milestone row. The caller has called models.revision.agenda_changed(session) first."""
    session.add(row)
    session.flush()
    return row


def proposals_of(*, session: Session, mechanism_id: int, since) -> list[Proposal]:
    """What was proposed for a mechanism's agenda on or after ``since`` (the day after its last
    meeting held, or None: ever), oldest first."""
    statement = select(Proposal).where(Proposal.mechanism_id == mechanism_id)
    if since is not None:
        statement = statement.where(col(Proposal.proposed_on) >= since)
    return list(session.exec(statement.order_by(Proposal.proposed_at, Proposal.id)).all())


def save_proposal(*, session: Session, row: Proposal) -> Proposal:
    """The caller has called models.revision.agenda_changed(session) first."""
    session.add(row)
    session.flush()
    return row


def last_changes(*, session: Session, keys: list[str]) -> dict[str, AuditEntry]:
    """The newest audited change of each of these commitments (by key), if any."""
    found: dict[str, AuditEntry] = {}
    if keys:
        statement = (
            select(AuditEntry)
            .where(col(AuditEntry.target_key).in_(keys), AuditEntry.target_type == "commitment")
            .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
        )
        for entry in session.exec(statement):
            found.setdefault(entry.target_key, entry)
    return found


def outcomes_of(*, session: Session, occurrence_id: int) -> dict[int, MeetingOutcome]:
    """The record of discussion of one meeting: its outcome for each agenda item, by commitment id."""
    statement = select(MeetingOutcome).where(MeetingOutcome.occurrence_id == occurrence_id)
    return {row.commitment_id: row for row in session.exec(statement.order_by(MeetingOutcome.id))}


def actions_of(*, session: Session, occurrence_ids: list[int]) -> dict[int, list[int]]:
    """The follow-up actions (commitment ids, oldest first) decided at each of these meetings."""
    found: dict[int, list[int]] = {i: [] for i in occurrence_ids}
    if occurrence_ids:
        statement = select(MeetingAction).where(col(MeetingAction.occurrence_id).in_(occurrence_ids))
        for row in session.exec(statement.order_by(MeetingAction.id)):
            found[row.occurrence_id].append(row.commitment_id)
    return found


def follow_up_ids(*, session: Session, mechanism_id: int | None = None) -> list[int]:
    """The follow-up actions (commitment ids, oldest first) decided at any meeting held, or at one meeting's."""
    statement = select(MeetingAction.commitment_id)
    if mechanism_id is not None:
        statement = statement.join(Occurrence, col(Occurrence.id) == MeetingAction.occurrence_id).where(
            Occurrence.mechanism_id == mechanism_id
        )
    return list(session.exec(statement.order_by(MeetingAction.id)).all())


def delegates_of(*, session: Session, occurrence_id: int) -> list[Delegate]:
    """Who attends one meeting, both sides, in the order they were added."""
    statement = select(Delegate).where(Delegate.occurrence_id == occurrence_id).order_by(Delegate.id)
    return list(session.exec(statement).all())
