"""People's timezones from Teams, so their reminders come at 09:00 where they are.

Teams clients describe themselves in a ``clientInfo`` entity on every message
(``"timezone": "America/Toronto"``). The zone is kept in the person table, as
Slack's ``users.info`` zone is, and written only when it changes (a write bumps
the agenda revision, which would empty the answer caches).
"""

from __future__ import annotations

import asyncio
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from microsoft_teams.api.models.entity import ClientInfoEntity
from sqlmodel import select

from handlers.ports import Ports
from models.db import declare_write
from models.tables import Person

logger = logging.getLogger(__name__)


def zone_of(activity) -> str | None:
    for entity in activity.entities or []:
        if isinstance(entity, ClientInfoEntity) and entity.timezone:
            try:
                ZoneInfo(entity.timezone)
            except (ZoneInfoNotFoundError, ValueError):
                return None
            return entity.timezone
    return None


class TeamsTimezones:
    def __init__(self, ports: Ports) -> None:
        self.ports = ports
        self._known: dict[str, str] = {}

    async def remember(self, user_ref: str, zone: str | None) -> None:
        if zone is None or self._known.get(user_ref) == zone:
            return
        try:
            await asyncio.to_thread(self._store, user_ref, zone)
        except Exception:  # the answer matters more; the next message tries again
            logger.exception("could not store the timezone of %s", user_ref)
            return
        self._known[user_ref] = zone

    def _store(self, user_ref: str, zone: str) -> None:
        with self.ports.open_session() as session:
            declare_write(session)
            person = session.exec(select(Person).where(Person.user_ref == user_ref)).first()
            if person is not None and person.timezone == zone:
                return
            person = person or Person(user_ref=user_ref)
            person.timezone, person.timezone_checked_at = zone, self.ports.clock.now()
            session.add(person)
            session.commit()
