"""The recurring meetings (mechanisms) as rows: by key, their cadences and occurrences.
What happened at them (records, proposals, milestones) is models/meetings.py's.

Keyword-only read functions over an explicit session (re-exported by models.repository).
"""

from __future__ import annotations

from sqlmodel import Session, select

from models.tables import Cadence, Mechanism


def list_mechanisms(*, session: Session) -> list[Mechanism]:
    return list(session.exec(select(Mechanism).order_by(Mechanism.name)).all())


def mechanism_by_key(*, session: Session, key: str) -> Mechanism | None:
    return session.exec(select(Mechanism).where(Mechanism.key == key)).first()


def cadences_of(*, session: Session, mechanism_id: int) -> list[Cadence]:
    return list(session.exec(select(Cadence).where(Cadence.mechanism_id == mechanism_id)).all())


def cadence_from(*, session: Session, mechanism_id: int | None, commitment_key: str) -> Cadence | None:
    """The meeting's cadence that this commitment stated, if stored."""
    statement = select(Cadence).where(
        Cadence.mechanism_id == mechanism_id, Cadence.source_commitment_key == commitment_key
    )
    return session.exec(statement).first()
