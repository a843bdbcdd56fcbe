"""Delivery to Slack: a channel post, or a direct message to a person.

Outcomes are classified for the dispatcher rather than retried here: a 429
returns its Retry-After so the outbox row waits (nothing sleeps on the event
loop), 5xx and network errors are transient, and refusals that retrying
cannot fix (channel gone, bot removed, user deactivated) are permanent.
"""

from __future__ import annotations

import base64
import dataclasses
import logging

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from bot.names import NameBook
from bot.slack.render import render
from handlers.views.dates import late_note
from handlers.views.reply import Image, Section, reply_from_data
from models.platforms import SLACK
from scheduling.capitals import DEFAULT_CAPITALS, Capitals
from scheduling.dispatcher import SendResult
from scheduling.outbox import Claimed

PERMANENT_ERRORS = {
    "channel_not_found", "not_in_channel", "is_archived", "account_inactive", "user_not_found",
    "cannot_dm_bot", "invalid_auth", "not_authed", "token_revoked", "missing_scope", "user_disabled",
    "restricted_action", "msg_too_long", "invalid_blocks", "no_text",
}  # fmt: skip

log = logging.getLogger(__name__)
SEND_TIMEOUT_SECONDS = 30  # slack_sdk's own default, which a session we pass replaces


def slack_http_session() -> aiohttp.ClientSession:
    """One pool of keep-alive connections for the bot's Web API calls.

    Without one, slack_sdk's AsyncWebClient opens a new ClientSession (a new
    connection, and a TLS handshake with slack.com) for every call: in a
    fan-out of hundreds of messages that was most of the time spent. Create it
    inside the running event loop; close it at shutdown.
    """
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=SEND_TIMEOUT_SECONDS))  # as slack_sdk, per call


class SlackNotifier:
    def __init__(
        self, client: AsyncWebClient, capitals: Capitals = DEFAULT_CAPITALS, names: NameBook | None = None
    ) -> None:
        self.client = client
        self.capitals = capitals
        self.names = names or NameBook()
        self._dm_channels: dict[str, str] = {}

    async def send(self, message: Claimed) -> SendResult:
        try:
            channel = await self._channel(message.target)
            posted = await self.client.chat_postMessage(channel=channel, **self._content(message))
        except SlackApiError as exc:
            return _classify(exc)
        except (TimeoutError, aiohttp.ClientError) as exc:
            return SendResult(ok=False, error=f"network: {type(exc).__name__}: {exc}")
        image = message.body.get("image")
        if image:  # after the message; a failure here must not send the message again, so it is only logged
            await self._upload(channel, Image(**image))
        return SendResult(ok=True, provider_id=f"{posted['channel']}:{posted['ts']}")

    async def _upload(self, channel: str, image: Image) -> None:
        """The chart as an image file in the same channel (Block Kit images need a public URL; a file needs
        files:write), with its alt text for screen readers."""
        try:
            await self.client.files_upload_v2(
                channel=channel, content=base64.b64decode(image.png_base64), filename=image.name,
                title="Items by area and status", alt_txt=image.alt,
            )  # fmt: skip
        except (SlackApiError, SlackRequestError, TimeoutError, aiohttp.ClientError) as exc:
            log.warning("the chart could not be posted to %s: %s", channel, exc)

    async def _channel(self, target: str) -> str:
        """Channels are posted to directly; a person gets their DM channel (cached)."""
        ident = SLACK.ident(target)
        if SLACK.names_conversation(ident):
            return ident
        if ident not in self._dm_channels:
            opened = await self.client.conversations_open(users=ident)
            self._dm_channels[ident] = opened["channel"]["id"]
        return self._dm_channels[ident]

    def _content(self, message: Claimed) -> dict:
        reply = reply_from_data(message.body)
        if message.late:
            note = Section(body=late_note(message.due_at, self.capitals, reply.language))
            reply = dataclasses.replace(reply, sections=[note, *reply.sections])
        # With its buttons (Acknowledge, Snooze, Mark done, Open), and Teams people by name.
        rendered = render(self.names.named(reply, native="slack"))
        # The outbox key travels with the message, so a resend after a crash can be recognised.
        metadata = {"event_type": "agenda_outbox", "event_payload": {"key": message.key}}
        return {"text": rendered.text, "blocks": rendered.blocks, "metadata": metadata}


def _classify(exc: SlackApiError) -> SendResult:
    response = exc.response
    # A 5xx from a proxy may carry HTML or plain text, not Slack's JSON.
    code = response.data.get("error", "") if isinstance(response.data, dict) else ""
    status = getattr(response, "status_code", 200)
    if status == 429 or code == "ratelimited":
        retry_after = float(response.headers.get("Retry-After", 1)) if response.headers else 1.0
        return SendResult(ok=False, retry_after=retry_after, error=f"rate limited (Retry-After {retry_after:g}s)")
    if status >= 500:
        return SendResult(ok=False, error=f"Slack HTTP {status}")
    return SendResult(ok=False, permanent=code in PERMANENT_ERRORS, error=f"Slack error: {code or status}")
