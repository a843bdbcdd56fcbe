"""Run the real ASGI app under uvicorn on a loopback port, in a thread."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import uvicorn

from bot.settings import Settings
from bot.web import create_web_app
from scheduling.clock import Clock
from tests.conftest import settings_for


def both_platforms(database_url: str, slack_api_url: str, **overrides) -> Settings:
    """Settings for one server answering Slack (signed requests; its Web API faked on
    loopback) and Teams (development mode: there is no token service offline),
    without the scheduler: tests drive deliveries themselves."""
    quiet = {"teams_allow_unauthenticated": True, "scheduler_enabled": False}
    return settings_for(database_url, slack_api_url=slack_api_url, **(quiet | overrides))


STARTUP_SECONDS = 60  # a bound, not a wait: the server signals when it listens


class _SignallingServer(uvicorn.Server):
    """Sets ``ready`` once it listens (the lifespan has run), or once it has stopped trying."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        self.ready.set()

    def run_then_signal(self) -> None:
        try:
            self.run()
        finally:
            self.ready.set()


@contextmanager
def live_server(settings: Settings, *, clock: Clock | None = None, log_level: str = "warning"):
    with live_app(settings, clock=clock, log_level=log_level) as (url, _app):
        yield url


@contextmanager
def live_app(settings: Settings, *, clock: Clock | None = None, log_level: str = "warning"):
    """The server's URL and its Starlette app (whose state tests may wait on)."""
    app = create_web_app(settings, clock=clock)
    server = _SignallingServer(uvicorn.Config(app, host="127.0.0.1", port=0, log_level=log_level, lifespan="on"))
    thread = threading.Thread(target=server.run_then_signal, daemon=True, name="agenda-bot-under-test")
    thread.start()
    server.ready.wait(STARTUP_SECONDS)
    if not server.started:
        server.should_exit = True
        reason = "it stopped (see the log above)" if server.ready.is_set() else f"not within {STARTUP_SECONDS}s"
        raise RuntimeError(f"agenda-bot did not start: {reason}")
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        thread.join(timeout=10)
