"""Who holds a role beyond member (coordinators, admins granted with `/agenda role`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from models.revision import agenda_changed
from models.tables import Member, Role


def roles_of(*, session: Session, identities: Sequence[str]) -> list[str]:
    """The roles granted to any of these identities (one person's)."""
    return list(session.exec(select(Member.role).where(col(Member.user_ref).in_(identities))).all())


def members_with(*, session: Session, roles: Iterable[str]) -> list[Member]:
    """Everyone granted one of these roles."""
    return list(session.exec(select(Member).where(col(Member.role).in_(list(roles)))).all())


def member_of(*, session: Session, user_ref: str) -> Member | None:
    return session.exec(select(Member).where(Member.user_ref == user_ref)).first()


def grant(*, session: Session, member: Member | None, user_ref: str, role: str, by: str, now: datetime) -> None:
    """Give user_ref role (member: take back what was granted); member is their row, if any.
    A role decides who sees restricted items: the agenda changes."""
    agenda_changed(session)
    if role == Role.member:
        session.delete(member)
    elif member:
        member.role, member.granted_by, member.granted_at = role, by, now
        session.add(member)
    else:
        session.add(Member(user_ref=user_ref, role=role, granted_by=by, granted_at=now))
