"""The baseline: a bare Bolt AsyncApp whose /agenda listener only acknowledges.

Mounted the way agenda-bot mounts its app (Starlette, POST /slack/events,
GET /healthz, uvicorn with its defaults), so that the difference between the
two is what agenda-bot does with a command, not the web stack.

    SLACK_SIGNING_SECRET=... .venv/bin/python bench/bare_bolt.py --port 3100
"""

from __future__ import annotations

import argparse
import os

import uvicorn
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.authorization import AuthorizeResult
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


async def _tokenless_authorize(enterprise_id: str | None, team_id: str | None, **_kwargs) -> AuthorizeResult:
    # As agenda-bot does without a bot token: nothing to look up, no Web API call.
    return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id)


def create_app(signing_secret: str) -> Starlette:
    bolt = AsyncApp(signing_secret=signing_secret, authorize=_tokenless_authorize)

    @bolt.command("/agenda")
    async def only_ack(ack: AsyncAck) -> None:
        await ack()

    handler = AsyncSlackRequestHandler(bolt)

    async def events(request: Request) -> Response:
        return await handler.handle(request)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[Route("/healthz", healthz, methods=["GET"]), Route("/slack/events", events, methods=["POST"])]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3100)
    args = parser.parse_args()
    app = create_app(os.environ["SLACK_SIGNING_SECRET"])
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
