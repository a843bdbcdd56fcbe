"""Running it for real: readiness, metrics, logs without secrets, graceful shutdown.

The end-to-end test starts a real `agenda-bot serve` process (JSON logs at
DEBUG, the most talkative level) with real-looking secrets, feeds those
secrets through every inbound path, lets it deliver to a fake Slack on
loopback, stops it with SIGTERM mid fan-out, and then reads everything it
wrote and everything in the database.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import shutil
import signal
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import create_engine
from sqlmodel import func, select

from bot.delivery import DeliveryService
from bot.health import readiness
from bot.logs import REDACTED, Redactor, configure_logging
from bot.metrics import Metrics
from bot.settings import Settings
from handlers.views.reply import Reply, reply_to_data
from models.db import make_engine, session
from models.tables import Delivery, OutboxMessage
from scheduling import outbox
from scheduling.dispatcher import SendResult
from scheduling.outbox import Claimed, Planned
from tests.conftest import settings_for
from tests.fakes.slack_limits import LimitedSlack, RunningLimitedSlack
from tests.live_server import live_server
from tests.served import Served, clean_environment, free_port, serve_command
from tests.slack_requests import SIGNING_SECRET, signed_headers, slash_command_body

BOT_TOKEN = "xoxb-2718281828-3141592653-SecretBotTokenValue"
SIGNING = "f00dfacecafe1234signingsecretvalue"
FEED_TOKEN = "Zq3-Ab_cDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcd"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZWFtcyJ9.c2lnbmF0dXJlLXZhbHVl"


# -- the redactor ------------------------------------------------------------------


def test_the_redactor_removes_known_secrets_and_anything_shaped_like_a_credential():
    redact = Redactor(["hunter2-the-password", SIGNING])
    line = redact(
        f"token={BOT_TOKEN} app=xapp-1-A0-123-abc sig=v0={'a' * 64} auth=Bearer {JWT} "
        f"GET /calendar/{FEED_TOKEN}.ics db=postgresql://agenda:hunter2-the-password@db/agenda "
        f"pg=postgresql://u:other-pass@h/d secret={SIGNING}"
    )
    for secret in [BOT_TOKEN, "xapp-1-A0-123-abc", "a" * 64, JWT, FEED_TOKEN, "hunter2", "other-pass", SIGNING]:
        assert secret not in line
    assert "postgresql://agenda:[redacted]@db/agenda" in line and "Bearer [redacted]" in line
    assert redact("nothing secret: counter-terrorism 2002-A4") == "nothing secret: counter-terrorism 2002-A4"


def test_an_exception_traceback_is_redacted_too():
    stream = io.StringIO()
    pipeline = configure_logging("INFO", as_json=True, secrets=[SIGNING], stream=stream)
    try:
        try:
            raise RuntimeError(f"the API refused {BOT_TOKEN} with {SIGNING}")
        except RuntimeError:
            logging.getLogger("agenda_bot.test").exception("failed with %s", SIGNING)
    finally:
        pipeline.close()  # lines are written by a listener thread: let it write them
        logging.getLogger().handlers.clear()
    line = json.loads(stream.getvalue())
    assert line["level"] == "ERROR" and "RuntimeError" in line["exception"]
    assert BOT_TOKEN not in stream.getvalue() and SIGNING not in stream.getvalue()
    assert REDACTED in line["message"]


async def test_the_scheduler_runs_quietly_at_info_but_its_errors_and_missed_runs_are_logged():
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    async def fine():
        pass

    async def broken():
        raise RuntimeError("the planner broke")

    stream = io.StringIO()
    scheduler_logger = logging.getLogger("apscheduler")
    level_before = scheduler_logger.level
    pipeline = configure_logging("INFO", stream=stream)
    seen: list[int] = []
    all_seen = asyncio.Event()

    def listen(event) -> None:
        seen.append(event.code)
        if len(seen) == 3:
            all_seen.set()

    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_listener(listen, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    now = datetime.now(UTC)
    scheduler.add_job(fine, "date", run_date=now, id="fine")
    scheduler.add_job(broken, "date", run_date=now, id="broken")
    scheduler.add_job(fine, "date", run_date=now - timedelta(minutes=5), misfire_grace_time=1, id="late")
    try:
        scheduler.start()
        await asyncio.wait_for(all_seen.wait(), timeout=30)
        scheduler.shutdown(wait=False)
    finally:
        pipeline.close()
        logging.getLogger().handlers.clear()
        scheduler_logger.setLevel(level_before)
    assert sorted(seen) == sorted([EVENT_JOB_EXECUTED, EVENT_JOB_ERROR, EVENT_JOB_MISSED])
    written = stream.getvalue()
    assert "Running job" not in written and "executed successfully" not in written
    assert "the planner broke" in written and "ERROR apscheduler" in written  # a job that raised
    assert "WARNING apscheduler" in written and "was missed by" in written  # a run that was missed


# -- readiness and metrics, in-process ---------------------------------------------


def _settings(database_url: str, **overrides) -> Settings:
    values = {
        "database_url": database_url,
        "slack_signing_secret": SIGNING_SECRET,
        "scheduler_enabled": False,
    }
    return settings_for(**(values | overrides))


@pytest.fixture
def seeded_copy(tmp_path, sqlite_template) -> str:
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def test_readyz_fails_while_a_due_message_waits_too_long_and_metrics_show_the_outbox(seeded_copy):
    engine = make_engine(seeded_copy)
    now = datetime.now(UTC)
    body = reply_to_data(Reply(title="Reminder"))
    with session(engine) as db:
        outbox.enqueue(db, [Planned("stuck", "reminder", "slack:C1", now - timedelta(hours=2), body)], now=now)
    with live_server(_settings(seeded_copy, ready_outbox_lag_seconds=600)) as base:
        ready = httpx.get(f"{base}/readyz", timeout=10)
        assert ready.status_code == 503
        checks = ready.json()["checks"]
        assert checks["database"] == "ok" and checks["scheduler"] == "disabled"
        assert checks["outbox"].startswith("behind: a due message has waited")
        exposition = httpx.get(f"{base}/metrics", timeout=10).text
        assert 'agenda_outbox_messages{status="pending"} 1.0' in exposition
        assert float(_sample(exposition, "agenda_outbox_oldest_due_seconds")) >= 7000
    with session(engine) as db:
        db.exec(select(OutboxMessage)).one().status = Delivery.sent
        db.commit()
    with live_server(_settings(seeded_copy, ready_outbox_lag_seconds=600)) as base:
        ready = httpx.get(f"{base}/readyz", timeout=10)
        assert ready.status_code == 200, ready.text
        assert ready.json() == {
            "status": "ready",
            "stopping": False,
            "checks": {"database": "ok", "scheduler": "disabled", "outbox": "ok"},
        }
        assert httpx.get(f"{base}/healthz", timeout=10).json() == {"status": "ok"}


def test_metrics_count_commands_by_platform_and_command_and_requests_by_route(seeded_copy):
    with live_server(_settings(seeded_copy)) as base:
        for text in ["counter-terrorism", "counter-terrorism", "show 2002-A4", "show"]:
            body = slash_command_body(text, response_url="http://127.0.0.1:9/unused")
            response = httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10)
            assert response.status_code == 200 and response.headers["x-request-id"]
        body = slash_command_body("areas", response_url="http://127.0.0.1:9/unused")
        forged = httpx.post(
            f"{base}/slack/events", content=body, headers=signed_headers(body, secret="wrong"), timeout=10
        )
        assert forged.status_code == 401
        exposition = httpx.get(f"{base}/metrics", timeout=10).text
    assert _sample(exposition, 'agenda_command_seconds_count{command="lookup",platform="slack"}') == "2.0"
    assert _sample(exposition, 'agenda_command_seconds_count{command="show",platform="slack"}') == "1.0"
    assert _sample(exposition, 'agenda_command_seconds_count{command="invalid",platform="slack"}') == "1.0"
    assert _sample(exposition, 'agenda_http_request_seconds_count{route="/slack/events",status="200"}') == "4.0"
    assert _sample(exposition, 'agenda_http_request_seconds_count{route="/slack/events",status="401"}') == "1.0"


def test_delivery_outcomes_429s_and_dead_letters_are_counted():
    metrics = Metrics()
    message = Claimed(1, "k", "reminder", "slack:C1", datetime.now(UTC), {}, attempts=1, late=False)
    metrics.delivered(message, SendResult(ok=True, provider_id="C1:1"), Delivery.sent)
    metrics.delivered(message, SendResult(ok=False, retry_after=3, error="ratelimited"), Delivery.pending)
    metrics.delivered(message, SendResult(ok=False, error="HTTP 503"), Delivery.pending)
    metrics.delivered(message, SendResult(ok=False, permanent=True, error="channel_not_found"), Delivery.dead)
    text = metrics.exposition().decode()
    for outcome in ["sent", "rate_limited", "retry", "dead"]:
        assert _sample(text, f'agenda_deliveries_total{{outcome="{outcome}",platform="slack"}}') == "1.0"
    assert _sample(text, 'agenda_rate_limited_responses_total{platform="slack"}') == "1.0"
    assert _sample(text, 'agenda_dead_letters_total{platform="slack"}') == "1.0"


async def test_readiness_reports_an_unreachable_database(ports):
    unreachable = create_engine(f"postgresql+psycopg://agenda@127.0.0.1:{free_port()}/agenda")
    result = await readiness(unreachable, ports, None, max_lag=600)
    assert not result.ready
    assert result.checks["database"].startswith("unreachable")
    assert result.checks["outbox"] == "unknown: no database"


def _sample(exposition: str, name: str) -> str:
    for line in exposition.splitlines():
        if line.startswith(name + " "):
            return line.split(" ", 1)[1]
    raise AssertionError(f"{name} not in /metrics:\n{exposition}")


# -- a real process: logs, secrets, graceful shutdown -------------------------------


@pytest.fixture
def slow_slack():
    # One message per 0.25 s per channel: a fan-out of 40 to one channel takes 10 s,
    # so SIGTERM arrives while it is under way.
    running = RunningLimitedSlack(LimitedSlack(per_channel_interval=0.25, error_rate=0.0))
    yield running.fake
    running.close()


def test_a_served_process_logs_json_without_secrets_and_stops_gracefully(tmp_path, sqlite_template, slow_slack):
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    now = datetime.now(UTC)
    body = reply_to_data(Reply(title="Reminder: the symposium is in 7 days"))
    with session(engine) as db:
        outbox.enqueue(db, [Planned(f"fan:{i}", "reminder", "slack:CLEADS", now, body) for i in range(40)], now=now)

    env = clean_environment(
        DATABASE_URL=f"sqlite:///{path}",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING,
        SLACK_API_URL=slow_slack.api_url,
        AGENDA_PORT=str(free_port()),
        AGENDA_SEED_ON_START="false",
        AGENDA_PLANNER_SECONDS="3600",
        AGENDA_DISPATCH_SECONDS="0.2",
        AGENDA_LOG_LEVEL="DEBUG",
        AGENDA_LOG_FORMAT="json",
        AGENDA_SHUTDOWN_SECONDS="5",
    )
    served = Served(serve_command(), env, tmp_path / "serve.log")
    process = served.process
    try:
        base = served.wait_ready()

        # Secrets pasted into a command, a forged request, a feed path, a bearer token.
        text = f"{BOT_TOKEN} {SIGNING}"
        cmd = slash_command_body(text, response_url=f"{slow_slack.api_url}response")
        answered = httpx.post(f"{base}/slack/events", content=cmd, headers=_signed(cmd), timeout=10)
        assert answered.status_code == 200
        forged = httpx.post(
            f"{base}/slack/events", content=cmd, headers=signed_headers(cmd, secret=BOT_TOKEN), timeout=10
        )
        assert forged.status_code == 401
        assert httpx.get(f"{base}/calendar/{FEED_TOKEN}.ics", timeout=10).status_code == 404
        httpx.post(f"{base}/api/messages", json={"type": "message"}, headers={"authorization": f"Bearer {JWT}"})

        slow_slack.wait_until(lambda: len(slow_slack.keys()) >= 3, "the fan-out to start", timeout=60)
        stopped_in = served.stop(timeout=20)
    finally:
        served.stop()

    output = served.wait_ended()
    # 1. No secret anywhere in what the process wrote.
    for secret in [BOT_TOKEN, SIGNING, FEED_TOKEN, JWT]:
        assert secret not in output, f"a secret reached the logs: {secret[:8]}…"
    # 2. JSON lines, one per request, with ids.
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    requests = [line for line in lines if line.get("logger") == "agenda_bot.requests"]
    assert {(r["path"], r["status"]) for r in requests} >= {("/slack/events", 200), ("/slack/events", 401)}
    assert all(r["request_id"] and r["duration_ms"] >= 0 for r in requests)
    assert any(r["path"] == "/calendar/{token}.ics" and r["status"] == 404 for r in requests)
    deliveries = [line for line in lines if line.get("outcome") == "sent"]
    assert deliveries and all(d["outbox_key"].startswith("fan:") for d in deliveries)
    # 3. Stopped within the bound, mid fan-out, with nothing lost or doubled.
    assert process.returncode in (0, -signal.SIGTERM), output[-2000:]
    # It stops taking work at once: the 5 s bound is for a send that hangs (next test).
    assert stopped_in < 3, f"shutdown took {stopped_in:.1f}s"
    delivered = Counter(slow_slack.keys())
    assert set(delivered.values()) == {1}
    with session(engine) as db:
        by_status = dict(db.exec(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    assert Delivery.sending not in by_status, by_status  # every claim was given back
    assert by_status.get(Delivery.sent, 0) == len(delivered)
    assert by_status.get(Delivery.pending, 0) == 40 - len(delivered) > 0  # stopped mid fan-out


class HangingNotifier:
    """Sends the first message, then hangs on the second, as a dead connection would."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.hanging = asyncio.Event()

    async def send(self, message: Claimed) -> SendResult:
        if self.sent:
            self.hanging.set()
            await asyncio.sleep(3600)
        self.sent.append(message.key)
        return SendResult(ok=True, provider_id="C:1")


async def test_a_send_that_hangs_does_not_hold_the_shutdown_beyond_its_bound(engine, ports):
    settings = settings_for(shutdown_seconds=0.5)
    now = ports.clock.now()
    body = reply_to_data(Reply(title="Reminder"))
    with session(engine) as db:
        outbox.enqueue(db, [Planned(f"h:{i}", "reminder", f"slack:C{i}", now, body) for i in range(3)], now=now)
    notifier = HangingNotifier()
    delivery = DeliveryService(settings, ports, notifier)
    delivery.dispatcher.settings.pace = 0
    dispatching = asyncio.ensure_future(delivery.dispatch())  # as the scheduler's job would
    await asyncio.wait_for(notifier.hanging.wait(), 30)
    started = time.monotonic()
    await delivery.stop()
    assert 0.4 < time.monotonic() - started < 3
    assert dispatching.done() and not delivery.running
    with session(engine) as db:
        rows = {m.key: m.status for m in db.exec(select(OutboxMessage))}
    assert Delivery.sending not in rows.values()  # the hung one went back to the queue, to be sent again later
    assert [rows[k] for k in notifier.sent] == [Delivery.sent]


def _signed(body: str) -> dict[str, str]:
    return signed_headers(body, secret=SIGNING)


def test_every_secret_setting_reaches_the_redactor():
    settings = settings_for(
        "postgresql://agenda:pg-password-4411@db:5432/agenda",
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING,
        slack_app_token="xapp-1-A0-soak-token",
        teams_client_id="3f2a9c1e-0000-0000-0000-000000000001",
        teams_client_secret="Abc8Q~teams-client-secret-value",
    )
    assert set(settings.secret_values) == {
        BOT_TOKEN,
        SIGNING,
        "xapp-1-A0-soak-token",
        "Abc8Q~teams-client-secret-value",
        "pg-password-4411",
    }
    line = Redactor(settings.secret_values)(
        f"client_secret=Abc8Q~teams-client-secret-value url={settings.database_url}"
    )
    assert "teams-client-secret" not in line and "pg-password" not in line
