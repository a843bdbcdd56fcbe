"""`GET /calendar/<token>.ics`: a person's calendar feed, over HTTP.

The token is a secret, and it travels in the path, which access logs print:
bot/secret_paths.py rewrites it to a digest prefix in uvicorn's access log;
our own log lines carry only that prefix.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from handlers.domain.secret_links import log_id
from handlers.pages.calendar.feed import serve_feed

logger = logging.getLogger(__name__)

# Exactly what Starlette answers for any unknown path: a wrong or revoked
# token is indistinguishable from a URL that was never there.
NOT_FOUND = "Not Found"


async def calendar_feed(request: Request) -> Response:
    token = request.path_params["token"]
    try:
        served = await asyncio.to_thread(serve_feed, token, ports=request.app.state.ports)
    except Exception:
        logger.exception("calendar feed %s failed", log_id(token))
        return PlainTextResponse("Internal Server Error", status_code=500)
    if served is None:
        logger.info("calendar feed: no link matches %s", log_id(token))
        return PlainTextResponse(NOT_FOUND, status_code=404)
    logger.info("calendar feed %s (link %d): %d events", log_id(token), served.feed_id, served.events)
    return Response(
        served.body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": 'inline; filename="agenda.ics"',
            # Judged afresh on every fetch (roles, revocation): no shared cache may keep a copy.
            "Cache-Control": "private, no-cache",
            "X-Robots-Tag": "noindex",
        },
    )
