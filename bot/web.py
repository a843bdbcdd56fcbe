"""The ASGI application: Slack's and Teams' endpoints, calendar feeds, dashboards, health, readiness, metrics, lifespan.

The lifespan migrates and seeds the database, builds the Slack front end and,
when SLACK_APP_TOKEN is set, opens the Socket Mode connection as well; when
Teams is configured it builds the Teams SDK app, whose messaging endpoint is
a route of this same app (one process, one port).
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import TYPE_CHECKING

from prometheus_client import CONTENT_TYPE_LATEST
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot import dashboard_http, teams_tab
from bot.calendar_http import calendar_feed
from bot.console import ConsoleNotifier
from bot.delivery import DeliveryService, PlatformNotifier
from bot.health import readiness
from bot.identities import EmailLinks
from bot.metrics import Metrics
from bot.names import NameBook
from bot.request_limits import RequestLimits
from bot.request_log import RequestLog
from bot.runtime import build_ports, open_database
from bot.secret_paths import redact_access_log
from bot.settings import Settings
from bot.slack.app import create_slack_app
from bot.slack.gate import AGENDA_REVISION, SlackGate
from bot.slack.notifier import SlackNotifier, slack_http_session
from bot.slack.payloads import payload_problem
from bot.slack.people import SlackPeople
from bot.slack.render import render_ahead
from handlers.domain.cache import word_every_item
from models.platforms import SLACK, TEAMS
from scheduling.clock import Clock, SystemClock
from scheduling.dispatcher import Notifier

if TYPE_CHECKING:  # the Teams SDK takes seconds to import: only a server with Teams configured loads it
    from bot.teams.adapter import StarletteAdapter
    from bot.teams.people import TeamsAddresses

logger = logging.getLogger(__name__)

SETTLE_SECONDS = 5.0  # at shutdown, how long Teams address lookups under way may take to finish


def create_web_app(settings: Settings, *, clock: Clock | None = None) -> Starlette:
    settings.check_for_serving()  # credentials that only serving needs (bot/settings.py)
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = await asyncio.to_thread(open_database, settings)
        ports = build_ports(settings, engine, clock=clock or SystemClock())
        app.state.ports = ports
        metrics.watch_outbox(ports.open_session, ports.clock)
        names = NameBook(ports)  # people by name where a platform cannot show them itself
        socket_mode = None
        slack_people = _slack_people(settings, ports)
        if settings.slack_http_enabled or settings.slack_socket_mode:
            slack = create_slack_app(settings=settings, ports=ports, metrics=metrics, names=names, people=slack_people)
            if settings.slack_http_enabled:
                app.state.slack_handler = AsyncSlackRequestHandler(slack)
                app.state.slack_gate = SlackGate(settings.slack_signing_secret.get_secret_value(), ports.open_session)
            if settings.slack_socket_mode:
                socket_mode = await _start_socket_mode(slack, settings)
        else:
            logger.warning(
                "Slack is not configured (no SLACK_SIGNING_SECRET or SLACK_APP_TOKEN): "
                "/slack/events answers 503; the terminal commands work."
            )
        # Slack can find a person by address; Teams cannot (that needs Graph), so Teams addresses are searched in Slack.
        find_by_email = {SLACK.name: slack_people.lookup_by_email} if slack_people else {}
        email_links = EmailLinks(ports, find_by_email=find_by_email)
        app.state.teams_addresses = None
        if settings.teams_enabled:
            from bot.teams.people import TeamsAddresses

            app.state.teams_addresses = TeamsAddresses(ports, email_links)
        teams = await _start_teams(app, settings, ports, metrics, names)
        delivery = _delivery(settings, ports, teams, metrics, slack_people, names)
        if settings.scheduler_enabled:
            delivery.start()
        slack_on = settings.slack_http_enabled or settings.slack_socket_mode
        await asyncio.to_thread(_warm_up, ports, names, slack=slack_on)
        _freeze_startup_objects()
        app.state.ready = True
        app.state.readiness = partial(
            readiness,
            engine,
            ports,
            delivery if settings.scheduler_enabled else None,
            max_lag=settings.ready_outbox_lag_seconds,
        )
        try:
            yield
        finally:
            app.state.stopping = True
            logger.info("shutting down: no new deliveries; in-flight ones finish or go back to the queue")
            await delivery.stop()
            if app.state.teams_addresses is not None:
                await _settle(app.state.teams_addresses)
            if socket_mode is not None:
                await socket_mode.close_async()
            if slack_people is not None:
                await slack_people.client.session.close()
            engine.dispose()

    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics_endpoint, methods=["GET"]),
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/api/messages", teams_messages, methods=["POST"]),
            Route("/calendar/{token}.ics", calendar_feed, methods=["GET"]),
            *dashboard_http.ROUTES,
            *teams_tab.ROUTES,
        ],
        middleware=[
            Middleware(RequestLog, metrics=metrics),
            # Inside the request log, so refusals are logged and counted too.
            Middleware(RequestLimits, max_body_bytes=settings.max_request_bytes),
        ],
        lifespan=lifespan,
    )
    app.state.slack_handler = None
    app.state.slack_gate = None
    app.state.teams_adapter = None
    app.state.teams_addresses = None
    app.state.teams_tab_tokens = teams_tab.tokens_for(settings)  # the Teams tab's sign-in (None: no tab)
    app.state.ready = False
    app.state.stopping = False
    app.state.readiness = None
    app.state.metrics = metrics
    redact_access_log()  # calendar and dashboard links carry a secret in the path, should uvicorn's access log be on
    return app


def _warm_up(ports, names: NameBook, *, slack: bool) -> None:
    """Build today's timeline, vocabulary and index, and word every commitment as listed (in the
    default language), now, so that questions do not pay for it; for Slack, render them too.

    On a large agenda the build (parsing every fuzzy date) takes seconds, and wording 10,000
    commitments a few more; on the curated agenda, a fraction of a second.
    """
    with ports.open_session() as session:
        agenda = ports.cache.get(session, ports.clock.now().date())
        word_every_item(session, agenda)  # in the session that read its revision
    if slack:
        render_ahead(list(agenda.items.values()))  # each one's Slack blocks (bot/slack/render.py)
    names.load()


FULL_COLLECTION_EVERY = 100  # middle-generation collections per full one (Python's default: 10)


def _freeze_startup_objects() -> None:
    """Move everything built at start-up out of the garbage collector's sight.

    Modules, the Bolt app, the ORM's mappers and the agenda cache are some
    170,000 long-lived objects; each full collection walked all of them and
    stalled requests for 50-140 ms (bench/slack_latency.py showed it as p99
    spikes). Frozen objects are never collected, which is what they are
    anyway; objects made per request are still collected as before.

    What answers keep after that (the reply cache, rendered messages, parsed questions: some
    tens of thousands of objects once full) still made a full collection every ~1,500 new
    questions, each stalling every request in flight for 10-40 ms (p99, again). Full
    collections now wait for ten times as many younger ones as Python's default (10): they
    come ten times less often, and garbage in cycles that lived long enough to reach the
    oldest generation waits that much longer to be freed. Young garbage is collected as before.
    """
    gc.collect()
    gc.freeze()
    young, middle, _oldest = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)


def _slack_people(settings: Settings, ports) -> SlackPeople | None:
    """The Web API client for deliveries and people lookups, with one pool of connections (closed at shutdown)."""
    if settings.slack_bot_token is None:
        return None
    client = AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url, session=slack_http_session()
    )
    return SlackPeople(client, ports)


async def _settle(addresses: TeamsAddresses) -> None:
    """Let address lookups under way finish: each is a request and a short write."""
    try:
        async with asyncio.timeout(SETTLE_SECONDS):
            await addresses.settled()
    except TimeoutError:
        logger.warning("stopped with %d Teams address lookups unfinished", len(addresses.pending))


def _delivery(
    settings: Settings, ports, teams, metrics: Metrics, slack_people: SlackPeople | None, names: NameBook
) -> DeliveryService:
    """Each platform that can post gets its targets (slack:…, teams:…); the rest is
    printed to the console (the outbox still records it)."""
    notifiers: dict[str, Notifier] = {}
    before_planning = None
    if slack_people is not None:
        notifiers[SLACK.name] = SlackNotifier(slack_people.client, ports.capitals, names)
        before_planning = slack_people.refresh
    else:
        logger.info("No SLACK_BOT_TOKEN: Slack reminders and digests are printed to the console.")
    if teams is not None and teams.id is not None:  # proactive sends need the bot's credentials
        from bot.teams.notifier import TeamsNotifier

        notifiers[TEAMS.name] = TeamsNotifier(teams, ports, tenant_id=settings.teams_tenant_id, names=names)
    notifier = PlatformNotifier(notifiers, fallback=ConsoleNotifier(capitals=ports.capitals))
    return DeliveryService(settings, ports, notifier, before_planning=before_planning, metrics=metrics)


async def _start_teams(app: Starlette, settings: Settings, ports, metrics: Metrics, names: NameBook):
    if not settings.teams_enabled:
        logger.info("Teams is not configured (no TEAMS_CLIENT_ID): /api/messages answers 503.")
        return None
    if settings.teams_allow_unauthenticated:
        logger.warning(
            "!!! AGENDA_TEAMS_ALLOW_UNAUTHENTICATED is set: /api/messages accepts requests WITHOUT a Bot "
            "Framework token. Anyone who can reach this server can act as any Teams user. Development only. !!!"
        )
    from bot.teams.adapter import StarletteAdapter
    from bot.teams.app import create_teams_app

    adapter = StarletteAdapter()
    teams = create_teams_app(
        settings=settings,
        ports=ports,
        adapter=adapter,
        metrics=metrics,
        addresses=app.state.teams_addresses,
        names=names,
    )
    await teams.initialize()  # registers the messaging route on the adapter; starts no server
    app.state.teams_adapter = adapter
    return teams


async def _start_socket_mode(slack, settings: Settings):
    # Imported here: Socket Mode's client is only needed when it is used.
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(slack, settings.slack_app_token.get_secret_value())
    await handler.connect_async()
    logger.info("Slack Socket Mode connected")
    return handler


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    check = request.app.state.readiness
    if check is None:
        return JSONResponse({"status": "starting"}, status_code=503)
    result = await check(stopping=request.app.state.stopping)
    return JSONResponse(result.as_json(), status_code=200 if result.ready else 503)


async def metrics_endpoint(request: Request) -> Response:
    exposition = await asyncio.to_thread(request.app.state.metrics.exposition)  # it reads the outbox
    return Response(exposition, media_type=CONTENT_TYPE_LATEST)


def _not_configured(error: str) -> JSONResponse:
    """The 503 an endpoint answers when its platform has no credentials on this server."""
    return JSONResponse({"error": error}, status_code=503)


async def teams_messages(request: Request) -> Response:
    adapter: StarletteAdapter | None = request.app.state.teams_adapter
    if adapter is None:
        return _not_configured("Teams is not configured on this server: set TEAMS_CLIENT_ID and TEAMS_CLIENT_SECRET.")
    return await adapter.handle(request)


async def slack_events(request: Request) -> Response:
    handler: AsyncSlackRequestHandler | None = request.app.state.slack_handler
    if handler is None:
        return _not_configured("Slack is not configured on this server: set SLACK_SIGNING_SECRET (see README).")
    verdict = await request.app.state.slack_gate.check(request)
    if isinstance(verdict, Response):
        return verdict
    problem = payload_problem(await request.body(), request.headers.get("content-type"))
    if problem is not None:
        # Signed, so from someone holding the secret, but not something Bolt can route.
        logger.warning("rejected a signed Slack request: %s", problem)
        return JSONResponse({"error": "malformed request body"}, status_code=400)
    # The listener answers as of the agenda revision read after this request arrived (bot/slack/gate.py).
    return await handler.handle(request, addition_context_properties={AGENDA_REVISION: verdict.revision})
