"""Candidate dates for a meeting's next occurrence.

Pure: given the window the cadence points to, the months the meeting has
usually met in, the other dated items on the agenda and the two countries'
calendars, propose a few days and record why each was chosen. The wording is
handlers/commands/plan.py's.

A candidate is a working day in both countries (no weekend, no holiday on
either side), at least ``gap_days`` from any other agenda date, as close as
possible to the middle of the usual month (or of the window, with no history
to go on), preferring Tuesday to Thursday (delegations travel on Monday and
Friday), and candidates are at least a week apart so they are real choices.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from scheduling.capitals import Capitals, DayOff

CANDIDATES = 3
SPACING = timedelta(days=7)
NEARBY = timedelta(days=7)  # holidays this close are worth mentioning: travel, and attendance
MIDWEEK = {1, 2, 3}  # Tuesday, Wednesday, Thursday
MIDWEEK_PULL = 2  # days: a Wednesday two days further from the target still beats a Friday


@dataclass(frozen=True)
class Dated:
    """Another item on the agenda with a fixed day."""

    day: date
    label: str


@dataclass(frozen=True)
class Candidate:
    day: date
    in_usual_month: bool
    midweek: bool
    nearest_other: tuple[Dated, int] | None  # the closest other agenda date and how many days away
    nearby_days_off: tuple[tuple[date, DayOff], ...]  # holidays within a week, for the explanation


@dataclass(frozen=True)
class PlanResult:
    candidates: list[Candidate]  # in date order
    usual_month: int | None  # 1-12, from the history
    months_on_record: int  # how many past meetings gave a month
    considered: int  # days in the window
    off_days: int  # of which weekends or holidays in either country
    crowded_days: int  # of the rest, too close to another agenda date


def usual_month(history: Sequence[tuple[date, date]]) -> tuple[int | None, int]:
    """The month the meeting most often met in, counting only dates at least as precise as a month."""
    months = Counter(start.month for start, end in history if (start.year, start.month) == (end.year, end.month))
    if not months:
        return None, 0
    ranked = months.most_common()
    best = [m for m, count in ranked if count == ranked[0][1]]
    return min(best), sum(months.values())  # a tie goes to the earlier month, so the answer is stable


def propose(
    *,
    window: tuple[date, date],
    earliest: date,
    history: Sequence[tuple[date, date]],
    others: Sequence[Dated],
    capitals: Capitals,
    gap_days: int,
) -> PlanResult:
    start, end = max(window[0], earliest), window[1]
    month, on_record = usual_month(history)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)] if start <= end else []
    working = [d for d in days if capitals.working_day_in_both(d)]
    clear = [d for d in working if not _crowded(d, others, gap_days)]
    target = _target(start, end, month)
    chosen: list[date] = []
    for day in sorted(clear, key=lambda d: (_distance(d, target), d)):
        if all(abs(day - other) >= SPACING for other in chosen):
            chosen.append(day)
        if len(chosen) == CANDIDATES:
            break
    candidates = [_candidate(d, month, others, capitals) for d in sorted(chosen)]
    return PlanResult(candidates, month, on_record, len(days), len(days) - len(working), len(working) - len(clear))


def _target(start: date, end: date, month: int | None) -> date:
    """The middle of the usual month inside the window, else the middle of the window."""
    if month is not None:
        for year in range(start.year, end.year + 1):
            middle = date(year, month, 15)
            if start <= middle <= end:
                return middle
    return start + (end - start) / 2


def _distance(day: date, target: date) -> int:
    return abs((day - target).days) + (0 if day.weekday() in MIDWEEK else MIDWEEK_PULL)


def _crowded(day: date, others: Sequence[Dated], gap_days: int) -> bool:
    return any(abs((day - other.day).days) <= gap_days for other in others)


def _candidate(day: date, month: int | None, others: Sequence[Dated], capitals: Capitals) -> Candidate:
    nearest = min(others, key=lambda o: (abs((o.day - day).days), o.day), default=None)
    nearby = []
    for offset in range(-NEARBY.days, NEARBY.days + 1):
        other = day + timedelta(days=offset)
        nearby += [(other, off) for off in capitals.days_off(other) if not off.weekend]
    return Candidate(
        day=day,
        in_usual_month=month is not None and day.month == month,
        midweek=day.weekday() in MIDWEEK,
        nearest_other=(nearest, abs((nearest.day - day).days)) if nearest else None,
        nearby_days_off=tuple(nearby),
    )
