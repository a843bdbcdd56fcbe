"""What reminders and digests leave behind: acknowledgements of reminders, channels' digest
subscriptions. Keyword-only functions over an explicit session; nothing here commits."""

from __future__ import annotations

from sqlmodel import Session, select

from models.tables import Acknowledgement, DigestSubscription


def acknowledgement_of(*, session: Session, item_ref: str) -> Acknowledgement | None:
    return session.exec(select(Acknowledgement).where(Acknowledgement.item_ref == item_ref)).first()


def acknowledged_items(*, session: Session) -> set[str]:
    """Every item someone took in hand (its escalations stop)."""
    return set(session.exec(select(Acknowledgement.item_ref)).all())


def digest_subscription_of(*, session: Session, channel_ref: str) -> DigestSubscription | None:
    return session.exec(select(DigestSubscription).where(DigestSubscription.channel_ref == channel_ref)).first()


def digest_subscriptions(*, session: Session) -> list[DigestSubscription]:
    return list(session.exec(select(DigestSubscription)).all())
