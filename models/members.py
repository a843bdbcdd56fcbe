"""Who holds a role beyond member (coordinators, admins granted with `/agenda role`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlmodel import Session, col, select

from models.tables import Member


def roles_of(*, session: Session, identities: Sequence[str]) -> list[str]:
    """The roles granted to any of these identities (one person's)."""
    return list(session.exec(select(Member.role).where(col(Member.user_ref).in_(identities))).all())


def members_with(*, session: Session, roles: Iterable[str]) -> list[Member]:
    """Everyone granted one of these roles."""
    return list(session.exec(select(Member).where(col(Member.role).in_(list(roles)))).all())
