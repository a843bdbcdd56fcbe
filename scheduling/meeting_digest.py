"""What the weekly digest says about meetings beyond their dates: their checklists
(late steps, steps due in the next four weeks: handlers/domain/checklists.py), and the meetings
not known to have met (scheduling/meeting_asks.py)."""

from __future__ import annotations

from datetime import date

from handlers.domain.checklists import checklists
from handlers.views.dates import day
from handlers.views.i18n import N_, _
from handlers.views.reply import Section
from scheduling.meeting_asks import unknown_names


def meeting_sections(session, timeline, meetings: dict, horizon: date) -> list[Section]:
    """Sections for the meetings a digest shows (``meetings``: by key, as scheduling/digest.py selects them)."""
    sections = []
    if lines := digest_lines(session, timeline, meetings, horizon):
        sections.append(Section(heading=_("Meeting preparation"), body="\n".join(f"• {line}" for line in lines)))
    return sections


def with_unknown(gaps: str, meetings: dict) -> str:
    """The standing gaps line, naming the meetings whose last due meeting is not on record
    (held or not): a standing gap too, kept to a few words (a quiet digest fits on one screen)."""
    names = unknown_names(meetings)
    if not names:
        return gaps
    restricted = _(RESTRICTED)
    head, tail = gaps.removesuffix(restricted), restricted if gaps.endswith(restricted) else ""
    full_stop = _(".")
    unknown = _("; last due meeting not on record: {names}").format(names=", ".join(names))
    return f"{head.removesuffix(full_stop)}{unknown}{full_stop}{tail.removeprefix(full_stop)}"


RESTRICTED = N_(". Restricted items are left out.")


def digest_lines(session, timeline, meetings_shown: dict, horizon: date) -> list[str]:
    """Late steps, and steps due by ``horizon``, of the meetings a digest shows."""
    lines = []
    records = [o.record for o in meetings_shown.values()]
    for m_id, found in checklists(session, records, timeline.today).items():
        record = timeline.outlooks[m_id].record
        when = timeline.when(found.occurrence.date_edtf)
        for step in found.steps:
            state = step.state(timeline.today)
            if state == "late":
                lines.append(
                    _("Late: {name} ({date}): {step}, due {day}").format(
                        name=timeline.names.of(record.mechanism), date=when, step=step.kind.name, day=day(step.due)
                    )
                )
            elif state == "due" and step.due <= horizon:
                lines.append(
                    _("Due: {name} ({date}): {step}, by {day}").format(
                        name=timeline.names.of(record.mechanism), date=when, step=step.kind.name, day=day(step.due)
                    )
                )
    return lines
