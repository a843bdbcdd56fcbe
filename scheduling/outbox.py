"""The outbox: messages are written before they are sent, once per key.

Planning inserts rows under a unique key and ignores conflicts, so planning
twice, restarting or running several replicas cannot double a message.
Dispatchers *claim* due rows under a lease (PostgreSQL: ``FOR UPDATE SKIP
LOCKED``, so replicas never claim the same row; SQLite: inside ``BEGIN
IMMEDIATE``), send, then record the outcome. A dispatcher that dies holding a
claim loses it when the lease runs out, and another takes the row over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, or_, update
from sqlmodel import Session, col, select

from models.db import declare_write
from models.tables import Delivery, OutboxMessage
from models.writes import dialect_insert


@dataclass(frozen=True)
class Planned:
    key: str
    kind: str
    target: str
    due_at: datetime
    body: dict


@dataclass(frozen=True)
class Claimed:
    id: int
    key: str
    kind: str
    target: str
    due_at: datetime
    body: dict
    attempts: int  # including this one
    late: bool


def enqueue(session: Session, planned: Sequence[Planned], *, now: datetime) -> int:
    """Insert what is not there yet; returns how many rows are new."""
    if not planned:
        return 0
    inserted = len(session.execute(_insert_new(session, planned, now=now)).all())
    session.commit()
    return inserted


def add_once(session: Session, planned: Planned, *, now: datetime) -> bool:
    """One message, inside the caller's transaction, unless its key is taken (True: it is new).

    The unique key decides, not a read before the write: two requests adding
    the same message at once (a double press of Snooze) add it once.
    """
    return session.execute(_insert_new(session, [planned], now=now)).first() is not None


def _insert_new(session: Session, planned: Sequence[Planned], *, now: datetime):
    rows = [
        {
            "key": p.key,
            "kind": p.kind,
            "target": p.target,
            "due_at": p.due_at,
            "body": p.body,
            "status": Delivery.pending.value,
            "attempts": 0,
            "next_attempt_at": p.due_at,
            "last_error": "",
            "created_at": now,
            "late": False,
        }
        for p in planned
    ]
    insert = dialect_insert(session)
    return insert(OutboxMessage).values(rows).on_conflict_do_nothing(index_elements=["key"]).returning(OutboxMessage.id)


def add(session: Session, planned: Planned, *, now: datetime) -> OutboxMessage:
    """One message, inside the caller's transaction (a snooze commits with its audit entry)."""
    row = OutboxMessage(
        key=planned.key,
        kind=planned.kind,
        target=planned.target,
        due_at=planned.due_at,
        body=planned.body,
        next_attempt_at=planned.due_at,
        created_at=now,
    )
    session.add(row)
    return row


def claim(
    session: Session,
    *,
    now: datetime,
    worker: str,
    limit: int,
    lease: timedelta,
    catch_up: timedelta,
    late_after: timedelta,
) -> list[Claimed]:
    """Take up to ``limit`` due messages for this worker, oldest first.

    Messages that fell due more than ``catch_up`` ago (the bot was down) are
    expired rather than sent: a flood of stale pings helps nobody.
    """
    declare_write(session)
    expired = (
        update(OutboxMessage)
        .where(OutboxMessage.status == Delivery.pending, OutboxMessage.due_at < now - catch_up)
        .values(status=Delivery.expired, last_error=f"fell due more than {catch_up} before it could be sent")
    )
    session.execute(expired)
    columns = (OutboxMessage.id, OutboxMessage.key, OutboxMessage.kind, OutboxMessage.target, OutboxMessage.due_at)
    due = (
        select(*columns, OutboxMessage.body, OutboxMessage.attempts, OutboxMessage.late)
        .where(
            or_(
                (OutboxMessage.status == Delivery.pending) & (OutboxMessage.next_attempt_at <= now),
                (OutboxMessage.status == Delivery.sending) & (col(OutboxMessage.lease_until) < now),
            )
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite ignores it and relies on BEGIN IMMEDIATE
    )
    rows = session.execute(due).all()
    if rows:
        # One statement for the whole batch: a fan-out of a thousand claims in one round trip.
        session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_([r.id for r in rows]))
            .values(
                status=Delivery.sending,
                claimed_by=worker,
                lease_until=now + lease,
                attempts=OutboxMessage.attempts + 1,
                late=or_(OutboxMessage.late, OutboxMessage.due_at < now - late_after),
            )
        )
    session.commit()
    return [
        Claimed(r.id, r.key, r.kind, r.target, r.due_at, r.body, r.attempts + 1, r.late or r.due_at < now - late_after)
        for r in rows
    ]


def _mine(session: Session, message_id: int, worker: str) -> OutboxMessage | None:
    """The row, if this worker still holds its claim (a lease can be taken over)."""
    declare_write(session)
    row = session.get(OutboxMessage, message_id, with_for_update=True)
    if row is None or row.status != Delivery.sending or row.claimed_by != worker:
        return None
    return row


def mark_sent(session: Session, message_id: int, *, worker: str, provider_id: str | None, now: datetime) -> bool:
    row = _mine(session, message_id, worker)
    if row is None:
        session.rollback()
        return False
    row.status, row.sent_at, row.provider_message_id = Delivery.sent, now, provider_id
    row.claimed_by = row.lease_until = None
    session.add(row)
    session.commit()
    return True


def mark_sent_many(session: Session, sent: Sequence[tuple[int, str | None]], *, worker: str, now: datetime) -> None:
    """Several messages sent, in one transaction: a fan-out commits a batch at a
    time instead of once per message. Rows this worker no longer holds (its
    lease was taken over) are left as they are, as ``mark_sent`` leaves them."""
    if not sent:
        return
    declare_write(session)
    statement = (
        update(OutboxMessage)
        .where(
            OutboxMessage.id == bindparam("message_id"),
            OutboxMessage.status == Delivery.sending,
            OutboxMessage.claimed_by == worker,
        )
        .values(
            status=Delivery.sent,
            sent_at=now,
            provider_message_id=bindparam("provider_id"),
            claimed_by=None,
            lease_until=None,
        )
    )
    # Core executemany on the session's connection: one prepared UPDATE, many rows, one commit.
    session.connection().execute(statement, [{"message_id": i, "provider_id": p} for i, p in sent])
    session.commit()


def mark_failed(
    session: Session,
    message_id: int,
    *,
    worker: str,
    error: str,
    now: datetime,
    retry_in: timedelta | None,
    max_attempts: int,
    rate_limited: bool = False,
) -> Delivery | None:
    """Back to pending for another attempt, or dead when there is no point.

    ``retry_in=None`` means the platform refused for good (no such channel,
    bot removed): no retry. Being rate limited is not a failed attempt: it
    does not count towards ``max_attempts``. Returns the new status, None if
    the claim was lost.
    """
    row = _mine(session, message_id, worker)
    if row is None:
        session.rollback()
        return None
    if rate_limited:
        row.attempts -= 1
    row.last_error = error[:500]
    row.claimed_by = row.lease_until = None
    if retry_in is None or row.attempts >= max_attempts:
        row.status = Delivery.dead
    else:
        row.status, row.next_attempt_at = Delivery.pending, now + retry_in
    session.add(row)
    session.commit()
    return Delivery(row.status)


def release(session: Session, *, worker: str) -> int:
    """Give back every claim this worker holds (graceful shutdown)."""
    declare_write(session)
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.status == Delivery.sending, OutboxMessage.claimed_by == worker)
        .values(status=Delivery.pending, claimed_by=None, lease_until=None, attempts=OutboxMessage.attempts - 1)
    )
    count = session.execute(statement).rowcount
    session.commit()
    return count


def cancel_pending(session: Session, *, key_prefix: str, reason: str) -> int:
    """Cancel the messages not yet claimed whose key starts with ``key_prefix``, within the
    caller's transaction; how many. One already being sent goes out."""
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.status == Delivery.pending, col(OutboxMessage.key).startswith(key_prefix, autoescape=True))
        .values(status=Delivery.cancelled, last_error=reason)
    )
    return session.execute(statement).rowcount


def queue_state(session: Session, *, now: datetime) -> tuple[dict[str, int], datetime | None]:
    """Rows per status, and when the oldest pending message that is due now was due (None: none is)."""
    rows = session.exec(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    oldest = session.exec(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status == Delivery.pending, OutboxMessage.next_attempt_at <= now
        )
    ).one()
    return {(status.value if isinstance(status, Delivery) else str(status)): n for status, n in rows}, oldest


def by_key(session: Session, key: str) -> OutboxMessage | None:
    return session.exec(select(OutboxMessage).where(OutboxMessage.key == key)).first()


def keys_of_kind(session: Session, kind: str, *, status: Delivery | None = None) -> list[str]:
    """The keys of every message of this kind (in this status, if given)."""
    statement = select(OutboxMessage.key).where(col(OutboxMessage.kind) == kind)
    if status is not None:
        statement = statement.where(OutboxMessage.status == status)
    return list(session.exec(statement).all())


def has_key_starting(session: Session, prefix: str) -> bool:
    return session.exec(select(OutboxMessage.id).where(col(OutboxMessage.key).startswith(prefix))).first() is not None
