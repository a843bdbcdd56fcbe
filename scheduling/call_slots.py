"""Video-call slots between the two capitals: inside working hours where they
overlap, otherwise the least-bad times and who pays for them.

Ottawa's 09:00-17:30 and Tokyo's 09:00-17:30 never overlap (13 or 14 hours
apart), so the useful answer is usually a trade: Ottawa stays late, Tokyo
starts early, or both a little. Every comparison is made between UTC
instants: Python subtracts two datetimes that share a tzinfo as wall-clock
times, which is an hour wrong across a daylight-saving change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from scheduling.capitals import Capital, Capitals
from scheduling.planner import local_instant

STEP = timedelta(minutes=15)  # start times are offered on the quarter hour
DAY_OFF_PENALTY = 8 * 60  # minutes: a meeting on someone's weekend or holiday costs them a working day
OPTIONS = 3


@dataclass(frozen=True)
class Strain:
    """How far one side's meeting falls outside its working day."""

    capital: Capital
    early: int  # minutes before the working day starts
    late: int  # minutes after it ends
    day_off: bool  # the working day it is counted against is a weekend or holiday there

    @property
    def minutes(self) -> int:
        return self.early + self.late

    @property
    def cost(self) -> int:
        return self.minutes + (DAY_OFF_PENALTY if self.day_off else 0)


@dataclass(frozen=True)
class Slot:
    start: datetime  # UTC
    end: datetime
    strains: tuple[Strain, ...]

    @property
    def cost(self) -> int:
        return sum(s.cost for s in self.strains)

    @property
    def inside(self) -> bool:
        return self.cost == 0

    @property
    def shape(self) -> tuple[str, ...]:
        """Who gives what: ("late", "early") means the first side stays late, the second starts early."""
        return tuple("early" if s.early else "late" if s.late else "" for s in self.strains)


@dataclass(frozen=True)
class SlotAnswer:
    inside: list[tuple[datetime, datetime]]  # windows of possible start times, both ends inclusive, UTC
    least_bad: list[Slot]  # when nothing is inside: the best of each kind of trade, best first


def find_slots(day: date, duration: timedelta, capitals: Capitals) -> SlotAnswer:
    """Calls starting on ``day`` in the first capital (Canada's side)."""
    slots = [_slot(start, duration, capitals) for start in _starts(day, capitals.canada)]
    inside = [s for s in slots if s.inside]
    if inside:
        return SlotAnswer(_windows([s.start for s in inside]), [])
    best_by_shape: dict[tuple[str, ...], Slot] = {}
    for slot in sorted(slots, key=lambda s: (s.cost, max(st.cost for st in s.strains), s.start)):
        best_by_shape.setdefault(slot.shape, slot)
    return SlotAnswer([], sorted(best_by_shape.values(), key=lambda s: s.cost)[:OPTIONS])


def _starts(day: date, capital: Capital) -> list[datetime]:
    # Midnight to midnight local, stepped in UTC: a day of 23 or 25 hours
    # across a daylight-saving change gets 92 or 100 start times, none twice.
    first = local_instant(day, time(0), capital.zone)
    last = local_instant(day + timedelta(days=1), time(0), capital.zone)
    count = int((last - first) / STEP)
    return [first + n * STEP for n in range(count)]


def _slot(start: datetime, duration: timedelta, capitals: Capitals) -> Slot:
    end = start + duration
    return Slot(start, end, tuple(_strain(start, end, c, capitals) for c in capitals.both))


def _strain(start: datetime, end: datetime, capital: Capital, capitals: Capitals) -> Strain:
    """Measured against whichever local working day (yesterday's, today's or tomorrow's) it costs least."""
    local_day = start.astimezone(capital.tz).date()
    options = []
    for offset in (-1, 0, 1):
        workday = local_day + timedelta(days=offset)
        # local_instant is the planner's DST policy: a time skipped by spring-forward moves forward.
        opens = local_instant(workday, capitals.working_hours[0], capital.zone)
        closes = local_instant(workday, capitals.working_hours[1], capital.zone)
        early = max(0, int((opens - start).total_seconds() // 60))
        late = max(0, int((end - closes).total_seconds() // 60))
        if early and late:  # longer than the working day itself: count it all as late
            early, late = 0, early + late
        options.append(Strain(capital, early, late, not capitals.works_on(capital.country, workday)))
    return min(options, key=lambda s: s.cost)


def _windows(starts: list[datetime]) -> list[tuple[datetime, datetime]]:
    windows: list[tuple[datetime, datetime]] = []
    for start in starts:
        if windows and start - windows[-1][1] == STEP:
            windows[-1] = (windows[-1][0], start)
        else:
            windows.append((start, start))
    return windows
