"""`/agenda plan`: candidate dates that follow the cadence, the usual month and the host
rotation, and avoid weekends, holidays on either side and other agenda dates;
and `/agenda schedule` warning before it fixes a day off."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from handlers.commands.parser import ParseError, Plan, Schedule, parse
from handlers.views.reply import ActionKind, Tone
from handlers.views.text import render_text
from models.db import session
from models.revision import agenda_changed
from models.tables import Member, Occurrence, Role
from scheduling.capitals import DEFAULT_CAPITALS
from scheduling.meeting_dates import Dated, propose, usual_month
from tests.test_changes import COORDINATOR, MEMBER, audit_rows, run

EARLY = date(2026, 12, 1)


@pytest.fixture
def agenda(ports, engine):
    """Ports with one coordinator granted in the bot."""
    with session(engine) as db:
        agenda_changed(db)  # as every writer of agenda rows must
        db.add(
            Member(user_ref=COORDINATOR.user_ref, role=Role.coordinator, granted_by="t", granted_at=ports.clock.now())
        )
        db.commit()
    return ports


def days(window, history=(), others=(), gap_days=14):
    result = propose(
        window=window, earliest=EARLY, history=list(history), others=list(others), capitals=DEFAULT_CAPITALS,
        gap_days=gap_days,
    )  # fmt: skip
    return [c.day for c in result.candidates], result


def test_golden_week_and_weekends_are_avoided():
    chosen, result = days((date(2027, 4, 27), date(2027, 5, 10)), history=[(date(2001, 5, 1), date(2001, 5, 31))])
    # 29 Apr (Showa Day), 3-5 May (Constitution, Greenery, Children's Day) and two weekends are out;
    # the rest are close together, so only two dates a week apart remain.
    assert chosen == [date(2027, 4, 28), date(2027, 5, 6)]
    assert result.off_days == 8 and result.considered == 14


def test_canada_day_is_avoided_though_tokyo_works():
    chosen, _ = days((date(2027, 6, 28), date(2027, 7, 2)), history=[(date(2001, 7, 1), date(2001, 7, 1))])
    assert date(2027, 7, 1) not in chosen and chosen == [date(2027, 6, 30)]


def test_the_year_end_skips_christmas_boxing_day_and_new_year_on_both_sides():
    chosen, result = days((date(2027, 12, 20), date(2028, 1, 10)))
    assert chosen == [date(2027, 12, 23), date(2028, 1, 4)]  # only two fit, a week apart, in the window
    assert all(DEFAULT_CAPITALS.working_day_in_both(d) for d in chosen)
    for closed in (date(2027, 12, 29), date(2027, 12, 30), date(2027, 12, 31), date(2028, 1, 3)):
        assert not DEFAULT_CAPITALS.working_day_in_both(closed)  # Japan's ministries: 29 Dec to 3 Jan


def test_a_leap_day_can_be_proposed():
    assert days((date(2028, 2, 29), date(2028, 2, 29)))[0] == [date(2028, 2, 29)]


def test_other_agenda_dates_keep_their_distance():
    other = Dated(date(2027, 9, 15), "Talks between defence authorities")
    chosen, result = days((date(2027, 9, 1), date(2027, 11, 30)), [(date(1998, 9, 1), date(1998, 9, 30))], [other])
    assert all(abs((d - other.day).days) > 14 for d in chosen)
    assert result.crowded_days > 0
    assert result.candidates[0].nearest_other == (other, 16)
    assert not result.candidates[0].in_usual_month  # September was full


def test_candidates_prefer_midweek_in_the_usual_month_and_are_a_week_apart():
    chosen, result = days((date(2027, 9, 1), date(2027, 11, 30)), [(date(1998, 9, 1), date(1998, 9, 30))])
    assert chosen == [date(2027, 9, 8), date(2027, 9, 15), date(2027, 9, 22)]  # Wednesdays around 15 Sep
    assert all(c.in_usual_month and c.midweek for c in result.candidates)
    labour_day = [off.reason for when, off in result.candidates[0].nearby_days_off]
    assert labour_day == ["Labour Day"]


def test_usual_month_counts_only_month_precise_history():
    season = (date(2000, 9, 1), date(2000, 11, 30))
    assert usual_month([season, (date(1998, 10, 1), date(1998, 10, 31)), (date(2003, 10, 7), date(2003, 10, 7))]) == (
        10,
        2,
    )
    assert usual_month([season]) == (None, 0)
    assert usual_month([(date(2001, 5, 3), date(2001, 5, 3)), (date(2002, 3, 1), date(2002, 3, 31))]) == (3, 2)


# -- parsing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("plan symposium", Plan("symposium", None)),
        ("plan pol-mil 2028", Plan("pol-mil", 2028)),
        ("schedule symposium 2027-07-01 host Canada confirm", Schedule("symposium", "2027-07-01", None, "CA", True)),
        ("schedule symposium 1 Jul 2027 in Ottawa confirm", Schedule("symposium", "2027-07-01", "Ottawa", None, True)),
    ],
)
def test_plan_and_confirm_parse(words, expected):
    assert parse(words) == expected


@pytest.mark.parametrize(("words", "message"), [("plan", "needs a meeting"), ("plan symposium 3000", "between 1990")])
def test_plan_refuses_what_it_cannot_use(words, message):
    parsed = parse(words)
    assert isinstance(parsed, ParseError) and message in parsed.text


# -- handlers ---------------------------------------------------------------------------------------


def test_plan_proposes_three_explained_dates_with_fix_buttons_for_coordinators(agenda):
    assert run(agenda, COORDINATOR, "held symposium autumn 2026 in Tokyo host Japan").tone == Tone.answer
    reply = run(agenda, COORDINATOR, "plan symposium")
    # Today is 22 Nov 2026: the autumn 2026 window closes within four weeks, so autumn 2027 it is.
    assert reply.title == "3 dates for the Canada-Japan Peace and Security Symposium, autumn 2027, host Canada"
    text = render_text(reply)
    assert "Cadence “every year”, counted from the last recorded meeting (autumn 2026)" in text
    assert "In September, the usual month (1 meeting on record with a month)." in text
    assert "Host: Canada, taking turns with the last host." in text
    assert "holidays nearby: Labour Day (Canada) on Mon 6 Sep 2027" in text
    assert [(a.kind, a.label, a.query) for a in reply.actions] == [
        (ActionKind.do, "Fix Wed 8 Sep 2027", "schedule peace-security-symposium 2027-09-08 host Canada"),
        (ActionKind.do, "Fix Wed 15 Sep 2027", "schedule peace-security-symposium 2027-09-15 host Canada"),
        (ActionKind.do, "Fix Wed 22 Sep 2027", "schedule peace-security-symposium 2027-09-22 host Canada"),
    ]


def test_members_see_the_dates_but_no_buttons(agenda):
    reply = run(agenda, MEMBER, "plan symposium")
    assert reply.actions == [] and "A coordinator can fix one of these" in render_text(reply)


def test_pressing_fix_goes_through_the_write_path_and_is_audited(agenda, engine):
    assert run(agenda, COORDINATOR, "held symposium autumn 2026 in Tokyo host Japan").tone == Tone.answer
    button = run(agenda, COORDINATOR, "plan symposium").actions[1]
    assert run(agenda, MEMBER, button.query).tone == Tone.notice  # the permission lives in the handler
    reply = run(agenda, COORDINATOR, button.query)
    assert reply.title == "Fixed the next Canada-Japan Peace and Security Symposium: Wed 15 Sep 2027; host Canada."
    [_held, entry] = audit_rows(engine, "peace-security-symposium")
    assert entry.actor_ref == COORDINATOR.user_ref and entry.after["date"] == "2027-09-15"
    again = run(agenda, COORDINATOR, "plan symposium")
    assert again.tone == Tone.notice and "already fixed: Wed 15 Sep 2027" in again.title


def test_host_alternation_counts_only_through_recorded_meetings(agenda):
    # Canada hosted in 2001; nothing recorded for 2003-2007; Japan in 2009; 2011 with no host recorded.
    for words in [
        "schedule pol-mil 2001-10-10 host Canada",
        "schedule pol-mil 2009 host Japan",
        "schedule pol-mil 2011",
    ]:
        assert run(agenda, COORDINATOR, words).title.startswith("Recorded a past meeting")
    # 2013 … 2025 have no record: whose turn 2027 is cannot be known, and the plan says so.
    unknown = run(agenda, COORDINATOR, "plan pol-mil")
    assert unknown.title.endswith("Talks, 2027")
    assert "7 meetings were due since then with no record" in render_text(unknown)
    # Once they are on record (held, or not held: a meeting not held keeps the turn), it is known again.
    for year in (2013, 2015, 2017, 2019, 2021):
        assert run(agenda, COORDINATOR, f"held pol-mil {year}").tone == Tone.answer
    assert run(agenda, COORDINATOR, "not held pol-mil 2023 elections").tone == Tone.answer
    assert run(agenda, COORDINATOR, "not held pol-mil 2025").tone == Tone.answer
    # Japan 2009; held 2011 … 2021 (six turns) and 2027 takes the seventh: Canada (2023, 2025 not held pass no turn).
    assert run(agenda, COORDINATOR, "plan pol-mil").title.endswith("2027, host Canada")
    reply = run(agenda, COORDINATOR, "plan pol-mil 2029")
    assert reply.title.endswith("2029, host Japan")
    off_cycle = render_text(run(agenda, COORDINATOR, "plan pol-mil 2028"))
    assert "By that cadence the next one falls in 2029; these dates are in 2028, as asked." in off_cycle


def test_plan_without_a_cadence_needs_a_year_and_then_alternates_from_the_last_host(agenda):
    assert "No cadence is stated" in run(agenda, COORDINATOR, "plan mil-mil").title
    run(agenda, COORDINATOR, "schedule mil-mil 2019 host Japan")
    assert run(agenda, COORDINATOR, "plan mil-mil 2027").title.endswith("2027, host Canada")


def test_plan_refusals(agenda):
    assert run(agenda, COORDINATOR, "plan the moon landing").tone == Tone.notice
    assert "past or too close" in run(agenda, COORDINATOR, "plan symposium 2020").title


# -- schedule warns before fixing a day off ----------------------------------------------------------


def test_schedule_warns_on_a_holiday_and_changes_nothing_until_confirmed(agenda, engine):
    warning = run(agenda, COORDINATOR, "schedule symposium 1 Jul 2027 in Ottawa host Canada")
    assert warning.tone == Tone.notice
    assert warning.title == "Thu 1 Jul 2027 is Canada Day (Canada)." and warning.summary == "Nothing was changed."
    assert audit_rows(engine) == []
    [button] = warning.actions
    assert (button.kind, button.query) == (
        ActionKind.do,
        "schedule peace-security-symposium 2027-07-01 in Ottawa host Canada confirm",
    )
    done = run(agenda, COORDINATOR, button.query)
    assert done.title == (
        "Fixed the next Canada-Japan Peace and Security Symposium: Thu 1 Jul 2027 ⚠ Canada Day (Canada) in Ottawa; "
        "host Canada."
    )
    assert "Fixed although it is Canada Day (Canada), as you confirmed." in done.summary
    [entry] = audit_rows(engine, "peace-security-symposium")
    assert entry.after["confirmed_day_off"] == "Canada Day (Canada)"
    shown = render_text(run(agenda, MEMBER, "show 1999-1"))
    assert "Next: Thu 1 Jul 2027 ⚠ Canada Day (Canada) in Ottawa; host Canada." in shown  # flagged wherever it appears


@pytest.mark.parametrize(
    ("when", "title"),
    [
        ("2027-05-04", "Tue 4 May 2027 is Greenery Day (Japan)."),  # one side only
        ("2027-10-16", "Sat 16 Oct 2027 is a weekend."),
    ],
)
def test_schedule_warns_for_either_side_and_weekends(agenda, engine, when, title):
    assert run(agenda, COORDINATOR, f"schedule symposium {when}").title == title
    with session(engine) as db:
        assert db.exec(select(Occurrence).where(Occurrence.origin == "bot")).all() == []


def test_past_meetings_and_seasons_are_recorded_without_a_warning(agenda):
    assert run(agenda, COORDINATOR, "schedule symposium 2005-07-01").title.startswith("Recorded a past meeting")
    assert run(agenda, COORDINATOR, "schedule symposium autumn 2027").title.startswith("Fixed the next")


def test_reminders_flag_a_day_off_and_date_prompts_point_to_plan(agenda, engine):
    from datetime import UTC, datetime

    from handlers.domain.timeline import Timeline
    from models import repository
    from scheduling.planner import Due
    from scheduling.reminders import due_items, wording

    run(agenda, COORDINATOR, "schedule symposium 1 Jul 2027 host Canada confirm")
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), date(2026, 11, 22), DEFAULT_CAPITALS)
        items = {a.due.ref: a for a in due_items(db, timeline)}
    at = datetime(2027, 6, 24, 13, tzinfo=UTC)
    symposium, talks = items["peace-security-symposium"], items["defence-authority-talks"]
    reminder = wording(Due("k1", "reminder", "slack:U1", at, symposium.due, 7), symposium)
    assert reminder.title == (
        "Reminder: Canada-Japan Peace and Security Symposium, Thu 1 Jul 2027 ⚠ Canada Day (Canada) (in 7 days)"
    )
    prompt = render_text(wording(Due("k2", "date_prompt", "slack:U1", at, talks.due), talks))
    assert "`/agenda plan defence-authority-talks` proposes three dates clear of holidays on both sides." in prompt
