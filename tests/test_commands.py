"""The parser: words after /agenda → Command or a helpful ParseError."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.commands.parser import (
    MAX_INPUT,
    Areas,
    Help,
    Lookup,
    Mine,
    Next,
    OwnedBy,
    ParseError,
    Show,
    clean,
    parse,
)
from handlers.domain.timeline import season_code
from handlers.domain.when import YEARS, WhenError, parse_when
from scheduling.fuzzy import FuzzyDate
from scheduling.projection import season_window


@pytest.mark.parametrize("text", [None, "", "   ", "help", "HELP", "?", "\t\n"])
def test_empty_and_help_give_usage(text):
    assert parse(text) == Help()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("areas", Areas()),
        ("show 2002-A4", Show("2002-A4")),
        ("next", Next(90)),
        ("next 30 days", Next(30, "days")),
        ("next 6 weeks", Next(6, "weeks")),
        ("next 3 months", Next(3, "months")),
        ("next 1 year", Next(1, "years")),
        ("next 10d", Next(10)),
        ("mine", Mine()),
        ("owner DND", OwnedBy("DND", is_user=False)),
        ("owner <@slack:U123>", OwnedBy("slack:U123", is_user=True)),
        ("<@slack:U123>", OwnedBy("slack:U123", is_user=True)),
        ("counter-terrorism", Lookup("counter-terrorism")),
        ("Counter Terrorism", Lookup("Counter Terrorism")),
        ("help me with nuclear", Lookup("help me with nuclear")),
        ("areas of cooperation", Lookup("areas of cooperation")),
    ],
)
def test_commands(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "today", "last_day"),
    [
        ("next 12 months", date(2026, 11, 22), date(2027, 11, 22)),  # not 360 days (17 Nov 2027)
        ("next 1 year", date(2028, 2, 29), date(2029, 2, 28)),
        ("next 1 month", date(2027, 1, 31), date(2027, 2, 28)),
        ("next 6 months", date(2026, 11, 22), date(2027, 5, 22)),
        ("next 2 weeks", date(2026, 11, 22), date(2026, 12, 6)),
        ("next 10d", date(2026, 12, 28), date(2027, 1, 7)),
        ("next 3 years", date(2026, 11, 22), date(2029, 11, 22)),
    ],
)
def test_next_counts_calendar_spans(text, today, last_day):
    """Issue 12 item 16: months and years are calendar months and years (dateutil's relativedelta)."""
    assert parse(text).horizon(today) == last_day


def test_page_is_carried_and_never_below_one():
    assert parse("nuclear", page=3) == Lookup("nuclear", page=3)
    assert parse("nuclear", page=-4) == Lookup("nuclear", page=1)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("show", "needs a commitment id"),
        ("next fortnight", "can't read"),
        ("next 0 days", "between 1 day and 3 years"),
        ("next 40 years", "between 1 day and 3 years"),
        ("next 37 months", "between 1 day and 3 years"),
        ("owner", "needs a person or a department"),
        ("link 123", "not a link code"),
        ("x" * (MAX_INPUT + 1), "characters"),
    ],
)
def test_bad_input_gets_a_message_and_a_suggestion(text, fragment):
    result = parse(text)
    assert isinstance(result, ParseError)
    assert fragment in result.text
    assert result.suggestion


def test_ten_kilobytes_is_refused_politely():
    result = parse("nuclear " * 1300)
    assert isinstance(result, ParseError)
    assert "10400 characters" in result.text


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("counter\x00-terrorism", "counter -terrorism"),
        ("nuclear\u200b weapons", "nuclear weapons"),
        ("ＭＬＡＴ", "MLAT"),  # full-width letters, as typed with a Japanese input method
        ("  spaced\t\tout \r\n", "spaced out"),
        ("🕊️ peace", "🕊️ peace"),
    ],
)
def test_clean_removes_control_characters_and_folds_width(raw, cleaned):
    assert clean(raw) == cleaned


@pytest.mark.parametrize(
    "text", ["'; DROP TABLE commitment; --", "🕊️🕊️", "&lt;b&gt;", "%", '"unbalanced', "a AND OR NOT"]
)
def test_anything_else_is_a_lookup(text):
    assert isinstance(parse(text), Lookup)


# -- dates: every date a person types is in range, or a parse error that says so (issue 12, item 12) -----------

_OUT_OF_RANGE = ["0000", "0001", "1899", "2101", "9999"]


@pytest.mark.parametrize("year", _OUT_OF_RANGE)
@pytest.mark.parametrize(
    "template",
    [
        "schedule symposium {y}",
        "schedule symposium May {y}",
        "schedule symposium autumn {y}",
        "schedule symposium {y}-05",
        "schedule symposium {y}-05-14",
        "schedule symposium 14 May {y} in Ottawa",
        "schedule symposium May 14, {y}",
        "status 2002-A4 signed on {y}",
        "status 2002-A4 signed on 24 May {y}",
        "slot 3 Mar {y}",
        "slot {y}-03-03 90m",
    ],
)
def test_a_year_out_of_range_is_a_parse_error_on_every_date_path(template, year):
    result = parse(template.format(y=year))
    assert isinstance(result, ParseError), result
    assert "out of range" in result.text and "1900 to 2100" in result.text


def test_the_years_at_the_edges_of_the_range_are_dates():
    assert parse("schedule symposium winter 2100").when == "2100-24"
    assert parse("status 2002-A4 signed on 1 Jan 1900").on == "1900-01-01"


_WORDS = st.one_of(
    st.integers(min_value=0, max_value=9999).map(lambda y: f"{y:04d}"),
    st.integers(min_value=0, max_value=99).map(lambda d: f"{d:02d}"),
    st.integers(min_value=0, max_value=31).map(str),
    st.sampled_from(["May", "october", "Sept", "autumn", "winter", "spring", "-", ","]),
)


@settings(max_examples=300, deadline=None, database=None)
@given(
    words=st.lists(_WORDS, min_size=1, max_size=4),
    joined=st.booleans(),
)
def test_any_date_the_parser_accepts_is_one_every_later_step_can_hold(words, joined):
    """Property: words become None, a WhenError with a message, or an EDTF date
    whose every bound lies inside the accepted years (so handlers, projections
    and calendars never meet year 0 or 10000)."""
    tokens = ["-".join(words)] if joined else words
    try:
        edtf = parse_when(tokens)
    except WhenError as exc:
        assert str(exc)
        return
    if edtf is None:
        return
    fuzzy = FuzzyDate.parse(edtf)
    for bound in (fuzzy.start, fuzzy.end):
        assert bound is None or bound.year in YEARS
    season = season_code(edtf)
    season_window(fuzzy.start, season)  # the projection's window of the same date exists too


# Dates typed in French or Japanese read as the same dates in English (handlers/domain/when.py).
SAME_DATES = [
    ("14 octobre 2027", "14 Oct 2027"), ("14 oct. 2027", "14 Oct 2027"), ("1er mars 2027", "1 Mar 2027"),
    ("15 décembre 2022", "15 Dec 2022"), ("15 decembre 2022", "15 Dec 2022"), ("févr. 2027", "Feb 2027"),
    ("fevrier 2027", "Feb 2027"), ("mai 2027", "May 2027"), ("août 2027", "Aug 2027"),
    ("automne 2027", "autumn 2027"), ("été 2026", "summer 2026"), ("2027年10月14日", "2027-10-14"),
    ("2027年10月", "Oct 2027"), ("2027年秋", "autumn 2027"), ("2027年", "2027"),
]  # fmt: skip


@pytest.mark.parametrize(("local", "english"), SAME_DATES, ids=[row[0] for row in SAME_DATES])
def test_dates_in_french_and_japanese_read_as_in_english(local, english):
    assert parse_when(local.split()) == parse_when(english.split()) is not None


@pytest.mark.parametrize("words", ["2027年13月", "2027年2月30日", "31 juin 2027", "14 octobre 1850"])
def test_impossible_dates_in_french_and_japanese_are_refused_as_in_english(words):
    with pytest.raises(WhenError):
        parse_when(words.split())


def test_a_french_coordinator_schedules_and_records_in_french_dates():
    from handlers.commands.held import RecordHeld
    from handlers.commands.parser import Schedule, SetStatus

    assert parse("programmer symposium 14 octobre 2027 in Ottawa host Canada") == Schedule(
        "symposium", "2027-10-14", "Ottawa", "CA", False
    )
    assert parse("statut 2002-A4 signé le 14 oct. 2027 selon la déclaration") == SetStatus(
        "2002-A4", None, "signed", "2027-10-14", "selon la déclaration"
    )
    assert parse("held pol-mil 2022年12月15日 in Tokyo") == RecordHeld("pol-mil", "2022-12-15", "Tokyo", None, None)
