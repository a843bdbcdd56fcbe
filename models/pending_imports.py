"""Files shared with the bot in chat for import, waiting for their Confirm button (handlers/commands/chat_imports.py).

The button's token is stored as its SHA-256 digest only. Nothing here commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select, update

from models.tables import PendingImport

KEPT_AFTER_EXPIRY = timedelta(days=1)  # so a late press says "expired", not "unknown"


def add(*, session: Session, row: PendingImport, now: datetime) -> PendingImport:
    """Store a previewed import, and forget those long expired."""
    session.exec(delete(PendingImport).where(col(PendingImport.expires_at) < now - KEPT_AFTER_EXPIRY))
    session.add(row)
    session.flush()
    return row


def by_digest(*, session: Session, token_sha256: str) -> PendingImport | None:
    return session.exec(select(PendingImport).where(PendingImport.token_sha256 == token_sha256)).first()


def mark_applied(*, session: Session, pending_id: int, now: datetime) -> bool:
    """Mark it applied unless it already is; False if another press got there first.

    A conditional UPDATE: two presses at once both try it; the database lets one
    change the row (PostgreSQL makes the second wait for the first to commit, then
    finds the row applied; SQLite runs one writer at a time)."""
    result = session.exec(
        update(PendingImport)
        .where(col(PendingImport.id) == pending_id, col(PendingImport.applied_at).is_(None))
        .values(applied_at=now)
    )
    return result.rowcount == 1
