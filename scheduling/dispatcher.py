"""The dispatcher: claims due outbox rows and sends them through a Notifier.

Per target (a channel or a person's DM) messages go one at a time, at least
``pace`` seconds apart (Slack allows about one message per second per
channel); different targets go in parallel. Failures are retried with
exponential backoff and jitter, honouring the platform's Retry-After; after
``max_attempts``, or on a refusal that retrying cannot fix, the message is
dead-lettered and ``on_dead`` is told (it alerts the admins).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from sqlmodel import Session

from models.tables import Delivery
from scheduling import outbox
from scheduling.clock import Clock
from scheduling.outbox import Claimed

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendResult:
    ok: bool
    provider_id: str | None = None
    retry_after: float | None = None  # seconds, when the platform said so (HTTP 429)
    permanent: bool = False  # retrying cannot help (channel gone, bot removed)
    error: str = ""


class Notifier(Protocol):
    async def send(self, message: Claimed) -> SendResult: ...


@dataclass
class DispatchSettings:
    batch: int = 100
    lease: timedelta = timedelta(minutes=2)
    max_attempts: int = 6
    pace: float = 1.0  # seconds between two messages to the same target
    backoff_base: float = 2.0  # seconds; doubles per attempt
    backoff_cap: float = 600.0
    catch_up: timedelta = timedelta(days=2)  # after downtime, send what fell due within this
    late_after: timedelta = timedelta(minutes=15)


@dataclass
class Dispatcher:
    open_session: Callable[[], Session]
    notifier: Notifier
    clock: Clock
    worker: str
    settings: DispatchSettings = field(default_factory=DispatchSettings)
    on_dead: Callable[[Claimed, str], Awaitable[None]] | None = None
    on_outcome: Callable[[Claimed, SendResult, Delivery | None], None] | None = None  # metrics
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _last_sent: dict[str, float] = field(default_factory=dict)
    stopping: bool = False  # set on shutdown: claim nothing more, send nothing more
    # Successes waiting to be written, and the task writing them (see _record_sent).
    _unwritten: list[tuple[Claimed, SendResult, asyncio.Future]] = field(default_factory=list)
    _writer: asyncio.Task | None = None

    async def run_once(self) -> int:
        """Claim one batch and deliver it; returns how many messages were attempted."""
        if self.stopping:
            return 0
        claimed = await asyncio.to_thread(self._claim)
        by_target: dict[str, list[Claimed]] = {}
        for message in claimed:
            by_target.setdefault(message.target, []).append(message)
        await asyncio.gather(*(self._deliver_in_order(messages) for messages in by_target.values()))
        return len(claimed)

    async def drain(self, *, max_rounds: int = 1000) -> int:
        """Run batches until nothing is due (tests, catch-up after downtime)."""
        total = 0
        for _ in range(max_rounds):
            count = await self.run_once()
            total += count
            if count == 0:
                break
        return total

    async def release(self) -> int:
        return await asyncio.to_thread(self._with_session, outbox.release, worker=self.worker)

    # -- internals ---------------------------------------------------------------------

    def _with_session(self, function, **kwargs):
        with self.open_session() as session:
            return function(session, **kwargs)

    def _claim(self) -> list[Claimed]:
        s = self.settings
        return self._with_session(
            outbox.claim,
            now=self.clock.now(),
            worker=self.worker,
            limit=s.batch,
            lease=s.lease,
            catch_up=s.catch_up,
            late_after=s.late_after,
        )

    async def _deliver_in_order(self, messages: list[Claimed]) -> None:
        # Outcomes are written to the database while the next message waits
        # out its pace, so a busy database never stretches the gaps between
        # messages to one channel; all are written before the batch ends.
        recording = []
        for message in messages:
            await self._pace(message.target)
            if self.stopping:  # the rest stay claimed; stop() gives them back
                break
            try:
                result = await self.notifier.send(message)
            except Exception as exc:  # a notifier bug must not stop the others; the row is retried
                logger.exception("notifier failed on %s", message.key)
                result = SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")
            self._last_sent[message.target] = asyncio.get_running_loop().time()
            recording.append(asyncio.ensure_future(self._record_and_alert(message, result)))
        await asyncio.gather(*recording)

    async def _record_and_alert(self, message: Claimed, result: SendResult) -> None:
        if result.ok:
            status = await self._record_sent(message, result)
        else:
            status = await asyncio.to_thread(self._record, message, result)
        if self.on_outcome is not None:
            self.on_outcome(message, result, status)
        if status == Delivery.dead and self.on_dead is not None:
            await self.on_dead(message, result.error)

    async def _record_sent(self, message: Claimed, result: SendResult) -> Delivery:
        """Write a success with the others that arrived meanwhile, in one transaction.

        In a fan-out hundreds of sends succeed within moments; a commit each
        made the database (and the threads waiting on it, holding the GIL) the
        bottleneck. One writer at a time takes everything waiting, so a busy
        moment makes bigger batches, and a quiet one writes at once.
        """
        done = asyncio.get_running_loop().create_future()
        self._unwritten.append((message, result, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.ensure_future(self._write_sent())
        return await done

    async def _write_sent(self) -> None:
        while self._unwritten:
            batch, self._unwritten = self._unwritten, []
            sent = [(message.id, result.provider_id) for message, result, _ in batch]
            try:
                await asyncio.to_thread(
                    self._with_session, outbox.mark_sent_many, sent=sent, worker=self.worker, now=self.clock.now()
                )
            except Exception as exc:  # as with one write: the senders see it; the rows' leases run out
                for _, _, done in batch:
                    done.set_exception(exc)
                continue
            for message, result, done in batch:
                _log_sent(message, result)
                done.set_result(Delivery.sent)

    async def _pace(self, target: str) -> None:
        last = self._last_sent.get(target)
        if last is not None:
            wait = self.settings.pace - (asyncio.get_running_loop().time() - last)
            if wait > 0:
                await self.sleep(wait)

    def _record(self, message: Claimed, result: SendResult) -> Delivery | None:
        now = self.clock.now()
        if result.ok:
            self._with_session(
                outbox.mark_sent, message_id=message.id, worker=self.worker, provider_id=result.provider_id, now=now
            )
            _log_sent(message, result)
            return Delivery.sent
        retry_in = None if result.permanent else timedelta(seconds=self._backoff(message.attempts, result.retry_after))
        status = self._with_session(
            outbox.mark_failed,
            message_id=message.id,
            worker=self.worker,
            error=result.error,
            now=now,
            retry_in=retry_in,
            max_attempts=self.settings.max_attempts,
            rate_limited=result.retry_after is not None,
        )
        # Being rate limited is routine pacing, not a problem worth a warning.
        level = logging.INFO if result.retry_after is not None else logging.WARNING
        logger.log(
            level,
            "delivery of %s failed (%s): %s",
            message.key,
            status,
            result.error,
            extra={"outbox_key": message.key, "target": message.target, "outcome": str(status)},
        )
        return status

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        delay = min(self.settings.backoff_base * 2 ** (attempt - 1), self.settings.backoff_cap)
        return delay * (0.5 + random.random() / 2)  # jitter: replicas retrying together spread out


def _log_sent(message: Claimed, result: SendResult) -> None:
    logger.info(
        "delivered %s to %s (%s)",
        message.key,
        message.target,
        result.provider_id,
        extra={"outbox_key": message.key, "target": message.target, "outcome": "sent"},
    )
