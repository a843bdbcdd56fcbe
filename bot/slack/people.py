"""What Slack knows about people: their timezone, their email address and their language.

Reminders go out at 09:00 where each person is, and Slack knows their IANA
zone. Slack also vouches for their address (``profile.email``, with the
``users:read.email`` scope), which links their Slack identity with their
Teams one (handlers/domain/identities.py). One ``users.info`` call gives both; we
ask once and re-check weekly (people travel, move and change addresses),
never on the path of a slash command.

One exception, for the language: someone this process has not met yet is
asked about once, before their first answer (at most ``FIRST_CONTACT_WAIT``),
because a slash command carries no locale and Canada's staff have the right to
be answered in French from the first word. Only the language is kept from that
lookup; the weekly refresh keeps the zone and address as before.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import IntegrityError

from handlers.domain import identities
from handlers.domain.ports import Ports
from handlers.views.i18n import language_of
from models import writes
from models.db import declare_write
from models.people import owners_to_refresh, person_row, set_platform_language

logger = logging.getLogger(__name__)

RECHECK_AFTER = timedelta(days=7)
MAX_LOOKUPS_PER_RUN = 50  # users.info is Tier 4 (100+/min); stay well inside it
FIRST_CONTACT_WAIT = 0.8  # seconds a first answer waits for Slack to say the person's language
MET_KEPT = 50_000  # people met, remembered per process (a restart meets them again, once)


class SlackPeople:
    def __init__(self, client: AsyncWebClient, ports: Ports) -> None:
        self.client = client
        self.ports = ports
        self._warned: set[str] = set()  # lookupByEmail errors already logged: a missing scope is said once
        self._met: set[str] = set()  # Slack user ids whose language this process has asked about
        self._meeting: set[asyncio.Task] = set()  # lookups that outlived their wait, still storing

    def met(self, user_id: str) -> bool:
        """Whether ``meet`` has nothing more to do for this person."""
        return not user_id or user_id in self._met

    async def meet(self, user_id: str, *, wait: float = FIRST_CONTACT_WAIT) -> None:
        """Before the first answer to someone not met yet: learn their language from Slack.

        Waits at most ``wait`` seconds; a slower lookup still stores what it learns when it
        comes, for the next answer. Once per person per process, whatever the outcome."""
        if not user_id or user_id in self._met:
            return
        if len(self._met) >= MET_KEPT:
            self._met.clear()
        self._met.add(user_id)
        task = asyncio.ensure_future(self._learn_language(user_id))
        self._meeting.add(task)
        task.add_done_callback(self._meeting.discard)
        await asyncio.wait({task}, timeout=wait)

    async def _learn_language(self, user_id: str) -> None:
        try:
            user = (await self.client.users_info(user=user_id, include_locale=True))["user"]
        except SlackApiError as exc:
            logger.info("users.info for slack:%s failed: %s", user_id, _error(exc))
            return
        except Exception as exc:  # a nicety: the answer goes out in English rather than fail
            logger.warning("users.info for slack:%s failed: %r", user_id, exc)
            return
        language = language_of(user.get("locale"))
        if language is not None:
            await asyncio.to_thread(self._store_language, f"slack:{user_id}", language)

    def _store_language(self, user_ref: str, language: str) -> None:
        try:
            with self.ports.open_session() as session:
                declare_write(session)
                if not set_platform_language(session=session, user_ref=user_ref, language=language):
                    return
                session.commit()
        except IntegrityError:  # another replica met them at the same moment and stored the same
            return
        self.ports.languages.forget((user_ref,))

    async def refresh(self) -> int:
        """Look up the people who own something and whose zone or address is unknown or stale."""
        stale = await asyncio.to_thread(self._stale)
        found = {}
        for user_ref in stale[:MAX_LOOKUPS_PER_RUN]:
            try:
                user = (await self.client.users_info(user=user_ref.split(":", 1)[1], include_locale=True))["user"]
            except SlackApiError as exc:
                logger.warning("users.info for %s failed: %s", user_ref, _error(exc))
                continue
            # Without users:read.email Slack leaves the address out: then it is unknown, as Slack says.
            profile = user.get("profile") or {}
            found[user_ref] = (_valid_zone(user.get("tz")), profile.get("email"), _name(user), user.get("locale"))
        await asyncio.to_thread(self._store, found)
        return len(found)

    async def lookup_by_email(self, email: str) -> str | None:
        """The Slack user ref with this address, or None (not found, or Slack would not say)."""
        try:
            user = (await self.client.users_lookupByEmail(email=email))["user"]
        except SlackApiError as exc:
            error = _error(exc)
            if error != "users_not_found" and error not in self._warned:
                self._warned.add(error)
                hint = " (the app needs the users:read.email scope)" if error == "missing_scope" else ""
                logger.warning("users.lookupByEmail failed: %s%s", error, hint)
            return None
        except Exception as exc:  # a lookup is a nicety: an answer never waits on it, nor fails with it
            logger.warning("users.lookupByEmail failed: %r", exc)
            return None
        # Slack matched on its own copy of the address; a profile saying otherwise is not the same person.
        if identities.normalize_email((user.get("profile") or {}).get("email")) != identities.normalize_email(email):
            return None
        return f"slack:{user['id']}"

    def _stale(self) -> list[str]:
        since = self.ports.clock.now() - RECHECK_AFTER
        with self.ports.open_session() as session:
            return owners_to_refresh(session=session, prefix="slack:", since=since)

    def _store(self, found: dict[str, tuple[str | None, str | None, str | None, str | None]]) -> None:
        now = self.ports.clock.now()
        for user_ref, (zone, email, name, locale) in found.items():
            try:
                with self.ports.open_session() as session:
                    declare_write(session)
                    person = person_row(session=session, user_ref=user_ref)
                    person.timezone, person.timezone_checked_at = zone, now
                    person.display_name = name or person.display_name
                    person.platform_language = language_of(locale)  # "fr-CA" → fr; unknown: English
                    writes.save(session=session, row=person)
                    identities.record_email(session, user_ref, email, now=now)  # commits both
            except IntegrityError:  # every replica refreshes; another one stored this person just now
                logger.info("%s was stored by another replica meanwhile", user_ref)


def _error(exc: SlackApiError) -> str:
    data = exc.response.data
    return str(data.get("error") if isinstance(data, dict) else exc.response.status_code)


def _name(user: dict) -> str | None:
    """The name Slack shows for them: the display name they chose, else their full name."""
    profile = user.get("profile") or {}
    return profile.get("display_name") or profile.get("real_name") or user.get("real_name") or None


def _valid_zone(zone: str | None) -> str | None:
    """Slack may send null or an alias; an unknown zone falls back to the default."""
    if not zone:
        return None
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return zone
