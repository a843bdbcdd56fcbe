"""Real `agenda-bot serve` processes on one PostgreSQL, delivering to a fake
Slack on loopback: two replicas deliver every message exactly once, and a
replica killed with SIGKILL mid fan-out loses nothing when another starts."""

from __future__ import annotations

import signal
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import func, select

from handlers.views.reply import Reply, reply_to_data
from models.db import session
from models.tables import Delivery, OutboxMessage
from scheduling import outbox
from scheduling.outbox import Planned
from tests.fakes.slack_limits import LimitedSlack, RunningLimitedSlack
from tests.served import Served, clean_environment, free_port, serve_command

pytestmark = pytest.mark.parametrize("backend", ["postgresql"])  # replicas share PostgreSQL


def _serve(database_url: str, api_url: str, log: Path, *, lease: float = 120) -> Served:
    env = clean_environment(
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET="replica-secret",
        SLACK_API_URL=api_url,
        AGENDA_PORT=str(free_port()),
        AGENDA_SEED_ON_START="false",
        AGENDA_PLANNER_SECONDS="3600",
        AGENDA_DISPATCH_SECONDS="0.5",
        AGENDA_DISPATCH_LEASE_SECONDS=str(lease),
        AGENDA_LOG_LEVEL="WARNING",
    )
    return Served(serve_command(), env, log)


def _fan_out(engine, n: int, channels: int) -> None:
    now = datetime.now(UTC)
    body = reply_to_data(Reply(title="Reminder: the symposium is in 7 days"))
    planned = [Planned(f"fanout:{i}", "reminder", f"slack:C{i % channels:04d}", now, body) for i in range(n)]
    with session(engine) as db:
        outbox.enqueue(db, planned, now=now)


def _unsent(engine) -> int:
    with session(engine) as db:
        return db.exec(select(func.count()).where(OutboxMessage.status != Delivery.sent)).one()


@pytest.fixture
def fake_slack():
    running = RunningLimitedSlack(LimitedSlack(per_channel_interval=0.05, error_rate=0.05))
    yield running.fake
    running.close()


def test_two_replicas_deliver_each_message_exactly_once(engine, database_url, fake_slack, tmp_path):
    _fan_out(engine, 300, channels=30)
    replicas = [_serve(database_url, fake_slack.api_url, tmp_path / f"replica-{n}.log") for n in (1, 2)]
    try:
        fake_slack.wait_until(lambda: len(set(fake_slack.keys())) == 300, "300 deliveries", timeout=90)
    finally:
        for replica in replicas:  # a graceful stop: sends under way finish before the process ends
            replica.stop(timeout=15)
    # Both have ended: whatever they sent has arrived, doubles included.
    counts = Counter(fake_slack.keys())
    assert len(counts) == 300 and max(counts.values()) == 1
    # uvicorn shuts down gracefully on SIGTERM, then re-raises it so the exit status tells why it stopped.
    assert all(r.process.returncode in (0, -signal.SIGTERM) for r in replicas)
    logs = [r.wait_ended() for r in replicas]
    assert not any("Traceback" in log for log in logs), logs
    assert _unsent(engine) == 0


def test_a_replica_killed_mid_fan_out_loses_nothing(engine, database_url, fake_slack, capsys, tmp_path):
    fake_slack.per_channel_interval = 0.2  # slow enough to be caught mid-way
    _fan_out(engine, 200, channels=40)  # 5 a channel: at one a second per channel, some seconds in all
    first = _serve(database_url, fake_slack.api_url, tmp_path / "first.log", lease=3)
    try:
        fake_slack.wait_until(lambda: len(fake_slack.keys()) >= 40, "the fan-out to start", timeout=60)
    finally:
        first.kill()
    with session(engine) as db:
        in_flight = set(db.exec(select(OutboxMessage.key).where(OutboxMessage.status == Delivery.sending)).all())
    delivered_before = Counter(fake_slack.keys())
    second = _serve(database_url, fake_slack.api_url, tmp_path / "second.log", lease=3)
    try:
        fake_slack.wait_until(lambda: len(set(fake_slack.keys())) == 200, "every message after the restart", 120)
    finally:
        second.stop(timeout=15)  # it has ended: nothing more can arrive
    counts = Counter(fake_slack.keys())
    doubled = {key for key, n in counts.items() if n > 1}
    assert len(counts) == 200, "nothing lost"
    assert doubled <= in_flight, "only a message in flight at the kill may arrive twice"
    with capsys.disabled():
        print(
            f"\n[SIGKILL test] delivered before the kill: {len(delivered_before)}, in flight at the kill: "
            f"{len(in_flight)}, delivered twice: {len(doubled)}"
        )
