"""Bump the agenda revision whenever agenda rows change, in the same flush.

Caches of what is derived from the agenda (handlers/cache.py) are keyed by
this number. Bumping it here, on every ORM flush that touches agenda rows,
means no code path can change the agenda and forget to say so. Outbox rows
(deliveries) and the revision row itself do not count as agenda changes.
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event, update
from sqlmodel import Session

from models.tables import LinkCode, OutboxMessage, Revision, SeedLoad, TeamsConversation

_NOT_AGENDA = (OutboxMessage, Revision, TeamsConversation, LinkCode, SeedLoad)  # a code pending links nobody yet


@event.listens_for(Session, "before_flush")
def _bump_on_agenda_change(session: Session, _flush_context, _instances) -> None:
    dirty = (o for o in session.dirty if session.is_modified(o))
    if any(not isinstance(o, _NOT_AGENDA) for o in chain(session.new, session.deleted, dirty)):
        session.execute(update(Revision).where(Revision.id == 1).values(value=Revision.value + 1))
