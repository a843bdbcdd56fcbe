"""One turn per Teams activity, however often it arrives.

The Bot Framework sends an activity again when the bot was slow to answer,
and a captured request stays valid as long as its token (an hour). Either
way a second copy must not run twice (two `add`s, two audit rows). An
activity is identified by its conversation and its id, recorded once
authenticated (this runs inside the SDK, after the token was checked) in the
replay store every replica shares; a copy is answered with an empty 200 and
one log line.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from microsoft_teams.apps import ActivityContext

from bot.seen_requests import SeenRequests

logger = logging.getLogger(__name__)

# A Bot Framework token lives an hour; a copy after that is refused by its token.
KEEP_FOR = timedelta(hours=1, minutes=5)


def refuse_copies(seen: SeenRequests):
    """Middleware for ``App.use``: runs the rest of the turn only for an activity's first copy."""

    async def middleware(ctx: ActivityContext) -> None:
        activity = ctx.activity
        conversation = getattr(activity.conversation, "id", None)
        if activity.id and conversation:
            expires_at = datetime.fromtimestamp(seen.now(), UTC) + KEEP_FOR
            if not await seen.first_use(f"{conversation}\n{activity.id}", expires_at):
                logger.warning("ignored a Teams activity already served (sent again, or replayed)")
                return
        await ctx.next()

    return middleware
