"""The App Home tab: the neutral home view (handlers/pages/home.py) as Block Kit.

It is published when the person opens the tab, after they choose a status in
one of its menus, and after a change they make with `/agenda`. A status choice
runs the same checked, audited SetStatus as `/agenda status`.

Its outcome, done or refused and why, is shown in a line at the top of the
refreshed tab: that is where the person is looking. A Home tab has no
response_url, an ephemeral message needs a channel they are in, and a DM
would leave a lasting message for a passing refusal. The line goes away the
next time the tab is opened.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from typing import TYPE_CHECKING

from slack_bolt.async_app import AsyncApp
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View
from slack_sdk.web.async_client import AsyncWebClient

from bot.names import NameBook
from bot.slack.later import acknowledge, later
from bot.slack.render import HEADER_LIMIT, escape, item_blocks, section_head_blocks
from bot.slack.text import user_ref
from handlers import handle
from handlers.commands.parser import DashboardAsk, SetStatus
from handlers.domain.ports import Ports, Requester
from handlers.pages.home import STATUS_CHOICES, HomeView, home
from handlers.views import i18n
from handlers.views.i18n import _
from handlers.views.reply import Reply, Tone

if TYPE_CHECKING:
    from bot.slack.app import _SlackFrontEnd
    from bot.slack.people import SlackPeople

logger = logging.getLogger(__name__)

STATUS_ACTION = "agenda_home_status"  # action_id prefix; the commitment key follows the colon
DASHBOARD_ACTION = "agenda_home_dashboard"
HOME_ORIGIN = "slack:home"  # where a change made here came from, in the audit log
MAX_BLOCKS = 100  # Slack's limit for a Home view
NOTICE_LIMIT = 2000
def status_options() -> list[Option]:
    """The statuses a Home menu offers, in the reader's language (the words are the catalogue's)."""
    return [Option(value=value, label=_capitalized(_(words))) for words, value in STATUS_CHOICES.items()]


def _capitalized(words: str) -> str:
    return words[:1].upper() + words[1:]


def register_home(app: AsyncApp, front: _SlackFrontEnd) -> None:
    tab = _HomeTab(front.ports, front.names, front.people)
    # Acknowledged at once; the work follows (Bolt lazy listeners: the app processes before it responds).
    app.event("app_home_opened")(ack=acknowledge, lazy=[tab.on_opened])
    app.action(re.compile(f"^{STATUS_ACTION}:"))(ack=acknowledge, lazy=[tab.on_status])
    app.action(DASHBOARD_ACTION)(ack=acknowledge, lazy=[tab.on_dashboard])


def refresh_home_later(client: AsyncWebClient, ports: Ports, user: str, names: NameBook | None = None) -> None:
    """Re-publish a person's Home after a change made elsewhere, without delaying anything."""
    later(publish_home(client, ports, user, names=names), "a Home tab's refresh")


async def publish_home(
    client: AsyncWebClient, ports: Ports, user: str, *, notice: Reply | None = None, names: NameBook | None = None
) -> None:
    """Build the view off the event loop and publish it. Failures are logged: a
    stale Home tab is not worth failing the command or action that asked."""
    if not client.token:  # no bot token: nothing can be published (slash commands still work)
        return
    try:
        view = await asyncio.to_thread(home, ports, Requester(user_ref=user_ref(user), channel_ref=HOME_ORIGIN))
        if names is not None:  # owners on Teams, by name
            view = dataclasses.replace(view, reply=names.named(view.reply, native="slack"))
        await client.views_publish(user_id=user, view=home_view(view, notice=notice))
    except Exception:
        logger.exception("could not publish the Home tab of %s", user)


class _HomeTab:
    def __init__(self, ports: Ports, names: NameBook, people: SlackPeople | None) -> None:
        self.ports = ports
        self.names = names
        self.people = people

    async def on_opened(self, event: dict, client: AsyncWebClient) -> None:
        if event.get("tab") == "home":  # the event also comes for the Messages tab
            if self.people is not None:  # a first visit is in their language too
                await self.people.meet(event["user"])
            await publish_home(client, self.ports, event["user"], names=self.names)

    async def on_status(self, body: dict, client: AsyncWebClient) -> None:
        user = body["user"]["id"]
        action = (body.get("actions") or [{}])[0]
        key = action.get("action_id", "").partition(":")[2]
        status = (action.get("selected_option") or {}).get("value")
        if not key or status not in STATUS_CHOICES.values():
            with i18n.speaking(self.ports.languages.get((user_ref(user), None))):
                outcome = Reply(title=_("That choice was not understood; nothing was changed."), tone=Tone.error)
        else:
            requester = Requester(
                user_ref=user_ref(user), display_name=body["user"].get("username"), channel_ref=HOME_ORIGIN
            )
            outcome = await self._set_status(SetStatus(key, status, None, None, ""), requester)
        await publish_home(client, self.ports, user, notice=outcome, names=self.names)

    async def on_dashboard(self, body: dict, client: AsyncWebClient) -> None:
        """The same `/agenda dashboard`, answered in the tab's notice line: only this person sees their Home."""
        user = body["user"]["id"]
        requester = Requester(
            user_ref=user_ref(user), display_name=body["user"].get("username"), channel_ref=HOME_ORIGIN
        )
        outcome = await self._run(DashboardAsk(), requester)
        await publish_home(client, self.ports, user, notice=outcome, names=self.names)

    async def _set_status(self, command: SetStatus, requester: Requester) -> Reply:
        return await self._run(command, requester)

    async def _run(self, command, requester: Requester) -> Reply:
        """The neutral handler checks who may, audits and commits; it runs off the event loop."""
        try:
            return await asyncio.to_thread(handle, command, ports=self.ports, requester=requester)
        except Exception:
            logger.exception("%s from the Home tab failed for %s", type(command).__name__, requester.user_ref)
            with i18n.speaking(self.ports.languages.get((requester.user_ref, None))):
                sorry = _("Something went wrong on our side; nothing was changed. Please try again.")
            return Reply(title=sorry, tone=Tone.error)


def home_view(view: HomeView, *, notice: Reply | None = None) -> View:
    with i18n.speaking(view.reply.language):  # its own words (the status menus, a note) in the reader's language
        return _home_view(view, notice)


def _home_view(view: HomeView, notice: Reply | None) -> View:
    reply = view.reply
    blocks: list[Block] = [_notice(notice)] if notice else []
    blocks.append(HeaderBlock(text=PlainTextObject(text=reply.title[:HEADER_LIMIT])))
    if reply.summary:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=escape(reply.summary))]))
    with i18n.speaking(reply.language):  # the menus' words and the dashboard button's, as the reply's
        for section in reply.sections:
            blocks += section_head_blocks(section)
            for item in section.items:
                status = view.status_controls.get(item.id)
                menu = _status_menu(item.id, status) if item.id in view.status_controls else None
                # The item's own Details button answers through a response_url, which a Home tab lacks.
                blocks += item_blocks(dataclasses.replace(item, action=None), len(blocks), accessory=menu)
        return View(type="home", blocks=[*_fit(blocks), _dashboard_button()])


def _dashboard_button() -> ActionsBlock:
    """The way to the dashboard page: a personal link, shown once, in the notice line."""
    button = ButtonElement(text=_("Dashboard link"), action_id=DASHBOARD_ACTION, value="dashboard")
    return ActionsBlock(elements=[button])


def _status_menu(key: str, status: str | None) -> StaticSelectElement:
    options = status_options()
    current = next((o for o in options if o.value == status), None)  # "unknown" has no option
    return StaticSelectElement(
        action_id=f"{STATUS_ACTION}:{key}",
        placeholder=PlainTextObject(text=_("Set status")),
        options=options,
        initial_option=current,
    )


def _notice(outcome: Reply) -> ContextBlock:
    icon = ":white_check_mark:" if outcome.tone == Tone.answer else ":warning:"
    # A confirmation's title says it all; a refusal adds what was not changed and whom to ask;
    # a link given here (the dashboard's) is in the body, and is the point.
    carries_link = any(s.body and "://" in s.body for s in outcome.sections)
    words = [outcome.title] if outcome.tone == Tone.answer else [outcome.title, outcome.summary]
    words += [s.body for s in outcome.sections if s.body and (outcome.tone != Tone.answer or carries_link)]
    text = " ".join(w for w in words if w)[:NOTICE_LIMIT]
    return ContextBlock(elements=[MarkdownTextObject(text=f"{icon} {escape(text)}")])


def _fit(blocks: list[Block]) -> list[Block]:
    room = MAX_BLOCKS - 1  # the dashboard button comes last
    if len(blocks) <= room:
        return blocks
    said = _("The rest did not fit here: `/agenda mine` lists it.")
    note = ContextBlock(elements=[MarkdownTextObject(text=f"_{said}_")])
    return [*blocks[: room - 1], note]
