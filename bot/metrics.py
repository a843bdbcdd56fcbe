"""Prometheus metrics, served at GET /metrics.

Each app has its own registry (tests build many apps in one process). The
outbox figures are read from the database when Prometheus scrapes, so every
replica reports the shared queue, not a copy of it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from handlers.domain.ports import OpenSession
from models.platforms import platform_of
from models.tables import Delivery
from scheduling.clock import Clock
from scheduling.dispatcher import SendResult
from scheduling.outbox import Claimed, queue_state

logger = logging.getLogger(__name__)

# From a cached answer (~1 ms) to the Slack ack budget and beyond.
LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.command_seconds = Histogram(
            "agenda_command_seconds",
            "Time to answer one command, by platform and command.",
            ["platform", "command"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.http_seconds = Histogram(
            "agenda_http_request_seconds",
            "HTTP requests served, by route and status.",
            ["route", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.deliveries = Counter(
            "agenda_deliveries",
            "Delivery attempts by platform and outcome (sent, retry, rate_limited, dead).",
            ["platform", "outcome"],
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "agenda_rate_limited_responses",
            "HTTP 429 answers received from a platform's API.",
            ["platform"],
            registry=self.registry,
        )
        self.dead_letters = Counter(
            "agenda_dead_letters",
            "Messages given up on (bounded attempts, or refused for good).",
            ["platform"],
            registry=self.registry,
        )

    def watch_outbox(self, open_session: OpenSession, clock: Clock) -> None:
        self.registry.register(_OutboxCollector(open_session, clock))

    def delivered(self, message: Claimed, result: SendResult, status: Delivery | None) -> None:
        """Dispatcher hook: count one delivery attempt."""
        platform = platform_of(message.target)
        if result.ok:
            outcome = "sent"
        elif result.retry_after is not None:
            outcome = "rate_limited"
            self.rate_limited.labels(platform).inc()
        elif status == Delivery.dead:
            outcome = "dead"
        else:
            outcome = "retry"
        self.deliveries.labels(platform, outcome).inc()
        if status == Delivery.dead:
            self.dead_letters.labels(platform).inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class _OutboxCollector(Collector):
    def __init__(self, open_session: OpenSession, clock: Clock) -> None:
        self.open_session = open_session
        self.clock = clock

    def collect(self):
        depth = GaugeMetricFamily("agenda_outbox_messages", "Outbox rows by status.", labels=["status"])
        age = GaugeMetricFamily(
            "agenda_outbox_oldest_due_seconds",
            "How long the oldest message that is due now has been waiting (0 when none).",
        )
        try:
            counts, lag = outbox_state(self.open_session, self.clock.now())
        except Exception:  # a scrape must not fail because the database is away: /readyz says that
            logger.warning("could not read the outbox for /metrics", exc_info=True)
            return
        for status in Delivery:
            depth.add_metric([status.value], counts.get(status.value, 0))
        age.add_metric([], lag)
        yield depth
        yield age


def outbox_state(open_session: OpenSession, now: datetime) -> tuple[dict[str, int], float]:
    """Rows per status, and the seconds the oldest due pending message has waited."""
    with open_session() as session:
        counts, oldest = queue_state(session, now=now)
    if oldest is None:
        return counts, 0.0
    if oldest.tzinfo is None:  # SQLite hands back naive datetimes; they are stored as UTC
        oldest = oldest.replace(tzinfo=now.tzinfo)
    return counts, max(0.0, (now - oldest).total_seconds())
