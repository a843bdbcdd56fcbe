"""Recurring meetings → calendar events: what is on record, and what is projected.

Recorded and fixed meetings are events on their day or across their window;
each mechanism's projected meetings are one series with the RRULE of the
cadence in force, starting at the projected window (after the next fixed
meeting, when one is fixed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from handlers.commands.registry import in_reader_words
from handlers.domain.context import Context
from handlers.domain.timeline import as_past, is_upcoming, projection_basis, season_code
from handlers.pages.calendar.events import (
    MEETING,
    PROJECTED,
    Leads,
    across_window,
    names_days,
    quote,
    span,
    window_note,
)
from handlers.views import present
from handlers.views.dates import fuzzy_wording, moment
from handlers.views.i18n import _
from handlers.views.names import NameBook
from models import repository
from models.repository import CommitmentRecord, MechanismRecord
from models.tables import Occurrence
from scheduling.capitals import Capitals
from scheduling.fuzzy import FuzzyDate
from scheduling.ics import UID_DOMAIN, FeedEvent, series_days
from scheduling.projection import COUNTRY_NAMES, CadenceRule, Projection, project_next


@dataclass(frozen=True)
class _Meeting:
    record: MechanismRecord
    name: str  # in the reader's language
    areas: tuple[str, ...]  # category names
    sources: dict[str, CommitmentRecord]  # the commitments its dates and cadences come from, if visible
    leads: Leads
    names: NameBook
    capitals: Capitals


def mechanism_events(ctx: Context, record: MechanismRecord, leads: Leads) -> list[FeedEvent]:
    """A meeting's recorded occurrences, and the series of its projected ones."""
    areas = _area_names(ctx, record.mechanism.area_keys)
    meeting = _Meeting(
        record, ctx.names.of(record.mechanism), areas, _sources(ctx, record), leads, ctx.names, ctx.ports.capitals
    )
    events = [_occurrence_event(meeting, o, ctx.today) for o in record.occurrences if not o.not_held]
    projection = _projection(ctx, record)
    from handlers.commands.milestones import feed_events  # a meeting's checklist steps

    events += feed_events(ctx, record, leads)
    return events + ([_projected_series(meeting, projection)] if projection else [])


def _occurrence_event(meeting: _Meeting, occurrence: Occurrence, today) -> FeedEvent:
    m, exact = meeting.record.mechanism, names_days(occurrence.date_edtf)
    upcoming = is_upcoming(occurrence, today)
    return FeedEvent(
        uid=f"meeting-{m.key}-{occurrence.id}@{UID_DOMAIN}",
        summary=meeting.name + (f", {occurrence.place}" if occurrence.place else ""),
        description="\n".join(_occurrence_lines(meeting, occurrence)),
        starts_on=occurrence.starts_on,
        ends_on=occurrence.ends_on,
        categories=(*meeting.areas, _(MEETING)),
        location=occurrence.place,
        tentative=occurrence.planned_only or not exact,
        transparent=not exact,
        edtf=occurrence.date_edtf,
        lead_days=meeting.leads.for_item(m.reminder_lead_days) if upcoming else (),
        starts_at=occurrence.starts_at,
        timezone=occurrence.timezone,
    )


def _occurrence_lines(meeting: _Meeting, occurrence: Occurrence) -> list[str]:
    m, fuzzy = meeting.record.mechanism, FuzzyDate.parse(occurrence.date_edtf)
    when = fuzzy_wording(fuzzy)
    if occurrence.starts_at is not None:  # its time in both capitals: the feed's own TZID is one of them
        when = moment(occurrence.starts_at, meeting.capitals, year=True, flag=False)
    if occurrence.place:
        lines = [_("{name}: {when}, {place}.").format(name=meeting.name, when=when, place=occurrence.place)]
    else:
        lines = [_("{name}: {when}.").format(name=meeting.name, when=when)]
    if occurrence.host:
        lines.append(_("Host: {country}.").format(country=_country(occurrence.host)))
    if not names_days(occurrence.date_edtf):
        lines.append(window_note(fuzzy, across_window(occurrence.starts_on, occurrence.ends_on)))
    if occurrence.planned_only:
        lines.append(_("Announced, never confirmed by a later source."))
    if occurrence.note:
        lines.append(present.meeting_note(occurrence.note))  # the bot's words translated, a person's as written
    source = meeting.sources.get(occurrence.source_commitment_key or "")
    command = in_reader_words(f"/agenda history {m.key}")  # `/agenda historique …`, `/agenda 履歴 …`
    quoted = [""] + quote(source, meeting.names) if source else [""]
    return lines + quoted + [_("In chat: {command}").format(command=command)]


def _country(code: str) -> str:
    return _(COUNTRY_NAMES[code]) if code in COUNTRY_NAMES else code


def _projected_series(meeting: _Meeting, projection: Projection) -> FeedEvent:
    m, rule = meeting.record.mechanism, projection.cadence
    window_days = (projection.ends_on - projection.starts_on).days + 1
    days = series_days(rule.rrule, projection.starts_on, window_days)
    return FeedEvent(
        uid=f"projected-{m.key}@{UID_DOMAIN}",
        summary=_("{name} (projected, not yet fixed)").format(name=meeting.name),
        description="\n".join(_series_lines(meeting, projection, days)),
        starts_on=projection.starts_on,
        ends_on=projection.starts_on + timedelta(days=days - 1),
        categories=(*meeting.areas, _(MEETING), _(PROJECTED)),
        tentative=True,
        transparent=True,
        rrule=rule.rrule,
        lead_days=meeting.leads.for_item(m.reminder_lead_days),
    )


def _series_lines(meeting: _Meeting, projection: Projection, days: int) -> list[str]:
    m, rule = meeting.record.mechanism, projection.cadence
    when = fuzzy_wording(FuzzyDate.parse(projection.edtf)) if projection.edtf else projection.label
    lines = [_("Projected, not yet fixed: the next {name} is expected in {when}.").format(name=meeting.name, when=when)]
    if projection.host:
        lines.append(
            _("Expected host: {country}; hosts alternate, so the one after is the other country.").format(
                country=_country(projection.host)
            )
        )
    first = span(projection.starts_on, projection.starts_on + timedelta(days - 1))
    lines += [
        projection_basis(projection),
        _(
            "Each event here stands for a window ({first} for the first), repeating “{cadence}” (RRULE {rrule}); "
            "none is a fixed date."
        ).format(first=first, cadence=rule.stated, rrule=rule.rrule),
        "",
    ]
    stated = next((c for c in meeting.record.cadences if (c.rrule, c.stated) == (rule.rrule, rule.stated)), None)
    source = meeting.sources.get(stated.source_commitment_key) if stated else None
    lines += quote(source, meeting.names) if source else []
    agreed = _("When a date is agreed: /agenda schedule {key} <date> in <city> host Canada|Japan").format(key=m.key)
    return lines + [agreed]


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
        history=[as_past(o) for o in record.occurrences if o.starts_on < after],
        today=after,
        recorded_until=ctx.today,
        alternates_host=record.mechanism.alternates_host,
        usual_season=season_code(record.mechanism.usual_season),
    )


def _sources(ctx: Context, record: MechanismRecord) -> dict[str, CommitmentRecord]:
    """The commitments a meeting's dates and cadences come from, if the subscriber may see them."""
    keys = {o.source_commitment_key for o in record.occurrences} | {c.source_commitment_key for c in record.cadences}
    ids = [i for k in sorted(k for k in keys if k) if (i := repository.get_commitment_id(session=ctx.session, key=k))]
    return {r.commitment.key: r for r in repository.load_commitments(session=ctx.session, ids=ctx.visible(ids))}


def _area_names(ctx: Context, keys: list[str]) -> tuple[str, ...]:
    if not keys:
        return ()
    names = repository.area_names(session=ctx.session, keys=keys)
    return tuple(ctx.names.translated("area", k, "name") or names[k] for k in keys if k in names)
