"""Meetings as they happen (issue 16): `/agenda held`, `/agenda not held`, and projections that
count from the last record and call unrecorded years unknown."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from handlers import answer
from handlers.commands import Lookup, ParseError, parse
from handlers.meetings import RecordHeld, RecordNotHeld, ordinal
from handlers.ports import Requester
from handlers.reply import Tone
from handlers.text import render_text
from models.db import session
from models.revision import agenda_changed
from models.tables import AuditEntry, Held, Mechanism, Member, Occurrence, Role
from scheduling.clock import FixedClock

ADMIN = Requester(user_ref="slack:UADMIN", channel_ref="slack:C0TEST")
COORDINATOR = Requester(user_ref="slack:UCOORD", channel_ref="slack:C0TEST")
MEMBER = Requester(user_ref="slack:UMEMBER", channel_ref="slack:C0TEST")


@pytest.fixture
def agenda(ports, engine):
    ports = dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref}))
    with session(engine) as db:
        agenda_changed(db)
        now = ports.clock.now()
        db.add(Member(user_ref=COORDINATOR.user_ref, role=Role.coordinator, granted_by="t", granted_at=now))
        db.commit()
    return ports


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
    reply = run(later, COORDINATOR, "held pol-mil 8 Dec 2026 number 14")
    assert reply.summary == "It confirms the date fixed before."
    [row] = records(engine, "pol-mil-talks")  # the same row, now a record
    assert (row.held, row.place, row.host, row.ordinal) == (Held.held, "Tokyo", "JP", 14)
    # Counted from it: 2028, and Canada's turn.
    assert "Next: 2028, projected, not yet fixed; expected host Canada." in render_text(reply)
    digest = render_text(run(later, COORDINATOR, "digest preview"))
    assert "Needs a record" not in digest


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
