"""`/agenda slot`: call times for Ottawa and Tokyo, on both sides of Canada's clock changes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta

import pytest

from handlers import answer
from handlers.commands.parser import FindSlot, ParseError, parse
from handlers.domain.ports import Requester
from handlers.views.reply import Tone
from handlers.views.text import render_text
from scheduling.call_slots import _starts, _strain, find_slots
from scheduling.capitals import DEFAULT_CAPITALS, Capitals

HOUR = timedelta(hours=1)
ASKER = Requester(user_ref="slack:UASK", channel_ref="slack:C0TEST")


def trades(on: date, length: timedelta = HOUR, capitals: Capitals = DEFAULT_CAPITALS):
    """(UTC start, [(city, early, late, day off)]) for each least-bad option."""
    found = find_slots(on, length, capitals)
    assert not found.inside
    return [(s.start, [(st.capital.city, st.early, st.late, st.day_off) for st in s.strains]) for s in found.least_bad]


@pytest.mark.parametrize(
    ("on", "gap"),
    [
        (date(2026, 3, 5), 14),  # Thursday before Canada springs forward (Sun 8 Mar)
        (date(2026, 3, 10), 13),  # Tuesday after
        (date(2026, 10, 29), 13),  # Thursday before Canada falls back (Sun 1 Nov)
        (date(2026, 11, 4), 14),  # Wednesday after
    ],
)
def test_no_overlap_so_the_least_bad_trades_follow_the_clock_change(on, gap):
    # Ottawa's day ends at 17:30; Tokyo's starts at 09:00 the next day, which is
    # 17:30 + 90 min in Ottawa when 14 hours apart, + 150 min when 13. A one-hour
    # call costs that gap plus its hour, split fairly or paid by one side.
    owed = (90 if gap == 14 else 150) + 60
    options = trades(on)
    assert [o[1] for o in options] == [
        [("Ottawa", 0, owed // 2, False), ("Tokyo", owed // 2, 0, False)],
        [("Ottawa", 0, 0, False), ("Tokyo", owed, 0, False)],
        [("Ottawa", 0, owed, False), ("Tokyo", 0, 0, False)],
    ]
    tokyo_opens = datetime.combine(on + timedelta(days=1), time(9), DEFAULT_CAPITALS.japan.tz)
    assert options[2][0] == tokyo_opens.astimezone(UTC)  # Ottawa stays late: the call starts as Tokyo opens


def test_ottawa_friday_evening_is_tokyo_saturday_so_the_morning_trade_wins():
    options = trades(date(2026, 3, 6))
    assert [o[1] for o in options][0] == [("Ottawa", 195, 0, False), ("Tokyo", 0, 195, False)]
    assert all(not any(side[3] for side in sides) for _start, sides in options)


def test_a_holiday_on_one_side_counts_against_that_side():
    # Mon 2 Nov in Ottawa: its evening is Tue 3 Nov in Tokyo, Culture Day.
    options = trades(date(2026, 11, 2))
    assert all(("Tokyo", 0, 0, True) not in sides for _s, sides in options)
    assert options[0][1] == [("Ottawa", 195, 0, False), ("Tokyo", 0, 195, False)]


@pytest.mark.parametrize(
    ("on", "hours", "first", "last"),
    [
        (date(2026, 3, 8), 23, datetime(2026, 3, 8, 5, tzinfo=UTC), datetime(2026, 3, 9, 3, 45, tzinfo=UTC)),
        (date(2026, 11, 1), 25, datetime(2026, 11, 1, 4, tzinfo=UTC), datetime(2026, 11, 2, 4, 45, tzinfo=UTC)),
    ],
)
def test_the_days_of_the_changes_have_23_and_25_hours_of_start_times(on, hours, first, last):
    starts = _starts(on, DEFAULT_CAPITALS.canada)
    assert len(starts) == hours * 4 and len(set(starts)) == len(starts)
    assert (starts[0], starts[-1]) == (first, last)  # local midnight to 23:45, whatever the offset


def test_a_working_day_that_would_open_in_the_skipped_hour_opens_when_the_clock_allows():
    # Working hours from 02:30: on Sun 8 Mar 2026 Ottawa's clock jumps from 02:00 to 03:00, so
    # that day opens at 03:30 EDT (07:30 UTC), the planner's rule for a skipped wall time.
    capitals = dataclasses.replace(DEFAULT_CAPITALS, working_hours=(time(2, 30), time(23)))
    start = datetime(2026, 3, 8, 6, 45, tzinfo=UTC)  # 01:45 EST
    strain = _strain(start, start + HOUR, capitals.canada, capitals)
    assert (strain.early, strain.late, strain.day_off) == (45, 0, True)


def test_long_working_hours_overlap_and_windows_are_given():
    capitals = dataclasses.replace(DEFAULT_CAPITALS, working_hours=(time(7), time(22)))
    found = find_slots(date(2026, 3, 3), HOUR, capitals)
    assert found.inside == [
        (datetime(2026, 3, 3, 12, tzinfo=UTC), datetime(2026, 3, 3, 12, tzinfo=UTC)),  # Ottawa 07:00 = Tokyo 21:00
        (datetime(2026, 3, 3, 22, tzinfo=UTC), datetime(2026, 3, 4, 2, tzinfo=UTC)),  # Ottawa 17:00-21:00 starts
    ]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("slot", FindSlot(None, 60)),
        ("slot tomorrow 90m", FindSlot("tomorrow", 90)),
        ("slot 3 Mar 2027 1h30", FindSlot("2027-03-03", 90)),
        ("slot 2027-03-03 1h 30m", FindSlot("2027-03-03", 90)),
        ("slot 14 Oct 2027", FindSlot("2027-10-14", 60)),
        ("slot today 45 min", FindSlot("today", 45)),
    ],
)
def test_slot_parses(words, expected):
    assert parse(words) == expected


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("slot 90", "Give the length with a unit"),
        ("slot Oct 2027", "as one day"),
        ("slot 2027-02-30", "not a date"),
        ("slot 9h", "between 15 minutes and 8 hours"),
        ("slot 10m", "between 15 minutes and 8 hours"),
    ],
)
def test_slot_refuses_what_it_cannot_read(words, message):
    parsed = parse(words)
    assert isinstance(parsed, ParseError) and message in parsed.text


def test_the_slot_answer_names_who_pays_and_shows_both_capitals(ports):
    reply = answer("slot 16 Mar 2027 60m", ports=ports, requester=ASKER)  # after Canada's change on 14 Mar
    text = render_text(reply)
    assert reply.title == "1 h calls on Tue 16 Mar 2027 (Ottawa's date)"
    assert "Working hours are 09:00–17:30 local in Ottawa and Tokyo, and they do not overlap" in text
    assert "• Tue 16 Mar 18:15–19:15 Ottawa · Wed 17 Mar 07:15–08:15 Tokyo: Ottawa stays 1 h 45 late; " in text
    assert "Tokyo starts 1 h 45 early" in text
    assert "• Tue 16 Mar 20:00–21:00 Ottawa · Wed 17 Mar 09:00–10:00 Tokyo: Ottawa stays 3 h 30 late" in text


def test_without_a_day_the_next_working_day_on_both_sides(ports):
    # Today is Sun 22 Nov 2026; Mon 23 Nov is Labor Thanksgiving Day in Japan.
    assert answer("slot", ports=ports, requester=ASKER).title == "1 h calls on Tue 24 Nov 2026 (Ottawa's date)"


def test_a_day_long_past_is_refused(ports):
    reply = answer("slot 1 Jan 2020", ports=ports, requester=ASKER)
    assert reply.tone == Tone.error and "from today to three years ahead" in reply.title
