"""Reads for split records: a retired id and what it became, and the split a commitment came from."""

from __future__ import annotations

from sqlmodel import Session, func, select

from models.tables import Commitment, CommitmentArea, CommitmentSplit, Kind, Sensitivity, Status


def split_of(*, session: Session, key: str) -> CommitmentSplit | None:
    """The retired record with this id (any case), if the id is one."""
    return session.exec(select(CommitmentSplit).where(func.lower(CommitmentSplit.key) == key.strip().lower())).first()


def split_from(*, session: Session, key: str) -> CommitmentSplit | None:
    """The retired record this commitment was split from, if any (a handful of rows: read them all)."""
    return next((s for s in session.exec(select(CommitmentSplit)) if key in s.successor_keys), None)


def all_splits(*, session: Session) -> list[CommitmentSplit]:
    return list(session.exec(select(CommitmentSplit).order_by(CommitmentSplit.key)))


def area_progress(*, session: Session, include_restricted: bool) -> dict[int, tuple[int, int]]:
    """Per area: (commitments done, commitments that can be done). A position (a view both
    governments state) is never "done", so it is not counted; everything else is."""
    statement = (
        select(CommitmentArea.area_id, Commitment.status)
        .join(Commitment, Commitment.id == CommitmentArea.commitment_id)
        .where(Commitment.kind != Kind.position)
    )
    if not include_restricted:
        statement = statement.where(Commitment.sensitivity == Sensitivity.public)
    progress: dict[int, tuple[int, int]] = {}
    for area_id, status in session.exec(statement):
        done, total = progress.get(area_id, (0, 0))
        progress[area_id] = (done + (status == Status.done), total + 1)
    return progress
