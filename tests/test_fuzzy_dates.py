from __future__ import annotations

from datetime import date, timedelta

import pytest
from edtf import EDTFParseException, parse_edtf
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


@settings(max_examples=100, deadline=None)  # the grammar takes milliseconds a parse
@given(
    day=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    precision=st.sampled_from(["year", "month", "day", "spring", "summer", "autumn"]),
    qualifier=st.sampled_from(["", "?", "~", "%"]),
    by=st.booleans(),
)
def test_plain_dates_read_without_the_grammar_give_the_grammars_window(day, precision, qualifier, by):
    seasons = {"spring": "-21", "summer": "-22", "autumn": "-23"}
    if precision in seasons:
        text = day.isoformat()[:4] + seasons[precision]
    else:
        text = day.isoformat()[: {"year": 4, "month": 7, "day": 10}[precision]]
    text = ("../" if by else "") + text + qualifier
    try:
        parsed = parse_edtf(text)
    except EDTFParseException:
        assert _plain(text) is None  # what the grammar refuses is refused (a qualified season)
        return
    fast = _plain(text)
    if precision not in seasons or not qualifier:  # the forms the agenda holds are read without the grammar
        assert fast is not None
    if fast is not None:  # and whatever is read so, is read as the grammar reads it
        assert fast == FuzzyDate(text, _bound(parsed.lower_strict()), _bound(parsed.upper_strict()))


@settings(max_examples=60, deadline=None)
@given(
    first=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    length=st.integers(min_value=0, max_value=800),
    precisions=st.tuples(st.sampled_from([4, 7, 10]), st.sampled_from([4, 7, 10])),
    qualifiers=st.tuples(st.sampled_from(["", "?", "~"]), st.sampled_from(["", "?", "~"])),
)
def test_intervals_of_plain_dates_read_without_the_grammar_give_the_grammars_window(
    first, length, precisions, qualifiers
):
    last = min(date(9999, 12, 31), first + timedelta(days=length))
    text = "/".join(d.isoformat()[:p] + q for d, p, q in zip((first, last), precisions, qualifiers, strict=True))
    parsed = parse_edtf(text)
    fast = _plain(text)
    assert fast is not None  # the seeds' two-day meetings ("1999-09-16/1999-09-17") need no grammar
    assert fast == FuzzyDate(text, _bound(parsed.lower_strict()), _bound(parsed.upper_strict()))


@pytest.mark.parametrize(
    "text", ["2000-24", "2003-12-31/..", "2001-02-30", "2001-13", "2005/2003", "2000-23-01", "a/b"]
)
def test_other_forms_are_left_to_the_grammar(text):
    assert _plain(text) is None
