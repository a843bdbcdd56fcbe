"""Project a recurring mechanism's next occurrence from its cadence and history.

Every date in the seed documents is in the past, so the bot works out when a
mechanism *should* next meet: it walks forward from the last recorded
occurrence, one step of the cadence in force at a time (a newer cadence takes
over from its effective date: the symposium went from every second year to
every year in 2005), and flips the host at each step when the two countries
take turns. The answer is a window (a season or a year), never a fake day.

It assumes nothing about the meetings it cannot see: the cycles between the
last record (held or not held) and the projection are *unknown*, and said to
be; the next host is worked out from alternation only when every cycle since
the last known host is on record (a meeting not held does not pass the turn).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from dateutil.rrule import rrulestr

from scheduling.capitals import COUNTRY_NAMES

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
    held: bool = True  # False: recorded as not held that cycle (it counts as a record, not as a meeting)
    edtf: str = ""  # the record's date as stored, so the history can be worded in the reader's language


@dataclass(frozen=True)
class Projection:
    starts_on: date
    ends_on: date
    label: str  # "autumn 2026", "2027"
    host: str | None  # expected host country code, if hosts alternate and one is known
    cadence: CadenceRule
    steps_since_record: int  # cycles due between the last record and this one, none on record: unknown
    # What it assumed: (the last record or None, cycles due with no record, the windows projected before
    # it as EDTF, whether hosts alternate, the last known host, cycles unrecorded since that host);
    # worded in the reader's language by `basis`.
    assumed: tuple
    # The windows of those unrecorded cycles, oldest first: (first day, last day, label).
    unknown_windows: tuple[tuple[date, date, str], ...] = ()
    edtf: str = ""  # the window as EDTF: "2026-23" (autumn 2026), "2027"

    @property
    def host_name(self) -> str | None:
        return COUNTRY_NAMES.get(self.host) if self.host else None

    @property
    def basis(self) -> str:
        """One sentence: what the projection assumed, in the language being written (handlers/domain/timeline.py)."""
        from handlers.domain.timeline import projection_basis

        return projection_basis(self)


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
    recorded_until: date | None = None,
) -> Projection | None:
    """The first projected occurrence whose window has not ended by ``today``.

    Returns None when the mechanism has no cadence (nothing to project from).
    ``usual_season`` is an EDTF season code (23 = autumn) that shapes windows.
    ``recorded_until`` is the real today when ``today`` lies ahead (planning a later
    year): cycles whose window ends before it are unknown without a record; later
    ones are projected, and the basis says it assumes they take place.
    """
    if not cadences:
        return None
    return _project(tuple(cadences), tuple(history), today, alternates_host, usual_season, recorded_until or today)


@lru_cache(maxsize=1024)
def _project(
    cadences: tuple[CadenceRule, ...],
    history: tuple[PastOccurrence, ...],
    today: date,
    alternates_host: bool,
    usual_season: int | None,
    recorded_until: date,
) -> Projection:
    # Pure in its (hashable) inputs, and asked the same question by every
    # lookup on the same day: walking decades of cadence once is enough.
    ordered = sorted(history, key=lambda o: o.starts_on)
    anchor = ordered[-1].starts_on if ordered else min(c.effective_on for c in cadences)
    # Step from the first of the month: projections are windows (a season, a
    # year), and dateutil silently skips dates that do not exist in a given
    # year (29 February), which would jump a yearly rule four years at a time.
    current, steps, between = anchor.replace(day=1), 0, []
    while True:
        current = _next_after(cadences, current)
        steps += 1
        window = season_window(current, usual_season)
        if window[1] >= today or steps >= _MAX_STEPS:
            break
        between.append(window)
    rule = cadence_in_force(cadences, current)
    unknown = sum(1 for w in between if w[1] < recorded_until)  # due, and nothing on record
    # not yet due: projected before this one
    ahead = [window_edtf(w[0], usual_season) for w in between if w[1] >= recorded_until]
    host, anchor_host, unknown_since_host = None, None, 0
    if alternates_host:
        anchor_host, host, unknown_since_host = _host(cadences, ordered, unknown, len(ahead), usual_season)
    return Projection(
        starts_on=window[0],
        ends_on=window[1],
        label=window[2],
        host=host,
        cadence=rule,
        steps_since_record=unknown,
        assumed=(
            ordered[-1] if ordered else None,
            unknown,
            tuple(ahead),
            alternates_host,
            anchor_host,
            unknown_since_host,
        ),
        unknown_windows=tuple(w for w in between if w[1] < recorded_until),
        edtf=window_edtf(window[0], usual_season),
    )


def _host(
    cadences: Sequence[CadenceRule], ordered: Sequence[PastOccurrence], unknown: int, ahead: int, season: int | None
) -> tuple[str | None, str | None, int]:
    """(last known host, the next host or None, cycles since the last known host with no record).

    Each meeting held since the last known host passed the turn (its host need not be
    recorded: it took place, so someone hosted it); a cycle recorded as not held did not;
    a cycle with no record at all leaves the turn unknown; a meeting projected ahead takes its turn."""
    known = [i for i, o in enumerate(ordered) if o.host and o.held]
    if not known:
        return None, None, 0
    since = ordered[known[-1] :]
    gaps = sum(
        unrecorded_between(cadences, a.starts_on, b.starts_on, season) for a, b in zip(since, since[1:], strict=False)
    )
    if gaps + unknown:
        return since[0].host, None, gaps + unknown
    turns = sum(1 for o in since[1:] if o.held) + ahead + 1  # and the projected meeting takes its turn
    return since[0].host, since[0].host if turns % 2 == 0 else OTHER_COUNTRY[since[0].host], 0


def _next_after(cadences: Sequence[CadenceRule], after: date) -> date:
    """One step of the cadence in force the day after ``after``."""
    rule = cadence_in_force(cadences, after)
    newer = [c for c in cadences if after < c.effective_on]
    following = _following(rule.rrule, after)
    # A newer cadence that took effect before this step comes due takes over.
    for candidate in sorted(newer, key=lambda c: c.effective_on):
        if following and candidate.effective_on <= following:
            following = _following(candidate.rrule, after)
            break
    if following is None:
        raise ValueError(f"cadence {rule.rrule!r} yields no occurrence after {after}")
    return following


@lru_cache(maxsize=4096)
def _following(rrule: str, after: date) -> date | None:
    """The rule's first occurrence after ``after``, counted from it. Every projection walks the same
    steps from its anchor (a record, or a cadence's start in 1999) to today, on every lookup and every
    planner pass: each step is parsed and walked once per process."""
    start = datetime(after.year, after.month, after.day)
    following = rrulestr(rrule, dtstart=start).after(start)
    return following.date() if following else None


def unrecorded_between(cadences: Sequence[CadenceRule], earlier: date, later: date, season: int | None = None) -> int:
    """How many cycles of the cadence fell between two records: those whose whole window lies after
    the earlier one's step and ends before the later record. With no record, each is unknown."""
    if not cadences:
        return 0
    current, count = earlier.replace(day=1), 0
    while count < _MAX_STEPS:
        current = _next_after(cadences, current)
        if season_window(current, season)[1] >= later:
            return count
        count += 1
    return count


def window_edtf(day: date, season: int | None) -> str:
    """A window of season_window as EDTF: "2026-23" (autumn 2026), "2027"."""
    return f"{day.year}-{season}" if season in (21, 22, 23, 24) else str(day.year)


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
