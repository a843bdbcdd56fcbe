"""Fan-out: 1,000 messages over 200 channels into a fake Slack that allows one
message per second per channel. Reports the total time as a ratio of the floor
that limit allows, and lost or doubled messages; then the planner's time on
10,000 items and 500 recipients against a bare loop over the same items.

    PYTHONPATH=. .venv/bin/python bench/fanout.py [--messages 1000] [--channels 200]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from functools import partial

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.notifier import SlackNotifier, slack_http_session
from handlers.views.reply import Reply, Section, reply_to_data
from models.db import make_engine, migrate, session
from scheduling import outbox
from scheduling.clock import SystemClock
from scheduling.dispatcher import Dispatcher, DispatchSettings
from scheduling.outbox import Planned
from scheduling.planner import DueItem, Policy, Recipient, plan
from tests.fakes.slack_limits import LimitedSlack, RunningLimitedSlack


def fan_out(messages: int, channels: int) -> dict:
    engine = make_engine(f"sqlite:///{tempfile.mkdtemp(prefix='agenda-fanout-')}/outbox.db")
    migrate(engine)
    now = datetime.now(UTC)
    body = reply_to_data(Reply(title="Reminder: Political-Military Talks in 7 days", sections=[Section(body="…")]))
    planned = [Planned(f"f{i}", "reminder", f"slack:C{i % channels:04d}", now, body) for i in range(messages)]
    with session(engine) as db:
        outbox.enqueue(db, planned, now=now)
    fake = RunningLimitedSlack(LimitedSlack(per_channel_interval=1.0))
    started, monotonic_start = time.perf_counter(), time.monotonic()

    async def deliver() -> None:
        async with slack_http_session() as http:  # as bot/web.py wires it: one pool of connections
            dispatcher = Dispatcher(
                open_session=partial(session, engine),
                notifier=SlackNotifier(AsyncWebClient(token="xoxb-bench", base_url=fake.fake.api_url, session=http)),
                clock=SystemClock(),
                worker="bench",
                settings=DispatchSettings(batch=1000, pace=1.0),
            )
            while len(set(fake.fake.keys())) < messages and time.perf_counter() - started < 120:
                if not await dispatcher.run_once():
                    await asyncio.sleep(0.05)  # a rate-limited retry is waiting for its Retry-After

    asyncio.run(deliver())
    # Delivery time: from the start until Slack accepted the last message (the
    # dispatcher's bookkeeping of the last outcomes goes on a moment longer).
    elapsed = max(fake.fake.accepted_at) - monotonic_start
    counts = Counter(fake.fake.keys())
    fake.close()
    per_channel = -(-messages // channels)
    floor = (per_channel - 1) * 1.0  # the first message of each channel at t=0, then one a second
    return {
        "elapsed": elapsed,
        "floor": floor,
        "lost": messages - len(counts),
        "doubled": sum(n - 1 for n in counts.values()),
        "rate_limited": fake.fake.rate_limited,
    }


def planner_time(items: int, people: int) -> dict:
    rng = random.Random(7)
    refs = [f"slack:U{n:04d}" for n in range(people)]
    zones = ["America/Toronto", "Asia/Tokyo", "America/Vancouver", "Europe/London"]
    persons = {r: Recipient(r, rng.choice(zones)) for r in refs}
    start = date(2027, 1, 1)
    due = [
        DueItem(f"i{n}", f"Item {n}", "meeting", d, d, tuple(rng.sample(refs, 2)))
        for n in range(items)
        for d in [start + timedelta(days=rng.randint(0, 365))]
    ]
    now = datetime(2027, 6, 1, tzinfo=UTC)
    began = time.perf_counter()
    baseline = sum(1 for item in due for owner in item.owners for _ in (30, 7, 1) if persons[owner].timezone)
    base = time.perf_counter() - began
    began = time.perf_counter()
    found = plan(due, persons, Policy(), now)
    took = time.perf_counter() - began
    return {"planner": took, "baseline": base, "planned": len(found), "candidates": baseline}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=500)
    args = parser.parse_args()
    result = fan_out(args.messages, args.channels)
    print(f"fan-out: {args.messages} messages over {args.channels} channels at 1 message/s/channel")
    ratio = result["elapsed"] / result["floor"]
    print(
        f"  took {result['elapsed']:.2f}s; floor {result['floor']:.0f}s; ratio {ratio:.2f}x (target <= 1.2x); "
        f"lost {result['lost']}; doubled {result['doubled']}; 429s seen {result['rate_limited']}"
    )
    timing = planner_time(args.items, args.people)
    print(f"planner: {args.items:,} items, {args.people} recipients, {timing['candidates']:,} reminder candidates")
    print(
        f"  plan() {timing['planner'] * 1000:.0f} ms ({timing['planned']} due in its window); bare loop over the same "
        f"candidates {timing['baseline'] * 1000:.1f} ms; ratio {timing['planner'] / timing['baseline']:.0f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
