"""The App Home tab: published when the user opens it and after their changes,
with status buttons that go through the same checked, audited `/agenda status`."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import re

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
)
from slack_sdk.models.views import View
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.render import escape, item_blocks, section_head_blocks
from bot.slack.text import user_ref
from handlers import answer
from handlers.home import home
from handlers.ports import Ports, Requester
from handlers.reply import Reply, Tone

logger = logging.getLogger(__name__)

ACTION = "agenda_home"
MAX_BLOCKS = 100  # Slack's limit for a Home view


def register_home(app: AsyncApp, ports: Ports) -> HomeTab:
    tab = HomeTab(ports)
    app.event("app_home_opened")(tab.on_opened)
    app.action(re.compile(f"^{ACTION}:"))(tab.on_button)
    return tab


class HomeTab:
    def __init__(self, ports: Ports) -> None:
        self.ports = ports

    async def on_opened(self, event: dict, client: AsyncWebClient) -> None:
        if event.get("tab") == "home":
            await self.publish(client, event["user"])

    async def on_button(self, ack: AsyncAck, body: dict, client: AsyncWebClient) -> None:
        await ack()
        user = body["user"]["id"]
        try:
            query = json.loads(body["actions"][0]["value"])["q"]
        except (KeyError, IndexError, TypeError, ValueError):
            await self.publish(client, user, notice="That button was not understood.")
            return
        requester = Requester(user_ref=user_ref(user), channel_ref="slack:home")
        reply = await asyncio.to_thread(answer, query, ports=self.ports, requester=requester)
        # A refusal (or any problem) is shown at the top of the refreshed tab.
        notice = reply.title if reply.tone != Tone.answer else f":white_check_mark: {reply.title}"
        await self.publish(client, user, notice=notice)

    async def publish(self, client: AsyncWebClient, user: str, *, notice: str | None = None) -> None:
        try:
            reply = await asyncio.to_thread(home, self.ports, Requester(user_ref=user_ref(user)), notice=notice)
            await client.views_publish(user_id=user, view=home_view(reply))
        except Exception:
            logger.exception("could not publish the Home tab of %s", user)

    def refresh_later(self, client: AsyncWebClient, user: str) -> None:
        """After a change made elsewhere (a slash command): refresh without delaying the answer."""
        asyncio.get_running_loop().create_task(self.publish(client, user))


def home_view(reply: Reply) -> dict:
    blocks: list[Block] = [HeaderBlock(text=PlainTextObject(text=reply.title))]
    if reply.summary:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=escape(reply.summary))]))
    for section in reply.sections:
        blocks += section_head_blocks(section)
        for item in section.items:
            # Home has no response_url, so the item's own Open button is left out; its text is there.
            blocks += item_blocks(dataclasses.replace(item, action=None), len(blocks))
            buttons = [
                ButtonElement(
                    text=PlainTextObject(text=b.label),
                    action_id=f"{ACTION}:{len(blocks)}:{n}",
                    value=json.dumps({"q": b.query}),
                )
                for n, b in enumerate(item.buttons)
            ]
            if buttons:
                blocks.append(ActionsBlock(elements=buttons))
    return View(type="home", blocks=blocks[:MAX_BLOCKS]).to_dict()
