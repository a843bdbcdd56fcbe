"""`/agenda plan <meeting> [year]`: three dates for the next meeting, each explained.

The choosing is scheduling/plans.py's; this finds the window (the cadence's
projection, or the year asked for), gathers the other agenda dates, and words
the answer. Each candidate has a button that runs `/agenda schedule` through
the ordinary write path, where the coordinator check and the audit happen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from handlers.commands import Plan
from handlers.context import Context
from handlers.dates import day
from handlers.permissions import at_least
from handlers.reply import Action, ActionKind, Reply, Section, Tone
from handlers.resolve import TargetKind
from handlers.timeline import as_past, season_code
from models import repository
from models.repository import MechanismRecord
from models.tables import Occurrence, Role
from scheduling.capitals import COUNTRY_NAMES
from scheduling.plans import Candidate, Dated, PlanResult, propose
from scheduling.projection import OTHER_COUNTRY, CadenceRule, PastOccurrence, project_next, season_window

MIN_NOTICE = timedelta(days=28)  # invitations, agendas and travel need about four weeks
MONTHS = "January February March April May June July August September October November December".split()


@dataclass(frozen=True)
class Aim:
    window: tuple[date, date]
    label: str  # "autumn 2027"
    host: str | None  # CA or JP
    basis: str  # why this window and host


def plan(command: Plan, ctx: Context) -> Reply:
    kinds = (TargetKind.mechanism,)
    target = ctx.vocabulary.exact(command.target, kinds=kinds) or ctx.vocabulary.fuzzy(command.target, kinds=kinds)
    if target is None or not ctx.visible_meetings([target.id]):  # a restricted meeting, for who may not see it
        return _notice(f"I don't know a meeting called “{command.target}”.", f"Meetings: {ctx.meeting_names()}.")
    outlook = ctx.timeline.outlook(target.id)
    record = outlook.record
    if command.year is None and outlook.next and outlook.next.fixed:
        return _notice(
            f"The next {target.name} is already fixed: {outlook.next.wording}.",
            f"To plan the one after, give its year: `/agenda plan {target.key} {outlook.next.starts_on.year + 1}`.",
        )
    aim = _aim(record, command.year, ctx)
    if isinstance(aim, Reply):
        return aim
    earliest = ctx.today + MIN_NOTICE
    if aim.window[1] < earliest:
        return _notice(f"{aim.label} is past or too close to plan.", "Give a later year.")
    result = propose(
        window=aim.window,
        earliest=earliest,
        # Announced dates count too: they show when the meeting is meant to be held.
        history=[(o.starts_on, o.ends_on) for o in record.occurrences],
        others=_other_dates(ctx, record, aim.window),
        capitals=ctx.ports.capitals,
        gap_days=ctx.ports.plan_gap_days,
    )
    return _reply(ctx, record, aim, result)


def _aim(record: MechanismRecord, year: int | None, ctx: Context) -> Aim | Reply:
    """The window to plan in, its expected host, and why."""
    mechanism = record.mechanism
    cadences = [CadenceRule(c.rrule, c.stated, c.effective_on) for c in record.cadences]
    if year is not None:
        return _aim_in_year(record, cadences, year, ctx.today)
    if not cadences:
        return _notice(
            f"No cadence is stated for the {mechanism.name}, so I can't tell when the next one falls.",
            f"Give a year: `/agenda plan {mechanism.key} {ctx.today.year + 1}`.",
        )
    # The first window that still leaves time to organise: a window closing
    # within four weeks is skipped for the next one (and the host turns with it).
    projection = project_next(
        cadences=cadences, history=[_past(o) for o in record.occurrences if o.starts_on <= ctx.today],
        today=ctx.today + MIN_NOTICE, alternates_host=mechanism.alternates_host, recorded_until=ctx.today,
        usual_season=season_code(mechanism.usual_season),
    )  # fmt: skip
    return Aim((projection.starts_on, projection.ends_on), projection.label, projection.host, projection.basis)


def _aim_in_year(record: MechanismRecord, cadences: list[CadenceRule], year: int, today: date) -> Aim:
    mechanism = record.mechanism
    season = season_code(mechanism.usual_season)
    start, end, label = season_window(date(year, 1, 1), season)
    before = [o for o in record.occurrences if o.starts_on < start]  # announced ones too, as the timeline does
    if cadences:
        projection = project_next(
            cadences=cadences, history=[_past(o) for o in before], today=start,
            alternates_host=mechanism.alternates_host, usual_season=season, recorded_until=today,
        )  # fmt: skip
        basis = projection.basis
        if projection.starts_on.year != year:
            basis += f" By that cadence the next one falls in {projection.label}; these dates are in {year}, as asked."
        return Aim((start, end), label, projection.host, basis)
    hosts = [o.host for o in sorted(before, key=lambda o: o.starts_on) if o.host]
    host = OTHER_COUNTRY[hosts[-1]] if mechanism.alternates_host and hosts else None
    basis = "No cadence is stated; planning in the year asked."
    if host:
        basis += f" Hosts alternate and {COUNTRY_NAMES[hosts[-1]]} hosted the last meeting on record."
    return Aim((start, end), label, host, basis)


def _past(occurrence: Occurrence) -> PastOccurrence:
    return as_past(occurrence)


def _other_dates(ctx: Context, record: MechanismRecord, window: tuple[date, date]) -> list[Dated]:
    """Every other day-precise date on the agenda near the window: other meetings and deadlines or events."""
    reach = timedelta(days=ctx.ports.plan_gap_days)
    low, high = window[0] - reach, window[1] + reach
    found = [
        Dated(o.starts_on, outlook.record.mechanism.name)
        for outlook in ctx.timeline.outlooks.values()
        if outlook.record.mechanism.id != record.mechanism.id
        for o in outlook.record.occurrences
        if o.starts_on == o.ends_on and low <= o.starts_on <= high
    ]
    rows = repository.commitments_due_on_one_day(session=ctx.session, low=low, high=high)
    visible = set(ctx.visible([r.id for r in rows]))  # a restricted item is not named to those who may not see it
    return found + [Dated(r.due_start, f"{r.key} {r.title}") for r in rows if r.id in visible]


def _reply(ctx: Context, record: MechanismRecord, aim: Aim, result: PlanResult) -> Reply:
    mechanism = record.mechanism
    host = COUNTRY_NAMES[aim.host] if aim.host else None
    if not result.candidates:
        return _notice(
            f"No day in {aim.label} suits the {mechanism.name}.",
            f"{_excluded(result, ctx)} Try another year: `/agenda plan {mechanism.key} {aim.window[0].year + 1}`.",
        )
    count = len(result.candidates)
    title = f"{count} date{'s' if count > 1 else ''} for the {mechanism.name}, {aim.label}"
    title += f", host {host}" if host else ""
    sections = [Section(heading=day(c.day), body=_explain(c, result, host, ctx)) for c in result.candidates]
    coordinator = at_least(ctx.role, Role.coordinator)
    if not coordinator:
        sections.append(Section(body="A coordinator can fix one of these with `/agenda schedule`."))
    where = f" host {host}" if host else ""
    actions = [
        Action(ActionKind.do, f"Fix {day(c.day)}", f"schedule {mechanism.key} {c.day.isoformat()}{where}")
        for c in result.candidates
        if coordinator
    ]
    summary = f"{aim.basis} {_excluded(result, ctx)}"
    return Reply(title=title, summary=summary, sections=sections, actions=actions)


def _excluded(result: PlanResult, ctx: Context) -> str:
    capitals = ctx.ports.capitals
    return (
        f"Of {result.considered} possible days, {result.off_days} are weekends or holidays in Canada "
        f"({capitals.province}) or Japan, and {result.crowded_days} more fall within "
        f"{ctx.ports.plan_gap_days} days of another agenda date."
    )


def _explain(candidate: Candidate, result: PlanResult, host: str | None, ctx: Context) -> str:
    lines = []
    if result.usual_month is None:
        lines.append("Near the middle of the window: no meeting on record gives a month.")
    else:
        month = MONTHS[result.usual_month - 1]
        meetings = f"{result.months_on_record} meeting{'s' if result.months_on_record > 1 else ''} on record"
        lines.append(
            f"In {month}, the usual month ({meetings} with a month)."
            if candidate.in_usual_month
            else f"Outside {month}, the usual month: {month} had no free day far enough from the others."
        )
    if host:
        lines.append(f"Host: {host}, taking turns with the last host.")
    nearby = "; ".join(f"{off.reason} ({off.country_name}) on {day(when)}" for when, off in candidate.nearby_days_off)
    lines.append("A working day in Canada and Japan" + (f"; holidays nearby: {nearby}." if nearby else "."))
    if candidate.midweek:
        lines.append("Tuesday to Thursday, leaving Monday and Friday for travel.")
    if candidate.nearest_other:
        other, distance = candidate.nearest_other
        lines.append(f"Nearest other agenda date: {other.label}, {day(other.day)} ({distance} days away).")
    else:
        lines.append(f"No other agenda date within {ctx.ports.plan_gap_days} days.")
    return "\n".join(lines)


def _notice(title: str, hint: str) -> Reply:
    return Reply(title=title, sections=[Section(body=hint)], tone=Tone.notice)
