"""Which seeds the database holds: the fingerprint of the last seed load."""

from __future__ import annotations

from sqlmodel import Session

from models.tables import SeedLoad


def last_seed_load(*, session: Session) -> str | None:
    row = session.get(SeedLoad, 1)
    return row.fingerprint if row else None


def record_seed_load(*, session: Session, fingerprint: str) -> None:
    row = session.get(SeedLoad, 1) or SeedLoad(id=1, fingerprint=fingerprint)
    row.fingerprint = fingerprint
    session.add(row)
    session.commit()
