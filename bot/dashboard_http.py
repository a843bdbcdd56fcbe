"""`GET /dashboard/<token>/…`: a person's read-only dashboard page, over HTTP.

Server-rendered (Jinja2, autoescaped) with no script at all: filters are a
plain GET form, so the page works in any browser, a Teams or Slack webview, a
phone. What it shows is decided in handlers/pages/dashboard.py. The token travels
in the path: responses are never cached or sent on as a referrer, and logs
carry only a digest prefix (bot/secret_paths.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from handlers.domain.secret_links import log_id
from handlers.pages import dashboard
from handlers.pages.export import CSV_COLUMNS, to_csv
from handlers.views import i18n
from handlers.views.dates import moment

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
NOT_FOUND = "Not Found"  # exactly Starlette's answer for an unknown path: a wrong token looks like no page at all
# What a signed-in viewer reads for a page that is not there (or hidden: the same words) or that failed, in their
# language; in English, Starlette's own words as above.
NOT_FOUND_FOR_VIEWER, FAILED_FOR_VIEWER = i18n.N_("Not Found"), i18n.N_("Internal Server Error")
PRIVATE = {
    # The page is one person's: no shared cache keeps it, no link followed from it carries its address.
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
}
_templates = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    extensions=["jinja2.ext.i18n"],
)
# The templates' words through the bot's catalogues: handlers.views.i18n's functions read the language of
# the request (a context variable) each time they are called, so one environment serves every reader.
_templates.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)


async def overview(request: Request) -> Response:
    return await _page(request, _overview)


async def item(request: Request) -> Response:
    return await _page(request, _item)


async def export_csv(request: Request) -> Response:
    return await _page(request, _csv)


async def export_json(request: Request) -> Response:
    return await _page(request, _json)


async def stylesheet(request: Request) -> Response:
    css = (TEMPLATES / "dashboard.css").read_text(encoding="utf-8")
    return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


ROUTES = [
    Route("/dashboard.css", stylesheet, methods=["GET"]),
    Route("/dashboard/{token}/", overview, methods=["GET"]),
    Route("/dashboard/{token}/item/{key}", item, methods=["GET"]),
    Route("/dashboard/{token}/export.csv", export_csv, methods=["GET"]),
    Route("/dashboard/{token}/export.json", export_json, methods=["GET"]),
]


async def _page(request: Request, render) -> Response:
    token = request.path_params["token"]
    ports = request.app.state.ports
    try:
        response = await asyncio.to_thread(_render, render, token, request, ports)
    except Exception:
        logger.exception("dashboard %s failed", log_id(token))
        return PlainTextResponse("Internal Server Error", status_code=500, headers=PRIVATE)
    if response is None:
        logger.info("dashboard: nothing for %s at %s", log_id(token), _route(request))
        return PlainTextResponse(NOT_FOUND, status_code=404, headers=PRIVATE)
    response.headers.update(PRIVATE)
    return response


def _render(render, token: str, request: Request, ports) -> Response | None:
    viewer = dashboard.viewer_for(token, ports=ports)
    if viewer is None:
        return None
    return in_viewers_language(render)(viewer, request, ports)


def in_viewers_language(render):
    """A page built and rendered in its viewer's language: the one they chose in chat (or their
    platform last said), handlers.domain.languages.language_for. A web request says no more: Accept-Language
    is the browser's, not the person's, and never overrides their choice."""

    def rendered(viewer, request: Request, ports) -> Response:
        with i18n.speaking(dashboard.language_of(viewer, ports=ports)):
            try:
                response = render(viewer, request, ports)
            except Exception:
                logger.exception("dashboard page for %s failed", viewer.user_ref)
                return PlainTextResponse(i18n._(FAILED_FOR_VIEWER), status_code=500, headers=PRIVATE)
            if response is None:
                return PlainTextResponse(i18n._(NOT_FOUND_FOR_VIEWER), status_code=404, headers=PRIVATE)
            return response

    return rendered


def _overview(viewer, request: Request, ports) -> Response:
    page = dashboard.overview(viewer, request.query_params, ports=ports)
    choices = page.choices
    fields = [
        ("area", i18n._("Area"), choices.areas, page.filters.area),
        ("owner", i18n._("Owner"), choices.owners, page.filters.owner),
        ("document", i18n._("Document"), choices.documents, page.filters.document),
        ("status", i18n._("Status"), choices.statuses, page.filters.status),
    ]
    query = page.filters.query()
    return _html("overview.html", page, ports, filter_fields=fields, query="?" + urlencode(query) if query else "")


def _item(viewer, request: Request, ports) -> Response | None:
    key = request.path_params["key"]
    page = dashboard.item_page(viewer, key, ports=ports)
    if page is None and (part := dashboard.successor_of(viewer, key, ports=ports)) is not None:
        # A link to a record since split in parts (2005-D1) still works: it opens the first part, which names the rest.
        return RedirectResponse(quote(part), status_code=303)
    return None if page is None else _html("item.html", page, ports)


def _csv(viewer, request: Request, ports) -> Response:
    rows = dashboard.spreadsheet_safe(dashboard.export_rows(viewer, request.query_params, ports=ports))
    return Response(
        to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="agenda.csv"'},
    )


def _json(viewer, request: Request, ports) -> Response:
    rows = dashboard.export_rows(viewer, request.query_params, ports=ports)
    body = json.dumps({"columns": CSV_COLUMNS, "commitments": rows}, ensure_ascii=False, indent=1)
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="agenda.json"'},
    )


def _html(template: str, page, ports, **extra) -> HTMLResponse:
    body = _templates.get_template(template).render(
        page=page,
        viewer=page.viewer,
        as_of=moment(page.as_of, ports.capitals, flag=False),
        as_of_iso=page.as_of.isoformat(timespec="minutes"),
        language=i18n.current(),
        **extra,
    )
    return HTMLResponse(body)


def _route(request: Request) -> str:
    """Which page was asked for, without the token."""
    return request.url.path.split("/", 3)[-1] if request.url.path.count("/") >= 3 else "/"


# The same pages for another way in, the Teams tab (bot/teams_tab.py): (viewer, request, ports) → Response or None.
PAGES = {
    "overview": in_viewers_language(_overview),
    "item": in_viewers_language(_item),
    "csv": in_viewers_language(_csv),
    "json": in_viewers_language(_json),
}


def shell_html(locale: str | None = None) -> str:
    """The Teams tab's shell, before anyone is signed in: in the language Teams says the person reads (the tab's
    address carries it, `?locale={app.locale}`), else English. The page it fetches is in the viewer's language
    and replaces its main part and its "as of" line; the tab's script takes its few words from here."""
    with i18n.speaking(i18n.language_of(locale)) as language:
        return _templates.get_template("teams_tab.html").render(language=language)
