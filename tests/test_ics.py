"""The iCalendar builder alone: round trip, recurrence, alarms across DST, leap days."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar

from scheduling.ics import FeedEvent, alarm_trigger, build_calendar, series_days

STAMP = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
OTTAWA = ZoneInfo("America/Toronto")


def _parse(*events: FeedEvent) -> Calendar:
    body = build_calendar(events, uid="feed-1@agenda-bot", name="Test", description="A test feed", stamp=STAMP)
    return Calendar.from_ical(body)


def _event(**fields) -> FeedEvent:
    values = {"uid": "x@agenda-bot", "summary": "Talks", "description": "“Agreed text”", "lead_days": ()}
    return FeedEvent(**(values | fields))


def _alarm_times(calendar: Calendar) -> list[datetime]:
    [event] = calendar.events
    alarms = event.alarms
    alarms.set_local_timezone(OTTAWA)  # all-day events float: the subscriber's zone decides
    return sorted(t.trigger.astimezone(UTC) for t in alarms.times)


def test_round_trip_keeps_what_we_wrote():
    calendar = _parse(
        _event(
            starts_on=date(2027, 10, 14),
            ends_on=date(2027, 10, 15),
            categories=("Dialogue, symposia and exchanges", "Meeting"),
            location="Ottawa",
            edtf="2027-10-14/2027-10-15",
            confidential=True,
            sequence=2,
        )
    )
    assert calendar["PRODID"] == "-//agenda-bot//calendar feed//EN"
    assert calendar.calendar_name == "Test"
    [event] = calendar.events
    assert event.uid == "x@agenda-bot"
    assert event.start == date(2027, 10, 14) and event.end == date(2027, 10, 16)  # DTEND exclusive
    assert event.stamp == STAMP
    assert event.categories == ["Dialogue, symposia and exchanges", "Meeting"]  # the comma survives escaping
    assert event["X-EDTF"] == "2027-10-14/2027-10-15"
    assert event["CLASS"] == "CONFIDENTIAL" and event.sequence == 2
    assert event.location == "Ottawa"


def test_a_projected_series_expands_to_its_cadence():
    series = _event(starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31), rrule="FREQ=YEARLY;INTERVAL=2")
    found = recurring_ical_events.of(_parse(series)).between(date(2027, 1, 1), date(2034, 1, 1))
    assert [(e.start, e.end) for e in found] == [(date(y, 1, 1), date(y + 1, 1, 1)) for y in (2027, 2029, 2031, 2033)]


def test_a_window_longer_than_the_cadence_is_cut_so_events_never_overlap():
    assert series_days("FREQ=YEARLY", date(2026, 9, 1), 91) == 91
    assert series_days("FREQ=MONTHLY", date(2027, 1, 1), 365) == 31


def test_alarms_fire_at_nine_in_ottawa_on_both_sides_of_the_march_change():
    # Canada springs forward on Sunday 14 March 2027: EST (UTC-5) before, EDT (UTC-4) after.
    calendar = _parse(_event(starts_on=date(2027, 3, 15), ends_on=date(2027, 3, 15), lead_days=(7, 1, 0)))
    assert _alarm_times(calendar) == [
        datetime(2027, 3, 8, 14, 0, tzinfo=UTC),  # 09:00 EST
        datetime(2027, 3, 14, 13, 0, tzinfo=UTC),  # 09:00 EDT, the day of the change
        datetime(2027, 3, 15, 13, 0, tzinfo=UTC),  # on the day
    ]


def test_alarms_fire_at_nine_in_ottawa_on_both_sides_of_the_november_change():
    # Canada falls back on Sunday 7 November 2027.
    calendar = _parse(_event(starts_on=date(2027, 11, 8), ends_on=date(2027, 11, 8), lead_days=(7, 1)))
    assert _alarm_times(calendar) == [
        datetime(2027, 11, 1, 13, 0, tzinfo=UTC),  # 09:00 EDT
        datetime(2027, 11, 7, 14, 0, tzinfo=UTC),  # 09:00 EST
    ]


def test_a_leap_day_event_and_its_alarms():
    calendar = _parse(_event(starts_on=date(2028, 2, 29), ends_on=date(2028, 2, 29), lead_days=(30, 1)))
    [event] = calendar.events
    assert (event.start, event.end) == (date(2028, 2, 29), date(2028, 3, 1))
    assert _alarm_times(calendar) == [
        datetime(2028, 1, 30, 14, 0, tzinfo=UTC),
        datetime(2028, 2, 28, 14, 0, tzinfo=UTC),
    ]
    found = recurring_ical_events.of(calendar).at((2028, 2, 29))
    assert [e.uid for e in found] == ["x@agenda-bot"]


def test_alarm_trigger_is_nine_on_the_lead_day():
    assert str(alarm_trigger(0)) == "9:00:00"
    assert alarm_trigger(1).total_seconds() == -15 * 3600
