"""The baseline: a bare Bolt AsyncApp that only acknowledges /agenda, mounted the
same way as agenda-bot (Starlette, uvicorn). Run: python bench/bare_bolt.py PORT."""

from __future__ import annotations

import sys

import uvicorn
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from bench.common import SECRET


async def _authorize(enterprise_id=None, team_id=None, **_kwargs) -> AuthorizeResult:
    return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id)


bolt = AsyncApp(signing_secret=SECRET, authorize=_authorize)


@bolt.command("/agenda")
async def only_ack(ack) -> None:
    await ack()


handler = AsyncSlackRequestHandler(bolt)


async def events(request):
    return await handler.handle(request)


async def healthz(request):
    return JSONResponse({"status": "ok"})


app = Starlette(routes=[Route("/slack/events", events, methods=["POST"]), Route("/healthz", healthz)])

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
