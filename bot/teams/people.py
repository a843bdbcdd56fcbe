"""What Teams tells us about people: their timezone and their email address.

Teams clients describe themselves in a ``clientInfo`` entity on every message
(``"timezone": "America/Toronto"``), so their reminders come at 09:00 where
they are. The zone is kept in the person table, as Slack's ``users.info`` zone
is, and written only when it changes (a write on every message would be a
write transaction on every message).

Their address is not on the message: the Bot Connector gives it for a member
of the conversation (``GET /v3/conversations/{id}/members/{member id}``). It is
asked for in the background, at most weekly per person, and handed to
bot/identities.py, which links the person's Slack identity if it has the same.
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from microsoft_teams.api.models.entity import ClientInfoEntity

from bot.identities import EmailLinks
from bot.names import NameBook
from bot.teams.text import user_ref
from handlers.domain import identities
from handlers.domain.ports import Ports
from handlers.views.i18n import language_of
from models import writes
from models.db import declare_write
from models.people import emails_checked, person_row

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


_LOCALE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}")


def locale_of(activity) -> str | None:
    """The sender's language: the activity's own locale, else the one their client reports;
    only something shaped like a BCP 47 tag ("fr-CA", "ja-JP")."""
    found = [activity.locale] + [e.locale for e in activity.entities or [] if isinstance(e, ClientInfoEntity)]
    return next((tag for tag in found if tag and _LOCALE.fullmatch(tag)), None)


class TeamsPeople:
    """Each sender's timezone and name, as their messages give them; written only when they change."""

    def __init__(self, ports: Ports, names: NameBook | None = None) -> None:
        self.ports = ports
        self.names = names
        self._known: dict[str, tuple] = {}  # ref → (zone, name, language) last stored

    async def remember(self, user_ref: str, zone: str | None, name: str | None, locale: str | None = None) -> None:
        name = (name or "").strip() or None
        language = language_of(locale)  # their Teams language, for what reaches them with no request
        if (zone, name, language) == (None, None, None) or self._known.get(user_ref) == (zone, name, language):
            return
        try:
            await asyncio.to_thread(self._store, user_ref, zone, name, language)
        except Exception:  # the answer matters more; the next message tries again
            logger.exception("could not store the timezone and name of %s", user_ref)
            return
        self._known[user_ref] = (zone, name, language)
        if name and self.names is not None:
            self.names.remember(user_ref, name)

    def _store(self, user_ref: str, zone: str | None, name: str | None, language: str | None = None) -> None:
        with self.ports.open_session() as session:
            declare_write(session)
            person = person_row(session=session, user_ref=user_ref)
            changed = False
            if zone is not None and person.timezone != zone:
                person.timezone, person.timezone_checked_at, changed = zone, self.ports.clock.now(), True
            if name is not None and person.display_name != name:
                person.display_name, changed = name, True
            if language is not None and person.platform_language != language:
                person.platform_language, changed = language, True
            if changed:  # an unchanged row is not rewritten: no write per message
                writes.save(session=session, row=person)
                session.commit()


RECHECK_ADDRESS_AFTER = timedelta(days=7)


class TeamsAddresses:
    """Learns the address of whoever writes to the bot, off the path of the answer."""

    def __init__(self, ports: Ports, links: EmailLinks) -> None:
        self.ports = ports
        self.links = links
        # Per process, so a busy person costs one database read a week, not one per message.
        self._checked: dict[str, datetime] = {}
        self.pending: dict[str, asyncio.Task] = {}  # kept: the loop holds tasks only weakly

    def notice(self, ctx) -> None:
        """Start learning the sender's address if it is unknown or a week old; returns at once."""
        activity = ctx.activity
        sender = activity.from_
        if sender is None or not sender.id:
            return
        ref = user_ref(sender.aad_object_id, sender.id)
        if ref in self.pending or self._fresh(self._checked.get(ref)):
            return
        task = asyncio.create_task(self._learn(ctx.api, _members_of(activity), sender.id, ref), name=f"address {ref}")
        self.pending[ref] = task
        task.add_done_callback(lambda _: self.pending.pop(ref, None))

    async def settled(self) -> None:
        """Wait for the lookups under way (shutdown, and tests)."""
        while self.pending:
            await asyncio.gather(*self.pending.values(), return_exceptions=True)

    async def _learn(self, api, conversation_id: str, member_id: str, ref: str) -> None:
        try:
            # Another replica, or this one before a restart, may have asked already.
            checked = (await asyncio.to_thread(self._last_checked, ref)).get(ref)
            if self._fresh(checked):
                self._checked[ref] = checked
                return
            now = self.ports.clock.now()
            try:
                member = await api.conversations.get_member_by_id(conversation_id, member_id)
            except httpx.HTTPError as exc:
                status = exc.response.status_code if isinstance(exc, httpx.HTTPStatusError) else repr(exc)
                logger.warning("Teams would not give the member %s of %s: %s", ref, conversation_id, status)
                self._checked[ref] = now  # asked again in a week, not at every message
                return
            linked = await self.links.learned(ref, address_of(member))
            self._checked[ref] = now
            if linked is not None:
                logger.info("%s is linked with %s by their address", ref, linked)
        except Exception:  # the answer went out regardless; the next message tries again
            logger.exception("could not learn the address of %s", ref)

    def _fresh(self, checked: datetime | None) -> bool:
        return checked is not None and checked > self.ports.clock.now() - RECHECK_ADDRESS_AFTER

    def _last_checked(self, ref: str) -> dict[str, datetime | None]:
        with self.ports.open_session() as session:
            return emails_checked(session=session, refs=[ref])


def address_of(member) -> str | None:
    """The account's email; failing that its sign-in name, which is usually the same address."""
    return identities.normalize_email(member.email) or identities.normalize_email(member.user_principal_name)


def _members_of(activity) -> str:
    """Where to ask for a member: the team for a channel message (as the Bot Framework's
    TeamsInfo.get_member does), otherwise the conversation itself."""
    team = getattr(activity.channel_data, "team", None) if activity.channel_data else None
    return team.id if team is not None and team.id else activity.conversation.id
