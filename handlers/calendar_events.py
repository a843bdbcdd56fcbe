"""Agenda items → calendar events, worded as every other answer words them.

Deadlines sit on their due day; events and recorded meetings on their day,
or across their window when the documents give only a month, a season or a
year (and the description says so); each mechanism's projected meetings are
one series with the RRULE of the cadence in force. Descriptions quote the
agreed text and cite document, date and section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import select

from handlers import present
from handlers.context import Context
from handlers.timeline import Timeline, _season_code
from models import repository
from models.repository import CommitmentRecord, MechanismRecord
from models.tables import Area, Kind, Occurrence, Sensitivity, Status
from scheduling.fuzzy import FuzzyDate
from scheduling.ics import UID_DOMAIN, FeedEvent, series_days
from scheduling.projection import COUNTRY_NAMES, CadenceRule, PastOccurrence, Projection, project_next

_CLOSED = {Status.done, Status.dropped}
# EDTF that names days ("2027-10-14", "1999-09-16/1999-09-17", "../2003-12-31"),
# as opposed to a month, a season or a year.
_DAYS = re.compile(r"^(\.\./)?\d{4}-\d{2}-\d{2}(/\d{4}-\d{2}-\d{2})?$")


@dataclass(frozen=True)
class Leads:
    """Alarm lead times, in the order the reminders use: the subscriber's own,
    else the item's, else AGENDA_REMINDER_LEAD_DAYS."""

    own: tuple[int, ...] | None
    default: tuple[int, ...]

    def for_item(self, item_days: list[int] | None) -> tuple[int, ...]:
        return self.own or (tuple(item_days) if item_days else None) or self.default


def names_days(edtf: str) -> bool:
    return bool(_DAYS.match(edtf.replace("?", "").replace("~", "").replace("%", "")))


def _window_note(fuzzy: FuzzyDate, shown: str) -> str:
    return (
        f"The documents give only “{fuzzy.describe()}” (EDTF {fuzzy.edtf}), not a day: {shown}. It is not a fixed date."
    )


def commitment_event(record: CommitmentRecord, timeline: Timeline, leads: Leads) -> FeedEvent | None:
    """A dated commitment outside any meeting (meetings come from their mechanism)."""
    c = record.commitment
    if c.due_end is None or c.mechanism_id is not None or not c.due_edtf:
        return None
    fuzzy, deadline = FuzzyDate.parse(c.due_edtf), c.kind == Kind.deadline
    starts_on = c.due_end if deadline else (c.due_start or c.due_end)
    lines = [f"“{c.text}”", f"— {present.citation(record.document, c.section)}", ""]
    if names_days(c.due_edtf):
        when = fuzzy.describe() if deadline or starts_on == c.due_end else _span(starts_on, c.due_end)
        lines.append(f"{'Due' if deadline else 'When'}: {when}.")
    elif deadline:
        lines.append(_window_note(fuzzy, f"shown on {c.due_end:%d %b %Y}, the last day it allows"))
    else:
        lines.append(_window_note(fuzzy, f"shown across the whole window, {_span(starts_on, c.due_end)}"))
    lines += [
        f"Status: {timeline.status(c)}.",
        f"Owners: {present.owners_wording(record)}.",
        f"In chat: /agenda show {c.key}",
    ]
    upcoming = c.due_end >= timeline.today and c.status not in _CLOSED
    return FeedEvent(
        uid=f"commitment-{c.key}@{UID_DOMAIN}",
        summary=f"{'Due: ' if deadline else ''}{c.title} ({c.key})",
        description="\n".join(lines),
        starts_on=starts_on,
        ends_on=c.due_end,
        categories=tuple(a.name for a in record.areas) + ("Deadline" if deadline else "Event",),
        tentative=not names_days(c.due_edtf),
        transparent=deadline or not names_days(c.due_edtf),
        confidential=c.sensitivity == Sensitivity.restricted,
        edtf=c.due_edtf,
        sequence=c.version - 1,  # version starts at 1 and grows with every edit
        last_modified=c.updated_at,
        lead_days=leads.for_item(c.reminder_lead_days) if upcoming else (),
    )


def mechanism_events(ctx: Context, record: MechanismRecord, leads: Leads) -> list[FeedEvent]:
    """A meeting's recorded occurrences, and the series of its projected ones."""
    areas = _area_names(ctx, record.mechanism.area_keys)
    sources = _sources(ctx, record)
    events = [_occurrence_event(ctx, record, o, areas, sources, leads) for o in record.occurrences]
    series = _projected_series(ctx, record, areas, sources, leads)
    return events + ([series] if series else [])


def _occurrence_event(ctx, record, occurrence: Occurrence, areas, sources, leads: Leads) -> FeedEvent:
    m, fuzzy = record.mechanism, FuzzyDate.parse(occurrence.date_edtf)
    lines = [f"{m.name}: {fuzzy.describe()}" + (f", {occurrence.place}" if occurrence.place else "") + "."]
    if occurrence.host:
        lines.append(f"Host: {COUNTRY_NAMES.get(occurrence.host, occurrence.host)}.")
    if not names_days(occurrence.date_edtf):
        lines.append(
            _window_note(fuzzy, f"shown across the whole window, {_span(occurrence.starts_on, occurrence.ends_on)}")
        )
    if occurrence.planned_only:
        lines.append("Announced, never confirmed by a later source.")
    if occurrence.note:
        lines.append(occurrence.note)
    lines += _quote(sources.get(occurrence.source_commitment_key))
    lines.append(f"In chat: /agenda history {m.key}")
    upcoming = occurrence.ends_on >= ctx.today and not occurrence.planned_only
    return FeedEvent(
        uid=f"meeting-{m.key}-{occurrence.id}@{UID_DOMAIN}",
        summary=m.name + (f", {occurrence.place}" if occurrence.place else ""),
        description="\n".join(lines),
        starts_on=occurrence.starts_on,
        ends_on=occurrence.ends_on,
        categories=(*areas, "Meeting"),
        location=occurrence.place,
        tentative=occurrence.planned_only or not names_days(occurrence.date_edtf),
        transparent=not names_days(occurrence.date_edtf),
        edtf=occurrence.date_edtf,
        lead_days=leads.for_item(m.reminder_lead_days) if upcoming else (),
    )


def _projected_series(ctx, record, areas, sources, leads: Leads) -> FeedEvent | None:
    projection = _projection(ctx, record)
    if projection is None:
        return None
    m, rule = record.mechanism, projection.cadence
    window_days = (projection.ends_on - projection.starts_on).days + 1
    days = series_days(rule.rrule, projection.starts_on, window_days)
    lines = [f"Projected, not yet fixed: the next {m.name} is expected in {projection.label}."]
    if projection.host_name:
        lines.append(f"Expected host: {projection.host_name}; hosts alternate, so the one after is the other country.")
    lines.append(projection.basis)
    first = _span(projection.starts_on, projection.starts_on + timedelta(days - 1))
    lines.append(
        f"Each event here stands for a window ({first} for the first), repeating “{rule.stated}” "
        f"(RRULE {rule.rrule}); none is a fixed date."
    )
    source = next((c for c in record.cadences if c.rrule == rule.rrule and c.stated == rule.stated), None)
    lines += _quote(sources.get(source.source_commitment_key) if source else None)
    lines.append(f"When a date is agreed: /agenda schedule {m.key} <date> in <city> host Canada|Japan")
    return FeedEvent(
        uid=f"projected-{m.key}@{UID_DOMAIN}",
        summary=f"{m.name} (projected, not yet fixed)",
        description="\n".join(lines),
        starts_on=projection.starts_on,
        ends_on=projection.starts_on + timedelta(days=days - 1),
        categories=(*areas, "Meeting", "Projected"),
        tentative=True,
        transparent=True,
        rrule=rule.rrule,
        lead_days=leads.for_item(m.reminder_lead_days),
    )


def _projection(ctx: Context, record: MechanismRecord) -> Projection | None:
    """The timeline's projection; when the next meeting is fixed, the one after it."""
    outlook = ctx.timeline.outlook(record.mechanism.id)
    if outlook is None or outlook.next is None:
        return None
    if outlook.projection is not None:
        return outlook.projection
    after = outlook.next.ends_on + timedelta(days=1)
    return project_next(
        cadences=[CadenceRule(c.rrule, c.stated, c.effective_on) for c in record.cadences],
        history=[
            PastOccurrence(o.starts_on, o.ends_on, o.host, FuzzyDate.parse(o.date_edtf).describe())
            for o in record.occurrences
            if o.starts_on < after
        ],
        today=after,
        alternates_host=record.mechanism.alternates_host,
        usual_season=_season_code(record.mechanism.usual_season),
    )


def _sources(ctx: Context, record: MechanismRecord) -> dict[str, CommitmentRecord]:
    """The commitments a meeting's dates and cadences come from, if the subscriber may see them."""
    keys = {o.source_commitment_key for o in record.occurrences} | {c.source_commitment_key for c in record.cadences}
    ids = [i for k in sorted(k for k in keys if k) if (i := repository.get_commitment_id(session=ctx.session, key=k))]
    return {r.commitment.key: r for r in repository.load_commitments(session=ctx.session, ids=ctx.visible(ids))}


def _quote(record: CommitmentRecord | None) -> list[str]:
    if record is None:
        return []
    c = record.commitment
    return ["", f"“{c.text}”", f"— {present.citation(record.document, c.section)} ({c.key})"]


def _area_names(ctx: Context, keys: list[str]) -> tuple[str, ...]:
    if not keys:
        return ()
    names = dict(ctx.session.exec(select(Area.key, Area.name).where(Area.key.in_(keys))).all())
    return tuple(names[k] for k in keys if k in names)


def _span(start: date, end: date) -> str:
    return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
