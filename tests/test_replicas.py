"""Real `agenda-bot serve` processes on one PostgreSQL, delivering to a fake
Slack on loopback: two replicas deliver every message exactly once, and a
replica killed with SIGKILL mid fan-out loses nothing when another starts."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import func, select

from handlers.reply import Reply, reply_to_data
from models.db import session
from models.tables import Delivery, OutboxMessage
from scheduling import outbox
from scheduling.outbox import Planned
from tests.fakes.slack_limits import LimitedSlack, RunningLimitedSlack

BIN = Path(sys.executable).parent / "agenda-bot"
pytestmark = pytest.mark.parametrize("backend", ["postgresql"])  # replicas share PostgreSQL


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(database_url: str, api_url: str, *, lease: float = 120) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "AGENDA_", "DATABASE_"))}
    env |= {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": "replica-secret",
        "SLACK_API_URL": api_url,
        "AGENDA_PORT": str(_free_port()),
        "AGENDA_SEED_ON_START": "false",
        "AGENDA_PLANNER_SECONDS": "3600",
        "AGENDA_DISPATCH_SECONDS": "0.5",
        "AGENDA_DISPATCH_LEASE_SECONDS": str(lease),
        "AGENDA_LOG_LEVEL": "WARNING",
    }
    command = [str(BIN)] if BIN.exists() else [sys.executable, "-m", "bot.cli"]
    return subprocess.Popen([*command, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _fan_out(engine, n: int, channels: int) -> None:
    now = datetime.now(UTC)
    body = reply_to_data(Reply(title="Reminder: the symposium is in 7 days"))
    planned = [Planned(f"fanout:{i}", "reminder", f"slack:C{i % channels:04d}", now, body) for i in range(n)]
    with session(engine) as db:
        outbox.enqueue(db, planned, now=now)


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def fake_slack():
    running = RunningLimitedSlack(LimitedSlack(per_channel_interval=0.05, error_rate=0.05))
    yield running.fake
    running.close()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_two_replicas_deliver_each_message_exactly_once(engine, database_url, fake_slack):
    _fan_out(engine, 300, channels=30)
    replicas = [_serve(database_url, fake_slack.api_url) for _ in range(2)]
    try:
        _wait_for(lambda: len(set(fake_slack.keys())) == 300, 90, "300 deliveries")
        time.sleep(1)  # anything doubled would arrive now
    finally:
        for replica in replicas:
            _stop(replica)
    counts = Counter(fake_slack.keys())
    assert len(counts) == 300 and max(counts.values()) == 1
    # uvicorn shuts down gracefully on SIGTERM, then re-raises it so the exit status tells why it stopped.
    assert all(r.returncode in (0, -signal.SIGTERM) for r in replicas)
    logs = [r.stderr.read() for r in replicas]
    assert not any("Traceback" in log for log in logs), logs
    with session(engine) as db:
        assert db.exec(select(func.count()).where(OutboxMessage.status != Delivery.sent)).one() == 0


def test_a_replica_killed_mid_fan_out_loses_nothing(engine, database_url, fake_slack, capsys):
    fake_slack.per_channel_interval = 0.2  # slow enough to be caught mid-way
    _fan_out(engine, 200, channels=10)
    first = _serve(database_url, fake_slack.api_url, lease=3)
    try:
        _wait_for(lambda: len(fake_slack.keys()) >= 40, 60, "the fan-out to start")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    with session(engine) as db:
        in_flight = set(db.exec(select(OutboxMessage.key).where(OutboxMessage.status == Delivery.sending)).all())
    delivered_before = Counter(fake_slack.keys())
    second = _serve(database_url, fake_slack.api_url, lease=3)
    try:
        _wait_for(lambda: len(set(fake_slack.keys())) == 200, 120, "every message after the restart")
        time.sleep(1)
    finally:
        _stop(second)
    counts = Counter(fake_slack.keys())
    doubled = {key for key, n in counts.items() if n > 1}
    assert len(counts) == 200, "nothing lost"
    assert doubled <= in_flight, "only a message in flight at the kill may arrive twice"
    with capsys.disabled():
        print(
            f"\n[SIGKILL test] delivered before the kill: {len(delivered_before)}, in flight at the kill: "
            f"{len(in_flight)}, delivered twice: {len(doubled)}"
        )
