"""`/agenda plan <meeting> [year]`: three dates for the next meeting, each explained.

The choosing is scheduling/meeting_dates.py's; this finds the window (the cadence's
projection, or the year asked for), gathers the other agenda dates, and words
the answer. Each candidate has a button that runs `/agenda schedule` through
the ordinary write path, where the coordinator check and the audit happen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from handlers.commands.parser import Plan
from handlers.domain.context import Context
from handlers.domain.permissions import at_least
from handlers.domain.resolve import TargetKind
from handlers.domain.timeline import as_past, season_code
from handlers.views.dates import day, fuzzy_wording, holiday
from handlers.views.i18n import _, babel_locale, gap, ngettext
from handlers.views.reply import Action, ActionKind, Reply, Section, Tone
from models import repository
from models.repository import MechanismRecord
from models.tables import Occurrence, Role
from scheduling.capitals import COUNTRY_NAMES
from scheduling.fuzzy import FuzzyDate
from scheduling.meeting_dates import Candidate, Dated, PlanResult, propose
from scheduling.projection import (
    OTHER_COUNTRY,
    CadenceRule,
    PastOccurrence,
    project_next,
    season_window,
    window_edtf,
)

MIN_NOTICE = timedelta(days=28)  # invitations, agendas and travel need about four weeks


@dataclass(frozen=True)
class Aim:
    window: tuple[date, date]
    label: str  # "autumn 2027"
    host: str | None  # CA or JP
    basis: str  # why this window and host
    edtf: str = ""  # the window as EDTF ("2027-23"), worded in the reader's language

    @property
    def words(self) -> str:
        return fuzzy_wording(FuzzyDate.parse(self.edtf)) if self.edtf else self.label


def plan(command: Plan, ctx: Context) -> Reply:
    kinds = (TargetKind.mechanism,)
    target = ctx.vocabulary.exact(command.target, kinds=kinds) or ctx.vocabulary.fuzzy(command.target, kinds=kinds)
    if target is None or not ctx.visible_meetings([target.id]):  # a restricted meeting, for who may not see it
        return _notice(
            _("I don't know a meeting called “{name}”.").format(name=command.target),
            _("Meetings: {names}.").format(names=ctx.meeting_names()),
        )
    outlook = ctx.timeline.outlook(target.id)
    record = outlook.record
    if command.year is None and outlook.next and outlook.next.fixed:
        return _notice(
            _("The next {name} is already fixed: {when}.").format(name=target.name, when=outlook.next.wording),
            _("To plan the one after, give its year: `/agenda plan {key} {year}`.").format(
                key=target.key, year=outlook.next.starts_on.year + 1
            ),
        )
    aim = _aim(record, command.year, ctx)
    if isinstance(aim, Reply):
        return aim
    earliest = ctx.today + MIN_NOTICE
    if aim.window[1] < earliest:
        return _notice(_("{when} is past or too close to plan.").format(when=aim.words), _("Give a later year."))
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
            _("No cadence is stated for the {name}, so I can't tell when the next one falls.").format(
                name=ctx.names.of(mechanism)
            ),
            _("Give a year: `/agenda plan {key} {year}`.").format(key=mechanism.key, year=ctx.today.year + 1),
        )
    # The first window that still leaves time to organise: a window closing
    # within four weeks is skipped for the next one (and the host turns with it).
    projection = project_next(
        cadences=cadences, history=[_past(o) for o in record.occurrences if o.starts_on <= ctx.today],
        today=ctx.today + MIN_NOTICE, alternates_host=mechanism.alternates_host, recorded_until=ctx.today,
        usual_season=season_code(mechanism.usual_season),
    )  # fmt: skip
    return Aim(
        (projection.starts_on, projection.ends_on), projection.label, projection.host, projection.basis, projection.edtf
    )


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
            basis += gap() + _(
                "By that cadence the next one falls in {when}; these dates are in {year}, as asked."
            ).format(when=fuzzy_wording(FuzzyDate.parse(projection.edtf)), year=year)
        return Aim((start, end), label, projection.host, basis, window_edtf(start, season))
    hosts = [o.host for o in sorted(before, key=lambda o: o.starts_on) if o.host]
    host = OTHER_COUNTRY[hosts[-1]] if mechanism.alternates_host and hosts else None
    basis = _("No cadence is stated; planning in the year asked.")
    if host:
        basis += gap() + _("Hosts alternate and {country} hosted the last meeting on record.").format(
            country=_(COUNTRY_NAMES[hosts[-1]])
        )
    return Aim((start, end), label, host, basis, window_edtf(start, season))


def _past(occurrence: Occurrence) -> PastOccurrence:
    return as_past(occurrence)


def _other_dates(ctx: Context, record: MechanismRecord, window: tuple[date, date]) -> list[Dated]:
    """Every other day-precise date on the agenda near the window: other meetings and deadlines or events."""
    reach = timedelta(days=ctx.ports.plan_gap_days)
    low, high = window[0] - reach, window[1] + reach
    found = [
        Dated(o.starts_on, ctx.names.of(outlook.record.mechanism))
        for outlook in ctx.timeline.outlooks.values()
        if outlook.record.mechanism.id != record.mechanism.id
        for o in outlook.record.occurrences
        if o.starts_on == o.ends_on and low <= o.starts_on <= high
    ]
    rows = repository.commitments_due_on_one_day(session=ctx.session, low=low, high=high)
    visible = set(ctx.visible([r.id for r in rows]))  # a restricted item is not named to those who may not see it
    return found + [Dated(r.due_start, f"{r.key} {ctx.names.title(r.key, r.title)}") for r in rows if r.id in visible]


def _reply(ctx: Context, record: MechanismRecord, aim: Aim, result: PlanResult) -> Reply:
    mechanism = record.mechanism
    host = _(COUNTRY_NAMES[aim.host]) if aim.host else None
    if not result.candidates:
        return _notice(
            _("No day in {when} suits the {name}.").format(when=aim.words, name=ctx.names.of(mechanism)),
            _excluded(result, ctx)
            + " "
            + _("Try another year: `/agenda plan {key} {year}`.").format(
                key=mechanism.key, year=aim.window[0].year + 1
            ),
        )
    count = len(result.candidates)
    title = ngettext("{n} date for the {name}, {when}", "{n} dates for the {name}, {when}", count).format(
        n=count, name=ctx.names.of(mechanism), when=aim.words
    )
    title += _(", host {country}").format(country=host) if host else ""
    sections = [Section(heading=day(c.day), body=_explain(c, result, host, ctx)) for c in result.candidates]
    coordinator = at_least(ctx.role, Role.coordinator)
    if not coordinator:
        sections.append(Section(body=_("A coordinator can fix one of these with `/agenda schedule`.")))
    where = f" host {COUNTRY_NAMES[aim.host]}" if aim.host else ""  # the command's words, in English
    actions = [
        Action(
            ActionKind.do, _("Fix {day}").format(day=day(c.day)), f"schedule {mechanism.key} {c.day.isoformat()}{where}"
        )
        for c in result.candidates
        if coordinator
    ]
    summary = f"{aim.basis} {_excluded(result, ctx)}"
    return Reply(title=title, summary=summary, sections=sections, actions=actions)


def _excluded(result: PlanResult, ctx: Context) -> str:
    capitals = ctx.ports.capitals
    return _(
        "Of {considered} possible days, {off} are weekends or holidays in Canada ({province}) or Japan, "
        "and {crowded} more fall within {gap} days of another agenda date."
    ).format(
        considered=result.considered,
        off=result.off_days,
        province=capitals.province,
        crowded=result.crowded_days,
        gap=ctx.ports.plan_gap_days,
    )


def _explain(candidate: Candidate, result: PlanResult, host: str | None, ctx: Context) -> str:
    lines = []
    if result.usual_month is None:
        lines.append(_("Near the middle of the window: no meeting on record gives a month."))
    else:
        month = _month(result.usual_month)
        n = result.months_on_record
        if candidate.in_usual_month:
            line = ngettext(
                "In {month}, the usual month ({n} meeting on record with a month).",
                "In {month}, the usual month ({n} meetings on record with a month).",
                n,
            )
        else:
            line = _("Outside {month}, the usual month: {month} had no free day far enough from the others.")
        lines.append(line.format(month=month, n=n))
    if host:
        lines.append(_("Host: {country}, taking turns with the last host.").format(country=host))
    nearby = "; ".join(
        _("{holiday} ({country}) on {day}").format(
            holiday=holiday(off.reason), country=_(off.country_name), day=day(when)
        )
        for when, off in candidate.nearby_days_off
    )
    if nearby:
        lines.append(_("A working day in Canada and Japan; holidays nearby: {holidays}.").format(holidays=nearby))
    else:
        lines.append(_("A working day in Canada and Japan."))
    if candidate.midweek:
        lines.append(_("Tuesday to Thursday, leaving Monday and Friday for travel."))
    if candidate.nearest_other:
        other, distance = candidate.nearest_other
        lines.append(
            ngettext(
                "Nearest other agenda date: {what}, {day} ({n} day away).",
                "Nearest other agenda date: {what}, {day} ({n} days away).",
                distance,
            ).format(what=other.label, day=day(other.day), n=distance)
        )
    else:
        lines.append(_("No other agenda date within {n} days.").format(n=ctx.ports.plan_gap_days))
    return "\n".join(lines)


def _month(number: int) -> str:
    """A month's name in the reader's language (CLDR): September, septembre, 9月."""
    from babel.dates import get_month_names

    return get_month_names("wide", locale=babel_locale())[number]


def _notice(title: str, hint: str) -> Reply:
    return Reply(title=title, sections=[Section(body=hint)], tone=Tone.notice)
