"""The dashboard in a real browser: Debian's Chromium driven by Playwright, against the real server.

Opening the page, filtering, following an item and coming back, by mouse and
by keyboard, on a desktop and a phone; the restricted item absent for a member
and present for its owner; text contrast measured as WCAG 2.1 defines it.
Screenshots are kept under test-artifacts/dashboard/ (AGENDA_TEST_ARTIFACTS
to put them elsewhere).

Playwright's own browser download is not available offline: the tests use the
system's Chromium (`apt-get install chromium fonts-noto-cjk`, as .ci/run does)
and skip without it, unless AGENDA_REQUIRE_BROWSER=1 says it must be there.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from sqlmodel import select

from handlers import answer
from handlers.views.text import render_text
from models.db import make_engine, session
from models.tables import Commitment, Person
from scheduling.clock import FixedClock
from tests.conftest import TODAY, ports_for
from tests.live_server import live_server
from tests.test_dashboard import ADMIN, JAPANESE, LINK, MEMBER, OWNER, PUBLIC, SECRET, _settings

CHROMIUM = os.environ.get("AGENDA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("AGENDA_TEST_ARTIFACTS", Path(__file__).parent.parent / "test-artifacts")) / "dashboard"

if not Path(CHROMIUM).exists():
    if os.environ.get("AGENDA_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"AGENDA_REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM}: apt-get install chromium")
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def site(tmp_path_factory, sqlite_template):
    """The seeded agenda with one restricted item owned by OWNER, served on loopback; each person's link."""
    path = tmp_path_factory.mktemp("dashboard-browser") / "agenda.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    ports = ports_for(engine, admins=frozenset({ADMIN.user_ref}), public_url=PUBLIC)
    with session(engine) as db:
        db.add(Person(user_ref=OWNER.user_ref, display_name="佐藤 マリア"))  # a name in Japanese, as Teams gives it
        db.add(Person(user_ref=JAPANESE.user_ref, display_name="山田 純子", language="ja"))  # reads Japanese
        db.commit()
    for words in (f"assign {SECRET} <@{OWNER.user_ref}>", f"sensitivity {SECRET} restricted"):
        answer(words, ports=ports, requester=ADMIN)
    links = {who: LINK.search(render_text(answer("dashboard", ports=ports, requester=who))).group(1)
             for who in (OWNER, MEMBER, JAPANESE)}  # fmt: skip
    with session(engine) as db:
        secret_title = db.exec(select(Commitment.title).where(Commitment.key == SECRET)).one()
    with live_server(_settings(f"sqlite:///{path}"), clock=FixedClock(TODAY)) as base:
        yield {
            "base": base,
            "owner": base + links[OWNER],
            "member": base + links[MEMBER],
            "japanese": base + links[JAPANESE],
            "secret": secret_title,
        }
    engine.dispose()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport=DESKTOP, locale="en-CA")
    opened = context.new_page()
    yield opened
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    opened.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    context.close()


def test_a_member_opens_the_page_filters_it_and_follows_an_item(page, site):
    page.goto(site["member"])
    assert page.title().startswith("Dashboard")
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard"
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings[:5] == ["Filters", "Areas", "Overdue", "Timeline", "Commitments"]
    every = page.locator("table.items tbody tr").count()

    page.get_by_label("Area", exact=True).select_option(label="Counter-terrorism")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"area=counter-terrorism"))
    rows = page.locator("table.items tbody tr")
    assert 0 < rows.count() < every
    assert all("Counter-terrorism" in meta for meta in page.locator("table.items .meta").all_inner_texts())

    first = rows.first.get_by_role("link")
    key = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(rf"/item/{re.escape(key)}$"))
    assert key in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("blockquote.agreed").inner_text().strip()
    page.get_by_role("link", name="← Dashboard").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard"


def test_a_japanese_reader_s_page_is_in_japanese_and_filters_the_same(page, site):
    page.goto(site["japanese"])
    assert page.evaluate("document.documentElement.lang") == "ja"
    assert page.get_by_role("heading", level=1).inner_text() == "ダッシュボード"
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings[:5] == ["絞り込み", "分野", "期限切れ", "日程", "合意事項"]
    page.get_by_role("combobox", name="分野").select_option(label="テロ対策")
    page.get_by_role("button", name="絞り込む").click()
    page.wait_for_url(re.compile(r"area=counter-terrorism"))
    assert page.get_by_role("link", name="絞り込みを解除").count() >= 1
    assert "山田 純子 さん" in page.locator("header").inner_text()  # the screenshot shows the CJK fonts at work


def test_the_restricted_item_is_on_its_owners_page_only(page, site):
    page.goto(site["member"])
    for text in (page.content(), page.locator("select").all_inner_texts().__str__()):
        assert SECRET not in text and site["secret"] not in text
    assert page.goto(site["member"] + f"item/{SECRET}").status == 404
    page.goto(site["owner"])
    assert page.get_by_role("link", name=SECRET).count() >= 1
    assert "佐藤 マリア" in page.locator("header").inner_text()  # the viewer's name, in Japanese script


def test_the_page_works_from_the_keyboard(page, site):
    page.goto(site["member"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.get_by_label("Status", exact=True).focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the Apply button, reached and pressed by keyboard
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard"


def test_on_a_phone_nothing_but_the_tables_scrolls_sideways(browser, site):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(site["owner"])
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=ARTIFACTS / "phone.png", full_page=False)
    phone.goto(site["owner"] + "item/2002-A4")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


# WCAG 2.1 relative luminance and contrast ratio, for every element that holds text.
_CONTRAST = """() => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const parse = (css) => (css.match(/[\\d.]+/g) || []).map(Number);
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const worst = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(el);
    if (!own || style.visibility === "hidden" || el.getClientRects().length === 0) continue;
    const fg = lum(parse(style.color).slice(0, 3)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && style.fontWeight >= 700);
    const what = `${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`;
    if (ratio < (large ? 3 : 4.5)) worst.push(what);
  }
  return worst;
}"""


@pytest.mark.parametrize("where", ["", "item/2002-A4"], ids=["overview", "item"])
def test_text_contrast_meets_wcag_aa_and_every_control_has_a_name(page, site, where):
    page.goto(site["owner"] + where)
    assert page.evaluate(_CONTRAST) == []
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll("select, input, button, a")]
              .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")
                              && !el.textContent.trim()).map((el) => el.outerHTML)"""
    )
    assert unnamed == []
    assert page.evaluate("document.documentElement.lang") == "en"
