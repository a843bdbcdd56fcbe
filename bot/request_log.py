"""One log line and one latency observation per HTTP request.

A pure ASGI middleware (no response buffering, so streaming and Slack's
ack timing are untouched). Each request gets an id, taken from an incoming
X-Request-Id (a proxy's) or made here, echoed in the response and in the log.
Routes are labelled by their pattern, never by the raw path: a calendar
feed's or a dashboard's path holds its secret token, and raw paths would make unbounded labels.
"""

from __future__ import annotations

import itertools
import logging
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.metrics import Metrics

logger = logging.getLogger("agenda_bot.requests")

KNOWN_ROUTES = {"/healthz", "/readyz", "/metrics", "/slack/events", "/api/messages"}
QUIET_ROUTES = {"/healthz", "/readyz", "/metrics"}  # probed every few seconds: debug level only


def route_label(path: str) -> str:
    if path in KNOWN_ROUTES:
        return path
    if path.startswith("/calendar/"):
        return "/calendar/{token}.ics"
    if path.startswith("/dashboard/"):
        return "/dashboard/{token}/…"
    if path.startswith("/teams/tab/"):
        return "/teams/tab/…"
    return "other"


class RequestLog:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        request_id = _clean(headers.get(b"x-request-id", b"")) or _new_id()
        route = route_label(scope.get("path", ""))
        started = time.perf_counter()
        status = 500  # if the app raises before answering, that is what the client gets

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", request_id.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            self.metrics.http_seconds.labels(route, str(status)).observe(elapsed)
            logger.log(
                logging.DEBUG if route in QUIET_ROUTES and status < 500 else logging.INFO,
                "%s %s %d %.1fms",
                scope.get("method", ""),
                route,
                status,
                elapsed * 1000,
                extra={
                    "request_id": request_id,
                    "method": scope.get("method", ""),
                    "path": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 1),
                },
            )


_PROCESS = uuid.uuid4().hex[:8]  # this process's part of every id it makes
_numbers = itertools.count(1)


def _new_id() -> str:
    """16 hex characters, unique across processes (a random prefix drawn at start) and within one
    (a counter): a uuid4 per request read the system's random source every time, for an id that
    only ties log lines together."""
    return f"{_PROCESS}{next(_numbers) & 0xFFFFFFFF:08x}"


def _clean(value: bytes) -> str:
    """A proxy's request id, if it is a sane one (it is echoed into logs and headers)."""
    text = value.decode("latin-1")[:64]
    return text if text and all(c.isalnum() or c in "-_." for c in text) else ""
