"""What the weekly digest says about meetings beyond their dates: their checklists
(late steps, steps due in the next four weeks: handlers/milestones.py)."""

from __future__ import annotations

from datetime import date

from handlers.milestones import digest_lines
from handlers.reply import Section


def meeting_sections(session, timeline, meetings: dict, horizon: date) -> list[Section]:
    """Sections for the meetings a digest shows (``meetings``: by key, as handlers/digest.py selects them)."""
    sections = []
    if lines := digest_lines(session, timeline, meetings, horizon):
        sections.append(Section(heading="Meeting preparation", body="\n".join(f"• {line}" for line in lines)))
    return sections
