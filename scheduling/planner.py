"""The planner: from the agenda's dates, each person's settings and now, what
should be sent and when. Pure: no database, no platform, no wall clock.

- Reminders at lead times (default 30, 7 and 1 days before) at 09:00 in the
  recipient's own timezone, to each owner, and once to the coordinators'
  channel when there is one. A lead time that falls on a weekend or a public
  holiday where the recipient is (Japan's New Year closure, say) moves to
  their previous working day.
- A projected meeting (no date fixed yet) prompts its owners to fix one some
  weeks before its expected window opens.
- A meeting whose projected window passed with no record (held or not held)
  asks its owners and the coordinators' channel, once, whether it met.
- An overdue deadline escalates to the coordinators' channel and the lead,
  after a grace period, then every so many days, a bounded number of times,
  until someone acknowledges it.

Each message gets a deterministic key, so planning the same day twice (or on
two replicas) yields the same keys and the outbox keeps one of each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.tz import resolve_imaginary

from models.platforms import DEFAULT_TIMEZONE
from scheduling.capitals import DEFAULT_CAPITALS, Capitals


@dataclass(frozen=True)
class DueItem:
    ref: str  # a commitment id (2002-A4) or a meeting's key
    title: str
    kind: str  # deadline | event | meeting | projected | milestone | unrecorded (a window passed, no record)
    starts_on: date | None
    ends_on: date | None
    owners: tuple[str, ...]  # people ("slack:U…"); departments cannot be messaged
    overdue: bool = False
    lead_days: tuple[int, ...] | None = None  # this item's own lead times, if set
    dated_at: datetime | None = None  # when its date was set, if after the start (a meeting fixed late)
    starts_at: datetime | None = None  # a meeting's time, when one was fixed: lead days count from its day where
    # each recipient is (09:00 Tokyo on Monday is Sunday evening in Ottawa: Ottawa's day-before is Saturday)


@dataclass(frozen=True)
class Recipient:
    """What the planner needs of a person it messages (the table models.tables.Person holds it)."""

    ref: str
    timezone: str | None = None  # IANA name (Slack users.info "tz")
    lead_days: tuple[int, ...] | None = None  # this person's own lead times, if set


@dataclass(frozen=True)
class Policy:
    lead_days: tuple[int, ...] = (30, 7, 1)
    send_at: time = time(9, 0)
    default_timezone: str = DEFAULT_TIMEZONE
    coordinators_channel: str | None = None  # "slack:C…"
    lead: str | None = None  # the person overdue items escalate to, "slack:U…"
    date_prompt_weeks: int = 12
    overdue_grace_days: int = 7
    escalate_every_days: int = 7
    max_escalations: int = 4
    horizon: timedelta = timedelta(days=2)  # plan what falls due up to this far ahead
    catch_up: timedelta = timedelta(days=2)  # and what fell due this recently (downtime)
    capitals: Capitals = DEFAULT_CAPITALS  # whose holidays count for whom (scheduling/capitals.py)


@dataclass(frozen=True)
class Due:
    key: str
    kind: str  # reminder | milestone (a step of a meeting's checklist) | date_prompt | record_prompt | escalation
    target: str
    at: datetime  # UTC
    item: DueItem
    lead: int | None = None  # days before, for reminders
    zone: str = "UTC"  # the recipient's timezone: ``at`` is 09:00 there
    fixed_late: bool = False  # its lead time had passed when the date was set: sent when it was set


def plan(
    items: Iterable[DueItem],
    people: Mapping[str, Recipient],
    policy: Policy,
    now: datetime,
    *,
    escalations_sent: Mapping[str, int] | None = None,
    acknowledged: frozenset[str] = frozenset(),
) -> list[Due]:
    window = (now - policy.catch_up, now + policy.horizon)
    escalations_sent = escalations_sent or {}
    planned: list[Due] = []
    for item in items:
        if item.overdue:
            if item.ref not in acknowledged:
                left = policy.max_escalations - escalations_sent.get(item.ref, 0)
                planned += _escalations(item, policy, window, left)
        elif item.kind == "projected":
            planned += _date_prompts(item, people, policy, window)
        elif item.kind == "unrecorded":
            planned += _record_prompts(item, people, policy, window)
        elif item.starts_on or item.ends_on:
            planned += _reminders(item, people, policy, window)
    return sorted(planned, key=lambda d: (d.at, d.key))


def local_instant(day: date, at: time, timezone: str) -> datetime:
    """``at`` on ``day`` in ``timezone``, as UTC. A wall time that does not
    exist (skipped by a spring-forward) moves forward by the gap."""
    local = resolve_imaginary(datetime.combine(day, at, tzinfo=ZoneInfo(timezone)))
    return local.astimezone(UTC)


def _zone_of(owner: str, people: Mapping[str, Recipient], policy: Policy) -> str:
    """Where owner reads their messages: their own timezone, else the default."""
    return people.get(owner, Recipient(owner)).timezone or policy.default_timezone


def _reminders(item: DueItem, people: Mapping[str, Recipient], policy: Policy, window) -> list[Due]:
    day = item.starts_on or item.ends_on
    found = []
    for owner in item.owners:
        person = people.get(owner, Recipient(owner))
        leads = person.lead_days or item.lead_days or policy.lead_days
        found += _at_leads(item, day, owner, leads, person.timezone or policy.default_timezone, policy, window)
    if policy.coordinators_channel:
        leads = item.lead_days or policy.lead_days
        found += _at_leads(item, day, policy.coordinators_channel, leads, policy.default_timezone, policy, window)
    return found


def _at_leads(item: DueItem, day: date, target: str, leads, zone: str, policy: Policy, window) -> list[Due]:
    """One reminder per lead time, on the recipient's working day on or before it; two lead
    times that land on the same working day (a weekend's 2 and 1) send the nearer one only.

    A date set after a lead time had passed (within the catch-up bound): that reminder
    goes when the date was set, once, marked as such, not as if the bot had been down."""
    by_day: dict[date, int] = {}
    there = item.starts_at.astimezone(ZoneInfo(zone)).date() if item.starts_at else day  # its day where they are
    for lead in sorted(leads, reverse=True):
        by_day[policy.capitals.working_day_on_or_before(there - timedelta(days=lead), zone)] = lead
    timed = [(local_instant(send_day, policy.send_at, zone), lead) for send_day, lead in by_day.items()]
    set_at = item.dated_at
    passed = [(at, lead) for at, lead in timed if set_at is not None and at < set_at]
    timed = [(at, lead, False) for at, lead in timed if (at, lead) not in passed]
    if passed and set_at - max(passed)[0] <= policy.catch_up:
        timed.append((set_at, max(passed)[1], True))  # only the latest: the earlier ones are superseded
    found = []
    for at, lead, late in timed:
        if item.starts_at is not None and at >= item.starts_at:
            continue  # never a reminder once the meeting has begun
        if window[0] <= at <= window[1]:
            # A meeting's checklist step is a kind of its own: "reminder:<meeting>" stays the meeting's.
            kind = "milestone" if item.kind == "milestone" else "reminder"
            key = f"{kind}:{item.ref}:{day}:{lead}d:{target}"
            found.append(Due(key, kind, target, at, item, lead, zone, fixed_late=late))
    return found


def _date_prompts(item: DueItem, people: Mapping[str, Recipient], policy: Policy, window) -> list[Due]:
    """Once per projected window. If the planned day has passed (the bot
    started, or the owner was assigned, later) while the window is still
    open, the prompt goes at the next 09:00 instead of never."""
    if item.starts_on is None:
        return []
    planned_day = item.starts_on - timedelta(weeks=policy.date_prompt_weeks)
    now = window[0] + policy.catch_up
    found = []
    for owner in item.owners:
        tz = _zone_of(owner, people, policy)
        day = policy.capitals.working_day_on_or_before(planned_day, tz)
        if local_instant(day, policy.send_at, tz) < window[0] and (item.ends_on is None or item.ends_on >= now.date()):
            day = _next_send_day(now, policy, tz)
        found += _sent_on(day, "date_prompt", item, owner, tz, policy, window)
    return found


def _next_send_day(now: datetime, policy: Policy, tz: str) -> date:
    """The first day, where ``tz`` is, whose sending time is not past: a prompt planned late goes at the next one."""
    today = now.astimezone(ZoneInfo(tz)).date()
    return today if local_instant(today, policy.send_at, tz) >= now else today + timedelta(days=1)


def _sent_on(day: date, kind: str, item: DueItem, target: str, tz: str, policy: Policy, window) -> list[Due]:
    """The prompt of this kind to target, sent on day at the sending time where tz is, if that falls
    in the window; keyed by the item's window, so it is asked once."""
    at = local_instant(day, policy.send_at, tz)
    if not window[0] <= at <= window[1]:
        return []
    return [Due(f"{kind}:{item.ref}:{item.starts_on}:{target}", kind, target, at, item, zone=tz)]


def _record_prompts(item: DueItem, people: Mapping[str, Recipient], policy: Policy, window) -> list[Due]:
    """Once per window that passed with no record: to each owner and the coordinators' channel, at
    09:00 on the first working day after the window closed, or (the bot started later, or the
    owner was assigned later) at the next 09:00. The key names the window, so it is asked once."""
    if item.ends_on is None:
        return []
    now = window[0] + policy.catch_up
    targets = [(owner, _zone_of(owner, people, policy)) for owner in item.owners]
    if policy.coordinators_channel:
        targets.append((policy.coordinators_channel, policy.default_timezone))
    found = []
    for target, tz in targets:
        day = item.ends_on + timedelta(days=1)
        while not policy.capitals.works_where(tz, day):
            day += timedelta(days=1)
        if local_instant(day, policy.send_at, tz) < window[0]:
            day = _next_send_day(now, policy, tz)
        found += _sent_on(day, "record_prompt", item, target, tz, policy, window)
    return found


def _escalations(item: DueItem, policy: Policy, window, left: int) -> list[Due]:
    """Every ``escalate_every_days`` from the end of the grace period; only the
    ones inside the planning window, so an item overdue for years starts
    escalating when the bot first runs, not with a backlog. At most ``left``
    of them (the cap less those already planned): a long window, as
    ``agenda-bot reminders --upcoming --days 400`` plans, lists what will
    really be sent, not one a week for ever."""
    if item.ends_on is None or left <= 0:
        return []
    first = item.ends_on + timedelta(days=policy.overdue_grace_days)
    targets = [t for t in (policy.coordinators_channel, policy.lead) if t] or list(item.owners)
    every = timedelta(days=policy.escalate_every_days)
    start_day = window[0].date()
    day = first + max(0, (start_day - first).days // every.days) * every
    found = []
    while left > 0 and (at := local_instant(day, policy.send_at, policy.default_timezone)) <= window[1]:
        if at >= window[0]:
            found += [
                Due(f"escalation:{item.ref}:{day}:{t}", "escalation", t, at, item, zone=policy.default_timezone)
                for t in targets
            ]
            left -= 1
        day += every
    return found
