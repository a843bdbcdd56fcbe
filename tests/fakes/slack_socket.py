"""A fake Slack for Socket Mode, on loopback: ``apps.connections.open`` hands
out a WebSocket URL on the same server, which then pushes envelopes (as Slack
does) and collects the app's acknowledgements."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web


@dataclass
class FakeSocketSlack:
    loop: asyncio.AbstractEventLoop
    port: int
    runner: web.AppRunner
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    acks: dict[str, dict] = field(default_factory=dict)
    connected: threading.Event = field(default_factory=threading.Event)
    acked: threading.Condition = field(default_factory=threading.Condition)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def push(self, envelope_type: str, payload: dict) -> str:
        """Send one envelope to the connected app; returns its envelope id."""
        envelope_id = str(uuid.uuid4())
        message = {
            "envelope_id": envelope_id,
            "type": envelope_type,
            "payload": payload,
            "accepts_response_payload": True,
            "retry_attempt": 0,
            "retry_reason": "",
        }
        asyncio.run_coroutine_threadsafe(self.sockets[-1].send_str(json.dumps(message)), self.loop).result(5)
        return envelope_id

    def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> dict:
        with self.acked:
            if not self.acked.wait_for(lambda: envelope_id in self.acks, timeout=timeout):
                raise AssertionError(f"no acknowledgement for envelope {envelope_id}")
            return self.acks[envelope_id]

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)


def start_fake_socket_slack() -> FakeSocketSlack:
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True, name="fake-slack-socket").start()
    return asyncio.run_coroutine_threadsafe(_start(loop), loop).result(10)


async def _start(loop: asyncio.AbstractEventLoop) -> FakeSocketSlack:
    fake: FakeSocketSlack

    async def connections_open(request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "url": f"ws://127.0.0.1:{fake.port}/link"})

    async def auth_test(request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "team_id": "T0TEST", "user_id": "U0BOT", "bot_id": "B0BOT"})

    async def link(request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        fake.sockets.append(socket)
        await socket.send_str(json.dumps({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}}))
        fake.connected.set()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                data = json.loads(message.data)
                with fake.acked:
                    fake.acks[data["envelope_id"]] = data.get("payload") or {}
                    fake.acked.notify_all()
        return socket

    app = web.Application()
    app.router.add_post("/api/apps.connections.open", connections_open)
    app.router.add_post("/api/auth.test", auth_test)
    app.router.add_get("/link", link)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    fake = FakeSocketSlack(loop=loop, port=port, runner=runner)
    return fake
