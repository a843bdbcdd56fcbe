"""Remembering platform requests already served, so that a copy sent again is refused.

The database is the store every replica shares: one INSERT … ON CONFLICT
under the request's key succeeds once, on whichever replica is first; the
database decides, so two copies arriving at once cannot both pass. A key
whose time is up may be used again (its request is refused by its stale
timestamp first anyway), and expired keys are deleted now and then, not on
every request. bot/seen_requests.py records requests in batches: one insert and
one commit for whatever arrived while the previous batch was committed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, delete
from sqlmodel import Session, col

from models.tables import SeenRequest
from models.writes import dialect_insert


def request_key(platform: str, signature: str) -> str:
    return hashlib.sha256(f"{platform}\n{signature}".encode()).hexdigest()


def first_uses(*, session: Session, keys: Sequence[tuple[str, datetime]], now: datetime) -> set[str]:
    """Record many (key, expires_at) in one transaction, committed; the keys seen for the first time.

    One statement and one commit for a batch: what a commit costs is paid once, not per request.
    A key given twice is taken once (the database could not decide between two rows of one statement).
    """
    unique = dict(reversed(keys))  # the first expiry given for each key
    if not unique:
        return set()
    rows = [{"key_sha256": key, "expires_at": at, "now": now} for key, at in unique.items()]
    # Run as one "executemany": SQLAlchemy sends it as one multi-row INSERT, from a statement compiled
    # once (one built with the values in it was compiled anew for every batch, most of a batch's cost).
    taken = set(session.execute(_first_use_statement(session), rows).scalars())
    session.commit()
    return taken


_STATEMENTS: dict[str, object] = {}  # dialect → the statement


def _first_use_statement(session: Session):
    dialect = session.get_bind().dialect.name
    if dialect not in _STATEMENTS:
        table = SeenRequest.__table__
        statement = dialect_insert(session)(table)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.key_sha256],
            set_={"expires_at": statement.excluded.expires_at},
            where=table.c.expires_at < bindparam("now"),  # only a key whose time is up is taken again
        )
        _STATEMENTS[dialect] = statement.returning(table.c.key_sha256)
    return _STATEMENTS[dialect]


def forget_expired(*, session: Session, now: datetime) -> int:
    """Delete the keys whose time is up; how many went."""
    gone = session.exec(delete(SeenRequest).where(col(SeenRequest.expires_at) < now)).rowcount
    session.commit()
    return gone
