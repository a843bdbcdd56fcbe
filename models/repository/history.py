"""The agenda over time: its revision, its recent changes, and when items' dates were set.

Keyword-only read functions over an explicit session (re-exported by models.repository).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from models.tables import AuditEntry, Revision

# Built once, and on the table's columns: every question reads it, and an ORM statement built per call cost
# more than the read.
_CURRENT_REVISION = (
    select(Revision.__table__.c.value).where(Revision.__table__.c.id == 1)  # type: ignore[attr-defined]
)


def current_revision(*, session: Session) -> int:
    return session.execute(_CURRENT_REVISION).scalar_one()


def agenda_changes_since(
    *, session: Session, since: datetime, limit: int, actors: Sequence[str] | None = None
) -> list[AuditEntry]:
    """Changes to commitments and meetings made at or after ``since`` (by one of ``actors``, when given),
    newest first (at most ``limit``)."""
    statement = select(AuditEntry).where(
        col(AuditEntry.at) >= since, col(AuditEntry.target_type).in_(("commitment", "mechanism"))
    )
    if actors is not None:
        statement = statement.where(col(AuditEntry.actor_ref).in_(actors))
    statement = statement.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(limit)
    return list(session.exec(statement).all())


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
