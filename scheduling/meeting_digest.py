"""What the weekly digest says about meetings beyond their dates: their checklists
(late steps, steps due in the next four weeks: handlers/commands/milestones.py), and the meetings
not known to have met (scheduling/meeting_asks.py)."""

from __future__ import annotations

from datetime import date

from handlers.commands.milestones import digest_lines
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
