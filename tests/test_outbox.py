"""The outbox and dispatcher: never lost, never doubled, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import timedelta

from sqlmodel import select

from models.db import session
from models.tables import Delivery, OutboxMessage
from scheduling import outbox
from scheduling.dispatcher import Dispatcher, DispatchSettings, SendResult
from scheduling.outbox import Planned
from tests.conftest import TODAY

FAST = DispatchSettings(pace=0.0, backoff_base=1.0)


class RecordingNotifier:
    """Delivers everything, or fails on a schedule the test sets."""

    def __init__(self, failures: dict[str, list[SendResult]] | None = None) -> None:
        self.failures = {k: list(v) for k, v in (failures or {}).items()}
        self.delivered: list[str] = []
        self.attempts: Counter[str] = Counter()

    async def send(self, message):
        self.attempts[message.key] += 1
        queued = self.failures.get(message.key)
        if queued:
            return queued.pop(0)
        self.delivered.append(message.key)
        return SendResult(ok=True, provider_id=f"fake:{message.key}")


def planned(n: int, *, due=TODAY, target="slack:C1", prefix="m") -> list[Planned]:
    return [
        Planned(key=f"{prefix}:{i}", kind="reminder", target=target, due_at=due, body={"title": f"#{i}"})
        for i in range(n)
    ]


def rows(engine) -> list[OutboxMessage]:
    with session(engine) as db:
        return list(db.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def dispatcher(engine, notifier, clock, **kwargs) -> Dispatcher:
    from functools import partial

    return Dispatcher(
        open_session=partial(session, engine),
        notifier=notifier,
        clock=clock,
        worker="w1",
        **{"settings": FAST} | kwargs,
    )


def test_enqueueing_twice_creates_each_message_once(engine, clock):
    with session(engine) as db:
        assert outbox.enqueue(db, planned(5), now=clock.now()) == 5
        assert outbox.enqueue(db, planned(7), now=clock.now()) == 2
    assert len(rows(engine)) == 7


async def test_everything_due_is_delivered_once(engine, clock):
    with session(engine) as db:
        outbox.enqueue(db, planned(20) + planned(3, due=TODAY + timedelta(hours=1), prefix="later"), now=clock.now())
    notifier = RecordingNotifier()
    await dispatcher(engine, notifier, clock).drain()
    assert sorted(notifier.delivered) == sorted(f"m:{i}" for i in range(20))
    clock.advance(timedelta(hours=1))
    await dispatcher(engine, notifier, clock).drain()
    assert Counter(notifier.delivered).most_common(1)[0][1] == 1
    assert len(notifier.delivered) == 23
    assert {r.status for r in rows(engine)} == {Delivery.sent}


async def test_rate_limits_and_server_errors_are_retried_after_the_wait(engine, clock):
    with session(engine) as db:
        outbox.enqueue(db, planned(3), now=clock.now())
    notifier = RecordingNotifier(
        {
            "m:0": [SendResult(ok=False, retry_after=30, error="ratelimited")],
            "m:1": [SendResult(ok=False, error="HTTP 503"), SendResult(ok=False, error="HTTP 502")],
        }
    )
    d = dispatcher(engine, notifier, clock)
    await d.drain()
    assert notifier.delivered == ["m:2"]
    row = next(r for r in rows(engine) if r.key == "m:0")
    assert row.status == Delivery.pending and row.next_attempt_at == clock.now() + timedelta(seconds=30)
    clock.advance(timedelta(seconds=29))
    await d.drain()
    assert "m:0" not in notifier.delivered  # Retry-After honoured
    clock.advance(timedelta(minutes=5))
    await d.drain()
    clock.advance(timedelta(minutes=5))
    await d.drain()
    assert sorted(notifier.delivered) == ["m:0", "m:1", "m:2"]
    assert notifier.attempts == Counter({"m:0": 2, "m:1": 3, "m:2": 1})


async def test_permanent_refusals_and_exhausted_retries_are_dead_lettered_with_an_alert(engine, clock):
    with session(engine) as db:
        outbox.enqueue(db, planned(2), now=clock.now())
    notifier = RecordingNotifier(
        {
            "m:0": [SendResult(ok=False, permanent=True, error="channel_not_found")],
            "m:1": [SendResult(ok=False, error="HTTP 500")] * 10,
        }
    )
    alerts = []

    async def on_dead(message, error):
        alerts.append((message.key, error))

    d = dispatcher(
        engine, notifier, clock, on_dead=on_dead, settings=DispatchSettings(pace=0, backoff_base=1, max_attempts=3)
    )
    for _ in range(5):
        await d.drain()
        clock.advance(timedelta(minutes=10))
    assert {r.key: r.status for r in rows(engine)} == {"m:0": Delivery.dead, "m:1": Delivery.dead}
    assert notifier.attempts == Counter({"m:0": 1, "m:1": 3})
    assert sorted(alerts) == [("m:0", "channel_not_found"), ("m:1", "HTTP 500")]


async def test_after_downtime_recent_messages_go_out_marked_late_and_old_ones_expire(engine, clock):
    with session(engine) as db:
        outbox.enqueue(db, planned(1, due=TODAY - timedelta(days=1), prefix="yesterday"), now=clock.now())
        outbox.enqueue(db, planned(1, due=TODAY - timedelta(days=10), prefix="ancient"), now=clock.now())
    notifier = RecordingNotifier()
    await dispatcher(engine, notifier, clock).drain()
    assert notifier.delivered == ["yesterday:0"]
    by_key = {r.key: r for r in rows(engine)}
    assert by_key["yesterday:0"].late is True
    assert by_key["ancient:0"].status == Delivery.expired


async def test_a_dead_dispatchers_claim_is_taken_over_after_its_lease(engine, clock):
    with session(engine) as db:
        outbox.enqueue(db, planned(1), now=clock.now())
        (claimed,) = outbox.claim(
            db, now=clock.now(), worker="crashed", limit=10, lease=timedelta(minutes=2),
            catch_up=timedelta(days=1), late_after=timedelta(minutes=15),
        )  # fmt: skip
    notifier = RecordingNotifier()
    await dispatcher(engine, notifier, clock).drain()
    assert notifier.delivered == []  # still leased
    clock.advance(timedelta(minutes=3))
    await dispatcher(engine, notifier, clock).drain()
    assert notifier.delivered == ["m:0"]
    with session(engine) as db:  # the crashed worker comes back: its claim is gone
        assert outbox.mark_sent(db, claimed.id, worker="crashed", provider_id="x", now=clock.now()) is False


def test_successes_are_written_together_but_only_where_the_claim_is_still_held(engine, clock):
    lease = {"lease": timedelta(minutes=2), "catch_up": timedelta(days=1), "late_after": timedelta(minutes=15)}
    with session(engine) as db:
        outbox.enqueue(db, planned(3), now=clock.now())
        first, second, third = outbox.claim(db, now=clock.now(), worker="slow", limit=10, **lease)
    clock.advance(timedelta(minutes=3))  # the slow worker's lease ran out; another took one over
    with session(engine) as db:
        taken = outbox.claim(db, now=clock.now(), worker="w2", limit=1, **lease)
    assert [m.id for m in taken] == [first.id]
    with session(engine) as db:
        sent = [(first.id, "late-1"), (second.id, "p-2"), (third.id, "p-3")]
        outbox.mark_sent_many(db, sent, worker="slow", now=clock.now())
    found = {r.id: (r.status, r.provider_message_id, r.claimed_by) for r in rows(engine)}
    assert found[first.id] == (Delivery.sending, None, "w2")  # not the slow worker's any more
    assert found[second.id] == (Delivery.sent, "p-2", None) and found[third.id] == (Delivery.sent, "p-3", None)


async def test_a_fan_out_writes_its_successes_in_few_transactions(engine, clock, monkeypatch):
    calls = []
    original = outbox.mark_sent_many
    monkeypatch.setattr(
        outbox, "mark_sent_many", lambda db, sent, **kw: calls.append(len(sent)) or original(db, sent, **kw)
    )
    with session(engine) as db:
        outbox.enqueue(
            db, [p for t in range(50) for p in planned(2, target=f"slack:C{t}", prefix=f"t{t}")], now=clock.now()
        )
    notifier = RecordingNotifier()
    await dispatcher(engine, notifier, clock).drain()
    assert len(notifier.delivered) == 100 and sum(calls) == 100
    assert len(calls) < 50  # one commit each would be 100
    assert all(r.status == Delivery.sent and r.provider_message_id == f"fake:{r.key}" for r in rows(engine))


async def test_messages_to_one_target_are_paced(engine, clock):
    with session(engine) as db:
        outbox.enqueue(
            db, planned(4, target="slack:C1") + planned(4, target="slack:C2", prefix="other"), now=clock.now()
        )
    waits = []

    async def fake_sleep(seconds):
        waits.append(seconds)

    d = dispatcher(engine, RecordingNotifier(), clock, settings=DispatchSettings(pace=1.0), sleep=fake_sleep)
    await d.drain()
    assert len(waits) == 6  # three gaps per channel, none before each channel's first message
    assert all(0 < w <= 1.0 for w in waits)


async def test_graceful_stop_gives_claims_back(engine, clock):
    with session(engine) as db:
        outbox.enqueue(db, planned(3), now=clock.now())
        outbox.claim(
            db, now=clock.now(), worker="w1", limit=10, lease=timedelta(minutes=2),
            catch_up=timedelta(days=1), late_after=timedelta(minutes=15),
        )  # fmt: skip
    assert await dispatcher(engine, RecordingNotifier(), clock).release() == 3
    assert {r.status for r in rows(engine)} == {Delivery.pending}


def test_two_dispatchers_never_send_the_same_message(engine, clock):
    """Two workers, each with its own connection and thread, drain 300 messages."""
    import threading
    from functools import partial

    with session(engine) as db:
        outbox.enqueue(
            db, planned(300, target="slack:C1") + planned(300, target="slack:C2", prefix="b"), now=clock.now()
        )
    notifier = RecordingNotifier()
    lock = threading.Lock()

    class Slow(RecordingNotifier):
        async def send(self, message):
            await asyncio.sleep(random.random() / 1000)
            with lock:
                return await notifier.send(message)

    def work(name):
        d = Dispatcher(
            open_session=partial(session, engine), notifier=Slow(), clock=clock, worker=name,
            settings=DispatchSettings(pace=0, batch=25),
        )  # fmt: skip
        asyncio.run(d.drain())

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts = Counter(notifier.delivered)
    assert len(counts) == 600
    assert max(counts.values()) == 1
