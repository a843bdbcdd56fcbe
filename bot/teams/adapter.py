"""The Teams SDK's HTTP server adapter, as a Starlette endpoint.

The SDK serves through an ``HttpServerAdapter``: it registers its messaging
route (JWT validation included) and we decide how requests reach it. Here the
route is one endpoint of our own Starlette app, so Teams and Slack share one
process and one port; the SDK never starts a server of its own.
"""

from __future__ import annotations

import json
import logging

from microsoft_teams.api import ActivityTypeAdapter
from microsoft_teams.apps.http.adapter import HttpMethod, HttpRequest, HttpRouteHandler
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

logger = logging.getLogger(__name__)

# A Bot Framework token is 1-2 KB. A longer one is not worth decoding: its key id
# would be looked up, and logged, by the SDK's validator.
MAX_TOKEN_CHARS = 8 * 1024


class StarletteAdapter:
    def __init__(self) -> None:
        self.routes: dict[str, HttpRouteHandler] = {}

    def register_route(self, method: HttpMethod, path: str, handler: HttpRouteHandler) -> None:
        if method != "POST":
            raise ValueError(f"only POST routes are served, not {method} {path}")
        self.routes[path] = handler

    def serve_static(self, path: str, directory: str) -> None:
        raise NotImplementedError("agenda-bot serves no static Teams pages")

    async def start(self, port: int) -> None:
        raise NotImplementedError("agenda-bot's own uvicorn serves this app: `agenda-bot serve`")

    async def stop(self) -> None:
        return None

    async def handle(self, request: Request) -> Response:
        handler = self.routes.get(request.url.path)
        if handler is None:
            return JSONResponse({"error": "no Teams route here"}, status_code=404)
        if len(request.headers.get("authorization", "")) > MAX_TOKEN_CHARS:
            logger.warning("refused a Teams request whose token is longer than %d characters", MAX_TOKEN_CHARS)
            return JSONResponse({"error": "Unauthorized"}, status_code=401)
        raw = await request.body()  # its size is limited by RequestLimits
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: JSON nested past the stack
            body = None
        if not isinstance(body, dict):
            # Before authentication: say no more than that the body is not an activity.
            logger.warning("rejected a Teams request whose body is not a JSON object")
            return JSONResponse({"error": "the body must be a JSON activity"}, status_code=400)
        result = await handler(HttpRequest(body=body, headers=dict(request.headers)))
        if result["status"] == 500 and not _valid_activity(body):
            # The SDK authenticates first, then answers 500 to an activity it cannot
            # read: past authentication, a malformed activity is the sender's error.
            return JSONResponse({"error": "not a valid Teams activity"}, status_code=400)
        if result.get("body") is None:
            return Response(status_code=result["status"])
        return JSONResponse(result["body"], status_code=result["status"])


def _valid_activity(body: dict) -> bool:
    try:
        ActivityTypeAdapter.validate_python(body)
    except ValidationError:
        return False
    return True
