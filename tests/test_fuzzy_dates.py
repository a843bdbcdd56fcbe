from __future__ import annotations

from datetime import date

import pytest
from edtf import parse_edtf
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.fuzzy import FuzzyDate, _bound, _plain


@pytest.mark.parametrize(
    ("edtf", "start", "end", "wording"),
    [
        ("1999-09-17", date(1999, 9, 17), date(1999, 9, 17), "Fri 17 Sep 1999"),
        ("2005-09", date(2005, 9, 1), date(2005, 9, 30), "Sep 2005"),
        ("2000-23", date(2000, 9, 1), date(2000, 11, 30), "autumn 2000"),
        ("../2003-12-31", None, date(2003, 12, 31), "by Wed 31 Dec 2003"),
        ("2021?", date(2021, 1, 1), date(2021, 12, 31), "2021 (inferred)"),
        ("2002-11-24?", date(2002, 11, 24), date(2002, 11, 24), "Sun 24 Nov 2002 (inferred)"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "Feb 2024"),
        ("2028-02-29", date(2028, 2, 29), date(2028, 2, 29), "Tue 29 Feb 2028"),
    ],
)
def test_windows_and_wording(edtf, start, end, wording):
    fuzzy = FuzzyDate.parse(edtf)
    assert (fuzzy.start, fuzzy.end, fuzzy.describe()) == (start, end, wording)


def test_rejects_what_is_not_edtf():
    with pytest.raises(ValueError, match="not an EDTF date"):
        FuzzyDate.parse("fall of 2000")


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    precision=st.sampled_from(["year", "month", "day"]),
    qualifier=st.sampled_from(["", "?", "~", "%"]),
)
def test_plain_dates_read_without_the_grammar_give_the_grammars_window(day, precision, qualifier):
    text = day.isoformat()[: {"year": 4, "month": 7, "day": 10}[precision]] + qualifier
    parsed = parse_edtf(text)
    assert _plain(text) == FuzzyDate(text, _bound(parsed.lower_strict()), _bound(parsed.upper_strict()))


@pytest.mark.parametrize("text", ["2000-23", "../2003-12-31", "2001-02-30", "2001-13", "1999-09-17/2000"])
def test_other_forms_are_left_to_the_grammar(text):
    assert _plain(text) is None
