"""Delivery, wired for this process: which platform sends to which target, and
the settings the jobs in scheduling/jobs.py run by."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.metrics import Metrics
from bot.settings import Settings
from handlers.domain.ports import Ports
from models.platforms import platform_of, qualified
from scheduling.dispatcher import Notifier
from scheduling.jobs import DeliveryJobs
from scheduling.outbox import Claimed
from scheduling.planner import Policy


class PlatformNotifier:
    """Sends each message through its target's platform (``slack:…``, ``teams:…``);
    targets of a platform with no notifier go to ``fallback`` (the console)."""

    def __init__(self, notifiers: dict[str, Notifier], *, fallback: Notifier) -> None:
        self.notifiers = notifiers
        self.fallback = fallback

    async def send(self, message: Claimed):
        platform = platform_of(message.target)
        return await self.notifiers.get(platform, self.fallback).send(message)


def policy_from(settings: Settings) -> Policy:
    def ref(value: str | None) -> str | None:
        return qualified(value) if value else None

    return Policy(
        lead_days=settings.lead_days,
        default_timezone=settings.default_timezone,
        coordinators_channel=ref(settings.coordinators_channel),
        lead=ref(settings.lead),
        date_prompt_weeks=settings.date_prompt_weeks,
        overdue_grace_days=settings.overdue_grace_days,
        escalate_every_days=settings.escalate_every_days,
        max_escalations=settings.max_escalations,
        catch_up=timedelta(hours=settings.catch_up_hours),
        capitals=settings.capitals_config,
    )


class DeliveryService(DeliveryJobs):
    """The planner and dispatcher jobs, timed as the settings say."""

    def __init__(
        self,
        settings: Settings,
        ports: Ports,
        notifier: Notifier,
        *,
        before_planning: Callable[[], Awaitable[object]] | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        super().__init__(
            ports,
            notifier,
            policy=policy_from(settings),
            planner_every=timedelta(seconds=settings.planner_seconds),
            dispatch_every=timedelta(seconds=settings.dispatch_seconds),
            lease=timedelta(seconds=settings.dispatch_lease_seconds),
            shutdown_seconds=settings.shutdown_seconds,
            before_planning=before_planning,
            on_outcome=metrics.delivered if metrics else None,
        )
