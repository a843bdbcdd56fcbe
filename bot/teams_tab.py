"""The dashboard as the Teams app's personal tab, signed in with Teams single sign-on.

Teams shows the tab's page (``staticTabs`` in the app package, bot/teams/package.py)
in an iframe. The page is a shell with no data: its script, with the Teams
JavaScript client library (vendored, served from here: bot/static/teams-js/),
asks Teams for an Entra ID token for our app (``authentication.getAuthToken()``)
and fetches the dashboard with it, ``Authorization: Bearer …``, from
``/teams/tab/page/…``. Each of those requests is checked on its own
(bot/entra_tokens.py) and answered with exactly the page a dashboard link gives
the same person (bot/dashboard_http.py, handlers/pages/dashboard.py): the token's
object id is the person's Teams user ref (``teams:<oid>``), the one their chat
messages carry, so role, ownerships and linked identities apply as in chat.

Why a header and no session cookie: inside Teams the page is a third-party
frame, where browsers block or partition cookies (SameSite=None cookies are
the ones being phased out), and a cookie would be sent by any page that can
make the browser ask; a bearer token is sent only by our script, is never
stored by us, and Teams' client keeps and renews it (getAuthToken answers from
its cache). Nothing about the person is kept between requests.

Only the shell may be framed, and only by Teams and Microsoft 365 hosts
(``frame-ancestors`` as Microsoft's tab requirements list them); the pages
with data keep the dashboard's ``frame-ancestors 'none'``. Without a token, or
with one that fails any check, the answer is ``401`` with no data, and the
shell tells the person to use ``/agenda dashboard`` instead.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot import dashboard_http
from bot.entra_tokens import EntraTokens, InvalidToken, SigningKeys
from bot.settings import Settings
from handlers.pages.dashboard import Viewer
from models.platforms import TEAMS

logger = logging.getLogger(__name__)

BASE = "/teams/tab/"
STATIC = Path(__file__).parent / "static"
TEAMS_JS = "MicrosoftTeams-2.58.0.min.js"  # @microsoft/teams-js 2.58.0, MIT (bot/static/teams-js/README.md)
# Who may frame the tab: Teams and the Microsoft 365 hosts of personal tabs, per Microsoft's
# "Prerequisites for tabs" (tabs/how-to/tab-requirements): *.cloud.microsoft is where they all move.
FRAME_ANCESTORS = (
    "https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft "
    "https://*.microsoft365.com https://*.office.com https://outlook.office.com https://outlook.office365.com"
)
SHELL_HEADERS = {
    # No X-Frame-Options: it cannot name several framers; frame-ancestors supersedes it.
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"form-action 'self'; base-uri 'none'; frame-ancestors {FRAME_ANCESTORS}"
    ),
}
UNAUTHORIZED = "Unauthorized"


def app_id_uri(public_url: str, client_id: str) -> str:
    """The Entra app id URI Teams SSO requires: api://<the tab's host>/<client id>."""
    return f"api://{urlsplit(public_url).netloc}/{client_id}"


def tokens_for(settings: Settings) -> EntraTokens | None:
    """The tab's token checker, or None when Teams has no app id (no tab then)."""
    if not settings.teams_client_id:
        return None
    tenants = settings.teams_tab_tenant_ids
    if not tenants:
        logger.warning(
            "Teams tab: no tenant may sign in (set TEAMS_TENANT_ID or AGENDA_TEAMS_TAB_TENANTS); "
            "the tab will ask people to use /agenda dashboard."
        )
    tokens = EntraTokens(
        client_id=settings.teams_client_id,
        app_id_uri=app_id_uri(settings.public_url, settings.teams_client_id),
        tenants=tenants,
        cloud=settings.teams_cloud,
    )
    if settings.teams_tab_keys_url:
        tokens.keys = SigningKeys(settings.teams_tab_keys_url)
    return tokens


async def shell(request: Request) -> Response:
    return HTMLResponse(_shell_html(request.query_params.get("locale")), headers=SHELL_HEADERS)


async def script(request: Request) -> Response:
    name = request.path_params["name"]
    path = {TEAMS_JS: STATIC / "teams-js" / TEAMS_JS, "tab.js": STATIC / "teams_tab.js"}.get(name)
    if path is None:
        return PlainTextResponse(dashboard_http.NOT_FOUND, status_code=404)
    cache = (
        "public, max-age=31536000, immutable" if name == TEAMS_JS else "no-cache"
    )  # the library's name has its version
    return Response(
        path.read_bytes(),
        media_type="text/javascript",
        headers={"Cache-Control": cache, "X-Content-Type-Options": "nosniff"},
    )


async def overview(request: Request) -> Response:
    return await _page(request, "overview")


async def item(request: Request) -> Response:
    return await _page(request, "item")


async def export_csv(request: Request) -> Response:
    return await _page(request, "csv")


async def export_json(request: Request) -> Response:
    return await _page(request, "json")


ROUTES = [
    Route(BASE, shell, methods=["GET"]),
    Route(BASE + "item/{key}", shell, methods=["GET"]),
    Route(BASE + "js/{name}", script, methods=["GET"]),
    Route(BASE + "page/", overview, methods=["GET"]),
    Route(BASE + "page/item/{key}", item, methods=["GET"]),
    Route(BASE + "page/export.csv", export_csv, methods=["GET"]),
    Route(BASE + "page/export.json", export_json, methods=["GET"]),
]


async def _page(request: Request, kind: str) -> Response:
    viewer = await _viewer(request)
    if viewer is None:
        return PlainTextResponse(
            UNAUTHORIZED,
            status_code=401,
            headers=dashboard_http.PRIVATE | {"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    ports = request.app.state.ports
    try:
        response = await asyncio.to_thread(dashboard_http.PAGES[kind], viewer, request, ports)
    except Exception:
        logger.exception("Teams tab page %s for %s failed", kind, viewer.user_ref)
        return PlainTextResponse("Internal Server Error", status_code=500, headers=dashboard_http.PRIVATE)
    if response is None:
        return PlainTextResponse(dashboard_http.NOT_FOUND, status_code=404, headers=dashboard_http.PRIVATE)
    response.headers.update(dashboard_http.PRIVATE)
    return response


async def _viewer(request: Request) -> Viewer | None:
    tokens: EntraTokens | None = getattr(request.app.state, "teams_tab_tokens", None)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    where = request.url.path.removeprefix(BASE)
    if tokens is None:
        logger.info("Teams tab: %s refused: Teams is not configured (no TEAMS_CLIENT_ID)", where)
        return None
    if scheme.lower() != "bearer" or not token.strip():
        logger.info("Teams tab: %s refused: no bearer token", where)
        return None
    try:
        user = await tokens.user(token.strip())
    except InvalidToken as exc:
        logger.info("Teams tab: %s refused: %s", where, exc)  # the reason, never the token
        return None
    return Viewer(user_ref=TEAMS.ref(user.object_id))  # as bot/teams/text.py's user_ref names Teams people


def _shell_html(locale: str | None = None) -> str:
    return dashboard_http.shell_html(locale)
