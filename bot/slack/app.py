"""The Slack front end: a Bolt AsyncApp for `/agenda` and its buttons.

Slack wants an answer within 3 seconds. The handler runs at once; if its
Reply is ready within the ack budget it goes back inside the acknowledgement
(one round trip, nothing else to fail), otherwise we acknowledge with a short
"looking it up" and send the answer through ``response_url``.

Bolt processes each request before it responds (``process_before_response``): the
acknowledgement leaves when the listener returns, with no 10 ms poll for ``ack()``.
Listeners therefore return once they have acknowledged; what follows runs apart
(bot/slack/later.py: ``later`` for the slash command, Bolt lazy listeners for buttons).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import re
from collections import OrderedDict

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.answering import answer_at_once, answer_off_loop
from bot.metrics import Metrics
from bot.names import NameBook
from bot.settings import Settings
from bot.slack.gate import AGENDA_REVISION
from bot.slack.home import refresh_home_later, register_home
from bot.slack.imports import register_imports
from bot.slack.later import acknowledge, later
from bot.slack.modals import open_form_modal, register_forms
from bot.slack.people import SlackPeople
from bot.slack.render import ACTION_IDS, SlackMessage, render
from bot.slack.text import to_neutral, user_ref
from handlers import is_change, is_shareable
from handlers.domain.ports import Ports, Requester
from handlers.views import i18n
from handlers.views.i18n import N_, _
from handlers.views.reply import ActionKind, Reply, Tone, Visibility
from models.platforms import Conversation

logger = logging.getLogger(__name__)

RENDERED_KEPT = 2048
LOOKING_UP = N_(":hourglass_flowing_sand: Looking that up…")
OPENING_FORM = N_("Opening the form…")
NOT_SHAREABLE = N_("Only answers to questions can be shared in a channel.")


def create_slack_app(
    *,
    settings: Settings,
    ports: Ports,
    metrics: Metrics | None = None,
    names: NameBook | None = None,
    people: SlackPeople | None = None,
) -> AsyncApp:
    client = AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None,
        base_url=settings.slack_api_url,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
    )
    app = AsyncApp(
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None,
        # Without a bot token the slash command still works: answers travel in
        # the acknowledgement and through response_url, which need no token.
        authorize=None if settings.slack_bot_token else _tokenless_authorize,
        # Over HTTP every request is verified before it reaches Bolt, by bot/slack/gate.py
        # (signature, timestamp, and replays, which Bolt cannot refuse); Bolt's own check
        # would log a refused body. Socket Mode traffic needs no signature.
        request_verification_enabled=False,
        # The acknowledgement is sent when the listener returns, not found by polling for it every
        # 10 ms (most of a cached answer's time, and CPU for every request in flight): listeners
        # return once they have acknowledged (see the module's docstring).
        process_before_response=True,
    )
    front = _SlackFrontEnd(ports, settings.ack_budget_seconds, metrics, names, people)
    app.command("/agenda")(front.on_command)
    # Buttons: acknowledged at once; the answer follows through response_url (Bolt lazy listeners).
    app.action(re.compile(f"^{ACTION_IDS[ActionKind.share]}:"))(ack=acknowledge, lazy=[front.on_share])
    app.action(re.compile(f"^{ACTION_IDS[ActionKind.more]}:"))(ack=acknowledge, lazy=[front.on_more])
    # Show, run and do (acknowledge, snooze, mark done) all answer privately in a new message.
    private = "|".join(ACTION_IDS[k] for k in (ActionKind.show, ActionKind.run, ActionKind.do))
    app.action(re.compile(f"^({private}):"))(ack=acknowledge, lazy=[front.on_show])
    # Features with listeners of their own register below, one line each.
    register_home(app, front)
    register_forms(app, ports)
    register_imports(app, front, settings)
    return app


class _SlackFrontEnd:
    def __init__(
        self,
        ports: Ports,
        ack_budget: float,
        metrics: Metrics | None = None,
        names: NameBook | None = None,
        people: SlackPeople | None = None,
    ) -> None:
        self.ports = ports
        self.people = people  # None without a bot token: then nobody's language can be asked
        self.names = names or NameBook()
        self.ack_budget = ack_budget
        self.metrics = metrics
        # Cached answers come back as the same Reply object; building and
        # validating its Block Kit again would cost more than the lookup did.
        self._rendered: OrderedDict[int, tuple[Reply, SlackMessage]] = OrderedDict()

    def render(self, reply: Reply) -> SlackMessage:
        entry = self._rendered.get(id(reply))
        if entry is not None and entry[0] is reply:  # the id of a dead object can be reused
            return entry[1]
        message = render(self.names.named(reply, native="slack"))  # a Teams person, by name
        self._rendered[id(reply)] = (reply, message)
        while len(self._rendered) > RENDERED_KEPT:
            self._rendered.popitem(last=False)
        return message

    def said(self, words: str, requester: Requester) -> str:
        """A few words of our own, in the asker's language when it is known in memory (no read on the event loop)."""
        with i18n.speaking(self.ports.languages.get((requester.user_ref, requester.locale))):
            return _(words)

    async def on_command(
        self, ack: AsyncAck, command: dict, respond: AsyncRespond, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        requester = Requester(
            user_ref=user_ref(command.get("user_id", "")),
            display_name=command.get("user_name"),
            channel_ref=f"slack:{command.get('channel_id', '')}",
            channel_name=command.get("channel_name"),  # `/agenda digest subscribe #canal` typed in #canal
            conversation=conversation_of(command.get("channel_id", "")),
        )
        # Over HTTP, the agenda revision read after the request arrived (bot/slack/gate.py); None in Socket Mode.
        revision = context.get(AGENDA_REVISION)
        if (ready := self.answer_at_once(command.get("text"), requester, revision)) is not None:
            await ack(**self.render(ready).as_kwargs())  # a read: no form, no change, nothing after it
            return
        work = asyncio.ensure_future(self.answer(command.get("text"), requester, revision=revision))
        done, _pending = await asyncio.wait({work}, timeout=self.ack_budget)
        if done and work.result().form is not None:  # add / edit: a modal, opened with the trigger id
            await ack(text=self.said(OPENING_FORM, requester), response_type="ephemeral")
        elif done:
            await ack(**self.render(work.result()).as_kwargs())
        else:
            await ack(text=self.said(LOOKING_UP, requester), response_type="ephemeral")
        # Bolt sends the acknowledgement when this returns; whatever follows it runs apart.
        if not done or work.result().form is not None or self._changed(work.result(), command):
            later(self._after_ack(work, command, respond, client, late=not done), "/agenda")

    @staticmethod
    def _changed(reply: Reply, command: dict) -> bool:
        return reply.tone == Tone.answer and is_change(to_neutral(command.get("text")))

    async def _after_ack(
        self, work: asyncio.Future, command: dict, respond: AsyncRespond, client: AsyncWebClient, *, late: bool
    ) -> None:
        reply = await work
        if late and reply.form is None:
            await respond(**self.render(reply).as_kwargs())
        if reply.form is not None:  # even after a slow answer: the trigger id lasts 3 seconds
            await open_form_modal(client, command, reply.form, respond)
            return
        if self._changed(reply, command):
            refresh_home_later(
                client, self.ports, command.get("user_id", ""), self.names
            )  # their Home tab shows the change

    async def on_share(self, body: dict, respond: AsyncRespond) -> None:
        query, page = _button_value(body)
        if not is_shareable(to_neutral(query)):  # a Share posts answers to questions, never runs a change
            await respond(
                text=self.said(NOT_SHAREABLE, _requester(body)), response_type="ephemeral", replace_original=False
            )
            return
        # Answered afresh for the channel: restricted items are left out (handlers/domain/audience.py).
        reply = await self.answer(query, _requester(body), page=page, audience=Visibility.channel)
        if reply.tone != Tone.answer:
            await respond(**self.render(reply).as_kwargs(), replace_original=False)
            return
        shared = dataclasses.replace(reply, visibility=Visibility.channel)
        await respond(**render(shared, shared_by=body["user"]["id"]).as_kwargs(), replace_original=False)
        await respond(delete_original=True)

    async def on_more(self, body: dict, respond: AsyncRespond) -> None:
        query, page = _button_value(body)
        reply = await self.answer(query, _requester(body), page=page)
        await respond(**self.render(reply).as_kwargs(), replace_original=True)

    async def on_show(self, body: dict, respond: AsyncRespond, client: AsyncWebClient) -> None:
        query, page = _button_value(body)
        reply = await self.answer(query, _requester(body), page=page)
        if reply.form is not None:  # a button that opens a form (Held…): a modal, with the press's trigger id
            channel = (body.get("channel") or {}).get("id")
            command = {"trigger_id": body.get("trigger_id", ""), "channel_id": channel, "text": query,
                       "user_id": (body.get("user") or {}).get("id")}  # fmt: skip
            await open_form_modal(client, command, reply.form, respond)
            return
        await respond(**self.render(reply).as_kwargs(), replace_original=False)

    def answer_at_once(self, text: str | None, requester: Requester, revision: int | None) -> Reply | None:
        """The answer at once, cached or from memory, if there is one and the asker has been met (bot/answering.py)."""
        if self.people is not None and not self.people.met(requester.user_ref.removeprefix("slack:")):
            return None
        return answer_at_once(
            to_neutral(text), requester, ports=self.ports, platform="slack", metrics=self.metrics, revision=revision
        )

    async def answer(
        self,
        text: str | None,
        requester: Requester,
        *,
        page: int = 1,
        audience: Visibility = Visibility.private,
        revision: int | None = None,
    ) -> Reply:
        """The neutral answer, off the event loop and never raising (bot/answering.py)."""
        if self.people is not None:  # someone new: their language first (bot/slack/people.py)
            await self.people.meet(requester.user_ref.removeprefix("slack:"))
        return await answer_off_loop(
            to_neutral(text),
            requester,
            ports=self.ports,
            platform="slack",
            metrics=self.metrics,
            page=page,
            audience=audience,
            revision=revision,
        )


async def _tokenless_authorize(enterprise_id: str | None, team_id: str | None, **_kwargs) -> AuthorizeResult:
    return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id)


def _requester(body: dict) -> Requester:
    user = body.get("user") or {}
    channel = body.get("channel") or {}
    return Requester(
        user_ref=user_ref(user.get("id", "")),
        display_name=user.get("username") or user.get("name"),
        channel_ref=f"slack:{channel.get('id', '')}" if channel else None,
        channel_name=channel.get("name"),
        conversation=conversation_of(channel.get("id", "")),
    )


def conversation_of(channel_id: str) -> Conversation:
    """A public channel (C…), a private channel or group DM (G…), else a direct message (D…)."""
    return {"C": Conversation.channel, "G": Conversation.group}.get(channel_id[:1], Conversation.direct)


def _button_value(body: dict) -> tuple[str, int]:
    """The /agenda text and page a button carries; junk gives the help text."""
    try:
        value = json.loads(body["actions"][0]["value"])
        return str(value["q"]), max(1, int(value.get("p", 1)))
    except (KeyError, IndexError, TypeError, ValueError):
        return "help", 1
