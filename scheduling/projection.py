"""Project a recurring mechanism's next occurrence from its cadence and history.

Every date in the seed documents is in the past, so the bot works out when a
mechanism *should* next meet: it walks forward from the last recorded
occurrence, one step of the cadence in force at a time (a newer cadence takes
over from its effective date: the symposium went from every second year to
every year in 2005), and flips the host at each step when the two countries
take turns. The answer is a window (a season or a year), never a fake day,
and it says what it assumed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from dateutil.rrule import rrulestr

COUNTRY_NAMES = {"CA": "Canada", "JP": "Japan"}
OTHER_COUNTRY = {"CA": "JP", "JP": "CA"}
_MAX_STEPS = 500  # a daily rule over decades would be a seed error, not a loop to finish


@dataclass(frozen=True)
class CadenceRule:
    rrule: str
    stated: str
    effective_on: date


@dataclass(frozen=True)
class PastOccurrence:
    starts_on: date
    ends_on: date
    host: str | None
    label: str  # how the history is worded, e.g. "autumn 2000"


@dataclass(frozen=True)
class Projection:
    starts_on: date
    ends_on: date
    label: str  # "autumn 2026", "2027"
    host: str | None  # expected host country code, if hosts alternate and one is known
    cadence: CadenceRule
    steps_since_record: int  # occurrences assumed between the last record and this one
    basis: str  # one sentence: what the projection assumed

    @property
    def host_name(self) -> str | None:
        return COUNTRY_NAMES.get(self.host) if self.host else None


def cadence_in_force(cadences: Sequence[CadenceRule], on: date) -> CadenceRule | None:
    """The newest cadence already effective on that day (or the oldest, before any)."""
    ordered = sorted(cadences, key=lambda c: c.effective_on)
    effective = [c for c in ordered if c.effective_on <= on]
    return effective[-1] if effective else (ordered[0] if ordered else None)


def project_next(
    *,
    cadences: Sequence[CadenceRule],
    history: Sequence[PastOccurrence],
    today: date,
    alternates_host: bool,
    usual_season: int | None = None,
) -> Projection | None:
    """The first projected occurrence whose window has not ended by ``today``.

    Returns None when the mechanism has no cadence (nothing to project from).
    ``usual_season`` is an EDTF season code (23 = autumn) that shapes windows.
    """
    if not cadences:
        return None
    return _project(tuple(cadences), tuple(history), today, alternates_host, usual_season)


@lru_cache(maxsize=1024)
def _project(
    cadences: tuple[CadenceRule, ...],
    history: tuple[PastOccurrence, ...],
    today: date,
    alternates_host: bool,
    usual_season: int | None,
) -> Projection:
    # Pure in its (hashable) inputs, and asked the same question by every
    # lookup on the same day: walking decades of cadence once is enough.
    ordered = sorted(history, key=lambda o: o.starts_on)
    if ordered:
        anchor = ordered[-1].starts_on
        hosts_known = [o for o in ordered if o.host]
        anchor_host = hosts_known[-1].host if hosts_known else None
        host_steps = _steps_between(cadences, hosts_known[-1].starts_on, anchor) if hosts_known else 0
    else:
        anchor, anchor_host, host_steps = min(c.effective_on for c in cadences), None, 0
    # Step from the first of the month: projections are windows (a season, a
    # year), and dateutil silently skips dates that do not exist in a given
    # year (29 February), which would jump a yearly rule four years at a time.
    current, steps = anchor.replace(day=1), 0
    while True:
        current = _next_after(cadences, current)
        steps += 1
        window = season_window(current, usual_season)
        if window[1] >= today or steps >= _MAX_STEPS:
            break
    rule = cadence_in_force(cadences, current)
    host = None
    if alternates_host and anchor_host:
        host = anchor_host if (host_steps + steps) % 2 == 0 else OTHER_COUNTRY[anchor_host]
    return Projection(
        starts_on=window[0],
        ends_on=window[1],
        label=window[2],
        host=host,
        cadence=rule,
        steps_since_record=steps - 1,
        basis=_basis(ordered, steps - 1, rule, alternates_host, anchor_host),
    )


def _next_after(cadences: Sequence[CadenceRule], after: date) -> date:
    """One step of the cadence in force the day after ``after``."""
    rule = cadence_in_force(cadences, after)
    newer = [c for c in cadences if after < c.effective_on]
    start = datetime(after.year, after.month, after.day)
    following = rrulestr(rule.rrule, dtstart=start).after(start)
    # A newer cadence that took effect before this step comes due takes over.
    for candidate in sorted(newer, key=lambda c: c.effective_on):
        if following and candidate.effective_on <= following.date():
            following = rrulestr(candidate.rrule, dtstart=start).after(start)
            break
    if following is None:
        raise ValueError(f"cadence {rule.rrule!r} yields no occurrence after {after}")
    return following.date()


def _steps_between(cadences: Sequence[CadenceRule], start: date, end: date) -> int:
    steps, current = 0, start.replace(day=1)
    while current < end.replace(day=1) and steps < _MAX_STEPS:
        current = _next_after(cadences, current)
        steps += 1
    return steps


def season_window(day: date, season: int | None) -> tuple[date, date, str]:
    if season == 23:  # autumn, meteorological: September to November
        return date(day.year, 9, 1), date(day.year, 11, 30), f"autumn {day.year}"
    if season == 21:
        return date(day.year, 3, 1), date(day.year, 5, 31), f"spring {day.year}"
    if season == 22:
        return date(day.year, 6, 1), date(day.year, 8, 31), f"summer {day.year}"
    if season == 24:  # winter straddles the year end: December to February
        return date(day.year, 12, 1), date(day.year + 1, 2, 28), f"winter {day.year}"
    return date(day.year, 1, 1), date(day.year, 12, 31), str(day.year)


def _basis(
    history: Sequence[PastOccurrence], assumed: int, rule: CadenceRule, alternates: bool, anchor_host: str | None
) -> str:
    if history:
        text = f"Cadence “{rule.stated}”, counted from the last recorded meeting ({history[-1].label})"
        if assumed:
            text += f"; assumes the {assumed} meeting{'s' if assumed > 1 else ''} due since then took place"
    else:
        text = (
            f"No meeting is on record; cadence “{rule.stated}” counted from "
            f"{rule.effective_on.year}, when it was agreed"
        )
    if alternates and anchor_host:
        text += ". Hosts alternate between Canada and Japan"
    elif alternates:
        text += ". Hosts alternate, but no host is on record"
    return text + "."
