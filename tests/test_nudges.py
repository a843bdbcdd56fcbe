"""The buttons on reminders, without HTTP: acknowledge stops escalations,
snooze moves only that message, and both are permission-checked and audited."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from handlers import answer
from handlers.domain.ports import Requester
from handlers.domain.timeline import Timeline
from handlers.views.reply import Tone
from models import repository
from models.db import session
from models.revision import agenda_changed
from models.tables import Acknowledgement, AuditEntry, OutboxMessage, Person
from scheduling import outbox
from scheduling.outbox import Planned
from scheduling.planner import Policy
from scheduling.reminders import planned_messages
from tests.conftest import settings_for

ADMIN = Requester(user_ref="slack:UADMIN")
MARIA = Requester(user_ref="slack:UMARIA")
STRANGER = Requester(user_ref="slack:USTRANGER")
REMINDER = "reminder:peace-security-symposium:2027-10-14:7d:slack:UMARIA"
ESCALATION = "escalation:2002-A4:2026-11-23:slack:CCOORD"


@pytest.fixture
def inbox(ports, engine):
    ports = dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref}))
    answer("assign symposium <@slack:UMARIA>", ports=ports, requester=ADMIN)
    answer("schedule symposium 14 Oct 2027 in Ottawa host Canada", ports=ports, requester=ADMIN)
    with session(engine) as db:
        db.add(Person(user_ref=MARIA.user_ref, timezone="Asia/Tokyo"))
        db.commit()
        now = ports.clock.now()
        outbox.enqueue(
            db,
            [
                Planned(REMINDER, "reminder", MARIA.user_ref, now, {"title": "Reminder", "sections": []}),
                Planned(ESCALATION, "escalation", "slack:CCOORD", now, {"title": "Overdue", "sections": []}),
            ],
            now=now,
        )
    return ports


def audit(engine, action: str) -> list[AuditEntry]:
    with session(engine) as db:
        return list(db.exec(select(AuditEntry).where(AuditEntry.action == action)).all())


def test_snooze_moves_only_that_message_to_nine_tomorrow_where_the_person_is(inbox, engine):
    reply = answer(f"snooze {REMINDER} tomorrow", ports=inbox, requester=MARIA)
    assert reply.tone == Tone.answer
    assert (
        reply.title
        == "Snoozed: it comes back tomorrow at 09:00 your time: Mon 23 Nov 19:00 Ottawa · Tue 24 Nov 09:00 Tokyo."
    )
    with session(engine) as db:
        snoozed = db.exec(select(OutboxMessage).where(OutboxMessage.key.like("%:snoozed:%"))).one()
    local = snoozed.due_at.astimezone(ZoneInfo("Asia/Tokyo"))
    today_in_tokyo = datetime(2026, 11, 22, 15, tzinfo=UTC).astimezone(ZoneInfo("Asia/Tokyo")).date()
    assert (local.date(), local.time()) == (today_in_tokyo + timedelta(days=1), time(9))
    assert snoozed.target == MARIA.user_ref
    assert "14 Oct 2027" in answer("show 1999-1", ports=inbox, requester=MARIA).sections[1].body  # the date stays
    (entry,) = audit(engine, "snooze")
    assert entry.actor_ref == MARIA.user_ref and entry.after["message"] == snoozed.key
    again = answer(f"snooze {REMINDER} tomorrow", ports=inbox, requester=MARIA)
    assert again.tone == Tone.notice and "already snoozed" in again.title


def test_snooze_next_week(inbox, engine):
    answer(f"snooze {REMINDER} next week", ports=inbox, requester=MARIA)
    with session(engine) as db:
        snoozed = db.exec(select(OutboxMessage).where(OutboxMessage.key.like("%:snoozed:%"))).one()
    assert snoozed.due_at.astimezone(ZoneInfo("Asia/Tokyo")).date() == datetime(2026, 11, 30).date()


def test_a_snooze_for_someone_with_no_zone_follows_agenda_default_timezone(inbox, engine, clock):
    """AGENDA_DEFAULT_TIMEZONE reaches the snooze through the ports, as every setting does."""
    from bot.runtime import build_ports

    with session(engine) as db:
        db.delete(db.exec(select(Person).where(Person.user_ref == MARIA.user_ref)).one())  # no zone known
        db.commit()
    ports = build_ports(settings_for(default_timezone="Europe/Paris"), engine, clock=clock)
    answer(f"snooze {REMINDER} tomorrow", ports=ports, requester=MARIA)
    with session(engine) as db:
        snoozed = db.exec(select(OutboxMessage).where(OutboxMessage.key.like("%:snoozed:%"))).one()
    local = snoozed.due_at.astimezone(ZoneInfo("Europe/Paris"))
    assert (local.date(), local.time()) == (datetime(2026, 11, 23).date(), time(9))


def test_someone_elses_reminder_cannot_be_snoozed_or_acknowledged(inbox, engine):
    for words in (f"snooze {REMINDER} tomorrow", f"ack {REMINDER}", f"ack {ESCALATION}"):
        assert answer(words, ports=inbox, requester=STRANGER).tone == Tone.notice
    assert audit(engine, "snooze") == [] and audit(engine, "acknowledge") == []


def test_acknowledging_an_escalation_stops_the_next_ones(inbox, engine):
    policy = Policy(coordinators_channel="slack:CCOORD")
    later = datetime(2026, 11, 23, 15, tzinfo=UTC)

    def escalations():
        with session(engine) as db:
            timeline = Timeline(repository.load_mechanisms(session=db), later.date())
            return [p for p in planned_messages(db, timeline, policy, later) if p.key.startswith("escalation:2002-A4")]

    assert escalations(), "the MLAT is overdue: it escalates"
    reply = answer(f"ack {ESCALATION}", ports=inbox, requester=ADMIN)
    assert reply.title == "Acknowledged: 2002-A4."
    assert escalations() == []
    with session(engine) as db:
        (ack,) = db.exec(select(Acknowledgement)).all()
    assert ack.acknowledged_by == ADMIN.user_ref
    assert len(audit(engine, "acknowledge")) == 1
    assert answer(f"ack {ESCALATION}", ports=inbox, requester=ADMIN).tone == Tone.notice  # once is enough


def test_acknowledging_cancels_the_escalations_already_queued_for_that_item_only(inbox, engine):
    """The planner queues escalations days ahead: acknowledged, they must not still go out."""
    now = inbox.clock.now()
    queued = {
        "escalation:2002-A4:2026-11-30:slack:CCOORD": now + timedelta(days=8),
        "escalation:2002-A4:2026-11-30:slack:ULEAD": now + timedelta(days=8),
        "escalation:2005-F1:2026-11-30:slack:CCOORD": now + timedelta(days=8),
    }
    with session(engine) as db:
        body = {"title": "Overdue", "sections": []}
        outbox.enqueue(db, [Planned(k, "escalation", k.rsplit(":", 2)[-2] + ":" + k.rsplit(":", 1)[-1], at, body)
                            for k, at in queued.items()], now=now)  # fmt: skip
    answer(f"ack {ESCALATION}", ports=inbox, requester=ADMIN)
    with session(engine) as db:
        status = {m.key: m.status for m in db.exec(select(OutboxMessage)).all() if m.key in queued}
    assert status == {
        "escalation:2002-A4:2026-11-30:slack:CCOORD": "cancelled",
        "escalation:2002-A4:2026-11-30:slack:ULEAD": "cancelled",
        "escalation:2005-F1:2026-11-30:slack:CCOORD": "pending",  # another item's: still due
    }


def test_reminders_carry_the_four_buttons(inbox, engine):
    from handlers.views.reply import reply_from_data

    policy = Policy(horizon=timedelta(days=400))
    now = datetime(2027, 1, 1, tzinfo=UTC)
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), now.date())
        planned = [p for p in planned_messages(db, timeline, policy, now) if p.kind == "reminder"]
    labels = [a.label for a in reply_from_data(planned[0].body).actions]
    assert labels == ["Acknowledge", "Snooze: tomorrow", "Snooze: next week", "Open"]  # a meeting: no Mark done
    assert reply_from_data(planned[0].body).actions[0].query == f"ack {planned[0].key}"


def test_only_snoozes_that_come_back_before_the_meeting_are_offered(inbox, engine):
    """The symposium is on Thu 14 Oct 2027: its 1-day reminder offers no snooze (tomorrow is the
    meeting), the 7-day one only "tomorrow" (next week is the meeting), the 30-day one both."""
    from handlers.views.reply import reply_from_data

    policy = Policy(horizon=timedelta(days=400))
    now = datetime(2027, 1, 1, tzinfo=UTC)
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), now.date())
        planned = {p.key: p for p in planned_messages(db, timeline, policy, now) if p.target == MARIA.user_ref}
    snoozes = {
        lead: [a.label for a in reply_from_data(planned[f"{REMINDER.rsplit(':7d:', 1)[0]}:{lead}d:{MARIA.user_ref}"]
                                                .body).actions if a.label.startswith("Snooze")]
        for lead in (30, 7, 1)
    }  # fmt: skip
    assert snoozes == {30: ["Snooze: tomorrow", "Snooze: next week"], 7: ["Snooze: tomorrow"], 1: []}


def test_a_snooze_past_the_meeting_is_refused_even_typed(inbox, engine, clock):
    one_day_before = "reminder:peace-security-symposium:2026-11-24:1d:slack:UMARIA"
    with session(engine) as db:
        outbox.enqueue(db, [Planned(one_day_before, "reminder", MARIA.user_ref, clock.now(), {"title": "R",
                                                                                              "sections": []})],
                       now=clock.now())  # fmt: skip
    for period in ("tomorrow", "next week"):  # Tokyo's tomorrow is the 24th already
        reply = answer(f"snooze {one_day_before} {period}", ports=inbox, requester=MARIA)
        assert reply.tone == Tone.notice and "after the day it is about (Tue 24 Nov)" in reply.title, reply.title
    assert audit(engine, "snooze") == []
    with session(engine) as db:
        assert db.exec(select(OutboxMessage).where(OutboxMessage.key.like("%:snoozed:%"))).all() == []


def test_unknown_reminders_and_bad_periods_are_explained(inbox):
    assert (
        answer("ack reminder:nothing:here", ports=inbox, requester=MARIA).title == "That reminder is no longer known."
    )
    assert answer(f"snooze {REMINDER} someday", ports=inbox, requester=MARIA).tone == Tone.error


def test_lead_times_per_person_commitment_and_meeting(inbox, engine):
    from models.tables import Commitment, Mechanism

    assert answer("remind me 14 2", ports=inbox, requester=MARIA).title == (
        "You will get reminders 14 days before, 2 days before."
    )
    assert answer("remind symposium 90 30", ports=inbox, requester=MARIA).tone == Tone.notice  # a member: refused
    assert answer("remind symposium 90 30", ports=inbox, requester=ADMIN).tone == Tone.answer
    assert answer("remind 2002-A4 60 7 0", ports=inbox, requester=ADMIN).title.startswith("2002-A4: owners get")
    with session(engine) as db:
        assert db.exec(select(Person.lead_days).where(Person.user_ref == MARIA.user_ref)).one() == [14, 2]
        assert db.exec(
            select(Mechanism.reminder_lead_days).where(Mechanism.key == "peace-security-symposium")
        ).one() == [
            90,
            30,
        ]
        assert db.exec(select(Commitment.reminder_lead_days).where(Commitment.key == "2002-A4")).one() == [60, 7, 0]
    assert len(audit(engine, "remind")) == 3
    answer("remind me default", ports=inbox, requester=MARIA)
    answer("assign symposium <@slack:UKEN>", ports=inbox, requester=ADMIN)
    policy = Policy(horizon=timedelta(days=400))
    now = datetime(2027, 1, 1, tzinfo=UTC)
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), now.date())
        leads = {
            p.key.split(":")[3]
            for p in planned_messages(db, timeline, policy, now)
            if p.key.startswith("reminder:peace")
        }
    assert leads == {"90d", "30d"}  # the meeting's own lead times, for both owners


def test_remind_explains_bad_input(inbox):
    assert answer("remind me", ports=inbox, requester=MARIA).tone == Tone.error
    assert answer("remind me 400", ports=inbox, requester=MARIA).tone == Tone.error
    assert answer("remind 30 7", ports=inbox, requester=MARIA).tone == Tone.error


def test_open_shows_the_item_and_the_press_is_audited(inbox, engine):
    in_the_channel = dataclasses.replace(ADMIN, channel_ref="slack:CCOORD")  # where the escalation was posted
    reply = answer(f"open {ESCALATION}", ports=inbox, requester=in_the_channel)
    assert reply.title.startswith("2002-A4: ")
    meeting = answer(f"open {REMINDER}", ports=inbox, requester=MARIA)
    assert meeting.title.startswith("Canada-Japan Peace and Security Symposium")
    opened = audit(engine, "open")
    assert [(e.actor_ref, e.target_key) for e in opened] == [
        (ADMIN.user_ref, "2002-A4"),
        (MARIA.user_ref, "peace-security-symposium"),
    ]
    answer("sensitivity 2002-A4 restricted", ports=inbox, requester=ADMIN)
    stranger_in_the_channel = dataclasses.replace(STRANGER, channel_ref="slack:CCOORD")
    hidden = answer(f"open {ESCALATION}", ports=inbox, requester=stranger_in_the_channel)
    assert hidden.tone == Tone.notice and "No commitment" in hidden.title  # not shown, not recorded
    assert len(audit(engine, "open")) == 2


def test_opening_a_reminder_that_was_never_sent_writes_nothing(inbox, engine):
    """Issue 12 item 6: `open x:2005-C1:…` repeated wrote an audit row each time."""
    for _ in range(5):
        reply = answer("open x:2005-C1:forged", ports=inbox, requester=STRANGER)
        assert (reply.tone, reply.title) == (Tone.notice, "That reminder is no longer known.")
        assert reply.summary.startswith("Nothing was recorded.")
    assert audit(engine, "open") == []
    assert answer("history 2005-C1", ports=inbox, requester=STRANGER).tone == Tone.notice  # still no changes


def test_someone_elses_reminder_neither_opens_nor_snoozes_for_you(inbox, engine):
    """A reminder sent to Maria is hers: a stranger, an owner or a coordinator pressing it elsewhere records nothing."""
    for who in (STRANGER, ADMIN):
        for words in (f"open {REMINDER}", f"snooze {REMINDER} tomorrow"):
            reply = answer(words, ports=inbox, requester=who)
            assert (reply.tone, reply.title) == (Tone.notice, "That reminder was not sent to you."), words
    elsewhere = dataclasses.replace(ADMIN, channel_ref="slack:COTHER")
    opened_elsewhere = answer(f"open {ESCALATION}", ports=inbox, requester=elsewhere)
    assert opened_elsewhere.title == "That reminder was not sent to you."
    assert audit(engine, "open") == [] and audit(engine, "snooze") == []


def test_pressing_open_again_records_nothing_more(inbox, engine):
    for _ in range(4):
        assert answer(f"open {REMINDER}", ports=inbox, requester=MARIA).tone == Tone.answer
    assert len(audit(engine, "open")) == 1


def test_history_shows_the_real_changes_whatever_the_presses(inbox, engine):
    """Presses recorded before this fix (or by many people) cannot push a date change out of `history`."""
    now = inbox.clock.now()
    with session(engine) as db:
        agenda_changed(db)  # as every writer of agenda rows must
        for n in range(200):
            db.add(
                AuditEntry(
                    at=now + timedelta(minutes=n), actor_ref=STRANGER.user_ref, origin="slack", action="open",
                    target_type="reminder", target_key="peace-security-symposium", after={"opened": f"x:{n}"},
                )
            )  # fmt: skip
        db.commit()
    reply = answer("history symposium", ports=inbox, requester=STRANGER)
    changes, presses = reply.sections
    assert changes.heading == "Changes" and "schedule · date: " in changes.body and "2027-10-14" in changes.body
    assert "open" not in changes.body
    assert presses.heading == "Reminder presses (10 most recent of 200)"
    assert len(presses.body.splitlines()) == 10
