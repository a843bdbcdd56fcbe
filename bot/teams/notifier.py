"""Delivery to Teams: reminders to a person's 1:1 chat, digests to a channel.

The SDK has no retry for proactive sends (``app.send`` raises
``httpx.HTTPStatusError``), so outcomes are classified here for the
dispatcher, which owns retries: 429 returns its Retry-After; 412, 502, 503,
504 (and other 5xx, and network errors) are transient, retried with jittered
backoff; 403 means the bot was blocked or removed: the conversation is marked
inactive and the message dead-lettered, which alerts the admins. Teams allows
7 messages per second per conversation and 50 per second per app in a tenant;
sliding windows keep us at or under 7, and under 40 per tenant (a digest
fan-out to many channels must not use up what replies to people need).

A person who never wrote to the bot has no 1:1 chat with it yet. Teams lets a
bot open one when the app is installed for them or in a team they belong to,
so the first reminder opens it (in the tenant the bot is known in) and keeps it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable

import httpx
from microsoft_teams.api import Account, MessageActivityInput
from microsoft_teams.api.clients.conversation import CreateConversationParams
from microsoft_teams.apps import App

from bot.names import NameBook
from bot.teams.render import render
from handlers.domain.ports import Ports
from handlers.views.dates import late_note
from handlers.views.reply import Section, reply_from_data
from models import teams_conversations as conversations
from scheduling.capitals import Capitals
from scheduling.dispatcher import SendResult
from scheduling.outbox import Claimed

logger = logging.getLogger(__name__)

PER_SECOND = 7
TENANT_PER_SECOND = 40
TRANSIENT = {412, 502, 503, 504}


class ConversationPace:
    """At most ``limit`` sends per ``window`` seconds for one key (a conversation, a tenant)."""

    def __init__(
        self,
        limit: int = PER_SECOND,
        window: float = 1.0,
        *,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limit, self.window, self.now, self.sleep = limit, window, now, sleep
        self._sent: dict[str, deque[float]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def wait(self, conversation_id: str) -> None:
        async with self._locks.setdefault(conversation_id, asyncio.Lock()):
            sent = self._sent.setdefault(conversation_id, deque(maxlen=self.limit))
            if len(sent) == self.limit and (wait := sent[0] + self.window - self.now()) > 0:
                await self.sleep(wait)
            sent.append(self.now())


class TeamsNotifier:
    def __init__(
        self,
        app: App,
        ports: Ports,
        *,
        tenant_id: str | None = None,
        pace: ConversationPace | None = None,
        names: NameBook | None = None,
    ) -> None:
        self.app = app
        self.ports = ports
        self.names = names or NameBook()
        self.tenant_id = tenant_id  # TEAMS_TENANT_ID: where to open new 1:1 chats
        self.pace = pace or ConversationPace()
        self.tenant_pace = ConversationPace(TENANT_PER_SECOND)

    async def send(self, message: Claimed) -> SendResult:
        ref = await asyncio.to_thread(self._find, message.target)
        if ref is None and conversations.is_person(message.target):
            ref = await self._open_chat(message.target)
            if isinstance(ref, SendResult):
                return ref
        if ref is None:
            return SendResult(
                ok=False,
                permanent=True,
                error=f"no Teams conversation known for {message.target}: the app must be installed "
                "for that person or in that team (or they must message the bot once)",
            )
        if not ref.active:
            return SendResult(ok=False, permanent=True, error=f"Teams conversation inactive: {ref.inactive_reason}")
        await self.tenant_pace.wait(ref.tenant_id or "")
        await self.pace.wait(ref.conversation_id)
        rendered = render(self.names.named(_with_late_note(message, self.ports.capitals)))
        try:
            for card in rendered.cards:
                activity = MessageActivityInput(summary=rendered.summary).add_card(card)
                sent = await self.app.send(ref.conversation_id, activity, service_url=ref.service_url)
        except httpx.HTTPStatusError as exc:
            return await self._classify(exc.response, ref.conversation_id)
        except httpx.TransportError as exc:
            return SendResult(ok=False, error=f"network: {type(exc).__name__}: {exc}")
        return SendResult(ok=True, provider_id=f"{ref.conversation_id}:{sent.id}")

    async def _open_chat(self, target: str):
        """Open the bot's 1:1 chat with a person; the stored reference, or why not (a SendResult)."""
        door = await asyncio.to_thread(self._door)
        if door is None:
            return None
        aad = target.removeprefix("teams:")
        params = CreateConversationParams(members=[Account(id=aad)], tenant_id=door.tenant_id)
        try:
            created = await self.app.api.from_service_url(door.service_url).conversations.create(params)
        except httpx.HTTPStatusError as exc:
            if exc.response.status_code in (403, 404):
                return SendResult(
                    ok=False,
                    permanent=True,
                    error=f"Teams would not open a chat with {target} ({exc.response.status_code}): "
                    "the app must be installed for them or in one of their teams",
                )
            return await self._classify(exc.response, door.conversation_id)
        except httpx.TransportError as exc:
            return SendResult(ok=False, error=f"network: {type(exc).__name__}: {exc}")
        ref = conversations.Reference(created.id, "personal", door.service_url, door.tenant_id, door.bot_id, target)
        await asyncio.to_thread(self._remember, ref)
        return await asyncio.to_thread(self._find, target)

    def _door(self):
        with self.ports.open_session() as session:
            row = conversations.a_door_in(session, self.tenant_id)
            if row is not None:
                session.expunge(row)
            return row

    def _remember(self, ref: conversations.Reference) -> None:
        with self.ports.open_session() as session:
            conversations.remember(session, ref, now=self.ports.clock.now())

    def _find(self, target: str):
        with self.ports.open_session() as session:
            row = conversations.find(session, target)
            if row is not None:
                session.expunge(row)
            return row

    async def _classify(self, response: httpx.Response, conversation_id: str) -> SendResult:
        status = response.status_code
        if status == 429:
            retry_after = _seconds(response.headers.get("Retry-After"))
            return SendResult(ok=False, retry_after=retry_after, error=f"rate limited (Retry-After {retry_after:g}s)")
        if status in TRANSIENT or status >= 500:
            return SendResult(ok=False, error=f"Teams HTTP {status}")
        error = f"Teams HTTP {status}: {_error_code(response)}"
        if status == 403:  # MessageWritesBlocked: blocked by the person, or the app removed
            now = self.ports.clock.now()
            await asyncio.to_thread(self._deactivate, conversation_id, error, now)
            logger.warning("Teams refused to post in %s (%s): marked inactive", conversation_id, error)
        return SendResult(ok=False, permanent=True, error=error)

    def _deactivate(self, conversation_id: str, reason: str, now) -> None:
        with self.ports.open_session() as session:
            conversations.deactivate(session, conversation_id, reason=reason, now=now)


def _with_late_note(message: Claimed, capitals: Capitals):
    reply = reply_from_data(message.body)
    if message.late:
        note = Section(body=late_note(message.due_at, capitals, reply.language))
        reply = dataclasses.replace(reply, sections=[note, *reply.sections])
    return reply


def _seconds(value: str | None) -> float:
    try:
        return max(0.0, float(value)) if value else 1.0
    except ValueError:  # an HTTP date: rare from Teams; a second is a safe guess
        return 1.0


def _error_code(response: httpx.Response) -> str:
    try:
        error = response.json().get("error") or {}
        return str(error.get("code") or error.get("message") or "")[:100]
    except (ValueError, AttributeError):
        return ""
