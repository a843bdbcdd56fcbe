"""Reminders end to end, with time driven by the injected clock: a year of the
agenda in seconds, across Toronto's daylight-saving changes (Tokyo has none).
Each reminder fires once, at 09:00 in its recipient's own timezone."""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.delivery import DeliveryService
from handlers import answer
from handlers.domain.ports import Requester
from models.db import session
from models.revision import agenda_changed
from models.tables import Delivery, OutboxMessage, Person
from scheduling.clock import FixedClock
from scheduling.dispatcher import SendResult
from tests.conftest import settings_for

ADMIN = Requester(user_ref="slack:UADMIN", channel_ref="slack:C0TEST")
ZONES = {"slack:UMARIA": "America/Toronto", "slack:UKEN": "Asia/Tokyo"}

# Who is reminded of what is planned in Python from rows read the same way on both databases: these run on
# SQLite only (restarts, replanning and delivery races run on both), to keep the suite near five minutes.
PLANNING_ONLY = pytest.mark.parametrize("backend", ["sqlite"])


class Inbox:
    def __init__(self, clock: FixedClock) -> None:
        self.clock = clock
        self.received: list[tuple[str, str, datetime]] = []  # (key, target, when it arrived)

    async def send(self, message):
        self.received.append((message.key, message.target, self.clock.now()))
        return SendResult(ok=True, provider_id=message.key)


@pytest.fixture
def year(engine, ports):
    """The agenda with people and dates on both sides of the 2027 DST changes."""
    clock = FixedClock(datetime(2027, 1, 1, tzinfo=UTC))
    ports = dataclasses.replace(ports, clock=clock, admins=frozenset({ADMIN.user_ref}))
    with session(engine) as db:
        for ref, zone in ZONES.items():
            db.add(Person(user_ref=ref, timezone=zone))
        db.commit()
    for command in (
        "assign symposium <@slack:UMARIA> <@slack:UKEN>",
        "assign pol-mil <@slack:UMARIA>",
        "schedule symposium 15 Mar 2027 in Ottawa host Canada",  # 1 day before: the Sunday DST starts
        "schedule pol-mil 8 Nov 2027 in Tokyo host Japan",  # 1 day before: the Sunday DST ends
    ):
        assert answer(command, ports=ports, requester=ADMIN).tone == "answer", command
    return ports, clock


def run_year(engine, ports, clock, days: int = 365, **settings) -> Inbox:
    inbox = Inbox(clock)
    service = DeliveryService(settings_for(**settings), ports, inbox)
    service.dispatcher.settings.pace = 0
    start = clock.now()

    async def simulate():
        for day in range(days):
            clock.at = start + timedelta(days=day)
            await service.tick()
            with session(engine) as db:
                pending = OutboxMessage.status == Delivery.pending
                soon = OutboxMessage.due_at < clock.now() + timedelta(days=1)
                due = db.exec(select(OutboxMessage.due_at).where(pending, soon).distinct()).all()
            for at in sorted(set(due)):
                clock.at = max(at, clock.now())
                await service.dispatcher.drain()

    asyncio.run(simulate())
    return inbox


# Planning, not storage: the outbox on PostgreSQL is covered by the restart and replica tests.
@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_year_of_reminders_each_once_at_nine_local(engine, year):
    ports, clock = year
    inbox = run_year(engine, ports, clock)
    keys = Counter(key for key, _, _ in inbox.received)
    assert keys and max(keys.values()) == 1, "no reminder twice"
    reminders = [(k, t, at) for k, t, at in inbox.received if k.startswith("reminder:")]
    expected = {
        f"reminder:peace-security-symposium:2027-03-15:{lead}d:{who}"
        for lead in (30, 7, 1)
        for who in ("slack:UMARIA", "slack:UKEN")
    } | {f"reminder:pol-mil-talks:2027-11-08:{lead}d:slack:UMARIA" for lead in (30, 7, 1)}
    assert expected <= {k for k, _, _ in reminders}
    for key, target, at in reminders:
        local = at.astimezone(ZoneInfo(ZONES[target]))
        assert local.time() == time(9), (key, local)
    by_key = {k: at for k, _, at in reminders}
    # The same 09:00 in Ottawa is 14:00 UTC in winter and 13:00 UTC in summer.
    # Sunday 14 March (DST began) is no working day: the 1-day reminder comes on Friday 12, still EST.
    assert by_key["reminder:peace-security-symposium:2027-03-15:1d:slack:UMARIA"] == datetime(
        2027, 3, 12, 14, tzinfo=UTC
    )
    assert by_key["reminder:peace-security-symposium:2027-03-15:7d:slack:UMARIA"].hour == 14
    # Sunday 7 November (DST ended) neither: Friday 5, still EDT.
    assert by_key["reminder:pol-mil-talks:2027-11-08:1d:slack:UMARIA"] == datetime(2027, 11, 5, 13, tzinfo=UTC)
    assert by_key["reminder:pol-mil-talks:2027-11-08:7d:slack:UMARIA"].hour == 13
    assert all(at.astimezone(ZoneInfo(ZONES[t])).weekday() < 5 for _, t, at in reminders)
    assert {by_key[f"reminder:peace-security-symposium:2027-03-15:{d}d:slack:UKEN"].hour for d in (1, 7, 30)} == {0}


@pytest.mark.parametrize("backend", ["sqlite"])  # who is reminded, not how it is stored
def test_a_coordinators_channel_gets_copies_and_projected_meetings_prompt_for_a_date(engine, year):
    ports, clock = year
    answer("assign defence talks <@slack:UMARIA>", ports=ports, requester=ADMIN)
    inbox = run_year(engine, ports, clock, days=120, coordinators_channel="CCOORD")
    targets = Counter(t for k, t, _ in inbox.received if k.startswith("reminder:peace-security-symposium"))
    assert targets["slack:CCOORD"] == 3  # one copy per lead time, not per owner
    prompts = [k for k, _, _ in inbox.received if k.startswith("date_prompt:defence-authority-talks")]
    assert prompts, "the annual defence talks have no date for 2027: their owner is asked to fix one"


def test_restarting_and_replanning_never_doubles(engine, year):
    ports, clock = year
    first = run_year(engine, ports, clock, days=75)
    clock.at = datetime(2027, 1, 1, tzinfo=UTC)  # a second replica, or a restart, replays the same days
    second = run_year(engine, ports, clock, days=75)
    assert first.received and not second.received


@pytest.mark.parametrize("backend", ["sqlite"])  # the escalation rule, not storage
def test_overdue_deadlines_escalate_a_bounded_number_of_times(engine, ports):
    clock = FixedClock(datetime(2026, 11, 22, tzinfo=UTC))
    ports = dataclasses.replace(ports, clock=clock)
    inbox = run_year(engine, ports, clock, days=90, coordinators_channel="CCOORD", lead="ULEAD", max_escalations=3)
    mlat = [(k, t) for k, t, _ in inbox.received if k.startswith("escalation:2002-A4:")]
    days = {k.split(":")[2] for k, _ in mlat}
    assert len(days) == 3
    assert {t for _, t in mlat} == {"slack:CCOORD", "slack:ULEAD"}


@PLANNING_ONLY
def test_what_the_listing_shows_is_what_the_dispatcher_sends_escalations_included(engine, ports):
    """The cap the dispatcher really applies is the one `reminders --upcoming` shows: the
    listing plans the whole window at once; delivery plans it a tick at a time."""
    from bot.delivery import policy_from
    from handlers.domain.timeline import Timeline
    from models import repository
    from scheduling.reminders import planned_messages

    start = datetime(2026, 11, 22, tzinfo=UTC)
    clock = FixedClock(start)
    ports = dataclasses.replace(ports, clock=clock, admins=frozenset({ADMIN.user_ref}))
    answer("assign 2002-A4 <@slack:UMARIA> <@slack:UKEN>", ports=ports, requester=ADMIN)  # overdue since 2003
    settings = {"max_escalations": 4, "escalate_every_days": 7}
    policy = dataclasses.replace(
        policy_from(settings_for(**settings)), horizon=timedelta(days=120), catch_up=timedelta(0)
    )
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), start.date(), ports.capitals)
        listed = [p for p in planned_messages(db, timeline, policy, start) if p.kind == "escalation"]
    assert Counter(p.target for p in listed) == {"slack:UMARIA": 4, "slack:UKEN": 4}
    inbox = run_year(engine, ports, clock, days=120, **settings)
    sent = [(k, t, at) for k, t, at in inbox.received if k.startswith("escalation:2002-A4:")]
    assert sorted((k, t) for k, t, _ in sent) == sorted((p.key, p.target) for p in listed)
    assert all(at == p.due_at for (_, _, at), p in zip(sorted(sent), sorted(listed, key=lambda p: p.key), strict=True))


@PLANNING_ONLY
def test_restricted_items_are_reminded_by_dm_but_never_in_the_coordinators_channel(engine, year):
    ports, clock = year
    answer("assign 2002-A4 <@slack:UMARIA>", ports=ports, requester=ADMIN)
    answer("status 2002-A4 in progress", ports=ports, requester=ADMIN)  # an open deadline…
    answer("sensitivity 2002-A4 restricted", ports=ports, requester=ADMIN)
    with session(engine) as db:  # …due in the simulated year
        agenda_changed(db)  # as every writer of agenda rows must
        from models.tables import Commitment

        mlat = db.exec(select(Commitment).where(Commitment.key == "2002-A4")).one()
        mlat.due_edtf, mlat.due_start, mlat.due_end = "2027-03-31", None, datetime(2027, 3, 31).date()
        db.add(mlat)
        db.commit()
    inbox = run_year(engine, ports, clock, days=100, coordinators_channel="CCOORD")
    targets = {t for k, t, _ in inbox.received if k.startswith("reminder:2002-A4")}
    assert targets == {"slack:UMARIA"}
