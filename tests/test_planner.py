"""The planner, pure: lead times at 09:00 local across daylight-saving changes,
channel copies, date prompts, bounded escalation, stable keys."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduling.planner import DueItem, Policy, Recipient, local_instant, plan

TORONTO, TOKYO = ZoneInfo("America/Toronto"), ZoneInfo("Asia/Tokyo")
MARIA = "slack:UMARIA"  # Ottawa
KEN = "slack:UKEN"  # Tokyo
PEOPLE = {MARIA: Recipient(MARIA, "America/Toronto"), KEN: Recipient(KEN, "Asia/Tokyo")}
YEAR = Policy(horizon=timedelta(days=400), catch_up=timedelta(0))


def meeting(day: date, owners=(MARIA, KEN), ref="peace-security-symposium") -> DueItem:
    return DueItem(ref=ref, title="Symposium", kind="meeting", starts_on=day, ends_on=day, owners=owners)


def test_lead_times_land_at_nine_in_each_owners_own_timezone():
    due = plan([meeting(date(2027, 10, 14))], PEOPLE, YEAR, datetime(2027, 1, 1, tzinfo=UTC))
    local = sorted((d.target, d.lead, d.at.astimezone(TORONTO if d.target == MARIA else TOKYO)) for d in due)
    assert [(t, lead, at.date(), at.time()) for t, lead, at in local] == [
        (KEN, 1, date(2027, 10, 13), time(9)),
        (KEN, 7, date(2027, 10, 7), time(9)),
        (KEN, 30, date(2027, 9, 14), time(9)),
        (MARIA, 1, date(2027, 10, 13), time(9)),
        (MARIA, 7, date(2027, 10, 7), time(9)),
        (MARIA, 30, date(2027, 9, 14), time(9)),
    ]


def test_nine_oclock_in_toronto_is_a_different_utc_hour_either_side_of_each_dst_change():
    # 2027: DST starts 14 March, ends 7 November in Toronto; Tokyo has none.
    before_spring = local_instant(date(2027, 3, 13), time(9), "America/Toronto")
    after_spring = local_instant(date(2027, 3, 14), time(9), "America/Toronto")
    before_fall = local_instant(date(2027, 11, 6), time(9), "America/Toronto")
    after_fall = local_instant(date(2027, 11, 7), time(9), "America/Toronto")
    assert [t.hour for t in (before_spring, after_spring, before_fall, after_fall)] == [14, 13, 13, 14]
    assert {local_instant(date(2027, m, 1), time(9), "Asia/Tokyo").hour for m in range(1, 13)} == {0}


def test_a_send_time_inside_the_spring_forward_gap_moves_forward_not_away():
    at = local_instant(date(2027, 3, 14), time(2, 30), "America/Toronto")
    assert at.astimezone(TORONTO).time() == time(3, 30)


def test_reminders_for_meetings_on_both_sides_of_the_changes():
    days = [date(2027, 3, 16), date(2027, 11, 9)]  # Tuesdays: 1-day reminders on the Monday after each change
    items = [meeting(d, owners=(MARIA,), ref=f"m{n}") for n, d in enumerate(days)]
    due = [d for d in plan(items, PEOPLE, YEAR, datetime(2027, 1, 1, tzinfo=UTC)) if d.lead == 1]
    assert [d.at.astimezone(TORONTO).time() for d in due] == [time(9), time(9)]
    assert [d.at.hour for d in due] == [13, 14]  # EDT after March, EST after November


def test_a_reminder_on_a_day_off_moves_to_the_recipients_previous_working_day_across_dst():
    """Sunday 14 March 2027, the day Toronto's DST starts, is no working day: the 2-day reminder
    of a Tuesday meeting comes on Friday 12, at 09:00 EST, while the 1-day one is Monday's 09:00 EDT."""
    due = plan([meeting(date(2027, 3, 16), owners=(MARIA,))], PEOPLE, dataclasses.replace(YEAR, lead_days=(2, 1)),
               datetime(2027, 1, 1, tzinfo=UTC))  # fmt: skip
    assert [(d.lead, d.at) for d in due] == [
        (2, datetime(2027, 3, 12, 14, tzinfo=UTC)),
        (1, datetime(2027, 3, 15, 13, tzinfo=UTC)),
    ]
    assert [d.key for d in due][
        0
    ] == "reminder:peace-security-symposium:2027-03-16:2d:slack:UMARIA"  # keys keep the lead


def test_japans_new_year_closure_and_weekends_are_skipped_where_the_recipient_is():
    """A meeting on Tuesday 5 January 2027: its 7-day reminder (29 Dec) falls in the closure of Japan's
    ministries for Ken (Tokyo) but is a working day for Maria (Ottawa); the 1-day one (Monday 4)
    is a working day for both. Ken's moves to Monday 28 December."""
    due = plan([meeting(date(2027, 1, 5))], PEOPLE, dataclasses.replace(YEAR, lead_days=(7, 1)),
               datetime(2026, 12, 1, tzinfo=UTC))  # fmt: skip
    local = {(d.target, d.lead): d.at.astimezone(TORONTO if d.target == MARIA else TOKYO) for d in due}
    assert local[(KEN, 7)].date() == date(2026, 12, 28) and local[(KEN, 7)].time() == time(9)
    assert local[(MARIA, 7)].date() == date(2026, 12, 29)
    assert local[(KEN, 1)].date() == local[(MARIA, 1)].date() == date(2027, 1, 4)


def test_two_lead_times_on_one_weekend_send_one_reminder():
    due = plan([meeting(date(2027, 3, 15), owners=(MARIA,))], PEOPLE, dataclasses.replace(YEAR, lead_days=(2, 1)),
               datetime(2027, 1, 1, tzinfo=UTC))  # fmt: skip
    assert [(d.lead, d.at.astimezone(TORONTO).date()) for d in due] == [(1, date(2027, 3, 12))]  # Sat and Sun: Friday


def test_planning_is_deterministic_and_windowed():
    now = datetime(2027, 10, 6, 12, tzinfo=UTC)
    policy = Policy()  # 2 days ahead, 2 days back
    once = plan([meeting(date(2027, 10, 14))], PEOPLE, policy, now)
    assert [d.key for d in once] == [d.key for d in plan([meeting(date(2027, 10, 14))], PEOPLE, policy, now)]
    assert {d.lead for d in once} == {7}  # 30 days before is long past, 1 day before not yet in view
    assert once[0].key == "reminder:peace-security-symposium:2027-10-14:7d:slack:UKEN"


def test_per_person_and_per_item_lead_times():
    people = {MARIA: Recipient(MARIA, "America/Toronto", lead_days=(2,))}
    item = DueItem("2002-A4", "MLAT", "deadline", None, date(2027, 6, 30), (MARIA, KEN), lead_days=(14,))
    due = plan([item], people, YEAR, datetime(2027, 1, 1, tzinfo=UTC))
    assert sorted((d.target, d.lead) for d in due) == [(KEN, 14), (MARIA, 2)]


def test_a_coordinators_channel_gets_one_copy_per_lead_time():
    policy = Policy(coordinators_channel="slack:CCOORD", horizon=timedelta(days=400), catch_up=timedelta(0))
    due = plan([meeting(date(2027, 10, 14))], PEOPLE, policy, datetime(2027, 1, 1, tzinfo=UTC))
    assert sorted(d.lead for d in due if d.target == "slack:CCOORD") == [1, 7, 30]


def test_a_projected_meeting_prompts_its_owners_to_fix_a_date_in_time_to_plan():
    item = DueItem("pol-mil-talks", "Pol-Mil Talks", "projected", date(2027, 1, 1), date(2027, 12, 31), (MARIA,))
    due = plan([item], PEOPLE, YEAR, datetime(2026, 9, 1, tzinfo=UTC))
    (prompt,) = due
    assert prompt.kind == "date_prompt"
    assert prompt.at.astimezone(TORONTO).date() == date(2027, 1, 1) - timedelta(weeks=12)


def test_overdue_items_escalate_on_a_bounded_schedule_until_acknowledged():
    policy = Policy(coordinators_channel="slack:CCOORD", lead="slack:ULEAD")
    mlat = DueItem("2002-A4", "MLAT", "deadline", None, date(2003, 12, 31), (MARIA,), overdue=True)
    now = datetime(2026, 11, 23, 15, tzinfo=UTC)
    found = plan([mlat], PEOPLE, policy, now)
    assert {d.target for d in found} <= {"slack:CCOORD", "slack:ULEAD"}
    assert all(d.kind == "escalation" for d in found)
    weeks = [plan([mlat], PEOPLE, policy, now + timedelta(days=n)) for n in range(0, 60, 2)]
    days = sorted({d.at.date() for week in weeks for d in week})
    assert len(days) >= 8  # about 60 days of weekly escalations came into view
    assert all((b - a).days == 7 for a, b in zip(days, days[1:], strict=False))
    busy = next(now + timedelta(days=n) for n in range(0, 60, 2) if weeks[n // 2])
    assert plan([mlat], PEOPLE, policy, busy, escalations_sent={"2002-A4": 3})  # below the bound: still goes
    assert plan([mlat], PEOPLE, policy, busy, escalations_sent={"2002-A4": 4}) == []
    assert plan([mlat], PEOPLE, policy, busy, acknowledged=frozenset({"2002-A4"})) == []


def test_a_long_window_plans_no_more_escalations_than_the_cap():
    """`reminders --upcoming --days 400` plans over a long window: it must show what will be sent."""
    mlat = DueItem("2002-A4", "MLAT", "deadline", None, date(2003, 12, 31), (MARIA,), overdue=True)
    now = datetime(2026, 11, 23, 15, tzinfo=UTC)
    long = Policy(horizon=timedelta(days=400), catch_up=timedelta(0))
    found = plan([mlat], PEOPLE, long, now)
    assert len(found) == long.max_escalations == 4
    assert [(b.at - a.at).days for a, b in zip(found, found[1:], strict=False)] == [7, 7, 7]
    assert len(plan([mlat], PEOPLE, long, now, escalations_sent={"2002-A4": 3})) == 1  # the one left
    assert plan([mlat], PEOPLE, dataclasses.replace(long, max_escalations=0), now) == []


def test_people_without_a_timezone_get_the_default():
    due = plan([meeting(date(2027, 10, 14), owners=("slack:UNOTZ",))], {}, YEAR, datetime(2027, 1, 1, tzinfo=UTC))
    assert {d.at.astimezone(TORONTO).time() for d in due} == {time(9)}


def test_a_date_set_after_a_lead_time_sends_that_reminder_once_when_it_was_set():
    """Fixed on Mon 23 Nov 2026 at 10:00 in Ottawa for Mon 30 Nov: the 7-day reminder's 09:00 had
    just passed (it goes at once, marked fixed late); the 30-day one is long past (never sent)."""
    set_at = datetime(2026, 11, 23, 15, tzinfo=UTC)
    item = dataclasses.replace(meeting(date(2026, 11, 30), owners=(MARIA,)), dated_at=set_at)
    due = plan([item], PEOPLE, Policy(horizon=timedelta(days=30)), set_at)
    assert [(d.lead, d.at, d.fixed_late) for d in due] == [
        (7, set_at, True),
        (1, datetime(2026, 11, 27, 14, tzinfo=UTC), False),  # Sunday the 29th: Friday
    ]
    known_all_along = dataclasses.replace(item, dated_at=None)
    assert [d.fixed_late for d in plan([known_all_along], PEOPLE, Policy(horizon=timedelta(days=30)), set_at)] == [
        False, False,
    ]  # fmt: skip
