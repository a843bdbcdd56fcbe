"""Reading the audit trail (handlers/domain/audit.py writes it): keyword-only, over an explicit session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, func, select

from models.tables import AuditEntry

# Presses of a reminder's buttons (acknowledge, snooze, open) are audited with this target type.
PRESS = "reminder"


def entries_about(*, session: Session, target_key: str, presses: bool, limit: int) -> list[AuditEntry]:
    """The newest entries for target_key: its changes, or (presses) the presses of its reminders' buttons."""
    statement = (
        _about(target_key, presses=presses).order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(limit)
    )
    return list(session.exec(statement).all())


def count_about(*, session: Session, target_key: str, presses: bool) -> int:
    about = _about(target_key, presses=presses).subquery()
    return session.exec(select(func.count()).select_from(about)).one()


def all_entries(*, session: Session) -> list[AuditEntry]:
    """The whole audit log, oldest first."""
    return list(session.exec(select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)).all())


def _about(target_key: str, *, presses: bool):
    kind = AuditEntry.target_type == PRESS if presses else AuditEntry.target_type != PRESS
    return select(AuditEntry).where(AuditEntry.target_key == target_key, kind)


def count_actions(*, session: Session, actor_ref: str, action: str, since: datetime) -> int:
    """How many times actor_ref did action since then."""
    statement = select(func.count()).where(
        AuditEntry.actor_ref == actor_ref, AuditEntry.action == action, AuditEntry.at >= since
    )
    return session.exec(statement).one()


def entries_of(
    *, session: Session, target_key: str, action: str, actors: Sequence[str] | None = None
) -> list[AuditEntry]:
    """Every time target_key had action done to it (by one of actors, if given)."""
    statement = select(AuditEntry).where(AuditEntry.target_key == target_key, AuditEntry.action == action)
    if actors is not None:
        statement = statement.where(col(AuditEntry.actor_ref).in_(actors))
    return list(session.exec(statement).all())


def entries_since(*, session: Session, since: datetime) -> list[AuditEntry]:
    """Every entry at or after since, oldest first."""
    return list(session.exec(select(AuditEntry).where(AuditEntry.at >= since).order_by(AuditEntry.at, AuditEntry.id)))


def entries_about_since(*, session: Session, target_key: str, since: datetime) -> list[AuditEntry]:
    """target_key's entries at or after since, oldest first."""
    statement = (
        select(AuditEntry)
        .where(AuditEntry.target_key == target_key, col(AuditEntry.at) >= since)
        .order_by(AuditEntry.at)
    )
    return list(session.exec(statement).all())
