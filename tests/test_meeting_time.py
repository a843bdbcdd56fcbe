"""A fixed meeting's time of day (issue 15): `schedule pol-mil 2027-10-14 09:30 Tokyo` read in the three
languages, stored as an instant (UTC) and its zone, shown in both capitals with each side's day, in the feed
as a timed event, reminded from its instant, audited; bad times refused with nothing written."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from handlers import answer
from handlers.commands.parser import ParseError, Schedule, parse
from handlers.domain.ports import Requester
from handlers.views.reply import Tone
from handlers.views.text import render_text
from models.db import session
from models.revision import agenda_changed
from models.tables import AuditEntry, Member, Occurrence, Person, Role
from scheduling.planner import DueItem, Policy, Recipient, plan

COORDINATOR = Requester(user_ref="slack:UCOORD", channel_ref="slack:C0TEST")
MEMBER = Requester(user_ref="slack:UMEMBER", channel_ref="slack:C0TEST")
FRENCH = Requester(user_ref="slack:UCOORD", channel_ref="slack:C0TEST", locale="fr-CA")
JAPANESE = Requester(user_ref="slack:UCOORD", channel_ref="slack:C0TEST", locale="ja-JP")
TORONTO, TOKYO = ZoneInfo("America/Toronto"), ZoneInfo("Asia/Tokyo")


# -- reading it ---------------------------------------------------------------------------------------------

READ = [
    ("schedule pol-mil 2027-10-14 09:30 Tokyo", "09:30", "Asia/Tokyo"),
    ("schedule pol-mil 2027-10-14 at 9:30 Tokyo", "09:30", "Asia/Tokyo"),
    ("schedule pol-mil 2027-10-14 14:00 Ottawa", "14:00", "America/Toronto"),
    ("schedule pol-mil 2027-10-14 2pm Ottawa", "14:00", "America/Toronto"),
    ("schedule pol-mil 14 Oct 2027 2:30 p.m. Vancouver", "14:30", "America/Vancouver"),
    ("schedule pol-mil 2027-10-14 09:00 Asia/Tokyo", "09:00", "Asia/Tokyo"),
    ("schedule pol-mil 2027-10-14 14:00", "14:00", None),  # no city: the handler takes the host's capital
    ("programmer symposium 14 octobre 2027 à 14 h Ottawa", "14:00", "America/Toronto"),
    ("programmer symposium 14 octobre 2027 9h30 Tokio", "09:30", "Asia/Tokyo"),
    ("日程設定 シンポジウム 2027年10月14日 9時30分 東京", "09:30", "Asia/Tokyo"),
    ("日程設定 シンポジウム 2027年10月14日9時30分東京", "09:30", "Asia/Tokyo"),
    ("日程設定 シンポジウム 2027年10月14日 東京時間 午後2時", "14:00", "Asia/Tokyo"),
]


@pytest.mark.parametrize(("said", "at", "zone"), READ, ids=[r[0] for r in READ])
def test_a_time_and_its_city_are_read_in_each_language(said, at, zone):
    parsed = parse(said)
    assert isinstance(parsed, Schedule), getattr(parsed, "text", parsed)
    assert (parsed.when, parsed.at, parsed.zone) == ("2027-10-14", at, zone)


def test_a_time_comes_with_the_place_host_and_confirm_as_before():
    assert parse("schedule pol-mil 2027-10-14 2pm Ottawa in Ottawa host Canada confirm") == Schedule(
        "pol-mil", "2027-10-14", "Ottawa", "CA", True, "14:00", "America/Toronto"
    )
    assert parse("programmer symposium 14 octobre 2027 à 14 h à Ottawa hôte Canada") == Schedule(
        "symposium", "2027-10-14", "Ottawa", "CA", False, "14:00", None
    )
    assert parse("日程設定 symposium 2027年10月14日9時30分東京で日本主催確定") == Schedule(
        "symposium", "2027-10-14", "東京", "JP", True, "09:30", None
    )
    # no time: as before, `à Ottawa` is the place
    assert parse("programmer symposium 14 octobre 2027 à Ottawa") == Schedule(
        "symposium", "2027-10-14", "Ottawa", None
    )


@pytest.mark.parametrize(
    ("said", "message"),
    [
        ("schedule pol-mil 2027-10-14 25:00 Tokyo", "“25:00” is not a time of day"),
        ("schedule pol-mil 2027-10-14 9:75", "“9:75” is not a time of day"),
        ("schedule pol-mil 2027-10-14 13pm Ottawa", "“13pm” is not a time of day"),
        ("日程設定 pol-mil 2027年10月14日 25時 東京", "“25時” is not a time of day"),
        ("schedule pol-mil 2027-10-14 14:00 Pariss", "I don't know the city or timezone “Pariss”"),
        ("schedule pol-mil 2027-10-14 14:00 Europe/Pariss host Japan", "“Europe/Pariss”"),
    ],
)
def test_a_bad_time_or_an_unknown_city_is_refused_saying_why(said, message):
    parsed = parse(said)
    assert isinstance(parsed, ParseError) and message in parsed.text, parsed


# -- through the handlers, on SQLite and PostgreSQL ---------------------------------------------------------


@pytest.fixture
def agenda(ports, engine):
    with session(engine) as db:
        agenda_changed(db)
        db.add(Member(user_ref="slack:UCOORD", role=Role.coordinator, granted_by="seed", granted_at=ports.clock.now()))
        db.commit()
    return ports


def run(ports, who: Requester, words: str):
    return answer(words, ports=ports, requester=who)


def fixed(engine) -> list[Occurrence]:
    with session(engine) as db:
        return list(db.exec(select(Occurrence).where(Occurrence.origin == "bot")).all())


def audit_rows(engine) -> list[AuditEntry]:
    with session(engine) as db:
        return list(db.exec(select(AuditEntry).where(AuditEntry.action == "schedule").order_by(AuditEntry.id)))


def test_a_time_is_stored_as_an_instant_and_shown_in_both_capitals(agenda, engine):
    reply = run(agenda, COORDINATOR, "schedule pol-mil 2027-10-14 09:30 Tokyo host Japan")
    assert reply.tone == Tone.answer, render_text(reply)
    assert "Wed 13 Oct 2027 20:30 Ottawa · Thu 14 Oct 2027 09:30 Tokyo" in reply.title, reply.title
    [row] = fixed(engine)
    assert row.starts_at == datetime(2027, 10, 14, 0, 30, tzinfo=UTC) and row.timezone == "Asia/Tokyo"
    assert (row.date_edtf, row.starts_on, row.ends_on) == ("2027-10-14", date(2027, 10, 14), date(2027, 10, 14))
    shown = render_text(run(agenda, MEMBER, "meeting pol-mil"))
    assert "Wed 13 Oct 2027 20:30 Ottawa · Thu 14 Oct 2027 09:30 Tokyo" in shown, shown
    assert "Next Political-Military Talks: Wed 13 Oct 2027 20:30 Ottawa · Thu 14 Oct 2027 09:30 Tokyo" in render_text(
        run(agenda, MEMBER, "when is the next pol-mil")
    )
    briefing = render_text(run(agenda, MEMBER, "briefing pol-mil"))
    assert "Next: Wed 13 Oct 2027 20:30 Ottawa · Thu 14 Oct 2027 09:30 Tokyo; host Japan." in briefing, briefing
    assert "no time is recorded" not in briefing  # the 09:00 opening is assumed only where no time was fixed


def test_in_french_and_japanese_the_time_is_shown_in_the_reader_s_words(agenda, engine):
    reply = run(agenda, FRENCH, "programmer pol-mil 14 octobre 2027 à 14 h Ottawa hôte Canada")
    assert reply.tone == Tone.answer, render_text(reply)
    assert "jeu. 14 oct. 2027 14 h 00 Ottawa · ven. 15 oct. 2027 3 h 00 Tokyo" in reply.title, reply.title
    reply = run(agenda, JAPANESE, "日程設定 pol-mil 2027年10月14日 9時30分 東京 主催 日本")
    assert reply.tone == Tone.answer, render_text(reply)
    assert "2027年10月13日(水) 20:30 オタワ · 2027年10月14日(木) 9:30 東京" in reply.title, reply.title


def test_a_time_without_a_city_is_in_the_host_s_capital_or_asked_for(agenda, engine):
    reply = run(agenda, COORDINATOR, "schedule pol-mil 2027-10-14 14:00 host Canada")
    assert reply.tone == Tone.answer and "Thu 14 Oct 2027 14:00 Ottawa" in reply.title, reply.title
    assert fixed(engine)[0].timezone == "America/Toronto"
    before = fixed(engine)
    asked = run(agenda, COORDINATOR, "schedule lecture 2027-10-14 14:00")
    assert asked.tone == Tone.error and asked.title == "Which city is 14:00 in?", render_text(asked)
    assert [(o.id, o.starts_at) for o in fixed(engine)] == [(o.id, o.starts_at) for o in before]
    asked = render_text(run(agenda, JAPANESE, "日程設定 lecture 2027年10月14日 14:00"))
    assert "14:00 はどの都市の時刻ですか？" in asked and "`14:00 オタワ`" in asked, asked
    assert [(o.id, o.starts_at) for o in fixed(engine)] == [(o.id, o.starts_at) for o in before]


def test_a_time_in_a_place_s_city_is_that_city_s(agenda, engine):
    reply = run(agenda, COORDINATOR, "schedule pol-mil 2027-10-14 14:00 in Tokyo host Canada")
    assert reply.tone == Tone.answer, render_text(reply)
    assert fixed(engine)[0].timezone == "Asia/Tokyo"


def test_bad_times_are_refused_in_the_reader_s_language_and_nothing_is_written(agenda, engine):
    for who, said in [
        (COORDINATOR, "schedule pol-mil 2027-10-14 25:00 Tokyo"),
        (FRENCH, "programmer pol-mil 14 octobre 2027 9:75 Tokyo"),
        (JAPANESE, "日程設定 pol-mil 2027年10月14日 14:00 パリス"),
        (COORDINATOR, "schedule pol-mil autumn 2027 14:00 Tokyo"),
        (COORDINATOR, "schedule pol-mil 2027-03-14 02:30 Ottawa"),  # the clocks skip it there
    ]:
        reply = run(agenda, who, said)
        assert reply.tone == Tone.error, (said, render_text(reply))
    assert fixed(engine) == [] and audit_rows(engine) == []
    french = render_text(run(agenda, FRENCH, "programmer pol-mil 14 octobre 2027 9:75 Tokyo"))
    assert "n'est pas une heure" in french, french
    japanese = render_text(run(agenda, JAPANESE, "日程設定 pol-mil 2027年10月14日 14:00 パリス"))
    assert "パリス" in japanese and "都市" in japanese, japanese


def test_the_audit_records_the_time_before_and_after_and_history_shows_it(agenda, engine):
    run(agenda, COORDINATOR, "schedule pol-mil 2027-10-14 host Japan")
    run(agenda, COORDINATOR, "schedule pol-mil 2027-10-14 09:30 Tokyo host Japan")
    run(agenda, COORDINATOR, "schedule pol-mil 2027-10-14 10:00 Tokyo host Japan")
    entries = audit_rows(engine)
    assert [(e.before.get("time"), e.after.get("time")) for e in entries] == [
        (None, None),
        (None, "09:30 Asia/Tokyo (2027-10-14 00:30 UTC)"),
        ("09:30 Asia/Tokyo (2027-10-14 00:30 UTC)", "10:00 Asia/Tokyo (2027-10-14 01:00 UTC)"),
    ]
    history = render_text(run(agenda, MEMBER, "history pol-mil"))
    assert "time: 09:30 Asia/Tokyo (2027-10-14 00:30 UTC) → 10:00 Asia/Tokyo (2027-10-14 01:00 UTC)" in history
    french = render_text(run(agenda, FRENCH, "historique pol-mil"))
    assert "heure" in french and "09:30 Asia/Tokyo (2027-10-14 00:30 UTC)" in french, french
    # the same day again with no time: a date only again, and said so
    again = run(agenda, COORDINATOR, "schedule pol-mil 2027-10-14 host Japan")
    assert "10:00 Tokyo" in again.summary and fixed(engine)[0].starts_at is None


def test_across_ottawa_s_dst_change_the_day_and_hour_there_follow(agenda, engine):
    """Fixed at 09:00 Tokyo on Monday 8 Nov 2027: Ottawa's clocks went back on Sunday 7 Nov, so it is 19:00
    EST on Sunday in Ottawa (a weekend there, flagged and confirmed); a week earlier it was 20:00 EDT."""
    warned = run(agenda, COORDINATOR, "schedule pol-mil 2027-11-08 09:00 Tokyo host Japan")
    assert warned.tone == Tone.notice, render_text(warned)
    assert "Sun 7 Nov 2027 19:00 Ottawa · Mon 8 Nov 2027 09:00 Tokyo ⚠ Sunday in Ottawa" in warned.title
    assert fixed(engine) == []
    confirm = warned.actions[0].query
    assert "09:00 Asia/Tokyo" in confirm and confirm.endswith("confirm"), confirm
    reply = run(agenda, COORDINATOR, confirm)
    assert reply.tone == Tone.answer, render_text(reply)
    assert fixed(engine)[0].starts_at == datetime(2027, 11, 8, 0, 0, tzinfo=UTC)
    earlier = run(agenda, COORDINATOR, "schedule pol-mil 2027-11-02 09:00 Tokyo host Japan")
    assert "Mon 1 Nov 2027 20:00 Ottawa · Tue 2 Nov 2027 09:00 Tokyo" in earlier.title, earlier.title


# -- reminders: from the instant, on each recipient's own day --------------------------------------------------

MARIA, KEN = "slack:UMARIA", "slack:UKEN"  # Ottawa, Tokyo
PEOPLE = {MARIA: Recipient(MARIA, "America/Toronto"), KEN: Recipient(KEN, "Asia/Tokyo")}
MONDAY_0900_TOKYO = datetime(2027, 11, 8, 0, 0, tzinfo=UTC)  # Sun 7 Nov 19:00 EST in Ottawa, after DST ended


def test_lead_days_count_from_the_meeting_s_day_where_each_recipient_is_across_the_dst_change():
    """09:00 Tokyo on Monday 8 Nov 2027 is Sunday 7 Nov in Ottawa: Maria's day-before is Saturday, so her
    1-day reminder goes on Friday 5 Nov (EDT, before the change); Ken's day-before is Sunday 7 Nov, a weekend in
    Tokyo too: Friday 5 Nov as well. The keys name the meeting's day, whoever reads it."""
    item = DueItem(ref="pol-mil-talks", title="Talks", kind="meeting", starts_on=date(2027, 11, 8),
                   ends_on=date(2027, 11, 8), owners=(MARIA, KEN), starts_at=MONDAY_0900_TOKYO)  # fmt: skip
    policy = Policy(horizon=timedelta(days=400), catch_up=timedelta(0), lead_days=(7, 2, 1))
    due = plan([item], PEOPLE, policy, datetime(2027, 1, 1, tzinfo=UTC))
    local = sorted((d.target, d.lead, d.at.astimezone(TORONTO if d.target == MARIA else TOKYO)) for d in due)
    assert [(t, lead, at.date(), at.time()) for t, lead, at in local] == [
        (KEN, 1, date(2027, 11, 5), time(9)),  # Sat 6 and Sun 7 are off in Tokyo: the nearer lead only
        (KEN, 7, date(2027, 11, 1), time(9)),
        (MARIA, 1, date(2027, 11, 5), time(9)),  # Sun 7 - 1 = Sat 6, off: Friday
        (MARIA, 7, date(2027, 10, 29), time(9)),  # Sun 7 - 7 = Sun 31 Oct, off: Friday 29 Oct
    ]
    assert [d.at.hour for d in due if d.target == MARIA] == [13, 13]  # 09:00 EDT: both before the change
    assert {d.key.split(":")[2] for d in due} == {"2027-11-08"}
    assert all(d.at < MONDAY_0900_TOKYO for d in due)
    # the same meeting with no time: counted from 8 Nov on both sides, as before
    dated = dataclasses.replace(item, starts_at=None)
    maria = [d for d in plan([dated], PEOPLE, policy, datetime(2027, 1, 1, tzinfo=UTC)) if d.target == MARIA]
    assert sorted(d.at.astimezone(TORONTO).date() for d in maria) == [date(2027, 11, 1), date(2027, 11, 5)]


@pytest.mark.parametrize("backend", ["sqlite"])  # planning, not storage (as tests/test_reminders.py)
def test_a_reminder_of_a_timed_meeting_says_its_time_in_both_capitals(agenda, engine):
    from bot.delivery import policy_from
    from handlers.domain.timeline import Timeline
    from models import repository
    from scheduling.reminders import planned_messages
    from tests.conftest import settings_for

    with session(engine) as db:
        db.add_all([Person(user_ref=MARIA, timezone="America/Toronto"), Person(user_ref=KEN, timezone="Asia/Tokyo")])
        db.commit()
    assert run(agenda, COORDINATOR, f"assign pol-mil <@{MARIA}> <@{KEN}>").tone == Tone.answer
    done = run(agenda, COORDINATOR, "schedule pol-mil 2027-11-08 09:00 Tokyo host Japan confirm")
    assert done.tone == Tone.answer, render_text(done)
    start = datetime(2027, 11, 4, tzinfo=UTC)
    policy = dataclasses.replace(policy_from(settings_for()), horizon=timedelta(days=3), catch_up=timedelta(0))
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), start.date(), agenda.capitals)
        planned = [p for p in planned_messages(db, timeline, policy, start) if p.key.startswith("reminder:pol-mil")]
    titles = {p.target: p.body["title"] for p in planned}
    assert titles[MARIA] == (
        "Reminder: Political-Military Talks, Sun 7 Nov 2027 19:00 Ottawa · Mon 8 Nov 2027 09:00 Tokyo "
        "⚠ Sunday in Ottawa (in 2 days)"
    ), titles
    assert titles[KEN].endswith("(in 3 days)"), titles  # Friday 5 to Monday 8 in Tokyo


# -- the calendar feed: a timed event ---------------------------------------------------------------------------


def test_the_feed_gives_a_timed_meeting_its_time_in_its_zone_and_a_date_only_one_stays_all_day(agenda, engine):
    import re

    from icalendar import Calendar

    from handlers.pages.calendar.feed import serve_feed

    assert run(agenda, COORDINATOR, "schedule pol-mil 2027-11-08 09:00 Tokyo host Japan confirm").tone == Tone.answer
    assert run(agenda, COORDINATOR, "schedule symposium 14 Oct 2027 in Ottawa host Canada").tone == Tone.answer
    links = render_text(run(agenda, MEMBER, "calendar"))
    token = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", links)[1]
    served = serve_feed(token, ports=agenda)
    calendar = Calendar.from_ical(served.body)
    [talks] = [e for e in calendar.events if e.uid.startswith("meeting-pol-mil-talks-")]
    assert talks.start == datetime(2027, 11, 8, 9, 0, tzinfo=TOKYO)
    assert talks.end - talks.start == timedelta(hours=2)
    assert b"DTSTART;TZID=Asia/Tokyo:20271108T090000" in served.body
    assert b"BEGIN:VTIMEZONE" in served.body and b"TZID:Asia/Tokyo" in served.body
    assert "Sun 7 Nov 2027 19:00 Ottawa · Mon 8 Nov 2027 09:00 Tokyo" in talks.description
    alarms = talks.alarms
    assert sorted(t.trigger.astimezone(UTC) for t in alarms.times)[-1] == MONDAY_0900_TOKYO - timedelta(days=1)
    [symposium] = [e for e in calendar.events if e.start == date(2027, 10, 14)]
    assert type(symposium.start) is date and symposium.end == date(2027, 10, 15)  # all-day, as before


# -- the migration ------------------------------------------------------------------------------------------------


def test_the_migration_goes_down_and_up(engine):
    from alembic import command
    from sqlalchemy import inspect

    from models.db import alembic_config

    config = alembic_config(engine)
    command.downgrade(config, "0027_translations")  # the revision before this one
    assert {"starts_at", "timezone"}.isdisjoint(c["name"] for c in inspect(engine).get_columns("occurrence"))
    command.upgrade(config, "head")
    assert {"starts_at", "timezone"} <= {c["name"] for c in inspect(engine).get_columns("occurrence")}
    with session(engine) as db:  # an instant goes in and comes back aware, in UTC, on either database
        agenda_changed(db)
        row = db.exec(select(Occurrence)).first()
        row.starts_at, row.timezone = datetime(2027, 11, 8, 9, 0, tzinfo=TOKYO), "Asia/Tokyo"
        db.add(row)
        db.commit()
        db.refresh(row)
        assert row.starts_at == MONDAY_0900_TOKYO and row.starts_at.utcoffset() == timedelta(0)
