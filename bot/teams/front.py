"""What the Teams bot does with messages, card buttons and installs.

Messages and card buttons become a Requester and the /agenda text; the same
neutral handlers answer. In a channel or group chat everyone sees what the
bot posts, so the answer is computed for the channel (restricted items left
out); in a 1:1 chat it is private to the person.
"""

from __future__ import annotations

import asyncio
import logging
import time

import httpx
from microsoft_teams.api import MessageActivityInput
from microsoft_teams.api.models.adaptive_card import (
    AdaptiveCardActionCardResponse,
    AdaptiveCardActionErrorResponse,
    AdaptiveCardActionMessageResponse,
)
from microsoft_teams.api.models.error import HttpError, InnerHttpError

from bot.answering import answer_off_loop, failed
from bot.metrics import Metrics
from bot.names import NameBook
from bot.teams import dialogs
from bot.teams.imports import import_reply, shared_files
from bot.teams.people import TeamsAddresses, TeamsPeople, locale_of, zone_of
from bot.teams.render import VERB_PREFIX, TeamsMessage, render
from bot.teams.text import to_neutral, user_ref
from handlers.domain.ports import Ports, Requester
from handlers.views import i18n
from handlers.views.i18n import N_, _
from handlers.views.reply import ActionKind, Reply, Visibility
from models import teams_conversations as conversations
from models.platforms import Conversation

logger = logging.getLogger(__name__)

# A conversation already stored is not rewritten on every message, but is
# refreshed this often: a 403 may have marked it inactive since, and a message
# from it proves the bot is back.
REMEMBERED_FOR_SECONDS = 600.0


def audience_of(activity) -> Visibility:
    return Visibility.private if activity.conversation.conversation_type == "personal" else Visibility.channel


def conversation_of(conversation_type: str | None) -> Conversation:
    """Teams' conversation types: "personal" (a 1:1 chat), "groupChat", "channel"."""
    return {"personal": Conversation.direct, "groupChat": Conversation.group}.get(
        conversation_type or "", Conversation.channel
    )


def requester_of(activity) -> Requester:
    sender = activity.from_
    return Requester(
        user_ref=user_ref(sender.aad_object_id, sender.id),
        display_name=sender.name,
        channel_ref=f"teams:{conversations.base_conversation_id(activity.conversation.id)}",
        timezone=zone_of(activity),
        locale=locale_of(activity),
        conversation=conversation_of(activity.conversation.conversation_type),
    )


class TeamsFrontEnd:
    def __init__(
        self,
        ports: Ports,
        metrics: Metrics | None = None,
        addresses: TeamsAddresses | None = None,
        names: NameBook | None = None,
        import_max_bytes: int = 512 * 1024,
    ) -> None:
        self.ports = ports
        self.import_max_bytes = import_max_bytes
        self.metrics = metrics
        self._known: dict[str, tuple] = {}  # conversation id → (what we stored, when)
        self.names = names or NameBook()
        self.people = TeamsPeople(ports, self.names)
        self.addresses = addresses

    async def on_message(self, ctx) -> None:
        activity = ctx.activity
        requester = requester_of(activity)
        await self.remember(activity)
        await self.people.remember(requester.user_ref, requester.timezone, requester.display_name, requester.locale)
        self._learn_address(ctx)
        if audience_of(activity) == Visibility.private and (files := shared_files(activity)):
            await self.send(ctx, await self.import_files(files, requester))  # handlers/commands/chat_imports.py
            return
        text = to_neutral(activity)
        reply = await self.answer(text, requester, audience=audience_of(activity))
        if reply.form is not None:  # add / edit: a dialog, opened from a button (a message cannot open one)
            await self._post(ctx, [dialogs.open_button_card(reply.form, text)], reply.title)
            return
        await self.send(ctx, reply)

    async def on_card_action(self, ctx):
        """An Action.Execute press: the verb says what kind, the data carries the /agenda text."""
        activity = ctx.activity
        action = activity.value.action
        kind = _kind(action.verb)
        query, page = _query(action.data)
        if kind is None or query is None:
            return AdaptiveCardActionErrorResponse(
                status_code=400,
                value=HttpError(
                    code="BadRequest",
                    message=self.said(N_("This button is not one of ours."), requester_of(activity)),
                    inner_http_error=InnerHttpError(status_code=400, body=None),
                ),
            )
        await self.remember(activity)  # a press, too, shows the conversation is alive
        self._learn_address(ctx)
        audience = audience_of(activity)
        reply = await self.answer(query, requester_of(activity), page=page, audience=audience)
        if reply.form is not None:  # a button that opens a form (Held…): a dialog opens from a button of its own
            await self._post(ctx, [dialogs.open_button_card(reply.form, query)], reply.title)
            return AdaptiveCardActionMessageResponse(value=self.render(reply).summary[:200])
        if kind == ActionKind.share and audience == Visibility.private:
            return AdaptiveCardActionMessageResponse(
                value=self.said(N_("A 1:1 chat has no channel to share into."), requester_of(activity))
            )
        message = self.render(reply)
        if kind == ActionKind.more and len(message.cards) == 1:  # the next page takes this card's place
            return AdaptiveCardActionCardResponse(value=message.cards[0])
        if not await self.send(ctx, reply, message):
            return AdaptiveCardActionMessageResponse(
                value=self.said(N_("Teams did not accept the answer; please try again."), requester_of(activity))
            )
        return AdaptiveCardActionMessageResponse(value=message.summary[:200])

    async def on_installed(self, ctx) -> None:
        await self.remember(ctx.activity)

    async def on_uninstalled(self, ctx) -> None:
        await self.forget(ctx.activity, "the app was uninstalled")

    async def on_conversation_update(self, ctx) -> None:
        activity = ctx.activity
        bot_id = activity.recipient.id
        if any(m.id == bot_id for m in activity.members_removed or []):
            await self.forget(activity, "the bot was removed from the conversation")
        else:  # added, renamed, members joining: all say the conversation exists
            await self.remember(activity)

    async def import_files(self, files: list[tuple[str, str]], requester: Requester) -> Reply:
        try:
            return await import_reply(self.ports, requester, files, limit=self.import_max_bytes)
        except Exception:
            logger.exception("a Teams import failed for %s", requester.user_ref)
            return failed(self.ports, requester)

    # -- helpers -----------------------------------------------------------------------

    def _learn_address(self, ctx) -> None:
        if self.addresses is None:
            return
        try:
            self.addresses.notice(ctx)  # starts a background lookup, at most weekly per person
        except Exception:  # never at the expense of the answer
            logger.exception("could not start learning a Teams address")

    def said(self, words: str, requester: Requester) -> str:
        """A few words of our own, in the asker's language (known in memory, else their Teams locale's)."""
        language = self.ports.languages.get((requester.user_ref, requester.locale)) or i18n.language_of(
            requester.locale
        )
        with i18n.speaking(language):
            return _(words)

    def render(self, reply: Reply) -> TeamsMessage:
        return render(self.names.named(reply))  # a card shows nobody natively: everyone by name

    async def send(self, ctx, reply: Reply, message: TeamsMessage | None = None) -> bool:
        message = message or self.render(reply)
        return await self._post(ctx, message.cards, message.summary)

    async def _post(self, ctx, cards: list, summary: str) -> bool:
        """Post cards in the conversation; False if Teams refused (logged, not raised: an
        exception here would answer Teams with 500 and invite a retry of the whole turn)."""
        try:
            for card in cards:
                await ctx.send(MessageActivityInput(summary=summary).add_card(card))
        except httpx.HTTPError as exc:
            status = exc.response.status_code if isinstance(exc, httpx.HTTPStatusError) else type(exc).__name__
            logger.warning("Teams refused a reply in %s: %s", ctx.activity.conversation.id, status)
            return False
        return True

    async def answer(
        self, text: str, requester: Requester, *, page: int = 1, audience: Visibility = Visibility.private
    ) -> Reply:
        """The neutral answer, off the event loop and never raising (bot/answering.py)."""
        return await answer_off_loop(
            text,
            requester,
            ports=self.ports,
            platform="teams",
            metrics=self.metrics,
            page=page,
            audience=audience,
        )

    async def remember(self, activity) -> None:
        ref = reference_of(activity)
        stored, at = self._known.get(ref.conversation_id, (None, 0.0))
        if stored == ref and time.monotonic() - at < REMEMBERED_FOR_SECONDS:
            return
        now = self.ports.clock.now()
        try:
            await asyncio.to_thread(self._with_session, conversations.remember, ref, now=now)
        except Exception:  # answering matters more than remembering: the next message tries again
            logger.exception("could not store the Teams conversation %s", ref.conversation_id)
            return
        self._known[ref.conversation_id] = (ref, time.monotonic())

    async def forget(self, activity, reason: str) -> None:
        conversation_id = conversations.base_conversation_id(activity.conversation.id)
        self._known.pop(conversation_id, None)
        now = self.ports.clock.now()
        await asyncio.to_thread(self._with_session, conversations.deactivate, conversation_id, reason=reason, now=now)

    def _with_session(self, function, *args, **kwargs):
        with self.ports.open_session() as session:
            return function(session, *args, **kwargs)


def reference_of(activity) -> conversations.Reference:
    conversation = activity.conversation
    sender = activity.from_
    kind = conversation.conversation_type or "personal"
    return conversations.Reference(
        conversation_id=conversations.base_conversation_id(conversation.id),
        conversation_type=kind,
        service_url=activity.service_url or "",
        tenant_id=conversation.tenant_id,
        bot_id=activity.recipient.id,
        user_ref=user_ref(sender.aad_object_id, sender.id) if kind == "personal" and sender else None,
    )


def _kind(verb: str | None) -> ActionKind | None:
    try:
        return ActionKind((verb or "").removeprefix(VERB_PREFIX)) if (verb or "").startswith(VERB_PREFIX) else None
    except ValueError:
        return None


def _query(data: dict | None) -> tuple[str | None, int]:
    try:
        return str(data["q"]), max(1, int(data.get("p", 1)))
    except (KeyError, TypeError, ValueError):
        return None, 1
