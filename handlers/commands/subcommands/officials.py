"""Official French and Japanese texts of commitments, attached by coordinators (handlers/commands/officials.py)."""

from __future__ import annotations

from handlers.commands.registry import Access, CommandSpec, later, plain
from handlers.views.i18n import N_

_OFFICIALS = "handlers.commands.officials"  # imported when `official` is typed (registry.later)

COMMANDS = (
    CommandSpec(
        name="official",
        words={"official": plain(later(f"{_OFFICIALS}:parse_official"))},
        local={"official": {"fr": "officiel", "ja": "公式文"}},
        handlers={
            f"{_OFFICIALS}:AttachOfficial": later(f"{_OFFICIALS}:attach_official"),
            f"{_OFFICIALS}:RemoveOfficial": later(f"{_OFFICIALS}:remove_official"),
        },
        access=Access.change,
        rank=232,
        examples=(
            "official 2002-A4 ja 外務省ウェブサイト | （公表された日本語の正文）",
            "official 2002-A4 ja remove",
        ),
        coordinators_help=N_(
            "`/agenda official <id> fr|ja <source> | <text>`: attach the official French or Japanese text of a "
            "commitment, as published, with where (`… fr remove` removes it); readers of that language see it "
            "marked official, beside the agreed English text."
        ),
    ),
)
