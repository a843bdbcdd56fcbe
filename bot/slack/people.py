"""People's timezones from Slack (users.info ``tz``), cached in the person table.

Reminders go out at 09:00 where each person is. Slack knows their IANA zone;
we ask once and re-check weekly (people travel and move), never on the path
of a slash command.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import col, select

from handlers.ports import Ports
from models.tables import Owner, OwnerKind, Person

logger = logging.getLogger(__name__)

RECHECK_AFTER = timedelta(days=7)
MAX_LOOKUPS_PER_RUN = 50  # users.info is Tier 4 (100+/min); stay well inside it


class SlackTimezones:
    def __init__(self, client: AsyncWebClient, ports: Ports) -> None:
        self.client = client
        self.ports = ports

    async def refresh(self) -> int:
        """Look up the people who own something and whose zone is unknown or stale."""
        stale = await asyncio.to_thread(self._stale)
        found = {}
        for user_ref in stale[:MAX_LOOKUPS_PER_RUN]:
            try:
                user = (await self.client.users_info(user=user_ref.split(":", 1)[1]))["user"]
            except SlackApiError as exc:
                error = (
                    exc.response.data.get("error") if isinstance(exc.response.data, dict) else exc.response.status_code
                )
                logger.warning("users.info for %s failed: %s", user_ref, error)
                continue
            found[user_ref] = _valid_zone(user.get("tz"))
        await asyncio.to_thread(self._store, found)
        return len(found)

    def _stale(self) -> list[str]:
        now = self.ports.clock.now()
        with self.ports.open_session() as session:
            owners = set(
                session.exec(
                    select(Owner.ref).where(Owner.kind == OwnerKind.user, col(Owner.ref).startswith("slack:"))
                ).all()
            )
            checked = {
                p.user_ref: p.timezone_checked_at
                for p in session.exec(select(Person).where(col(Person.user_ref).in_(owners)))
            }
        return sorted(ref for ref in owners if checked.get(ref) is None or checked[ref] < now - RECHECK_AFTER)

    def _store(self, found: dict[str, str | None]) -> None:
        now = self.ports.clock.now()
        with self.ports.open_session() as session:
            for user_ref, zone in found.items():
                person = session.exec(select(Person).where(Person.user_ref == user_ref)).first() or Person(
                    user_ref=user_ref
                )
                person.timezone, person.timezone_checked_at = zone, now
                session.add(person)
            session.commit()


def _valid_zone(zone: str | None) -> str | None:
    """Slack may send null or an alias; an unknown zone falls back to the default."""
    if not zone:
        return None
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return zone
