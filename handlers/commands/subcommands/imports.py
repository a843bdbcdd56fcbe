"""The Confirm button under a chat import's preview (handlers/commands/chat_imports.py)."""

from __future__ import annotations

from handlers.commands.chat_imports import CONFIRM_WORD, ConfirmImport, confirm, parse_confirm
from handlers.commands.registry import Access, CommandSpec, plain
from handlers.views.i18n import N_

COMMANDS = (
    CommandSpec(
        name="import-confirm",
        words={CONFIRM_WORD: plain(parse_confirm)},
        handlers={ConfirmImport: confirm},
        access=Access.change,
        rank=1030,
        examples=("import-confirm x2Fq9sLw0pZk3VbN7tYc",),
        help=N_(
            "The Confirm button under the preview of a file an admin shared with me: applies exactly what "
            "was previewed, once."
        ),
        pressed=True,
    ),
)
