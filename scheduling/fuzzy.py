"""Dates as precise as the documents allow, in EDTF (ISO 8601-2).

"fall of 2000" is ``2000-23`` (autumn, meteorological: September–November),
"by the end of 2003" is ``../2003-12-31``, "2021, inferred" is ``2021?``.
A FuzzyDate knows the window of days it stands for and how to say itself.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}


@dataclass(frozen=True)
class FuzzyDate:
    edtf: str
    start: date | None  # None: open ("by the end of 2003" has no start)
    end: date | None  # inclusive; None: open

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        return _parse(text)

    @classmethod
    def _parse_uncached(cls, text: str) -> FuzzyDate:
        plain = _plain(text)
        if plain is not None:
            return plain
        from edtf import EDTFParseException, parse_edtf  # a grammar that takes a tenth of a second to build

        try:
            parsed = parse_edtf(text)
        except EDTFParseException as exc:
            raise ValueError(f"not an EDTF date: {text!r}") from exc
        return cls(edtf=text, start=_bound(parsed.lower_strict()), end=_bound(parsed.upper_strict()))

    @property
    def inferred(self) -> bool:
        return "?" in self.edtf or "~" in self.edtf

    @property
    def is_day(self) -> bool:
        return self.start is not None and self.start == self.end

    def describe(self) -> str:
        """Human wording: 'Fri 17 Sep 1999', 'Sep 2005', 'autumn 2000', 'by Wed 31 Dec 2003'."""
        text = self._describe_exact()
        return f"{text} (inferred)" if self.inferred else text

    def _describe_exact(self) -> str:
        core = self.edtf.replace("?", "").replace("~", "").replace("%", "")
        if core.startswith("../"):
            return f"by {_day(self.end)}" if self.end else "open-ended"
        if core.endswith("/.."):
            return f"from {_day(self.start)}" if self.start else "open-ended"
        parts = core.split("-")
        if len(parts) == 2 and int(parts[1]) in SEASONS:
            return f"{SEASONS[int(parts[1])]} {parts[0]}"
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            return self.start.strftime("%b %Y") if self.start else core
        return _day(self.start) if self.start else core


@lru_cache(maxsize=4096)
def _parse(text: str) -> FuzzyDate:
    # The edtf grammar (pyparsing) takes milliseconds per parse; an agenda
    # holds few distinct dates, and FuzzyDate is immutable, so parse each once.
    return FuzzyDate._parse_uncached(text)


# A year, a month or a day, perhaps uncertain (?), approximate (~) or both (%), a season
# (spring, summer, autumn), or "by" one of them (../2003-12-31): the dates the agenda
# holds, read here without the edtf grammar. The window is the grammar's (tests/test_fuzzy_dates.py
# compares them); anything else (winter, other intervals, sets) goes to the grammar.
_PLAIN = re.compile(r"([0-9]{4})(?:-(0[1-9]|1[0-2]|2[1-3])(?:-([0-3][0-9]))?)?[?~%]?")
_SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11)}


def _plain(text: str) -> FuzzyDate | None:
    if text.startswith("../"):
        end = _plain(text[3:])
        return FuzzyDate(text, None, end.end) if end is not None else None
    if text.count("/") == 1:  # an interval of two plain dates: "1999-09-16/1999-09-17", two days of talks
        first, last = (_plain(part) for part in text.split("/"))
        if first is None or last is None or first.start is None or first.start > last.end:
            return None  # an open or reversed interval: the grammar's business
        return FuzzyDate(text, first.start, last.end)
    found = _PLAIN.fullmatch(text)
    if found is None:
        return None
    year, month, day = (int(part) if part else None for part in found.groups())
    if year == 0:
        return None  # year zero: the grammar's business
    if month is None:
        return FuzzyDate(text, date(year, 1, 1), date(year, 12, 31))
    first, last = _SEASON_MONTHS.get(month, (month, month))
    if first != last and text[-1] in "?~%":
        return None  # the grammar has no qualified seasons
    if day is None:
        return FuzzyDate(text, date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1]))
    if first != last or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None  # a day of a season, or not a day of that month: the grammar says what it makes of it
    return FuzzyDate(text, date(year, month, day), date(year, month, day))


def _bound(value) -> date | None:
    if value is None or (isinstance(value, float) and math.isinf(value)):
        return None
    return date(value.tm_year, value.tm_mon, value.tm_mday)


def _day(value: date | None) -> str:
    # With the weekday: a meeting is planned around it (Ottawa's Friday evening is Tokyo's Saturday).
    return f"{value:%a} {value.day} {value:%b %Y}" if value else "?"
