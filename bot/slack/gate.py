"""What a request to /slack/events must pass before Bolt sees it.

1. A timestamp that is a number, within five minutes of now (Slack's rule).
2. A signature of the right shape that slack_sdk's ``SignatureVerifier``
   accepts for this body and timestamp, with our signing secret.
3. Not seen before: a copy of a genuine request, replayed within its five
   minutes, carries the same signature. The first use of each signature is
   recorded in the database (models/replays.py), so every replica refuses
   the copy.

A request that passes is admitted with the agenda revision read in its replay-store
batch (``Admitted``), which Bolt's listener finds in its context under
``AGENDA_REVISION`` (bot/web.py).

Bolt's own verification is switched off for HTTP: it repeats checks 1 and 2,
cannot do 3, and logs a refused request's body (a response_url, a link code)
at INFO. Each refusal here is a 401 and one log line that names the reason,
never the body or the signature.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from slack_sdk.signature import SignatureVerifier
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.seen_requests import SeenRequests

logger = logging.getLogger(__name__)

AGENDA_REVISION = "agenda_revision"  # the Bolt context key of Admitted.revision
WINDOW_SECONDS = 5 * 60  # Slack: "more than five minutes from local time" is a replay
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


class _WallClock:
    """slack_sdk's verifier asks its clock for Unix seconds."""

    def __init__(self, now: Callable[[], float]) -> None:
        self.now = now


@dataclass(frozen=True)
class Admitted:
    """A request that may go on to Bolt, with the agenda revision read after it arrived."""

    revision: int | None


class SlackGate:
    def __init__(self, signing_secret: str, open_session, *, now: Callable[[], float] = time.time) -> None:
        # Signatures are checked against the wall clock Slack signed with, never the agenda's clock.
        self.now = now
        self.verifier = SignatureVerifier(signing_secret, clock=_WallClock(now))
        self.seen = SeenRequests("slack", open_session, now, read_revision=True)

    async def refusal(self, request: Request) -> Response | None:
        """None when the request may go on to Bolt; otherwise the 401 to answer."""
        verdict = await self.check(request)
        return verdict if isinstance(verdict, Response) else None

    async def check(self, request: Request) -> Response | Admitted:
        """Admitted when the request may go on to Bolt; otherwise the 401 to answer."""
        timestamp = request.headers.get("x-slack-request-timestamp", "")
        signature = request.headers.get("x-slack-signature", "")
        if not _TIMESTAMP.fullmatch(timestamp):
            return _refuse("missing or malformed X-Slack-Request-Timestamp")
        if abs(self.now() - int(timestamp)) > WINDOW_SECONDS:
            return _refuse("a timestamp more than five minutes from now (a late or replayed request)")
        if not _SIGNATURE.fullmatch(signature):
            return _refuse("missing or malformed X-Slack-Signature")
        try:
            # Slack's bodies are UTF-8, and slack_sdk decodes before it computes the signature.
            body = (await request.body()).decode("utf-8")  # its size is limited by RequestLimits
        except UnicodeDecodeError:
            return _refuse("a body that is not UTF-8")
        if not self.verifier.is_valid(body, timestamp, signature):
            return _refuse("a signature that does not match the body")
        # Kept until no copy could pass the timestamp check any more.
        expires_at = datetime.fromtimestamp(int(timestamp), UTC) + timedelta(seconds=WINDOW_SECONDS + 1)
        first, revision = await self.seen.admit(signature, expires_at)
        if not first:
            return _refuse("a replay of a request already served")
        return Admitted(revision)


def _refuse(reason: str) -> Response:
    logger.warning("refused a Slack request: %s", reason)
    return JSONResponse({"error": "invalid request"}, status_code=401)
