"""Import from Slack: a file an admin shares with the bot in a direct message.

Slack sends a ``message`` event (subtype ``file_share``) with the files; each is fetched
from its ``url_private`` with the bot token (bot/chat_files.py), then previewed by the
platform-neutral handler (handlers/commands/chat_imports.py) and posted back in the conversation with
a Confirm button (an ``agenda_do`` button, run like any other). Files shared in channels are
left alone: importing is a private conversation with the bot.
"""

from __future__ import annotations

import asyncio
import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.answering import failed
from bot.chat_files import NotFetched, TooLarge, fetch, slack_file_host
from bot.settings import Settings
from bot.slack.later import acknowledge
from bot.slack.text import user_ref
from handlers.commands import chat_imports
from handlers.domain.ports import Requester
from handlers.views.reply import Reply
from models.platforms import Conversation

logger = logging.getLogger(__name__)


def register_imports(app: AsyncApp, front, settings: Settings) -> None:
    imports = _SlackImports(front, settings)
    # Acknowledged at once; the download and the preview follow (a Bolt lazy listener).
    app.event({"type": "message", "subtype": "file_share"})(ack=acknowledge, lazy=[imports.on_file_share])
    # The other direct messages (words typed in the Messages tab, the bot's own posts) and the
    # file_shared event (the same file again, with less in it) are acknowledged and left alone:
    # an event nobody listens to would get a 404 from Bolt, and Slack retries those.
    app.event("message")(_ignore)
    app.event("file_shared")(_ignore)


async def _ignore() -> None:
    return None


class _SlackImports:
    def __init__(self, front, settings: Settings) -> None:
        self.front = front
        self.ports = front.ports
        self.limit = settings.import_max_bytes
        self.api_url = settings.slack_api_url

    async def on_file_share(self, event: dict, client: AsyncWebClient) -> None:
        if event.get("channel_type") != "im" or event.get("bot_id") or not event.get("user"):
            return
        channel = event.get("channel", "")
        requester = Requester(
            user_ref=user_ref(event["user"]), channel_ref=f"slack:{channel}", conversation=Conversation.direct
        )
        try:
            reply = await self._reply(event.get("files") or [], requester, client.token)
        except Exception:
            logger.exception("a Slack import failed for %s", requester.user_ref)
            reply = failed(self.ports, requester)
        message = self.front.render(reply).as_kwargs()
        message.pop("response_type")
        await client.chat_postMessage(channel=channel, **message)

    async def _reply(self, files: list[dict], requester: Requester, token: str | None) -> Reply:
        refused = await asyncio.to_thread(chat_imports.import_refusal, self.ports, requester)
        if refused is not None:  # before any download
            return refused
        shared = []
        declared = sum(int(f.get("size") or 0) for f in files)
        for file in files:
            name = str(file.get("name") or file.get("title") or file.get("id") or "?")
            if declared > self.limit:
                return await asyncio.to_thread(chat_imports.too_large, self.ports, requester, name, self.limit)
            url = file.get("url_private_download") or file.get("url_private") or ""
            if not slack_file_host(url, self.api_url):
                logger.warning("a shared file's address is not Slack's: %s", url[:80])
                return await asyncio.to_thread(chat_imports.not_downloaded, self.ports, requester, name)
            try:
                data = await fetch(url, limit=self.limit - sum(len(s.data) for s in shared),
                                   headers={"Authorization": f"Bearer {token}"} if token else None)  # fmt: skip
            except TooLarge:
                return await asyncio.to_thread(chat_imports.too_large, self.ports, requester, name, self.limit)
            except NotFetched as exc:
                logger.warning("could not download %s from Slack: %s", name, exc)
                return await asyncio.to_thread(chat_imports.not_downloaded, self.ports, requester, name)
            shared.append(chat_imports.SharedFile(name=name, data=data))
        return await asyncio.to_thread(chat_imports.preview, self.ports, requester, shared)
