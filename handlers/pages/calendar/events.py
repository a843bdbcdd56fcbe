"""Dated commitments → calendar events, worded as every other answer words them, in the language of the
feed's owner (handlers/pages/calendar/feed.py speaks it: a feed is fetched by a calendar app, with no reader).

Deadlines sit on their due day; events on their day, or across their window
when the documents give only a month, a season or a year (and the
description says so). Descriptions quote the agreed text and cite document,
date and section. Meetings are in handlers/pages/calendar/meetings.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from handlers.commands.registry import in_reader_words
from handlers.domain.timeline import Timeline
from handlers.views import i18n, present
from handlers.views.dates import fuzzy_wording, plain_day
from handlers.views.i18n import N_, _
from handlers.views.names import EMPTY, NameBook
from models.repository import CommitmentRecord
from models.tables import CLOSED, Kind, Sensitivity
from scheduling.fuzzy import FuzzyDate
from scheduling.ics import UID_DOMAIN, FeedEvent

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


def window_note(fuzzy: FuzzyDate, shown: str) -> str:
    return _("The documents give only “{stated}” (EDTF {edtf}), not a day: {shown}. It is not a fixed date.").format(
        stated=fuzzy_wording(fuzzy), edtf=fuzzy.edtf, shown=shown
    )


def across_window(start: date, end: date) -> str:
    return _("shown across the whole window, {window}").format(window=span(start, end))


# A calendar app's categories: the event's areas (their own names), and what kind of event it is.
DEADLINE, EVENT, MEETING, PROJECTED = N_("Deadline"), N_("Event"), N_("Meeting"), N_("Projected")


def commitment_event(record: CommitmentRecord, timeline: Timeline, leads: Leads) -> FeedEvent | None:
    """A dated commitment outside any meeting (meetings come from their mechanism)."""
    c = record.commitment
    if c.due_end is None or c.mechanism_id is not None or not c.due_edtf:
        return None
    deadline, exact = c.kind == Kind.deadline, names_days(c.due_edtf)
    starts_on = c.due_end if deadline else (c.due_start or c.due_end)
    upcoming = c.due_end >= timeline.today and c.status not in CLOSED
    return FeedEvent(
        uid=f"commitment-{c.key}@{UID_DOMAIN}",
        summary=(_("Due: {title} ({key})") if deadline else _("{title} ({key})")).format(
            title=timeline.names.of(c), key=c.key
        ),
        description="\n".join(_commitment_lines(record, timeline, starts_on)),
        starts_on=starts_on,
        ends_on=c.due_end,
        categories=tuple(timeline.names.of(a) for a in record.areas) + (_(DEADLINE if deadline else EVENT),),
        tentative=not exact,
        transparent=deadline or not exact,  # a deadline is a date to meet, not time spent
        confidential=c.sensitivity == Sensitivity.restricted,
        edtf=c.due_edtf,
        sequence=c.version - 1,  # version starts at 1 and grows with every edit
        last_modified=c.updated_at,
        lead_days=leads.for_item(c.reminder_lead_days) if upcoming else (),
    )


def _commitment_lines(record: CommitmentRecord, timeline: Timeline, starts_on: date) -> list[str]:
    c, fuzzy = record.commitment, FuzzyDate.parse(record.commitment.due_edtf)
    deadline = c.kind == Kind.deadline
    lines = quote(record, timeline.names, with_key=False)
    if names_days(c.due_edtf):
        when = fuzzy_wording(fuzzy) if deadline or starts_on == c.due_end else span(starts_on, c.due_end)
        lines.append((_("Due: {when}.") if deadline else _("When: {when}.")).format(when=when))
    elif deadline:
        shown = _("shown on {day}, the last day it allows").format(day=plain_day(c.due_end))
        lines.append(window_note(fuzzy, shown))
    else:
        lines.append(window_note(fuzzy, across_window(starts_on, c.due_end)))
    return lines + [
        _("Status: {status}.").format(status=timeline.status(c)),
        _("Owners: {owners}.").format(owners=present.owners_wording(record, timeline.names)),
        _("In chat: {command}").format(command=in_reader_words(f"/agenda show {c.key}")),  # `/agenda voir …`
    ]


def quote(record: CommitmentRecord, names: NameBook = EMPTY, *, with_key: bool = True) -> list[str]:
    """The agreed text, verbatim, and where it was agreed; for a French or Japanese reader labelled as
    the agreed text in English, after the official text in their language where one is attached."""
    c = record.commitment
    marks = [_(present.AGREED_IN_ENGLISH)] if i18n.current() != i18n.ENGLISH else []
    marks += [_(present.TITLE_TRANSLATED)] if names.title_translated(c) else []
    cited = present.citation(record.document, c.section, names, " · ".join(marks))
    official = names.official(c.key)
    lines = [f"“{official.text}”", f"— {present.official_wording(official)}", ""] if official else []
    return lines + [f"“{c.text}”", f"— {cited}" + (f" ({c.key})" if with_key else ""), ""]


def span(start: date, end: date) -> str:
    return f"{plain_day(start)} – {plain_day(end)}"
