"""A fake Slack Web API that behaves like a busy one: it enforces a rate of one
message per second per channel (HTTP 429 with Retry-After beyond that), fails
some requests with 5xx, and records every message it accepted."""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class LimitedSlack:
    per_channel_interval: float = 1.0
    error_rate: float = 0.0  # share of requests answered 503
    seed: int = 7
    accepted: list[dict] = field(default_factory=list)  # chat.postMessage bodies, in acceptance order
    accepted_at: list[float] = field(default_factory=list)  # time.monotonic() of each acceptance
    rate_limited: int = 0
    server_errors: int = 0
    port: int = 0
    timezones: dict[str, str | None] = field(default_factory=dict)  # users.info "tz" by user id
    emails: dict[str, str] = field(default_factory=dict)  # users.info "profile.email" by user id
    locales: dict[str, str] = field(default_factory=dict)  # users.info "locale" by user id (with include_locale)
    users_info_calls: int = 0
    client_ports: list[int] = field(default_factory=list)  # the sender's port per chat.postMessage: its connection
    _last: dict[str, float] = field(default_factory=lambda: defaultdict(lambda: -1e9))
    _lock: threading.Condition = field(default_factory=threading.Condition)  # notified at each acceptance
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def keys(self) -> list[str]:
        with self._lock:
            return [m["metadata"]["event_payload"]["key"] for m in self.accepted if m.get("metadata")]

    def wait_until(self, found, what: str, timeout: float = 60.0):
        """Wait for ``found()`` to be truthy, woken at each accepted message; return it."""
        with self._lock:  # reentrant: found() may take it again
            if result := self._lock.wait_for(found, timeout):
                return result
            got = len(self.accepted)
        raise AssertionError(f"timed out after {timeout}s waiting for {what}; {got} messages accepted")

    async def _post_message(self, request: web.Request) -> web.Response:
        body = await _body(request)
        with self._lock:
            self.client_ports.append(request.transport.get_extra_info("peername")[1])
            if self._random.random() < self.error_rate:
                self.server_errors += 1
                return web.Response(status=503, text="upstream unavailable")
            channel, now = body.get("channel", ""), time.monotonic()
            wait = self.per_channel_interval - (now - self._last[channel])
            if wait > 0:
                self.rate_limited += 1
                return web.json_response(
                    {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(max(1, round(wait)))}
                )
            self._last[channel] = now
            self.accepted.append(body)
            self.accepted_at.append(now)
            self._lock.notify_all()
            ts = f"{int(time.time())}.{next(self._ts):06d}"
        return web.json_response({"ok": True, "channel": channel, "ts": ts})

    async def _conversations_open(self, request: web.Request) -> web.Response:
        body = await _body(request)
        return web.json_response({"ok": True, "channel": {"id": "D" + body.get("users", "X").lstrip("U")}})

    async def _users_info(self, request: web.Request) -> web.Response:
        body = await _body(request)
        self.users_info_calls += 1
        user = body.get("user", "")
        if user not in self.timezones:
            return web.json_response({"ok": False, "error": "user_not_found"})
        profile = {"email": self.emails[user]} if user in self.emails else {}
        found = {"id": user, "tz": self.timezones[user], "profile": profile}
        if user in self.locales and body.get("include_locale") in ("true", "1", True):  # Slack's opt-in
            found["locale"] = self.locales[user]
        return web.json_response({"ok": True, "user": found})

    async def _auth_test(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "team_id": "T0TEST", "user_id": "U0BOT", "bot_id": "B0BOT"})


async def _body(request: web.Request) -> dict:
    data = dict(request.query)  # the SDK sends some arguments as query parameters
    if request.method == "GET":
        return data
    if request.content_type == "application/json":
        return data | await request.json()
    form = await request.post()
    data |= {k: v for k, v in form.items()}
    for key in ("blocks", "metadata"):
        if isinstance(data.get(key), str):
            data[key] = json.loads(data[key])
    return data


class RunningLimitedSlack:
    """Runs a LimitedSlack on its own event loop thread, on a loopback port."""

    def __init__(self, fake: LimitedSlack) -> None:
        self.fake = fake
        fake._random = random.Random(fake.seed)
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True, name="limited-slack").start()
        self.runner = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)

    async def _start(self) -> web.AppRunner:
        app = web.Application()
        app.router.add_post("/api/chat.postMessage", self.fake._post_message)
        app.router.add_post("/api/conversations.open", self.fake._conversations_open)
        app.router.add_post("/api/auth.test", self.fake._auth_test)
        app.router.add_route("*", "/api/users.info", self.fake._users_info)  # the SDK sends it as a GET
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.fake.port = site._server.sockets[0].getsockname()[1]
        return runner

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
