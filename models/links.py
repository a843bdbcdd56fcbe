"""The rows behind secret links (calendar feeds, dashboard links) and one-time link codes.

Secrets are stored as digests only; these functions take the digest. Nothing here commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, delete, select

from models.tables import CalendarFeed, DashboardLink, LinkCode


def calendar_feeds_of(*, session: Session, user_ref: str) -> list[CalendarFeed]:
    """Someone's calendar feeds, oldest first."""
    statement = select(CalendarFeed).where(CalendarFeed.user_ref == user_ref).order_by(col(CalendarFeed.id))
    return list(session.exec(statement).all())


def calendar_feed_by_digest(*, session: Session, token_sha256: str) -> CalendarFeed | None:
    return session.exec(select(CalendarFeed).where(CalendarFeed.token_sha256 == token_sha256)).first()


def dashboard_link_of(*, session: Session, user_ref: str) -> DashboardLink | None:
    return session.exec(select(DashboardLink).where(DashboardLink.user_ref == user_ref)).first()


def dashboard_link_owner(*, session: Session, token_sha256: str) -> str | None:
    """Whose dashboard link has this token digest (None: no such link, or revoked)."""
    return session.exec(select(DashboardLink.user_ref).where(DashboardLink.token_sha256 == token_sha256)).first()


def link_code_by_digest(*, session: Session, code_sha256: str) -> LinkCode | None:
    return session.exec(select(LinkCode).where(LinkCode.code_sha256 == code_sha256)).first()


def drop_link_codes(*, session: Session, user_ref: str, now: datetime) -> None:
    """Delete user_ref's code, and every code expired by now."""
    session.exec(delete(LinkCode).where((LinkCode.user_ref == user_ref) | (col(LinkCode.expires_at) < now)))
