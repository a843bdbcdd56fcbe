"""Dates as coordinators type them → EDTF.

Accepted, in any case: ``2027-10-14``, ``14 Oct 2027``, ``October 14, 2027``,
``Oct 2027``, ``2027-10``, ``autumn 2027`` (or fall, spring, summer, winter)
and ``2027``; in French too, with or without accents (``14 octobre 2027``,
``1er déc. 2027``, ``oct. 2027``, ``automne 2027``), and in Japanese
(``2027年10月14日``, ``2027年10月``, ``2027年秋``, ``2027年``). Numeric
day/month orders (``03/04/2027``) are refused: Ottawa and Tokyo read them
differently, and so is a year outside ``YEARS`` (``0000``, ``9999``): the
agenda starts in 1999 and nothing it holds is centuries away, while Python's
dates stop at year 1 and 9999.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from handlers.domain.index import fold
from handlers.views.i18n import N_
from scheduling.fuzzy import FuzzyDate

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
SEASONS = {
    "spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24,
    "printemps": 21, "ete": 22, "automne": 23, "hiver": 24,  # French, accents folded
}  # fmt: skip
_JAPANESE = re.compile(r"^(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?|([春夏秋冬]))?$")  # 2027年10月14日, 2027年秋
_JAPANESE_SEASONS = {"春": 21, "夏": 22, "秋": 23, "冬": 24}
MAX_WORDS = 3  # the longest form: "October 14, 2027"
YEARS = range(1900, 2101)  # every date a person types or a form holds lies in these years

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_AMBIGUOUS = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$")


class WhenError(ValueError):
    """The words look like a date but are not a valid one; the message says why (a catalogue message, its
    {placeholders} in ``values``: ``worded()`` in the reader's language, ``str()`` in English)."""

    def __init__(self, message: str, **values) -> None:
        super().__init__(message.format(**values))
        self.message, self.values = message, values

    def worded(self) -> str:
        from handlers.views.i18n import _

        return _(self.message).format(**self.values)


def parse_when(words: list[str]) -> str | None:
    """EDTF for these words if they are exactly one date expression, else None."""
    text = fold(" ".join(words).replace(",", " ").strip())  # lower case, accents off: "Déc." → "dec."
    parts = text.split()
    if not parts or len(parts) > MAX_WORDS:
        return None
    if len(parts) == 1:
        return _single(parts[0])
    if len(parts) == 2:
        first, second = parts
        if first in SEASONS and _YEAR.match(second):
            return f"{_year(second)}-{SEASONS[first]}"
        if (month := _month(first)) and _YEAR.match(second):
            return f"{_year(second)}-{month:02d}"
        return None
    a, b, c = parts
    a = a.removesuffix("er")  # "1er mars 2027"
    if a.isdigit() and (month := _month(b)) and _YEAR.match(c):  # 14 Oct 2027, 14 octobre 2027
        return _day(int(c), month, int(a))
    if (month := _month(a)) and b.isdigit() and _YEAR.match(c):  # Oct 14 2027
        return _day(int(c), month, int(b))
    return None


def _month(word: str) -> int | None:
    """A month's number from its English or French name or abbreviation ("oct", "oct.", "octobre", "fevr.")."""
    return MONTHS.get(word) or _french_months().get(word.rstrip("."))


@cache
def _french_months() -> dict[str, int]:
    """French month names and abbreviations (CLDR's, through Babel), accents folded: read when first needed."""
    from babel.dates import get_month_names

    return {
        fold(name).rstrip("."): number
        for width in ("wide", "abbreviated")
        for number, name in get_month_names(width, locale="fr").items()
    }


def find_when(tokens: list[str]) -> tuple[int, int, str] | None:
    """The first date expression in tokens: (start, end, edtf), longest first."""
    for start in range(len(tokens)):
        for length in range(MAX_WORDS, 0, -1):
            if start + length <= len(tokens) and (edtf := parse_when(tokens[start : start + length])):
                return start, start + length, edtf
    return None


def _single(token: str) -> str | None:
    if _AMBIGUOUS.match(token):
        raise WhenError(
            N_("“{words}” reads differently in Ottawa and Tokyo: write 14 Oct 2027 or 2027-10-14."), words=token
        )
    if match := _ISO_DAY.match(token):
        return _day(*(int(g) for g in match.groups()))
    if match := _ISO_MONTH.match(token):
        year, month = (int(g) for g in match.groups())
        if not 1 <= month <= 12:
            raise WhenError(N_("“{words}”: there is no month {month}."), words=token, month=month)
        return f"{_year(year)}-{month:02d}"
    if _YEAR.match(token):
        return _year(token)
    if match := _JAPANESE.match(token):
        year, month, day, season = match.groups()
        if season:
            return f"{_year(year)}-{_JAPANESE_SEASONS[season]}"
        if day:
            return _day(int(year), int(month), int(day))
        if month:
            if not 1 <= int(month) <= 12:
                raise WhenError(N_("“{words}”: there is no month {month}."), words=token, month=int(month))
            return f"{_year(year)}-{int(month):02d}"
        return _year(year)
    return None


def _year(year: int | str) -> str:
    """The year as four digits, or WhenError if no agenda date can fall in it."""
    if int(year) not in YEARS:
        first, last = YEARS.start, YEARS.stop - 1
        raise WhenError(
            N_("The year {year} is out of range: I take dates from {first} to {last}."),
            year=f"{int(year):04d}", first=first, last=last,
        )  # fmt: skip
    return f"{int(year):04d}"


def check_edtf(edtf: str) -> str:
    """An EDTF date (from a form or the seeds) that starts and ends inside ``YEARS``; WhenError if not."""
    try:
        fuzzy = FuzzyDate.parse(edtf)
    except ValueError as exc:
        raise WhenError(N_("“{words}” is not a date I can read."), words=edtf) from exc
    for bound in (fuzzy.start, fuzzy.end):
        if bound is not None:
            _year(bound.year)
    return edtf


def _day(year: int, month: int, day: int) -> str:
    _year(year)
    try:
        return date(year, month, day).isoformat()
    except ValueError as exc:
        raise WhenError(N_("{day} is not a date."), day=f"{year}-{month:02d}-{day:02d}") from exc
