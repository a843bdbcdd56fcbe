"""`/agenda add` and `/agenda edit <id>`: forms (Slack modals, Teams dialogs).

Not built yet: the command is recognised and permission-checked, and says so.
"""

from __future__ import annotations

from handlers.commands import OpenForm
from handlers.context import Context
from handlers.permissions import at_least, refusal
from handlers.reply import Reply, Tone
from models.tables import Role


def open_form(command: OpenForm, ctx: Context) -> Reply:
    doing = "add commitments" if command.id is None else "edit commitments"
    if not at_least(ctx.role, Role.coordinator):
        return refusal(ctx.session, Role.coordinator, doing, ctx.ports.admins)
    return Reply(
        title="The add and edit forms are not available yet.",
        summary="Meanwhile: `/agenda assign`, `/agenda status`, `/agenda schedule` and `/agenda sensitivity`.",
        tone=Tone.notice,
    )
