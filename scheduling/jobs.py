"""Reminders running for real: APScheduler ticks the planner and the
dispatcher; the outbox in the database is the ledger.

APScheduler is only the timer. Its jobs live in memory because nothing
important lives in them: a restart loses nothing, since due messages are rows
in the outbox, and two replicas ticking together are harmless, since keys
are unique and claims are locked.

Nothing here knows a platform: the front end (bot/delivery.py) hands in the
notifier that sends, and what the settings say.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from datetime import UTC, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from handlers.domain.languages import languages_of
from handlers.domain.ports import Ports
from handlers.domain.timeline import Timeline
from handlers.views import i18n
from handlers.views.i18n import _
from handlers.views.reply import Reply, Section, reply_to_data
from models.db import declare_write
from models.platforms import on_a_platform
from models.tables import Delivery
from scheduling import outbox
from scheduling.clock import Clock, SystemClock
from scheduling.digest import due_digests
from scheduling.dispatcher import Dispatcher, DispatchSettings, Notifier, SendResult
from scheduling.outbox import Claimed, Planned
from scheduling.planner import Policy
from scheduling.reminders import planned_messages

logger = logging.getLogger(__name__)


class _OverlappingTicks(logging.Filter):
    """A dispatch tick that finds the previous one still draining a fan-out is
    skipped on purpose (max_instances=1): not worth a warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


_OVERLAPPING_TICKS = _OverlappingTicks()


class DeliveryJobs:
    """The planner tick and the dispatcher wake-up, as two APScheduler interval jobs."""

    def __init__(
        self,
        ports: Ports,
        notifier: Notifier,
        *,
        policy: Policy,
        planner_every: timedelta,
        dispatch_every: timedelta,
        lease: timedelta,
        shutdown_seconds: float,
        before_planning: Callable[[], Awaitable[object]] | None = None,
        on_outcome: Callable[[Claimed, SendResult, Delivery | None], None] | None = None,  # metrics
        timer_clock: Clock | None = None,
    ) -> None:
        self.ports = ports
        # APScheduler's triggers run on the wall clock; ports.clock (injected in tests) says what is due.
        self.timer_clock = timer_clock or SystemClock()
        self.before_planning = before_planning  # e.g. refresh people's timezones from Slack
        self.planner_every = planner_every
        self.dispatch_every = dispatch_every
        self.policy = policy
        self.dispatcher = Dispatcher(
            open_session=ports.open_session,
            notifier=notifier,
            clock=ports.clock,
            worker=f"{socket.gethostname()}:{os.getpid()}",
            settings=DispatchSettings(catch_up=policy.catch_up, lease=lease),
            on_dead=self.alert_admins,
            on_outcome=on_outcome,
        )
        self.shutdown_seconds = shutdown_seconds
        self.scheduler: AsyncIOScheduler | None = None
        self._dispatching: asyncio.Task | None = None

    @property
    def running(self) -> bool:
        return self.scheduler is not None and self.scheduler.running and not self.dispatcher.stopping

    def plan_once(self) -> int:
        """Plan what falls due soon into the outbox; returns how many rows are new."""
        now = self.ports.clock.now()
        with self.ports.open_session() as session:
            timeline = Timeline.load(session, now.date(), self.ports.capitals)
            planned = planned_messages(session, timeline, self.policy, now)
            planned += due_digests(session, timeline, now, self.policy.catch_up)
            return outbox.enqueue(session, planned, now=now)

    async def tick(self) -> None:
        """One planner pass, then deliver what is due (jobs never raise into APScheduler)."""
        try:
            if self.before_planning is not None:
                await self.before_planning()
            created = await asyncio.to_thread(self.plan_once)
            if created:
                logger.info("planned %d new message(s)", created)
        except Exception:
            logger.exception("planning failed; the next tick tries again")

    async def dispatch(self) -> None:
        """Deliver everything that is due, batch after batch (a fan-out does not
        wait for the next tick between batches)."""
        self._dispatching = asyncio.current_task()
        try:
            await self.dispatcher.drain()
        except asyncio.CancelledError:
            logger.warning("deliveries still in flight at shutdown were abandoned; their rows are given back")
        except Exception:
            logger.exception("dispatching failed; the next tick tries again")

    async def alert_admins(self, message: Claimed, error: str) -> None:
        if message.kind == "alert":
            return  # an undeliverable alert must not breed more alerts
        admins = [admin for admin in sorted(self.ports.admins) if on_a_platform(admin)]
        await asyncio.to_thread(self._alert, admins, message, error, self.ports.clock.now())

    def _alert(self, admins: list[str], message: Claimed, error: str, now) -> None:
        """Each admin's alert in their own language. The error is the platform's own text and stays as it said."""
        with self.ports.open_session() as session:
            # It reads (languages), then writes: on SQLite the write lock is taken first, else a read snapshot
            # older than another writer's commit cannot become a write ("database is locked").
            declare_write(session)
            planned = []
            for admin, language in languages_of(session, admins).items():
                with i18n.speaking(language):
                    alert = Reply(
                        title=_("A message could not be delivered: {kind} to {target}").format(
                            kind=message.kind, target=message.target
                        ),
                        sections=[
                            Section(body=_("Error: {error}\nOutbox key: {key}").format(error=error, key=message.key))
                        ],
                    )
                planned.append(Planned(f"alert:dead:{message.key}:{admin}", "alert", admin, now, reply_to_data(alert)))
            outbox.enqueue(session, planned, now=now)

    def start(self) -> None:
        # misfire_grace_time=None and coalesce: after a pause, run once, late, rather than skip or pile up.
        self.scheduler = AsyncIOScheduler(
            timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        )
        # The timer runs on the wall clock (APScheduler's triggers do); the injected clock says what is due.
        # A first run at the injected "now" would make APScheduler count every interval since then
        # before starting (an injected clock a month back: millions of runs), or wait for one ahead.
        now = self.timer_clock.now()
        self.scheduler.add_job(
            self.tick, IntervalTrigger(seconds=self.planner_every.total_seconds()), id="planner",
            replace_existing=True, next_run_time=now,
        )  # fmt: skip
        self.scheduler.add_job(
            self.dispatch, IntervalTrigger(seconds=self.dispatch_every.total_seconds()), id="dispatcher",
            replace_existing=True, next_run_time=now,
        )  # fmt: skip
        logging.getLogger("apscheduler.scheduler").addFilter(_OVERLAPPING_TICKS)  # once: filters are a set
        self.scheduler.start()
        logger.info("reminders: planner every %s, dispatcher every %s", self.planner_every, self.dispatch_every)

    async def stop(self) -> None:
        """Stop taking work; let the message being sent finish (within the
        shutdown bound); give every other claimed message back to the queue."""
        self.dispatcher.stopping = True
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
        in_flight = self._dispatching
        if in_flight is not None and not in_flight.done():
            _finished, unfinished = await asyncio.wait({in_flight}, timeout=self.shutdown_seconds)
            for task in unfinished:  # a send that hangs must not hold the shutdown: it may be repeated later
                task.cancel()
                await asyncio.wait({task}, timeout=1)
        released = await self.dispatcher.release()
        if released:
            logger.info("gave back %d claimed message(s) for another replica or the next start", released)
