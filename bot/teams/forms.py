"""Teams dialogs for `add` and `edit`: open (task/fetch) and save (task/submit).

The cards are built in dialogs.py; the form itself, its validation, the
coordinator check and the audit are handlers.commands.forms', shared with Slack.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging

from bot.teams import dialogs
from bot.teams.front import TeamsFrontEnd, audience_of, requester_of
from handlers.commands.forms import submit_form
from handlers.views.i18n import N_

logger = logging.getLogger(__name__)


class TeamsForms:
    def __init__(self, front: TeamsFrontEnd) -> None:
        self.front = front

    async def on_open(self, ctx):
        """task/fetch from "Open the form": the form is built afresh, permissions checked again."""
        data = ctx.activity.value.data if isinstance(ctx.activity.value.data, dict) else {}
        mark = data.get(dialogs.MARK)
        command = mark.get("open") if isinstance(mark, dict) else None
        if not isinstance(command, str):
            return dialogs.closed(
                self.front.said(N_("This is not one of the agenda's forms."), requester_of(ctx.activity))
            )
        reply = await self.front.answer(command, requester_of(ctx.activity))
        if reply.form is None:  # refused, or the item is gone
            return dialogs.closed(self.front.render(reply).summary)
        return dialogs.dialog(reply.form, command=command)

    async def on_submit(self, ctx):
        """task/submit from Save: the neutral submit_form validates and saves, as for Slack's modal."""
        data = ctx.activity.value.data if isinstance(ctx.activity.value.data, dict) else {}
        meta, values = dialogs.submitted(data)
        command, requester = meta.get("command"), requester_of(ctx.activity)
        if not isinstance(command, str):
            return dialogs.closed(
                self.front.said(N_("This is not one of the agenda's forms."), requester_of(ctx.activity))
            )
        try:
            result = await asyncio.to_thread(
                submit_form, values, form_key=meta.get("key"), expected_version=meta.get("version"),
                opened_at=str(meta.get("opened_at") or "1970-01-01T00:00:00+00:00"), ports=self.front.ports,
                requester=requester, audience=audience_of(ctx.activity),
                kind=meta.get("form") if isinstance(meta.get("form"), str) else None,
            )  # fmt: skip
        except Exception:
            logger.exception("form submission failed in Teams for %s", requester.user_ref)
            return dialogs.closed(self.front.said(N_("It could not be saved: please try again."), requester))
        if result.errors:  # the same dialog again, what was typed kept, each error under its field
            fresh = await self.front.answer(command, requester)
            if fresh.form is None:
                return dialogs.closed(self.front.render(fresh).summary)
            form = dataclasses.replace(
                fresh.form, key=meta.get("key"), version=meta.get("version"), opened_at=str(meta.get("opened_at"))
            )
            return dialogs.dialog(form, command=command, values=values, errors=result.errors)
        if result.reply is not None:  # in a channel: without a restricted item's title or id
            await self.front.send(ctx, result.reply)
            return dialogs.closed(self.front.render(result.private or result.reply).summary)  # only they see this
        return dialogs.closed(self.front.said(N_("Saved."), requester))
