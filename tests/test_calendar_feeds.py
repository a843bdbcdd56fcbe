"""Calendar feeds through the handlers, on SQLite and PostgreSQL: links,
what each feed shows and to whom, alarms, and revocation."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar
from sqlmodel import select

from handlers import answer
from handlers.domain.ports import Requester
from handlers.pages.calendar.feed import serve_feed
from handlers.views.reply import Tone
from models.tables import AuditEntry, CalendarFeed

ADMIN = "slack:UADMIN"
LINK = re.compile(r"(https?://[^\s/]+(?::\d+)?)/calendar/([A-Za-z0-9_-]+)\.ics")


@pytest.fixture
def admin_ports(ports):
    return dataclasses.replace(ports, admins=frozenset({ADMIN}), public_url="https://agenda.example.org")


def ask(ports, user: str, text: str):
    return answer(text, ports=ports, requester=Requester(user_ref=user))


def links(reply) -> dict[str, str]:
    """Label ("The whole agenda", "Your items", an area name) → token."""
    found = {}
    for line in reply.sections[0].body.splitlines():
        match = LINK.search(line)
        if match:
            found[line.split(":", 1)[0]] = match.group(2)
    return found


def feed(ports, token: str) -> Calendar:
    served = serve_feed(token, ports=ports)
    assert served is not None
    return Calendar.from_ical(served.body)


def uids(calendar: Calendar) -> set[str]:
    return {str(e.uid) for e in calendar.events}


def test_links_are_long_random_stored_only_as_digests_and_shown_once(admin_ports):
    reply = ask(admin_ports, "slack:U1", "calendar")
    assert reply.tone == Tone.answer and reply.actions == []  # no Share button for a secret
    tokens = links(reply)
    assert set(tokens) == {"The whole agenda", "Your items"}
    assert all(len(t) >= 43 for t in tokens.values())  # token_urlsafe(32): 256 bits
    assert "https://agenda.example.org/calendar/" in reply.sections[0].body  # AGENDA_PUBLIC_URL
    with admin_ports.open_session() as session:
        rows = session.exec(select(CalendarFeed)).all()
        audit = session.exec(select(AuditEntry).where(AuditEntry.target_type == "calendar_feed")).all()
    assert {r.feed for r in rows} == {"agenda", "mine"}
    digests = {hashlib.sha256(t.encode()).hexdigest() for t in tokens.values()}
    assert {r.token_sha256 for r in rows} == digests
    stored = repr([r.model_dump() for r in rows]) + repr([a.model_dump() for a in audit])
    assert not any(t in stored for t in tokens.values())  # neither the table nor the audit log holds a token
    again = ask(admin_ports, "slack:U1", "calendar")
    assert links(again) == {}  # the same feeds: no new token, and the old one cannot be shown
    assert "revoke agenda" in again.sections[0].body


def test_the_whole_agenda_round_trips_and_its_projections_expand_on_the_cadence(admin_ports):
    tokens = links(ask(admin_ports, "slack:U1", "calendar"))
    calendar = feed(admin_ports, tokens["The whole agenda"])
    assert calendar.calendar_name == "Canada–Japan agenda"
    assert {"commitment-2002-A4@agenda-bot", "projected-pol-mil-talks@agenda-bot"} <= uids(calendar)
    [deadline] = [e for e in calendar.events if e.uid == "commitment-2002-A4@agenda-bot"]
    assert deadline.start == date(2003, 12, 31)  # "by the end of 2003": on its last day
    assert "Mutual Legal Assistance" in deadline.description  # the agreed text, quoted
    assert "2002 Proposals for Collaboration" in deadline.description  # and its source
    assert all(e.stamp == datetime(2026, 11, 22, 15, 0, tzinfo=UTC) for e in calendar.events)  # the injected clock
    found = recurring_ical_events.of(calendar).between(date(2026, 11, 22), date(2031, 12, 31))
    starts = {(str(e.uid).split("@")[0], e.start) for e in found}
    # Political-Military Talks: every two years from 1999, none on record → 2027, 2029, 2031 (year windows).
    assert {("projected-pol-mil-talks", date(y, 1, 1)) for y in (2027, 2029, 2031)} <= starts
    # The symposium: every year since 2005, in autumn; autumn 2026 is still open today.
    assert {("projected-peace-security-symposium", date(y, 9, 1)) for y in range(2026, 2032)} <= starts
    [symposium] = [e for e in calendar.events if e.uid == "projected-peace-security-symposium@agenda-bot"]
    assert symposium.end == date(2026, 12, 1) and symposium["STATUS"] == "TENTATIVE"
    assert "2005 Agenda" in symposium.description and "every year" in symposium.description


def test_a_fuzzy_date_spans_its_window_and_says_so(admin_ports):
    calendar = feed(admin_ports, links(ask(admin_ports, "slack:U1", "calendar"))["The whole agenda"])
    [autumn] = [e for e in calendar.events if e.get("X-EDTF") == "2000-23"]
    assert (autumn.start, autumn.end) == (date(2000, 9, 1), date(2000, 12, 1))
    assert "autumn 2000" in autumn.description and "not a day" in autumn.description
    assert autumn["TRANSP"] == "TRANSPARENT" and autumn["STATUS"] == "TENTATIVE"


def test_a_fixed_meeting_gets_alarms_at_the_lead_times_and_the_series_moves_past_it(admin_ports):
    assert ask(admin_ports, ADMIN, "schedule symposium 14 Oct 2027 in Ottawa host Canada").tone == Tone.answer
    calendar = feed(admin_ports, links(ask(admin_ports, "slack:U1", "calendar"))["The whole agenda"])
    [meeting] = [e for e in calendar.events if e.start == date(2027, 10, 14)]
    assert meeting.location == "Ottawa" and meeting["STATUS"] == "CONFIRMED"
    alarms = meeting.alarms
    alarms.set_local_timezone(ZoneInfo("America/Toronto"))
    assert sorted(t.trigger.date() for t in alarms.times) == [date(2027, 9, 14), date(2027, 10, 7), date(2027, 10, 13)]
    assert {t.trigger.hour for t in alarms.times} == {9}
    [series] = [e for e in calendar.events if e.uid == "projected-peace-security-symposium@agenda-bot"]
    assert series.start == date(2028, 9, 1)  # the projection resumes after the fixed meeting
    past = [e for e in calendar.events if e.start < date(2026, 1, 1)]
    assert past and all(not e.alarms.times for e in past)  # no alarms on history


def test_alarms_follow_the_subscribers_own_lead_times_then_the_items(admin_ports):
    ask(admin_ports, ADMIN, "remind pol-mil 60 14")
    tokens = links(ask(admin_ports, "slack:U1", "calendar"))
    [series] = [e for e in feed(admin_ports, tokens["The whole agenda"]).events if e.uid.startswith("projected-pol")]
    assert sorted(str(a["TRIGGER"].to_ical(), "ascii") for a in series.subcomponents) == ["-P13DT15H", "-P59DT15H"]
    ask(admin_ports, "slack:U1", "remind me 2")
    [series] = [e for e in feed(admin_ports, tokens["The whole agenda"]).events if e.uid.startswith("projected-pol")]
    assert [a["TRIGGER"].to_ical() for a in series.subcomponents] == [b"-P1DT15H"]  # 09:00 two days before


def test_a_leap_day_meeting(admin_ports):
    assert ask(admin_ports, ADMIN, "schedule defence talks 29 Feb 2028 in Tokyo host Japan").tone == Tone.answer
    calendar = feed(admin_ports, links(ask(admin_ports, "slack:U1", "calendar"))["The whole agenda"])
    found = recurring_ical_events.of(calendar).at((2028, 2, 29))
    assert [e.summary for e in found] == ["Talks between defence authorities, Tokyo"]
    [series] = [e for e in calendar.events if e.uid == "projected-defence-authority-talks@agenda-bot"]
    assert series.start == date(2029, 1, 1)  # the annual series resumes the year after, not four years on


def test_the_person_feed_holds_what_they_own(admin_ports):
    ask(admin_ports, ADMIN, "assign 2002-A4 <@slack:U1>")
    ask(admin_ports, ADMIN, "assign symposium <@slack:U1>")
    calendar = feed(admin_ports, links(ask(admin_ports, "slack:U1", "calendar"))["Your items"])
    got = uids(calendar)
    assert "commitment-2002-A4@agenda-bot" in got and "projected-peace-security-symposium@agenda-bot" in got
    assert "projected-pol-mil-talks@agenda-bot" not in got and "commitment-1999-18@agenda-bot" not in got
    assert calendar.calendar_name == "Canada–Japan agenda: my items"


def test_the_area_feed_holds_that_area(admin_ports):
    reply = ask(admin_ports, "slack:U1", "calendar dialogue")
    tokens = links(reply)
    assert list(tokens) == ["Dialogue, symposia and exchanges"]
    got = uids(feed(admin_ports, tokens["Dialogue, symposia and exchanges"]))
    assert "projected-peace-security-symposium@agenda-bot" in got and "commitment-1999-9@agenda-bot" in got
    assert "commitment-2002-A4@agenda-bot" not in got and "projected-defence-authority-talks@agenda-bot" not in got
    assert ask(admin_ports, "slack:U1", "calendar quidditch").tone == Tone.notice
    assert list(links(ask(admin_ports, "slack:U2", "calendar mine"))) == ["Your items"]  # not the mine-action area
    assert list(links(ask(admin_ports, "slack:U2", "calendar mine action"))) == ["Mine action and landmines"]


def test_restricted_items_follow_the_owners_current_role(admin_ports):
    ask(admin_ports, ADMIN, "sensitivity 1999-18 restricted")
    member = links(ask(admin_ports, "slack:UMEMBER", "calendar"))["The whole agenda"]
    owner = links(ask(admin_ports, "slack:UOWNER", "calendar"))["The whole agenda"]
    coordinator = links(ask(admin_ports, "slack:UCOORD", "calendar"))["The whole agenda"]
    ask(admin_ports, ADMIN, "assign 1999-18 <@slack:UOWNER>")
    ask(admin_ports, ADMIN, "role <@slack:UCOORD> coordinator")
    restricted = "commitment-1999-18@agenda-bot"
    assert restricted not in uids(feed(admin_ports, member))
    assert restricted in uids(feed(admin_ports, owner))
    [event] = [e for e in feed(admin_ports, coordinator).events if e.uid == restricted]
    assert event["CLASS"] == "CONFIDENTIAL"
    ask(admin_ports, ADMIN, "role <@slack:UCOORD> member")  # judged at fetch time: gone at once
    assert restricted not in uids(feed(admin_ports, coordinator))


def test_revoked_and_wrong_tokens_open_nothing(admin_ports):
    tokens = links(ask(admin_ports, "slack:U1", "calendar"))
    other = links(ask(admin_ports, "slack:U2", "calendar"))
    reply = ask(admin_ports, "slack:U1", "calendar revoke mine")
    assert reply.title == "Revoked: your items."
    assert serve_feed(tokens["Your items"], ports=admin_ports) is None
    assert serve_feed(tokens["The whole agenda"], ports=admin_ports) is not None
    for wrong in ["", "x", tokens["Your items"][:-1], "../../etc/passwd", "é" * 500, "\udcff"]:
        assert serve_feed(wrong, ports=admin_ports) is None
    assert ask(admin_ports, "slack:U1", "calendar revoke").title == "Revoked: the whole agenda."  # no word: all
    assert serve_feed(tokens["The whole agenda"], ports=admin_ports) is None
    assert serve_feed(other["The whole agenda"], ports=admin_ports) is not None  # someone else's stays
    assert ask(admin_ports, "slack:U1", "calendar revoke all").tone == Tone.notice  # nothing left
    assert set(links(ask(admin_ports, "slack:U1", "calendar"))) == {"The whole agenda", "Your items"}  # new links


def test_a_revoked_token_takes_the_same_path_as_one_that_never_existed(admin_ports, engine):
    """Same answer and same work (one indexed lookup): nothing tells them apart."""
    from sqlalchemy import event

    token = links(ask(admin_ports, "slack:U1", "calendar"))["Your items"]
    ask(admin_ports, "slack:U1", "calendar revoke mine")
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert serve_feed(token, ports=admin_ports) is None
        revoked, statements[:] = list(statements), []
        assert serve_feed("N" * len(token), ports=admin_ports) is None
        unknown = list(statements)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert revoked == unknown
    assert len([s for s in unknown if s.lstrip().upper().startswith("SELECT")]) == 1


def test_the_migration_goes_down_and_up(engine):
    from alembic import command
    from sqlalchemy import inspect

    from models.db import alembic_config

    config = alembic_config(engine)
    command.downgrade(config, "0011_teams")  # the revision before this one
    tables = inspect(engine).get_table_names()
    assert "calendar_feed" not in tables and "teams_conversation" in tables
    command.upgrade(config, "head")
    assert "calendar_feed" in inspect(engine).get_table_names()


def test_admins_revoke_someone_elses_links_and_nobody_else_can(admin_ports):
    token = links(ask(admin_ports, "slack:U1", "calendar"))["The whole agenda"]
    refused = ask(admin_ports, "slack:U2", "calendar revoke <@slack:U1> all")
    assert refused.tone == Tone.notice and "Only admins" in refused.title
    assert serve_feed(token, ports=admin_ports) is not None
    done = ask(admin_ports, ADMIN, "calendar revoke <@slack:U1>")
    assert done.title == "Revoked: the whole agenda, their items (<@slack:U1>'s links)."
    assert serve_feed(token, ports=admin_ports) is None
    with admin_ports.open_session() as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.action == "calendar revoke")).all()
    assert {(e.actor_ref, e.target_key) for e in entries} == {(ADMIN, "slack:U1")}


def test_parsing_calendar_commands():
    from handlers.commands.parser import CalendarLinks, CalendarRevoke, ParseError, parse

    assert parse("calendar") == CalendarLinks(None)
    assert parse("calendar counter terrorism") == CalendarLinks("counter terrorism")
    assert parse("calendar revoke") == CalendarRevoke("all")
    assert parse("calendar REVOKE mine") == CalendarRevoke("mine")
    assert parse("calendar revoke <@slack:U1> dialogue") == CalendarRevoke("dialogue", "slack:U1")
    assert isinstance(parse("calendar revoke <@slack:U1> <@slack:U2>"), ParseError)


def test_a_meeting_across_the_march_dst_change_alarms_at_nine_in_ottawa_both_sides(admin_ports):
    # Canada springs forward on Sunday 14 March 2027; the talks are the day after.
    assert ask(admin_ports, ADMIN, "schedule pol-mil 15 Mar 2027 in Tokyo host Japan").tone == Tone.answer
    calendar = feed(admin_ports, links(ask(admin_ports, "slack:U1", "calendar"))["The whole agenda"])
    [talks] = [e for e in calendar.events if e.start == date(2027, 3, 15)]
    alarms = talks.alarms
    alarms.set_local_timezone(ZoneInfo("America/Toronto"))
    assert sorted(t.trigger.astimezone(UTC) for t in alarms.times) == [
        datetime(2027, 2, 13, 14, 0, tzinfo=UTC),  # 30 days before, 09:00 EST
        datetime(2027, 3, 8, 14, 0, tzinfo=UTC),  # 7 days before, 09:00 EST
        datetime(2027, 3, 14, 13, 0, tzinfo=UTC),  # 1 day before, 09:00 EDT: the day of the change
    ]


def test_a_restricted_source_is_not_quoted_to_someone_who_may_not_see_it(admin_ports):
    ask(admin_ports, ADMIN, "sensitivity 2005-E1 restricted")  # the symposium's yearly cadence comes from it
    member = links(ask(admin_ports, "slack:UMEMBER", "calendar"))["The whole agenda"]
    coordinator = links(ask(admin_ports, ADMIN, "calendar"))["The whole agenda"]
    quoted = "seek to hold a Japan-Canada Peace and Security Symposium every year"

    def series(token):
        return next(e for e in feed(admin_ports, token).events if e.uid.startswith("projected-peace"))

    assert quoted not in series(member).description
    assert quoted in series(coordinator).description


ENGLISH_IN_FEEDS = ("Status:", "Owners:", "In chat:", "The documents give only", "projected, not yet fixed", "Due:",
                    "Host:", "Expected host", "Each event here", "When a date is agreed", "Deadlines")  # fmt: skip
IN_FEEDS = {
    "fr": ("Programme Canada-Japon", "Statut : ", "Responsables : ", "Dans le clavardage : /agenda voir 2002-A4",
           "(projetée, non encore fixée)", "Les documents ne donnent que «\u00a0", "Échéance", "Réunion", "déc. 2003"),
    "ja": ("日加アジェンダ", "状況：", "担当者：", "チャットで：/agenda 表示 2002-A4", "（見込み、未確定）",
           "文書には「", "期限", "会合", "2003年12月31日"),
}  # fmt: skip


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("language", ["fr", "ja"])
def test_a_feed_is_written_in_its_owners_language(admin_ports, language):
    """A calendar app fetches with no reader: the feed speaks its owner's language (their choice here)."""
    assert ask(admin_ports, "slack:U1", f"language {language}").language == language
    token = next(iter(links(ask(admin_ports, "slack:U1", "calendar")).values()))  # the whole agenda, first
    calendar = feed(admin_ports, token)
    text = "\n".join(
        [str(calendar.calendar_name), str(calendar.get("X-WR-CALDESC", ""))]
        + [f"{e.get('SUMMARY')}\n{e.get('DESCRIPTION')}" for e in calendar.events]
        + [e.get("CATEGORIES").to_ical().decode() for e in calendar.events]
    )
    for words in IN_FEEDS[language]:
        assert words in text, words
    for words in ENGLISH_IN_FEEDS:
        assert words not in text, words
    assert calendar.calendar_name == IN_FEEDS[language][0]
    assert uids(calendar) == uids(feed(admin_ports, token))  # the same events, whatever the language
