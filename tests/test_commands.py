"""The parser: words after /agenda → Command or a helpful ParseError."""

from __future__ import annotations

import pytest

from handlers.commands import (
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


@pytest.mark.parametrize("text", [None, "", "   ", "help", "HELP", "?", "\t\n"])
def test_empty_and_help_give_usage(text):
    assert parse(text) == Help()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("areas", Areas()),
        ("show 2002-A4", Show("2002-A4")),
        ("next", Next(90)),
        ("next 30 days", Next(30)),
        ("next 6 weeks", Next(42)),
        ("next 3 months", Next(90)),
        ("next 1 year", Next(365)),
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
        ("owner", "needs a person or a department"),
        ("link 123", "not a link code"),
        ("x" * (MAX_INPUT + 1), "characters"),
    ],
)
def test_bad_input_gets_a_message_and_a_suggestion(text, fragment):
    result = parse(text)
    assert isinstance(result, ParseError)
    assert fragment in result.message
    assert result.suggestion


def test_ten_kilobytes_is_refused_politely():
    result = parse("nuclear " * 1300)
    assert isinstance(result, ParseError)
    assert "10,400 characters" in result.message


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
