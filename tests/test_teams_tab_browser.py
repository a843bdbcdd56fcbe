"""The Teams tab in a real browser (Debian's Chromium, driven by Playwright), against the real server.

There is no Teams host offline, so the Teams JavaScript library is replaced, for
the browser only, by a stand-in ``window.microsoftTeams`` whose getAuthToken()
answers with a token signed by the test key (as tests/test_teams_tab.py signs
them), or fails as Teams does when sign-in is not possible. Everything else is
real: our tab script, the server's token checks, the Content-Security-Policy
(a Teams origin may frame the tab, another origin may not; the pages of
Teams and of the other origin are served by Playwright's router, not fetched).
"""

from __future__ import annotations

import json
import re

import pytest

from tests import test_dashboard_browser as dashboard_tests  # skips without Chromium
from tests import test_teams_tab as api_tests
from tests.test_dashboard_browser import ARTIFACTS, DESKTOP
from tests.test_teams_tab import COORD_OID, MEMBER_OID, OWNER_OID, PUBLIC, SECRET, entra_token

# The same fake Entra ID, key and seeded server as the tab's HTTP tests (one of each for this module).
signer, fake_entra, tab = api_tests.signer, api_tests.fake_entra, api_tests.tab
browser = dashboard_tests.browser  # the same Chromium, one for this module

LIBRARY = "**/teams/tab/js/MicrosoftTeams-*.min.js"


def stand_in(token: str | None) -> str:
    """window.microsoftTeams as a Teams host would make it work: initialize(), then getAuthToken()."""
    answer = f"Promise.resolve({json.dumps(token)})" if token else 'Promise.reject(new Error("FailedToOpenWindow"))'
    return (
        "window.microsoftTeams = {app: {initialize: function () { return Promise.resolve(); }},"
        f" authentication: {{getAuthToken: function () {{ return {answer}; }}}}}};"
    )


@pytest.fixture
def context(browser, request):
    opened = browser.new_context(viewport=DESKTOP, locale="en-CA")
    yield opened
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for number, page in enumerate(opened.pages):
        name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
        page.screenshot(path=ARTIFACTS / f"teams-tab-{name}-{number}.png", full_page=True)
    opened.close()


def open_tab(context, base: str, token: str | None):
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.route(LIBRARY, lambda route: route.fulfill(body=stand_in(token), content_type="text/javascript"))
    page.goto(base + "/teams/tab/")
    return page, problems


def test_a_member_signs_in_filters_and_follows_an_item_inside_the_tab(context, tab, signer):
    page, problems = open_tab(context, tab["base"], entra_token(signer, MEMBER_OID))
    page.locator("table.items").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard"
    assert "what Ada Member may see" in page.locator("header").inner_text()
    assert SECRET not in page.content() and tab["secret"] not in page.content()
    every = page.locator("table.items tbody tr").count()

    page.get_by_label("Area", exact=True).select_option(label="Counter-terrorism")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/teams/tab/\?.*area=counter-terrorism"))
    page.get_by_text("match the filters").wait_for()
    assert 0 < page.locator("table.items tbody tr").count() < every

    first = page.locator("table.items tbody tr").first.get_by_role("link")
    key = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(rf"/teams/tab/item/{re.escape(key)}$"))  # still the tab, not the data route
    page.locator("blockquote.agreed").wait_for()
    assert key in page.get_by_role("heading", level=1).inner_text()
    page.go_back()
    page.get_by_text("match the filters").wait_for()
    assert problems == []  # no script error, no Content-Security-Policy violation


def test_the_restricted_item_shows_in_the_tab_of_its_owner_and_a_coordinator(context, tab, signer):
    for oid in (OWNER_OID, COORD_OID):
        page, problems = open_tab(context, tab["base"], entra_token(signer, oid))
        page.locator("table.items").wait_for()
        assert page.get_by_role("link", name=SECRET).count() >= 1
        assert problems == []


@pytest.mark.parametrize("how", ["teams refuses", "expired token"])
def test_when_sign_in_fails_the_tab_says_to_use_agenda_dashboard(context, tab, signer, how):
    token = None if how == "teams refuses" else entra_token(signer, MEMBER_OID, iat=1, nbf=1, exp=2)
    page, _ = open_tab(context, tab["base"], token)
    notice = page.get_by_text("could not sign you in")
    notice.wait_for()
    assert "/agenda dashboard" in page.locator("main").inner_text()
    assert page.locator("table").count() == 0


def test_teams_may_frame_the_tab_and_another_site_may_not(context, tab, signer):
    """The tab at its public address (Playwright passes https://agenda.example.org/… on to the
    server on loopback, headers and all: Chromium would not let a public page frame a loopback one)."""
    token = entra_token(signer, MEMBER_OID)
    tab_url = PUBLIC + "/teams/tab/"
    framing = f'<!doctype html><title>host</title><iframe src="{tab_url}" width="900" height="700"></iframe>'

    def server(route):
        route.fulfill(response=route.fetch(url=route.request.url.replace(PUBLIC, tab["base"], 1)))

    context.route(PUBLIC + "/**", server)
    for host in ("https://teams.microsoft.com", "https://not-teams.example"):
        context.route(host + "/**", lambda route: route.fulfill(body=framing, content_type="text/html"))
    context.route(LIBRARY, lambda route: route.fulfill(body=stand_in(token), content_type="text/javascript"))

    teams = context.new_page()
    teams.goto("https://teams.microsoft.com/_#/apps")
    framed = teams.frame_locator("iframe")
    framed.locator("table.items").wait_for()
    assert framed.get_by_role("heading", level=1).inner_text() == "Dashboard"

    other = context.new_page()
    refused = []
    other.on("console", lambda m: refused.append(m.text))
    other.goto("https://not-teams.example/")
    other.wait_for_function("() => document.querySelector('iframe') !== null")
    other.wait_for_timeout(1000)
    assert [f.locator("main").count() for f in other.frames[1:]] == [0]  # nothing of the tab renders
    assert any("frame-ancestors" in line for line in refused), refused
