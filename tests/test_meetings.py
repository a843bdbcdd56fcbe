"""Meetings as they happen (issue 16): `/agenda held`, `/agenda not held`, and projections that
count from the last record and call unrecorded years unknown."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from handlers import answer
from handlers.commands.held import RecordHeld, RecordNotHeld, ordinal
from handlers.commands.parser import Lookup, ParseError, parse
from handlers.domain.ports import Requester
from handlers.views.reply import Tone
from handlers.views.text import render_text
from models.db import make_engine, session
from models.tables import AuditEntry, Held, Mechanism, Occurrence, OutboxMessage
from scheduling.clock import FixedClock
from tests import test_changes as change_tests
from tests.test_changes import COORDINATOR, MEMBER

# The same people as the change tests, and their agenda: one configured admin, one coordinator granted in the bot.
agenda = change_tests.agenda


def run(ports, who: Requester, words: str):
    return answer(words, ports=ports, requester=who)


def records(engine, key: str) -> list[Occurrence]:
    with session(engine) as db:
        mechanism = db.exec(select(Mechanism).where(Mechanism.key == key)).one()
        rows = db.exec(select(Occurrence).where(Occurrence.mechanism_id == mechanism.id)).all()
        return sorted(rows, key=lambda o: o.starts_on)


def audit(engine) -> list[AuditEntry]:
    with session(engine) as db:
        return list(db.exec(select(AuditEntry).order_by(AuditEntry.id)).all())


# -- words ----------------------------------------------------------------------------------


def test_held_and_not_held_read_their_words():
    assert parse("held pol-mil 15 Dec 2022 in Ottawa host Canada number 12") == RecordHeld(
        "pol-mil", "2022-12-15", "Ottawa", "CA", 12
    )
    assert parse("held mil-mil 14 Dec 2022 number 13th in Ottawa") == RecordHeld("mil-mil", "2022-12-14", "Ottawa",
                                                                                 None, 13)  # fmt: skip
    assert parse("not held pol-mil 2024 postponed by both sides") == RecordNotHeld(
        "pol-mil", "2024", "postponed by both sides"
    )
    assert parse("not held symposium autumn 2020") == RecordNotHeld("symposium", "2020-23", "")
    assert isinstance(parse("held pol-mil"), ParseError)
    assert isinstance(parse("held pol-mil 2022 host Korea"), ParseError)
    assert isinstance(parse("held pol-mil 2022 number twelve"), ParseError)
    assert isinstance(parse("not held 2024"), ParseError)  # no meeting
    assert isinstance(parse("not started"), Lookup)  # other words after `not` stay a lookup
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 112)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "112th",
    ]  # fmt: skip


# -- recording (both databases: the rows and the audit are what matter) ------------------------


def test_a_coordinator_records_the_2022_meetings_and_the_projection_counts_from_them(agenda, engine):
    before = render_text(run(agenda, MEMBER, "when is the next pol-mil"))
    assert "No meeting is on record" in before
    reply = run(agenda, COORDINATOR, "held pol-mil 15 Dec 2022 in Ottawa host Canada number 12")
    assert reply.tone == Tone.answer, render_text(reply)
    assert reply.title == "Recorded: Political-Military Talks, the 12th, Thu 15 Dec 2022 in Ottawa, host Canada, held."
    text = render_text(reply)
    # Every two years from Dec 2022: 2024 has no record (unknown), 2026 is next; whose turn it is, unknown.
    assert "Next: 2026, projected, not yet fixed." in text
    assert "1 meeting was due since then with no record, held or not: unknown" in text
    assert "the next host is unknown" in text
    [row] = records(engine, "pol-mil-talks")
    assert (row.held, row.ordinal, row.place, row.host, row.date_edtf) == (Held.held, 12, "Ottawa", "CA", "2022-12-15")
    [entry] = audit(engine)
    assert (entry.actor_ref, entry.action, entry.target_key) == (COORDINATOR.user_ref, "held", "pol-mil-talks")
    assert entry.before == {} and entry.after["number"] == 12 and entry.after["held"] == "held"

    not_held = run(agenda, COORDINATOR, "not held pol-mil 2024 elections on both sides")
    assert not_held.title == "Recorded: Political-Military Talks, not held in 2024 (elections on both sides)."
    # 2024 is on record now: nothing unknown, and Japan's turn (2024 did not meet, so the turn did not pass).
    assert "Next: 2026, projected, not yet fixed; expected host Japan." in render_text(not_held)
    shown = render_text(run(agenda, MEMBER, "when is the next pol-mil"))
    assert "expected host Japan" in shown and "with no record" not in shown
    assert [e.action for e in audit(engine)] == ["held", "not_held"]
    assert audit(engine)[1].note == "elections on both sides"
    history = render_text(run(agenda, MEMBER, "show 1999-3"))
    assert "Thu 15 Dec 2022, Ottawa (host Canada)" in history and "2024: not held (elections on both sides)" in history

    mil = run(agenda, COORDINATOR, "held mil-mil 14 Dec 2022 in Ottawa number 13")
    assert mil.title == "Recorded: Military-to-Military Talks, the 13th, Wed 14 Dec 2022 in Ottawa, held."
    assert "No cadence is stated" in render_text(mil)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_duplicates_and_contradictions_are_refused_and_say_which_record_stands(agenda, engine):
    assert run(agenda, COORDINATOR, "held pol-mil 15 Dec 2022 in Ottawa host Canada number 12").tone == Tone.answer
    assert run(agenda, COORDINATOR, "not held pol-mil 2020 pandemic").tone == Tone.answer
    refused = {
        "held pol-mil 15 Dec 2022": "Political-Military Talks: the 12th, Thu 15 Dec 2022 in Ottawa, host Canada is "
        "already recorded as held.",
        "not held pol-mil 2022": "Political-Military Talks is recorded as held: the 12th, Thu 15 Dec 2022 in Ottawa, "
        "host Canada. It cannot also be not held in 2022.",
        "held pol-mil 4 Nov 2020": "Political-Military Talks is recorded as not held in 2020 (pandemic): it cannot "
        "also have been held Wed 4 Nov 2020.",
        "not held pol-mil autumn 2020": "Political-Military Talks is already recorded as not held in 2020 (pandemic).",
        "held pol-mil 5 Oct 2018 number 12": "The 12th Political-Military Talks is already recorded: the 12th, "
        "Thu 15 Dec 2022 in Ottawa, host Canada.",
        "held pol-mil 5 Oct 2018 number 14": "The 14th cannot be Fri 5 Oct 2018: the 12th was Thu 15 Dec 2022.",
        "held pol-mil 10 Mar 2027": "Wed 10 Mar 2027 has not come yet: a meeting is recorded as held once it has met.",
    }
    for words, title in refused.items():
        reply = run(agenda, COORDINATOR, words)
        assert (reply.tone, reply.title, reply.summary) == (Tone.notice, title, "Nothing was changed."), words
    assert run(agenda, MEMBER, "held pol-mil 5 Oct 2018").title.startswith("Only coordinators and admins can record")
    assert run(agenda, COORDINATOR, "held the moon landing 2019").tone == Tone.error
    assert [e.action for e in audit(engine)] == ["held", "not_held"]  # nothing refused was written
    assert len(records(engine, "pol-mil-talks")) == 2
    # A number that fits the dates is taken.
    assert run(agenda, COORDINATOR, "held pol-mil 5 Oct 2018 number 11").tone == Tone.answer


@pytest.mark.parametrize("backend", ["sqlite"])
def test_held_confirms_a_fixed_date_once_it_has_passed(agenda, engine, clock):
    assert run(agenda, COORDINATOR, "schedule pol-mil 8 Dec 2026 in Tokyo host Japan").tone == Tone.answer
    later = dataclasses.replace(agenda, clock=FixedClock(datetime(2026, 12, 20, 9, 0, tzinfo=UTC)))
    page = run(later, COORDINATOR, "meeting pol-mil")
    assert "• Tue 8 Dec 2026, Tokyo (host Japan): was fixed; held or not, not yet recorded" in render_text(page)
    assert ("do", "held pol-mil-talks 2026-12-08") in [(a.kind, a.query) for a in page.actions]
    reply = run(later, COORDINATOR, "held pol-mil 8 Dec 2026 number 14")
    assert reply.summary == "It confirms the date fixed before."
    [row] = records(engine, "pol-mil-talks")  # the same row, now a record
    assert (row.held, row.place, row.host, row.ordinal) == (Held.held, "Tokyo", "JP", 14)
    # Counted from it: 2028, and Canada's turn.
    assert "Next: 2028, projected, not yet fixed; expected host Canada." in render_text(reply)
    page = run(later, COORDINATOR, "meeting pol-mil")
    assert "• 14th: Tue 8 Dec 2026, Tokyo (host Japan): held" in render_text(page)
    assert "held pol-mil-talks 2026-12-08" not in [a.query for a in page.actions]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_not_held_replaces_an_announcement_and_the_symposium_assumes_nothing(agenda, engine):
    shown = render_text(run(agenda, MEMBER, "when is the next symposium"))
    assert "assumes" not in shown and "meetings due since then took place" not in shown
    assert "23 meetings were due since then with no record, held or not: unknown" in shown
    reply = run(agenda, COORDINATOR, "not held symposium autumn 2000 no source records it")
    assert reply.summary == "It replaces the announcement on record."
    announced = [o for o in records(engine, "peace-security-symposium") if o.date_edtf == "2000-23"]
    assert [(o.held, o.planned_only, o.reason) for o in announced] == [(Held.not_held, False, "no source records it")]
    assert "counted from the last record, not held (autumn 2000)" in render_text(reply)


# -- the meeting's page (item 1) ----------------------------------------------------------------


def _slack_queries(reply) -> list[tuple[str, str]]:
    import json

    from bot.slack.render import render

    blocks = render(reply).blocks
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    return [(b["action_id"].split(":")[0], json.loads(b["value"])["q"]) for b in buttons]


def _teams_queries(reply) -> list[tuple[str, str]]:
    from bot.teams.render import card_json, render

    cards = [card_json(c) for c in render(reply).cards]
    return [(a["verb"], a["data"]["q"]) for card in cards for a in card.get("actions", [])]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_page_shows_the_series_with_numbers_and_the_unknown_years(agenda):
    run(agenda, COORDINATOR, "held pol-mil 5 Oct 2018 in Tokyo host Japan number 11")
    run(agenda, COORDINATOR, "held pol-mil 15 Dec 2022 in Ottawa host Canada number 12")
    page = run(agenda, MEMBER, "meeting pol-mil")  # by its alias
    assert page.title == "Political-Military Talks" and page.tone == Tone.answer
    text = render_text(page)
    series = text.split("Series\n------\n")[1].split("\n\n")[0].splitlines()
    assert series == [
        "• 11th: Fri 5 Oct 2018, Tokyo (host Japan): held",
        "• 1 meeting due, no record: unknown",  # 2020
        "• 12th: Thu 15 Dec 2022, Ottawa (host Canada): held",
        "• 1 meeting due (2024), no record: unknown",
    ]
    assert "2026, projected, not yet fixed." in text and "the next host is unknown" in text
    assert "Last meeting\n------------\nThe 12th, Thu 15 Dec 2022 in Ottawa, host Canada. Recorded by @UCOORD." in text
    # A member gets no buttons that change anything; the page is the same in a channel.
    assert [a.kind for a in page.actions] == ["share", "run"]
    assert render_text(run(agenda, MEMBER, "meeting Political-Military Talks")) == text
    unknown = run(agenda, MEMBER, "meeting the moon landing")
    assert unknown.tone == Tone.notice and "Meetings: " in render_text(unknown)
    listed = run(agenda, MEMBER, "meeting")
    assert "Political-Military Talks: 2026, projected, not yet fixed" in render_text(listed)
    assert ("run", "meeting pol-mil-talks") in [(a.kind, a.query) for a in listed.actions]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_coordinators_buttons_record_the_unknown_cycle_on_slack_and_teams(agenda, engine):
    run(agenda, COORDINATOR, "held pol-mil 15 Dec 2022 in Ottawa host Canada number 12")
    page = run(agenda, COORDINATOR, "meeting pol-mil")
    expected = [
        ("share", "meeting pol-mil-talks"),
        ("do", "held pol-mil-talks 2024"),
        ("do", "not held pol-mil-talks 2024"),
        ("run", "plan pol-mil-talks"),
        ("run", "history pol-mil-talks"),
    ]
    assert [(a.kind, a.query) for a in page.actions] == expected
    assert [a.label for a in page.actions][1:3] == ["Held: 2024", "Not held: 2024"]
    assert _slack_queries(page) == [(f"agenda_{kind}", query) for kind, query in expected]
    assert _teams_queries(page) == [(f"agenda.{kind}", query) for kind, query in expected[1:]]  # Teams: no Share
    # Pressing Not held runs the typed command as the presser: checked, audited, and the page follows.
    assert run(agenda, MEMBER, "not held pol-mil-talks 2024").tone == Tone.notice
    assert run(agenda, COORDINATOR, "not held pol-mil-talks 2024").tone == Tone.answer
    after = run(agenda, COORDINATOR, "meeting pol-mil")
    assert "• 2024: not held" in render_text(after) and "expected host Japan" in render_text(after)
    assert [a.kind for a in after.actions] == ["share", "run", "run"]  # nothing left to record


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize(
    ("day", "ottawa"),
    [("9 Mar 2027", "Mon 8 Mar 19:00 Ottawa"), ("16 Mar 2027", "Mon 15 Mar 20:00 Ottawa")],  # Ottawa's DST: 14 Mar
)
def test_the_next_meeting_opens_in_both_capitals_across_daylight_saving(agenda, day, ottawa):
    assert run(agenda, COORDINATOR, f"schedule pol-mil {day} in Tokyo host Japan").tone == Tone.answer
    text = render_text(run(agenda, MEMBER, "meeting pol-mil"))
    tokyo = f"Tue {day.split()[0]} Mar 09:00 Tokyo"
    assert f"Opening at 09:00 in Tokyo (host): {ottawa} · {tokyo}; no time is recorded" in text
    assert f"• Tue {day}: fixed" in text


# -- preparation milestones (item 4) --------------------------------------------------------------


def test_milestone_words():
    from handlers.commands.milestones import ChangeMilestone

    assert parse("milestone pol-mil briefing done") == ChangeMilestone("pol-mil", "briefing", done=True)
    assert parse("milestone pol-mil briefing notes not done") == ChangeMilestone("pol-mil", "briefing", done=False)
    assert parse("milestone Political-Military Talks record of discussion 21 days after") == ChangeMilestone(
        "Political-Military Talks", "record", days=21
    )
    assert parse("milestone pol-mil delegation owner <@slack:UMARIA>") == ChangeMilestone(
        "pol-mil", "delegation", owner="slack:UMARIA"
    )
    for words in ("milestone pol-mil", "milestone pol-mil briefing soon", "milestone pol-mil agenda 900 days before"):
        assert isinstance(parse(words), ParseError), words


def test_the_checklist_counts_from_the_fixed_day_shows_done_and_late_and_is_audited(agenda, engine):
    assert run(agenda, MEMBER, "milestone pol-mil briefing done").tone == Tone.notice  # nothing to prepare: refused
    assert "The checklist starts when a date is fixed." in render_text(run(agenda, MEMBER, "meeting pol-mil"))
    run(agenda, COORDINATOR, "schedule pol-mil 8 Dec 2026 in Tokyo host Japan")
    run(agenda, COORDINATOR, "assign pol-mil <@slack:UOWNER>")
    owner = Requester(user_ref="slack:UOWNER", channel_ref="slack:C0TEST")
    # Today is Sun 22 Nov 2026: agenda proposals (Sun 8 Nov) are late; the rest are ahead.
    assert run(agenda, MEMBER, "milestone pol-mil briefing done").title.startswith("Only coordinators")
    assert run(agenda, owner, "milestone pol-mil briefing 21 days before").title.startswith("Only coordinators")
    done = run(agenda, owner, "milestone pol-mil briefing done")  # an owner of the meeting may mark it done
    assert done.title == (
        "Political-Military Talks, Tue 8 Dec 2026: ✓ Briefing notes ready: due Tue 24 Nov 2026 (14 days before), "
        "owner <@slack:UOWNER>: done Sun 22 Nov 2026 by <@slack:UOWNER>."
    )
    assert run(agenda, owner, "milestone pol-mil briefing done").title == "Briefing notes ready is already done."
    moved = run(agenda, COORDINATOR, "milestone pol-mil delegation 10 days before")
    assert "Delegation list sent: due Sat 28 Nov 2026 ⚠ weekend (10 days before)" in moved.title
    run(agenda, COORDINATOR, "milestone pol-mil record owner <@slack:UMARIA>")
    page = run(agenda, COORDINATOR, "meeting pol-mil")
    steps = render_text(page).split("Preparation and follow-up, for Tue 8 Dec 2026\n")[1].split("\n\n")[0]
    assert steps.splitlines()[1:] == [
        "✗ Agenda proposals exchanged: due Sun 8 Nov 2026 ⚠ weekend (30 days before), owner @UOWNER: late",
        "✓ Briefing notes ready: due Tue 24 Nov 2026 (14 days before), owner @UOWNER: done Sun 22 Nov 2026 by @UOWNER",
        "○ Delegation list sent: due Sat 28 Nov 2026 ⚠ weekend (10 days before), owner @UOWNER",
        "○ Record of discussion agreed: due Tue 22 Dec 2026 (14 days after), owner @UMARIA",
    ]
    assert ("do", "milestone pol-mil-talks agenda done") in [(a.kind, a.query) for a in page.actions]
    actions = [e.action for e in audit(engine) if e.action == "milestone"]
    assert len(actions) == 3
    history = render_text(run(agenda, MEMBER, "history pol-mil"))
    assert "milestone_briefing: 14 days before → 14 days before, done Sun 22 Nov 2026" in history
    digest = render_text(run(agenda, COORDINATOR, "digest preview"))
    assert "• Late: Political-Military Talks (Tue 8 Dec 2026): Agenda proposals exchanged, due Sun 8 Nov 2026" in digest
    assert "• Due: Political-Military Talks (Tue 8 Dec 2026): Delegation list sent, by Sat 28 Nov 2026" in digest
    assert "Briefing notes ready" not in digest  # done


@pytest.mark.parametrize("backend", ["sqlite"])
def test_milestones_are_reminded_through_the_outbox_at_nine_local_across_daylight_saving(agenda, engine):
    from bot.delivery import policy_from
    from handlers.domain.timeline import Timeline
    from models import repository
    from models.tables import Person
    from scheduling.reminders import planned_messages
    from tests.conftest import settings_for

    start = datetime(2027, 1, 1, tzinfo=UTC)
    ports = dataclasses.replace(agenda, clock=FixedClock(start))
    with session(engine) as db:
        db.add(Person(user_ref="slack:UMARIA", timezone="America/Toronto"))
        db.add(Person(user_ref="slack:UKEN", timezone="Asia/Tokyo"))
        db.commit()
    for words in ("schedule pol-mil 6 Apr 2027 in Tokyo host Japan", "assign pol-mil <@slack:UMARIA>",
                  "milestone pol-mil delegation owner <@slack:UKEN>"):  # fmt: skip
        assert run(ports, COORDINATOR, words).tone == Tone.answer, words
    policy = dataclasses.replace(policy_from(settings_for()), horizon=timedelta(days=120), catch_up=timedelta(0))

    def planned(now):
        with session(engine) as db:
            timeline = Timeline(repository.load_mechanisms(session=db), now.date(), ports.capitals)
            return {(p.key, p.due_at) for p in planned_messages(db, timeline, policy, now) if ".briefing:" in p.key
                    or ".delegation:" in p.key}  # fmt: skip

    at = lambda *args: datetime(*args, tzinfo=UTC)  # noqa: E731
    # Briefing notes, due Tue 23 Mar 2027, to the meeting's owner in Ottawa: 30 days before is a Sunday (Fri 19 Feb,
    # 09:00 EST = 14:00 UTC); 7 and 1 days before fall after the change to EDT (09:00 = 13:00 UTC).
    # The delegation list, due Tue 30 Mar, goes to its own owner in Tokyo (09:00 JST = 00:00 UTC), no one else.
    assert planned(start) == {
        ("milestone:pol-mil-talks.briefing:2027-03-23:30d:slack:UMARIA", at(2027, 2, 19, 14)),
        ("milestone:pol-mil-talks.briefing:2027-03-23:7d:slack:UMARIA", at(2027, 3, 16, 13)),
        ("milestone:pol-mil-talks.briefing:2027-03-23:1d:slack:UMARIA", at(2027, 3, 22, 13)),
        ("milestone:pol-mil-talks.delegation:2027-03-30:30d:slack:UKEN", at(2027, 2, 26, 0)),
        ("milestone:pol-mil-talks.delegation:2027-03-30:7d:slack:UKEN", at(2027, 3, 23, 0)),
        ("milestone:pol-mil-talks.delegation:2027-03-30:1d:slack:UKEN", at(2027, 3, 29, 0)),
    }
    # Sent through the outbox, once, with a Mark done button that runs the command as the presser.
    from tests.test_reminders import run_year

    clock = FixedClock(at(2027, 3, 14))
    inbox = run_year(engine, dataclasses.replace(ports, clock=clock), clock, days=8)  # to Sun 21 Mar
    sent = [(k, t) for k, t, _when in inbox.received if ".briefing:" in k]
    assert sent == [("milestone:pol-mil-talks.briefing:2027-03-23:7d:slack:UMARIA", "slack:UMARIA")]
    with session(engine) as db:
        message = db.exec(select(OutboxMessage).where(OutboxMessage.key == sent[0][0])).one()
    from handlers.views.reply import reply_from_data

    reminder = reply_from_data(message.body)
    assert reminder.title.startswith("Reminder: Political-Military Talks: Briefing notes ready, Tue 23 Mar 2027")
    [mark] = [a for a in reminder.actions if a.label == "Mark done"]
    assert mark.query == "milestone pol-mil-talks briefing done"
    maria = Requester(user_ref="slack:UMARIA", channel_ref="slack:D0MARIA")
    assert run(dataclasses.replace(ports, clock=clock), maria, mark.query).tone == Tone.answer
    # Done: its 1-day reminder (Mon 22 Mar, in the outbox already) is cancelled, and no more are planned.
    with session(engine) as db:
        left = db.exec(
            select(OutboxMessage).where(OutboxMessage.key.startswith("milestone:pol-mil-talks.briefing"))
        ).all()
    assert {(m.key.split(":")[3], m.status) for m in left} == {("7d", "sent"), ("1d", "cancelled")}
    assert not {k for k, _ in planned(clock.now()) if ".briefing:" in k}


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_milestone_reminders_open_button_opens_the_meetings_page(agenda, engine):
    from bot.delivery import policy_from
    from handlers.domain.timeline import Timeline
    from handlers.views.reply import reply_from_data
    from models import repository
    from scheduling import outbox
    from scheduling.reminders import planned_messages
    from tests.conftest import settings_for

    run(agenda, COORDINATOR, "schedule pol-mil 8 Dec 2026 in Tokyo host Japan")
    run(agenda, COORDINATOR, "milestone pol-mil delegation owner <@slack:UMARIA>")
    now = agenda.clock.now()
    policy = dataclasses.replace(policy_from(settings_for()), horizon=timedelta(days=30), catch_up=timedelta(0))
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), now.date(), agenda.capitals)
        planned = planned_messages(db, timeline, policy, now)
        [message] = [p for p in planned if p.key.startswith("milestone:") and ":7d:" in p.key]
        outbox.enqueue(db, [message], now=now)
        db.commit()
    assert message.key == "milestone:pol-mil-talks.delegation:2026-12-01:7d:slack:UMARIA"
    [opening] = [a for a in reply_from_data(message.body).actions if a.label == "Open"]
    maria = Requester(user_ref="slack:UMARIA", channel_ref="slack:D0MARIA")
    page = run(agenda, maria, opening.query)
    assert page.title == "Political-Military Talks" and "○ Delegation list sent" in render_text(page)
    assert run(agenda, maria, f"ack {message.key}").tone == Tone.answer  # its owner may acknowledge it


# -- asking whether a meeting met (item 3) --------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_window_that_passed_with_no_record_is_asked_once_after_the_new_year_closure(agenda, engine):
    from bot.delivery import policy_from
    from handlers.domain.timeline import Timeline
    from handlers.views.reply import reply_from_data
    from models import repository
    from models.tables import Person
    from scheduling import outbox
    from scheduling.reminders import planned_messages
    from tests.conftest import settings_for

    with session(engine) as db:
        db.add(Person(user_ref="slack:UMARIA", timezone="America/Toronto"))
        db.add(Person(user_ref="slack:UKEN", timezone="Asia/Tokyo"))
        db.commit()
    for words in ("held defence talks 10 Jun 2025 in Ottawa host Canada",
                  "assign defence talks <@slack:UMARIA> <@slack:UKEN>"):  # fmt: skip
        assert run(agenda, COORDINATOR, words).tone == Tone.answer
    settings = settings_for(coordinators_channel="CCOORD")
    policy = dataclasses.replace(policy_from(settings), horizon=timedelta(days=10), catch_up=timedelta(0))

    def asked(now):
        with session(engine) as db:
            timeline = Timeline(repository.load_mechanisms(session=db), now.date(), agenda.capitals)
            found = planned_messages(db, timeline, policy, now)
            return [p for p in found if p.kind == "record_prompt" and ":defence-authority-talks." in p.key]

    assert asked(datetime(2026, 12, 20, tzinfo=UTC)) == []  # the 2026 window is still open
    # It closes on 31 Dec 2026; 1 Jan is a holiday on both sides, Japan's ministries close to 3 Jan:
    # Monday 4 Jan 2027 at 09:00 where each one is.
    new_year = datetime(2027, 1, 1, tzinfo=UTC)
    prompts = asked(new_year)
    assert {(p.key, p.due_at) for p in prompts} == {
        (
            "record_prompt:defence-authority-talks.unrecorded:2026-01-01:slack:UMARIA",
            datetime(2027, 1, 4, 14, tzinfo=UTC),
        ),
        ("record_prompt:defence-authority-talks.unrecorded:2026-01-01:slack:UKEN", datetime(2027, 1, 4, 0, tzinfo=UTC)),
        (
            "record_prompt:defence-authority-talks.unrecorded:2026-01-01:slack:CCOORD",
            datetime(2027, 1, 4, 14, tzinfo=UTC),
        ),
    }
    # Planned again on later days (or by another replica), the same keys: still one message each.
    with session(engine) as db:
        outbox.enqueue(db, prompts, now=new_year)
        outbox.enqueue(db, asked(datetime(2027, 1, 3, tzinfo=UTC)), now=new_year)
        db.commit()
        rows = db.exec(select(OutboxMessage).where(OutboxMessage.kind == "record_prompt")).all()
        rows = [r for r in rows if ":defence-authority-talks." in r.key]
    assert len(rows) == 3
    question = reply_from_data(rows[0].body)
    assert (
        question.title == "Did the Talks between defence authorities meet in 2026? Nothing is on record, held or not."
    )
    assert [(a.label, a.query) for a in question.actions][:4] == [
        ("Held in 2026", "held defence-authority-talks 2026"),
        ("Held…", "held form defence-authority-talks 2026"),  # the day and place, in a form
        ("Not held", "not held defence-authority-talks 2026"),
        ("I don't know", "unknown defence-authority-talks 2026"),
    ]
    later = dataclasses.replace(agenda, clock=FixedClock(datetime(2027, 1, 4, 15, tzinfo=UTC)))
    maria = Requester(user_ref="slack:UMARIA", channel_ref="slack:D0MARIA")
    noted = run(later, maria, "unknown defence-authority-talks 2026")
    assert noted.title == "Noted: you don't know whether the Talks between defence authorities met in 2026."
    # Whom it was not asked of is refused (their presses would fill its history); the coordinators' channel was.
    stranger = Requester(user_ref="slack:USTRANGER", channel_ref="slack:CELSEWHERE")
    refused = run(later, stranger, "unknown defence-authority-talks 2026")
    assert refused.title.startswith("Only coordinators and admins can record meetings"), refused.title
    in_the_channel = dataclasses.replace(stranger, channel_ref="slack:CCOORD")
    assert run(later, in_the_channel, "unknown defence-authority-talks 2026").title.startswith("Noted")
    assert "not_known · asked: — → 2026" in render_text(run(later, MEMBER, "history defence talks"))
    # Still unknown, so still listed in the digest; once recorded, neither asked nor listed.
    gaps = render_text(run(later, COORDINATOR, "digest preview")).splitlines()[-1]
    assert "last due meeting not on record: " in gaps and "defence authority talks" in gaps
    assert run(later, COORDINATOR, "not held defence-authority-talks 2026 no budget").tone == Tone.answer
    assert "defence authority talks" not in render_text(run(later, COORDINATOR, "digest preview")).splitlines()[-1]
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), date_of(later), agenda.capitals)
        assert not [p for p in planned_messages(db, timeline, policy, later.clock.now()) if p.kind == "record_prompt"
                    and "defence" in p.key]  # fmt: skip


def date_of(ports):
    return ports.clock.now().date()


# -- the meeting's agenda and briefing (item 5) ----------------------------------------------------


def test_propose_words():
    from handlers.commands.proposals import Briefing, Propose

    assert parse("propose 2002-A4 for pol-mil") == Propose("2002-A4", "pol-mil")
    assert parse("propose 2002-A4 Political-Military Talks") == Propose("2002-A4", "Political-Military Talks")
    assert parse("briefing pol-mil") == Briefing("pol-mil")
    assert isinstance(parse("propose pol-mil"), ParseError) and isinstance(parse("briefing"), ParseError)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_proposed_items_are_on_the_page_and_in_the_briefing_and_restricted_ones_only_counted_in_a_channel(
    agenda, engine
):
    from handlers.views.reply import Visibility

    owner = Requester(user_ref="slack:UOWNER", channel_ref="slack:C0TEST")
    run(agenda, COORDINATOR, "assign pol-mil <@slack:UOWNER>")
    assert run(agenda, MEMBER, "propose 2002-A4 for pol-mil").title.startswith("Only coordinators")
    proposed = run(agenda, owner, "propose 2002-A4 for pol-mil")  # an owner of the meeting may propose
    assert proposed.title == "Proposed 2002-A4 for the Political-Military Talks (2027, projected, not yet fixed)."
    again = run(agenda, COORDINATOR, "propose 2002-A4 for pol-mil")
    assert (again.tone, again.summary) == (Tone.notice, "Nothing was changed.")
    assert run(agenda, COORDINATOR, "propose 2005-C1 for pol-mil").tone == Tone.answer
    assert run(agenda, COORDINATOR, "sensitivity 2005-C1 restricted").tone == Tone.answer
    assert run(agenda, COORDINATOR, "propose 2099-Z9 for pol-mil").tone != Tone.answer
    assert [e.after for e in audit(engine) if e.action == "propose"] == [{"proposed": "2002-A4"},
                                                                         {"proposed": "2005-C1"}]  # fmt: skip
    private = run(agenda, COORDINATOR, "meeting pol-mil")
    [section] = [s for s in private.sections if s.heading == "Proposed for its agenda"]
    assert [i.id for i in section.items] == ["2002-A4", "2005-C1"] and section.body is None
    channel = answer("meeting pol-mil", ports=agenda, requester=MEMBER, audience=Visibility.channel)
    [section] = [s for s in channel.sections if s.heading == "Proposed for its agenda"]
    assert [i.id for i in section.items] == ["2002-A4"] and section.body == "1 restricted item, not shown here."
    assert "2005-C1" not in render_text(channel)
    # The briefing: each item's agreed text in full, status, owners, last change.
    run(agenda, COORDINATOR, "status 2002-A4 in progress talks resumed")
    text = render_text(run(agenda, MEMBER, "briefing pol-mil"))
    assert text.startswith("Briefing: Political-Military Talks\n")
    assert "efforts in combatting domestic and transnational crime and" in text  # the full agreed text
    assert "Status: overdue (due by Wed 31 Dec 2003), in progress" in text
    assert "Last change: status, Sun 22 Nov 10:00 Ottawa · Mon 23 Nov 00:00 Tokyo, by @UCOORD" in text
    assert "2005-C1" not in text and "1 restricted item, not shown here." in text  # a member may not see it
    # Once the meeting is held, what was proposed for it is no longer on the next one's agenda.
    later = dataclasses.replace(agenda, clock=FixedClock(datetime(2026, 12, 20, 9, 0, tzinfo=UTC)))
    assert run(later, COORDINATOR, "held pol-mil 15 Dec 2026 in Ottawa host Canada").tone == Tone.answer
    assert "Proposed for its agenda" not in render_text(run(later, COORDINATOR, "meeting pol-mil"))


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_briefing_prints_as_markdown_and_html_from_the_terminal(database_url, monkeypatch, capsys):
    import os

    from bot.cli import main

    for name in [k for k in os.environ if k.startswith(("AGENDA_", "SLACK_", "TEAMS_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["ask", "propose", "2002-A4", "for", "pol-mil"]) == 0  # the terminal acts as an admin
    capsys.readouterr()
    assert main(["ask", "--print", "markdown", "briefing", "pol-mil"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("# Briefing: Political-Military Talks\n")
    assert "## For discussion" in markdown and "### 2002-A4 Conclude a Mutual Legal Assistance Treaty" in markdown
    assert "> Negotiate and conclude a Treaty on Mutual Legal Assistance in Criminal Matters" in markdown
    assert "**Status:** overdue (due by Wed 31 Dec 2003)" in markdown
    assert main(["ask", "--print", "html", "briefing", "pol-mil"]) == 0
    html = capsys.readouterr().out
    assert html.startswith("<!doctype html>") and "<h2>For discussion</h2>" in html and "@page" in html
    assert "<dt>Last change</dt>" in html and "<script" not in html


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_fixed_meeting_held_on_another_day_or_not_at_all_replaces_the_date_fixed(agenda, engine):
    run(agenda, COORDINATOR, "schedule pol-mil 8 Dec 2026 in Tokyo host Japan")
    run(agenda, COORDINATOR, "schedule mil-mil 9 Dec 2026 in Tokyo host Japan")
    later = dataclasses.replace(agenda, clock=FixedClock(datetime(2026, 12, 20, 9, 0, tzinfo=UTC)))
    moved = run(later, COORDINATOR, "held pol-mil 10 Dec 2026 number 14")
    assert moved.summary == "It replaces the date fixed before (Tue 8 Dec 2026)."
    [row] = records(engine, "pol-mil-talks")  # one meeting, not a fixed one and a held one
    assert (row.date_edtf, row.held, row.place, row.host) == ("2026-12-10", Held.held, "Tokyo", "JP")
    cancelled = run(later, COORDINATOR, "not held mil-mil Dec 2026 typhoon")
    assert cancelled.summary == "It replaces the date fixed before (Wed 9 Dec 2026)."
    [row] = records(engine, "mil-mil-talks")
    assert (row.date_edtf, row.held, row.reason) == ("2026-12", Held.not_held, "typhoon")
    # A recorded meeting is not replaced: held and not held in one window is a contradiction.
    assert run(later, COORDINATOR, "not held pol-mil 2026").tone == Tone.notice


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_calendar_feed_carries_the_checklist(agenda):
    from icalendar import Calendar

    from handlers.pages.calendar.feed import serve_feed

    ports = dataclasses.replace(agenda, public_url="https://agenda.example.org")
    run(ports, COORDINATOR, "schedule pol-mil 8 Dec 2026 in Tokyo host Japan")
    run(ports, COORDINATOR, "milestone pol-mil briefing done")
    reply = run(ports, MEMBER, "calendar")
    token = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", reply.sections[0].body).group(1)
    calendar = Calendar.from_ical(serve_feed(token, ports=ports).body)
    steps = {str(e["SUMMARY"]): (e.start, len(e.alarms.times)) for e in calendar.events if "milestone-" in str(e.uid)}
    assert steps == {
        "Political-Military Talks: Agenda proposals exchanged": (date(2026, 11, 8), 0),  # late: no alarm to ring
        "Political-Military Talks: Briefing notes ready (done)": (date(2026, 11, 24), 0),
        "Political-Military Talks: Delegation list sent": (date(2026, 12, 1), 3),
        "Political-Military Talks: Record of discussion agreed": (date(2026, 12, 22), 3),
    }


# -- one cycle through both front ends, across the meeting's day -----------------------------------


def test_a_coordinator_prepares_and_records_a_meeting_through_slack_and_teams(tmp_path, sqlite_template):
    """Fix the date in Slack, tick a checklist step with a Teams button, and after the meeting
    record it with the Held button in Slack: one server, one clock moved across the meeting."""
    import json
    import shutil

    import httpx

    from tests.fakes.slack_api import start_fake_slack
    from tests.fakes.teams_connector import start_fake_teams
    from tests.live_server import both_platforms, live_server
    from tests.slack_requests import block_action_body, signed_headers, slash_command_body
    from tests.teams_activities import card_action, card_nodes, personal_message

    teams_admin = "aad-admin-0042"
    slack, teams = start_fake_slack(), start_fake_teams()
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = both_platforms(f"sqlite:///{path}", slack.api_url, admins=f"UADMIN,teams:{teams_admin}")
    clock = FixedClock(datetime(2026, 11, 22, 15, 0, tzinfo=UTC))

    def slash(url, text) -> dict:
        body = slash_command_body(text, response_url=slack.response_url(text[:20]), user_id="UADMIN")
        message = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=10).json()
        return slack.wait_for_webhooks(1, text[:20])[-1] if "Looking that up" in message.get("text", "") else message

    def slack_buttons(message) -> dict[str, str]:
        return {e["text"]["text"]: json.loads(e["value"])["q"] for b in message["blocks"] if b["type"] == "actions"
                for e in b["elements"]}  # fmt: skip

    def press_slack(url, query, name) -> dict:
        value = json.dumps({"q": query, "p": 1})
        body = block_action_body(action_id="agenda_do:101", value=value, response_url=slack.response_url(name),
                                 user_id="UADMIN")  # fmt: skip
        assert httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=10).is_success
        return slack.wait_for_webhooks(1, name)[0]

    def teams_say(url, activity) -> list[dict]:
        teams.clear()
        assert httpx.post(f"{url}/api/messages", json=activity, timeout=10).status_code == 200
        teams.wait_for(1)
        return teams.cards()

    def teams_buttons(cards) -> dict[str, str]:
        return {node["title"]: node["data"]["q"] for node in card_nodes(cards) if node.get("type") == "Action.Execute"}

    who = {"user_aad": teams_admin, "name": "Admin"}
    try:
        with live_server(settings, clock=clock) as url:
            fixed = slash(url, "schedule pol-mil 8 Dec 2026 in Tokyo host Japan")
            assert fixed["text"].startswith("Fixed the next Political-Military Talks: Tue 8 Dec 2026 in Tokyo")
            page = slash(url, "meeting pol-mil")
            assert "Preparation and follow-up, for Tue 8 Dec 2026" in json.dumps(page)
            done = slack_buttons(page)["Done: Agenda proposals exchanged"]
            assert done == "milestone pol-mil-talks agenda done"
            ticked = teams_say(url, card_action("agenda.do", {"q": done, "p": 1}, teams.url, **who))
            assert "✓ Agenda proposals exchanged" in json.dumps(ticked, ensure_ascii=False)

            clock.at = datetime(2026, 12, 20, 15, 0, tzinfo=UTC)  # twelve days after the meeting
            cards = teams_say(url, personal_message("meeting pol-mil", teams.url, **who))
            assert "was fixed; held or not, not yet recorded" in json.dumps(cards, ensure_ascii=False)
            held = teams_buttons(cards)["Held: Tue 8 Dec 2026"]
            recorded = press_slack(url, held, "held")
            assert recorded["text"].startswith(
                "Recorded: Political-Military Talks, Tue 8 Dec 2026 in Tokyo, host Japan, held."
            )
            after = teams_say(url, personal_message("meeting pol-mil", teams.url, **who))
            text = json.dumps(after, ensure_ascii=False)
            assert "Tue 8 Dec 2026, Tokyo (host Japan): held" in text and "Held: " not in text
            assert "2028, projected, not yet fixed; expected host Canada" in text
    finally:
        slack.close()
        teams.close()
    engine = make_engine(f"sqlite:///{path}")
    with session(engine) as db:
        entries = db.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    engine.dispose()
    assert [(e.action, e.actor_ref) for e in entries] == [
        ("schedule", "slack:UADMIN"), ("milestone", f"teams:{teams_admin}"), ("held", "slack:UADMIN"),
    ]  # fmt: skip


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_meeting_page_and_its_briefing_in_french_and_in_japanese(agenda):
    from handlers.views.printable import as_html, as_markdown

    run(agenda, COORDINATOR, "schedule pol-mil 8 Dec 2026 in Tokyo host Japan")
    run(agenda, COORDINATOR, "propose 2002-A4 for pol-mil")
    agreed = "Negotiate and conclude a Treaty on Mutual Legal Assistance in Criminal Matters"  # never translated
    french = Requester(user_ref="slack:UFRANCE", channel_ref="slack:C0TEST", locale="fr-CA")
    page = render_text(run(agenda, french, "meeting pol-mil"))
    assert "Préparation et suivi, pour le mar. 8 déc. 2026" in page and "Proposé pour son ordre du jour" in page
    assert "Notes d'information prêtes : prévu le mar. 24 nov. 2026 (14 jours avant)" in page
    assert "Ouverture à 9 h 00 à Tokyo (hôte)" in page and "Série" in page and agreed in page
    reply = run(agenda, french, "briefing pol-mil")
    assert reply.title == "Note d'information : Pourparlers politico-militaires"
    assert reply.summary.startswith("Préparée le ")
    html, markdown = as_html(reply), as_markdown(reply)
    assert '<html lang="fr">' in html and "<h2>Pour discussion</h2>" in html
    assert "<dt>Dernière modification</dt>" in html
    assert "## La réunion" in markdown and agreed in markdown and "Source : " in markdown
    japanese = Requester(user_ref="slack:UJAPAN", channel_ref="slack:C0TEST", locale="ja-JP")
    page = render_text(run(agenda, japanese, "meeting pol-mil"))
    assert "準備とフォローアップ（2026年12月8日(火)）" in page and "議題として提案された項目" in page
    assert "説明資料の準備完了：期限 2026年11月24日(火)（14日前）" in page and agreed in page
    reply = run(agenda, japanese, "briefing pol-mil")
    assert reply.title == "ブリーフィング資料：政治・軍事対話"
    html = as_html(reply)
    assert '<html lang="ja">' in html and "<h2>協議事項</h2>" in html and "<dt>最終変更</dt>" in html and agreed in html


@pytest.mark.parametrize("backend", ["sqlite"])
def test_held_and_the_question_whether_a_meeting_met_in_french_and_japanese(agenda):
    from handlers.views import i18n
    from scheduling.meeting_asks import prompt_wording

    french = dataclasses.replace(COORDINATOR, locale="fr-CA")
    reply = run(agenda, french, "held pol-mil 15 Dec 2022 in Ottawa host Canada number 12")
    assert reply.title == (
        "Consigné\u00a0: Pourparlers politico-militaires, la 12e, jeu. 15 déc. 2022 à Ottawa, "
        "pays hôte\u00a0: Canada, tenue."
    )
    assert reply.summary == "Elle fait maintenant partie de l’historique de la réunion."
    japanese = dataclasses.replace(COORDINATOR, locale="ja-JP")
    reply = run(agenda, japanese, "held mil-mil 14 Dec 2022 in Ottawa number 13")
    assert reply.title == "記録しました：軍軍対話、第13回、2022年12月14日(水)、Ottawa、開催済み。"
    assert reply.actions[0].label == "会議ページ"

    with i18n.speaking("fr"):
        title, hint, actions = prompt_wording("pol-mil", "autumn 2026", "Political-Military Talks")
    assert title == (
        "La réunion Political-Military Talks a-t-elle eu lieu en automne 2026? Rien n’est consigné, ni réunion tenue "
        "ni réunion non tenue."
    )
    assert [a.label for a in actions] == ["Tenue en automne 2026", "Tenue…", "Non tenue", "Je ne sais pas"]
    assert actions[0].query == "held pol-mil autumn 2026"  # the command stays in the words the parser reads
    assert "`/agenda non tenue pol-mil autumn 2026 <raison>`" in hint
    with i18n.speaking("ja"):
        title, _hint, actions = prompt_wording("pol-mil", "2026", "Political-Military Talks")
    assert title == "Political-Military Talksは2026年に開催されましたか。開催・不開催のいずれも記録がありません。"
    assert [a.label for a in actions] == ["2026年に開催", "開催済み…", "開催されず", "わかりません"]
