"""Calendar events → an iCalendar feed (RFC 5545), built with ``icalendar``.

Pure: the handlers decide what goes in a feed and who may see it; this module
only says it the way calendar clients understand.

Most dates in the agenda are calendar dates, not times of day: those events
are all-day (``VALUE=DATE``). A date known only as a window ("autumn 2000",
"Sep 2005", "2027") spans its window, marked tentative and transparent so it
never blocks anyone's free/busy time. Alarms fire at 09:00 on the lead day,
the hour the bot's own reminders use; an all-day event is floating, so that is
09:00 wherever the subscriber is, on either side of a DST change.

A meeting whose time was fixed (`/agenda schedule pol-mil 2027-11-08 09:00 Tokyo`)
is a timed event: DTSTART in the zone it was fixed in (TZID, with its VTIMEZONE),
and DTEND ``MEETING_LENGTH`` later, since nobody states how long a meeting lasts
(two hours: a working session; clients show the start, which is what is agreed).
Its alarms fire the lead days before at the meeting's own time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

if TYPE_CHECKING:
    from icalendar import Event

PRODID = "-//agenda-bot//calendar feed//EN"
UID_DOMAIN = "agenda-bot"
ALARM_AT = time(9, 0)  # as scheduling/planner.py's Policy.send_at
REFRESH = timedelta(hours=6)
MEETING_LENGTH = timedelta(hours=2)  # a timed meeting's DTEND: no length is ever stated


@dataclass(frozen=True)
class FeedEvent:
    uid: str  # stable across fetches, so clients update an event in place
    summary: str
    description: str
    starts_on: date
    ends_on: date  # inclusive: the last day the event covers
    categories: tuple[str, ...] = ()
    location: str | None = None
    tentative: bool = False  # projected, announced only, or known only as a window
    transparent: bool = False  # does not make anyone busy (windows, projections)
    confidential: bool = False  # a restricted item: clients should not share it
    rrule: str | None = None  # RFC 5545 RRULE value, for a projected series
    edtf: str | None = None  # the date as the documents give it, kept as X-EDTF
    sequence: int | None = None  # bumped by every edit, so clients take the new copy
    last_modified: datetime | None = None
    lead_days: tuple[int, ...] = ()  # one alarm per lead time
    starts_at: datetime | None = None  # a timed event (a meeting whose time was fixed), UTC; None: all-day
    timezone: str | None = None  # the IANA zone its time was fixed in, for DTSTART's TZID


def alarm_trigger(lead_days: int) -> timedelta:
    """Relative to the start of an all-day event: 09:00 on the day ``lead_days`` before."""
    return timedelta(hours=ALARM_AT.hour, minutes=ALARM_AT.minute) - timedelta(days=lead_days)


def series_days(rrule: str, starts_on: date, window_days: int) -> int:
    """How many days each event of a series covers: its window, but never
    into the next event (a window longer than the cadence would overlap)."""
    start = datetime.combine(starts_on, time())
    following = rrulestr(rrule, dtstart=start).after(start)
    if following is None:
        return window_days
    return max(1, min(window_days, (following.date() - starts_on).days))


def build_calendar(events: Iterable[FeedEvent], *, uid: str, name: str, description: str, stamp: datetime) -> bytes:
    from icalendar import Calendar, vDuration  # imported when a feed is built, not by every start

    calendar = Calendar.new(
        prodid=PRODID,
        uid=uid,
        name=name,
        description=description,
        refresh_interval=REFRESH,
        calscale="GREGORIAN",
        method="PUBLISH",
    )
    # Outlook and older Apple clients read the refresh hint from here.
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for event in sorted(events, key=lambda e: (e.starts_on, e.uid)):
        calendar.add_component(_event(event, stamp))
    calendar.add_missing_timezones()  # a VTIMEZONE for each TZID of a timed meeting
    return calendar.to_ical()


def _event(event: FeedEvent, stamp: datetime) -> Event:
    from icalendar import Alarm, Event, vRecur

    if event.starts_at is not None:  # in the zone it was fixed in; UTC if none was kept
        start = event.starts_at.astimezone(ZoneInfo(event.timezone)) if event.timezone else event.starts_at
        end = start + MEETING_LENGTH
    else:
        start, end = event.starts_on, event.ends_on + timedelta(days=1)  # DTEND of an all-day event is exclusive
    component = Event.new(
        uid=event.uid,
        stamp=stamp,
        start=start,
        end=end,
        summary=event.summary,
        description=event.description,
        categories=list(event.categories),
        location=event.location,
        status="TENTATIVE" if event.tentative else "CONFIRMED",
        transparency="TRANSPARENT" if event.transparent else "OPAQUE",
        classification="CONFIDENTIAL" if event.confidential else "PUBLIC",
        sequence=event.sequence,
        last_modified=event.last_modified,
    )
    if event.rrule:
        component.add("rrule", vRecur.from_ical(event.rrule))
    if event.edtf:
        component.add("x-edtf", event.edtf)
    for lead in event.lead_days:
        words = "on the day" if lead == 0 else f"in {lead} day{'s' if lead != 1 else ''}"
        component.add_component(
            Alarm.new_display(
                description=f"{event.summary}: {words}",
                trigger=-timedelta(days=lead) if event.starts_at else alarm_trigger(lead),
                uid=f"{event.uid.split('@')[0]}-alarm-{lead}d@{UID_DOMAIN}",
            )
        )
    return component
