"""Remembering signed requests already served, so that a replayed copy is refused.

The database is the store every replica shares: inserting the request's key
under a primary key succeeds once, on whichever replica is first.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from models.tables import SeenRequest


def request_key(platform: str, signature: str) -> str:
    return hashlib.sha256(f"{platform}\n{signature}".encode()).hexdigest()


def first_use(*, session: Session, key: str, now: datetime, expires_at: datetime) -> bool:
    """True the first time ``key`` is seen before it expires; False for a replay.

    Expired keys are forgotten on the way: a replay of an expired request is
    refused by its stale timestamp, not by this table.
    """
    session.exec(delete(SeenRequest).where(col(SeenRequest.expires_at) < now))
    session.add(SeenRequest(key_sha256=key, expires_at=expires_at))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True
