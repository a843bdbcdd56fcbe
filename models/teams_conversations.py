"""Teams conversation references, stored on first contact and used for proactive sends.

Outbox targets name a person (``teams:<aad object id>``: their 1:1 chat with
the bot) or a conversation (``teams:19:…@thread.tacv2``: a channel or group
chat). This module turns either into the stored reference, and records what
Teams told us about each conversation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models.db import declare_write
from models.platforms import TEAMS
from models.tables import TeamsConversation

PERSONAL = "personal"


@dataclass(frozen=True)
class Reference:
    conversation_id: str
    conversation_type: str
    service_url: str
    tenant_id: str | None
    bot_id: str | None
    user_ref: str | None


def base_conversation_id(conversation_id: str) -> str:
    """A channel thread's id carries ``;messageid=…``; the channel itself does not."""
    return conversation_id.split(";", 1)[0]


def remember(session: Session, ref: Reference, *, now: datetime) -> None:
    """Insert or refresh one conversation (any message reactivates it: the bot is evidently there)."""
    declare_write(session)
    values = {
        "conversation_type": ref.conversation_type,
        "service_url": ref.service_url,
        "tenant_id": ref.tenant_id,
        "bot_id": ref.bot_id,
        "active": True,
        "inactive_reason": "",
        "updated_at": now,
    }
    if ref.user_ref is not None:
        values["user_ref"] = ref.user_ref
    for _attempt in range(2):  # a concurrent first insert of the same conversation: update it instead
        row = session.exec(select(TeamsConversation).where(TeamsConversation.conversation_id == ref.conversation_id))
        existing = row.first() or TeamsConversation(conversation_id=ref.conversation_id, **values)
        for key, value in values.items():
            setattr(existing, key, value)
        session.add(existing)
        try:
            session.commit()
            return
        except IntegrityError:
            session.rollback()


def deactivate(session: Session, conversation_id: str, *, reason: str, now: datetime) -> bool:
    declare_write(session)
    row = session.exec(select(TeamsConversation).where(TeamsConversation.conversation_id == conversation_id)).first()
    if row is None:
        return False
    row.active, row.inactive_reason, row.updated_at = False, reason[:300], now
    session.add(row)
    session.commit()
    return True


def is_person(target: str) -> bool:
    return not TEAMS.names_conversation(TEAMS.ident(target))


def a_door_in(session: Session, tenant_id: str | None) -> TeamsConversation | None:
    """Any live conversation in the tenant (the most recent): its service URL and
    tenant are what opening a new 1:1 chat there needs."""
    query = select(TeamsConversation).where(TeamsConversation.active)
    if tenant_id is not None:
        query = query.where(TeamsConversation.tenant_id == tenant_id)
    rows = session.exec(query.order_by(TeamsConversation.updated_at.desc())).all()
    tenants = {row.tenant_id for row in rows}
    return rows[0] if rows and len(tenants) == 1 else None  # several tenants: which one is theirs is unknown


def find(session: Session, target: str) -> TeamsConversation | None:
    """The conversation an outbox target means: a person's 1:1 chat, or a channel / group chat."""
    ident = TEAMS.ident(target)
    if not is_person(target):  # a Teams conversation id
        query = select(TeamsConversation).where(TeamsConversation.conversation_id == base_conversation_id(ident))
    else:
        query = (
            select(TeamsConversation)
            .where(TeamsConversation.user_ref == target, TeamsConversation.conversation_type == PERSONAL)
            .order_by(TeamsConversation.updated_at.desc())
        )
    return session.exec(query).first()
