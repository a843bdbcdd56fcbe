"""Every date and time the bot shows, worded in one place.

A moment (a reminder's send time, a digest, a call slot) is shown in both
capitals, because Ottawa and Tokyo are 13 or 14 hours apart and often on
different days: "Tue 3 Mar 19:00 Ottawa · Wed 4 Mar 09:00 Tokyo".
A calendar day (most agenda dates) is the same day on both sides, so it is
shown once, with its weekday, and flagged when either country is off:
"Wed 1 Jul 2026 ⚠ Canada Day (Canada)". Fuzzy dates ("autumn 2027") have
no weekday to show and nothing to flag.
"""

from __future__ import annotations

from datetime import date, datetime

from scheduling.capitals import Capitals, DayOff
from scheduling.fuzzy import FuzzyDate

WARNING = "⚠"


def moment(at: datetime, capitals: Capitals, *, until: datetime | None = None, flag: bool = True) -> str:
    """An instant (or a span ``until`` another) in both capitals, with weekday,
    flagged when it falls on a day off there: "Tue 3 Mar 19:00–20:00 Ottawa · …".

    ``flag=False`` for records of what already happened (the audit log): a
    warning helps someone choosing a time, not someone reading a log."""
    sides, off = [], []
    for capital in capitals.both:
        local = capital.local(at)
        end = f"–{capital.local(until):%H:%M}" if until else ""
        sides.append(f"{local:%a} {local.day} {local:%b %H:%M}{end} {capital.city}")
        off += [
            f"{o.reason} in {capital.city}" for o in capitals.days_off(local.date()) if o.country == capital.country
        ]
    text = " · ".join(sides)
    return f"{text} {WARNING} {', '.join(off)}" if off and flag else text


def day(value: date) -> str:
    """'Wed 1 Jul 2026'."""
    return f"{value:%a} {value.day} {value:%b %Y}"


def flags(value: date, capitals: Capitals) -> str:
    """'⚠ Canada Day (Canada)', '⚠ weekend', or '' on a working day in both countries."""
    off = capitals.days_off(value)
    return f"{WARNING} {days_off_wording(off)}" if off else ""


def days_off_wording(off: list[DayOff]) -> str:
    if any(o.weekend for o in off):
        return "weekend"
    return ", ".join(f"{o.reason} ({o.country_name})" for o in off)


def when(edtf: str, capitals: Capitals) -> str:
    """An agenda date as the documents or a coordinator gave it, flagged if it is one day off work."""
    fuzzy = FuzzyDate.parse(edtf)
    text = fuzzy.describe()
    if fuzzy.is_day and (flag := flags(fuzzy.start, capitals)):
        return f"{text} {flag}"
    return text
