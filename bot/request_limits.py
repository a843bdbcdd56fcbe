"""Size limits on every request, checked before anything reads or parses it.

Slack's and Teams' own requests are small: a slash command is about 1 KB, a
Slack modal submission with its whole view some tens of KB, a Teams activity
at most about 100 KB (its messages are capped at 80 KB). Nothing before
authentication should spend time or memory on more than that, so a body over
``max_body_bytes`` (256 KiB by default, AGENDA_MAX_REQUEST_BYTES) is refused
with 413 as soon as that is known: from ``Content-Length`` without reading a
byte, or, for a chunked body, the moment the bytes received pass the limit.
Headers over ``max_header_bytes`` (32 KiB: a Bot Framework token is 1-2 KB)
are refused with 431, so a forged token with a 40 KB key id never reaches the
token validator.

A pure ASGI middleware, like RequestLog, so nothing is buffered on the way.
"""

from __future__ import annotations

import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)

DEFAULT_MAX_BODY_BYTES = 256 * 1024
DEFAULT_MAX_HEADER_BYTES = 32 * 1024


class BodyTooLarge(Exception):
    """Raised from ``receive`` when a streamed body passes the limit."""


class RequestLimits:
    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        max_header_bytes: int = DEFAULT_MAX_HEADER_BYTES,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_header_bytes = max_header_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers") or []
        if sum(len(name) + len(value) for name, value in headers) > self.max_header_bytes:
            logger.warning("refused a request whose headers pass %d bytes", self.max_header_bytes)
            await _refuse(send, 431, f"request headers are limited to {self.max_header_bytes} bytes")
            return
        try:
            declared = _content_length(headers)
        except ValueError:
            logger.warning("refused a request with an invalid Content-Length")
            await _refuse(send, 400, "invalid Content-Length")
            return
        if declared is not None and declared > self.max_body_bytes:
            logger.warning("refused a request body of %d bytes (the limit is %d)", declared, self.max_body_bytes)
            await _refuse(send, 413, f"request bodies are limited to {self.max_body_bytes} bytes")
            return

        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            logger.warning("refused a streamed request body past %d bytes", self.max_body_bytes)
            if not started:
                await _refuse(send, 413, f"request bodies are limited to {self.max_body_bytes} bytes")


def _content_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    """The declared length, None when there is none (a chunked body); ValueError when it is not a number."""
    for name, value in headers:
        if name.lower() == b"content-length":
            text = value.decode("latin-1").strip()
            if not (text.isascii() and text.isdigit()) or len(text) > 18:
                raise ValueError(text[:20])
            return int(text)
    return None


async def _refuse(send: Send, status: int, error: str) -> None:
    body = json.dumps({"error": error}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            # The client may still be sending the body: tell it the connection ends here.
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body})
