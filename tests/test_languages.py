"""English, French and Japanese (issue 15): the catalogues, whose language, and answers in it.

The catalogues are checked against the code (every message `pybabel extract` finds is in each
catalogue, translated, not fuzzy, with the same placeholders); the language is the asker's, per
request (a context variable, never shared between two requests answered at once); people and
recipients are answered in theirs, through the handlers and through the Slack endpoint.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlmodel import select

from handlers import answer
from handlers.domain.ports import Requester
from handlers.views import i18n
from handlers.views.i18n import _, language_of, ngettext, speaking
from handlers.views.text import render_text
from models.db import session
from models.platforms import Conversation
from models.tables import DigestSubscription, Person
from scheduling.capitals import DEFAULT_CAPITALS
from scheduling.clock import FixedClock
from tests.catalogues import extract_messages

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"  # French puts a no-break space before a colon
PLACEHOLDER = re.compile(r"\{(\w*)\}")

FRENCH = Requester(user_ref="teams:aad-marie", locale="fr-CA")
JAPANESE = Requester(user_ref="teams:aad-kenji", locale="ja-JP")
ENGLISH = Requester(user_ref="slack:U0TEST")
ADMIN = Requester(user_ref="slack:UADMIN", channel_ref="slack:C0TEST")


# -- the catalogues ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict:
    """What `pybabel extract` finds in the code now, by message id (a plural by its singular)."""
    template = extract_messages(tmp_path_factory.mktemp("pot"))
    return {m.id if isinstance(m.id, str) else m.id[0]: m for m in template if m.id}


def catalogue(language: str) -> dict:
    with (ROOT / "handlers/locale" / language / "LC_MESSAGES/messages.po").open("rb") as source:
        return {m.id if isinstance(m.id, str) else m.id[0]: m for m in read_po(source, locale=language) if m.id}


def test_extraction_finds_the_messages_and_each_catalogue_holds_exactly_them(extracted):
    assert len(extracted) > 100  # the help, lookups, reminders…: not an empty extraction
    assert "Share in channel" in extracted and "{n} commitment" in extracted
    for language in i18n.LANGUAGES:
        held = catalogue(language)
        assert sorted(set(extracted) - set(held)) == [], f"{language}: run pybabel update (README, Languages)"
        assert sorted(set(held) - set(extracted)) == [], f"{language}: messages no code says any more"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_message_is_translated_not_fuzzy_and_keeps_its_placeholders(language, extracted):
    for key, message in catalogue(language).items():
        assert not message.fuzzy, (language, key)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert forms and all(f.strip() for f in forms), (language, key)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = {p for i in ids for p in PLACEHOLDER.findall(i)}
        for form in forms:
            # Every form names what the English names (a singular may leave out the count, as "1" is said)
            assert set(PLACEHOLDER.findall(form)) <= wanted, (language, key, form)
        if language == i18n.ENGLISH:  # English is the code's own wording: _() returns the msgid
            assert forms == ids or (len(ids) == 2 and forms == ids), key
    plural = catalogue(language)["{n} commitment"]
    assert len(plural.string) == {"en": 2, "fr": 2, "ja": 1}[language]


def test_every_name_and_title_the_team_wrote_is_in_french_and_japanese():
    """Issue 15 item 6: every area, department, meeting and document short title, and every commitment's
    title, has the team's French and Japanese beside the English in the seeds (none of them agreed text)."""
    from seeds.catalogue import read_agenda

    agenda = read_agenda()
    cat = agenda.catalogue
    named = [(d.key, d.short_titles) for d in cat.documents] + [
        (row.key, row.names) for row in (*cat.areas, *cat.departments, *cat.mechanisms)
    ]
    named += [(seed.id, seed.titles) for _document, seed in agenda.commitments]
    missing = [key for key, names in named if {language.value for language in names} != {"fr", "ja"}]
    assert not missing, missing
    assert len(agenda.commitments) == 107
    departments = {d.key: d.names for d in cat.departments}
    assert departments["global-affairs-canada"]["fr"] == "Affaires mondiales Canada"
    assert departments["mofa-japan"]["ja"] == "外務省" and departments["rcmp"]["fr"] == "Gendarmerie royale du Canada"


def test_french_punctuation_follows_the_government_of_canada_s_convention():
    """The Translation Bureau's rule (Le guide du rédacteur): a no-break space before a colon and inside
    « guillemets », none before a semicolon, a question mark or an exclamation mark; a plain space there would
    let a line break before it."""
    wrong = []
    for message in catalogue("fr").values():
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            prose = re.sub(r"`[^`]*`|\{\w*\}|<[^>]*>|https?://\S+|\d:\d|:[a-z_]+:", "X", text or "")
            if re.search(r"[ \u00a0\u202f][;?!]|\w:|(?<!\u00a0) :|« | »", prose):
                wrong.append(text)
    assert not wrong, wrong


def test_plurals_come_from_the_catalogue():
    said = {}
    for language in i18n.LANGUAGES:
        with speaking(language):
            said[language] = [ngettext("{n} commitment", "{n} commitments", n).format(n=n) for n in (0, 1, 2)]
    assert said["en"] == ["0 commitments", "1 commitment", "2 commitments"]
    assert said["fr"] == ["0 engagement", "1 engagement", "2 engagements"]  # French: 0 is singular
    assert said["ja"] == ["0件の合意事項", "1件の合意事項", "2件の合意事項"]


# -- whose language ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag, language",
    [
        ("fr-CA", "fr"), ("fr-FR", "fr"), ("fr_CA", "fr"), ("FR", "fr"), ("ja-JP", "ja"), ("ja", "ja"),
        ("en-US", "en"), ("en-GB", "en"), ("français", "fr"), ("日本語", "ja"), ("English", "en"),
        ("de-DE", None), ("es", None), ("klingon", None), ("", None), (None, None), ("<script>", None),
    ],
)  # fmt: skip
def test_platform_locales_map_to_the_three_languages_and_anything_else_to_none(tag, language):
    assert language_of(tag) == language


def test_outside_any_request_the_language_is_english_and_speaking_restores_the_outer_one():
    assert i18n.current() == "en"
    with speaking("fr"):
        with speaking("ja"):
            assert _("Share in channel") == "チャンネルで共有"
        assert _("Share in channel") == "Partager dans la chaîne"
    with speaking("de"):  # a language the bot does not speak: English
        assert _("Share in channel") == "Share in channel"
    assert i18n.current() == "en"


def test_two_requests_answered_at_once_in_two_languages_each_keep_their_own(ports):
    """Threads (the front ends answer in worker threads) and tasks each read their own context."""
    barrier = threading.Barrier(2)

    def hold(language: str) -> str:
        with speaking(language):
            barrier.wait(timeout=5)  # both are inside their block at once
            return _("Share in channel")

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(hold, ["fr", "ja"])) == ["Partager dans la chaîne", "チャンネルで共有"]

    async def task(language: str) -> str:
        with speaking(language):
            await asyncio.sleep(0.01)  # the other task runs meanwhile
            return _("Share in channel")

    async def both():
        return await asyncio.gather(task("ja"), task("fr"))

    assert asyncio.run(both()) == ["チャンネルで共有", "Partager dans la chaîne"]

    # Whole answers, many at once through the handlers: none takes the other's language (nor its cached reply).
    asks = [FRENCH, JAPANESE, ENGLISH] * 6
    with ThreadPoolExecutor(6) as pool:
        titles = list(pool.map(lambda who: answer("areas", ports=ports, requester=who).title, asks))
    expected = {
        "teams:aad-marie": "Domaines du programme",
        "teams:aad-kenji": "議題の分野",
        "slack:U0TEST": "Areas of the agenda",
    }
    assert titles == [expected[who.user_ref] for who in asks]
    assert i18n.current() == "en"


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_french_and_a_japanese_requester_are_answered_in_their_language(ports):
    french = render_text(answer("counter-terrorism", ports=ports, requester=FRENCH))
    assert french.startswith(
        "Lutte contre le terrorisme\u00a0: 8 engagements\nTous les engagements du domaine Lutte contre le terrorisme"
    )
    assert "Statut\u00a0: statut inconnu (aucun résultat consigné)" in french
    assert "mer. 19 janv. 2005 (déduit)" in french  # the document's date, in French
    japanese = render_text(answer("counter-terrorism", ports=ports, requester=JAPANESE))
    assert japanese.startswith("テロ対策：8件の合意事項\n分野「テロ対策」のすべての合意事項")
    assert "2005年1月19日(水)（推定）" in japanese
    # The agreed text is never translated: it is what both governments signed.
    agreed = "Both Governments underscore the importance of observing legal norms"
    assert agreed in french and agreed in japanese
    english = render_text(answer("counter-terrorism", ports=ports, requester=ENGLISH))
    assert english.startswith("Counter-terrorism: 8 commitments\nEvery commitment in the area")

    help_fr = answer("aide", ports=ports, requester=FRENCH)
    assert help_fr.title.startswith("agenda-bot\u00a0: le programme Canada–Japon")
    assert "`/agenda domaines`\u00a0: les domaines" in render_text(help_fr)
    help_ja = answer("ヘルプ", ports=ports, requester=JAPANESE)
    assert (
        "`/agenda 分野`：分野の一覧" in render_text(help_ja) and help_ja.sections[1].heading == "調整担当者・管理者向け"
    )
    for who, word in ((FRENCH, "domaines"), (JAPANESE, "分野"), (ENGLISH, "areas")):
        assert answer(word, ports=ports, requester=who).title == answer("areas", ports=ports, requester=who).title

    shown = render_text(answer("voir 2002-A4", ports=ports, requester=FRENCH))
    assert "Texte convenu\u00a0: en anglais, tel que les deux gouvernements l’ont convenu (texte faisant foi)" in shown
    assert "“Negotiate and conclude a Treaty on Mutual Legal Assistance in Criminal Matters" in shown
    assert "Agreed text" not in render_text(answer("show 2002-A4", ports=ports, requester=ENGLISH))
    unknown = answer("show 2099-Z9", ports=ports, requester=JAPANESE)
    assert unknown.title == "ID「2099-Z9」の合意事項はありません"
    refused = answer("language klingon", ports=ports, requester=FRENCH)  # a parse error, in French too
    assert refused.title == "«\u00a0klingon\u00a0» n’est pas une langue que le robot parle."


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_chosen_language_wins_is_kept_follows_linked_identities_and_auto_goes_back(ports, engine):
    from handlers.domain import identities

    slack, teams = Requester(user_ref="slack:UMARIE"), Requester(user_ref="teams:aad-marie2", locale="en-US")
    assert answer("areas", ports=ports, requester=slack).title == "Areas of the agenda"  # nothing known: English
    chosen = answer("language fr", ports=ports, requester=slack)
    assert chosen.title == "Le robot vous répond désormais en français (fr)."  # already in the new language
    assert answer("areas", ports=ports, requester=slack).title == "Domaines du programme"
    with session(engine) as db:
        identities.link(db, slack.user_ref, teams.user_ref, how="code", by=slack.user_ref, now=ports.clock.now())
        db.commit()
    ports.languages.forget((teams.user_ref,))
    # Her Teams says English, but she chose French: on Teams too.
    assert answer("areas", ports=ports, requester=teams).title == "Domaines du programme"
    shown = answer("language", ports=ports, requester=teams)
    assert shown.title.startswith("Langue\u00a0: français (fr), votre choix")
    assert answer("言語 auto", ports=ports, requester=teams).title.startswith("The bot now follows your platform")
    assert answer("areas", ports=ports, requester=teams).title == "Areas of the agenda"
    with session(engine) as db:
        assert [p.language for p in db.exec(select(Person))] == [None]  # back to the platform's


@pytest.fixture
def limited_slack():
    from tests.fakes.slack_limits import LimitedSlack, RunningLimitedSlack

    running = RunningLimitedSlack(LimitedSlack(per_channel_interval=0.2))
    yield running.fake
    running.close()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_slack_says_a_person_s_locale_in_users_info_and_it_is_kept(ports, engine, limited_slack):
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.slack.people import SlackPeople

    admin = Requester(user_ref="slack:UADMIN")
    ports = dataclasses.replace(ports, admins=frozenset({admin.user_ref}))
    answer("assign symposium <@slack:UKEN> <@slack:UMARIA>", ports=ports, requester=admin)
    limited_slack.timezones.update({"UKEN": "Asia/Tokyo", "UMARIA": "America/Toronto"})
    limited_slack.locales.update({"UKEN": "ja-JP", "UMARIA": "de-DE"})  # German: the bot answers in English
    refresher = SlackPeople(AsyncWebClient(token="xoxb-test", base_url=limited_slack.api_url), ports)
    assert asyncio.run(refresher.refresh()) == 2
    with session(engine) as db:
        assert {p.user_ref: p.platform_language for p in db.exec(select(Person))} == {
            "slack:UKEN": "ja",
            "slack:UMARIA": None,
        }
    assert answer("areas", ports=ports, requester=Requester(user_ref="slack:UKEN")).title == "議題の分野"
    assert answer("areas", ports=ports, requester=Requester(user_ref="slack:UMARIA")).title == "Areas of the agenda"


# -- dates, times and holidays ----------------------------------------------------------------


def test_dates_times_and_holidays_in_each_language():
    from handlers.views.dates import day, moment, when

    canada_day = datetime(2027, 7, 1, 23, 0, tzinfo=UTC)  # 19:00 in Ottawa, 08:00 the next day in Tokyo
    said = {}
    for language in i18n.LANGUAGES:
        with speaking(language):
            said[language] = (
                moment(canada_day, DEFAULT_CAPITALS),
                day(date(2027, 7, 1)),
                when("2027-01-01", DEFAULT_CAPITALS),
                when("2000-23", DEFAULT_CAPITALS),
                when("2005-09", DEFAULT_CAPITALS),
                when("../2003-12-31", DEFAULT_CAPITALS),
            )
    assert said["en"] == (
        "Thu 1 Jul 19:00 Ottawa · Fri 2 Jul 08:00 Tokyo ⚠ Canada Day in Ottawa",
        "Thu 1 Jul 2027",
        "Fri 1 Jan 2027 ⚠ New Year's Day (Canada), New Year's Day (Japan)",
        "autumn 2000",
        "Sep 2005",
        "by Wed 31 Dec 2003",
    )
    assert said["fr"] == (
        "jeu. 1 juil. 19 h 00 Ottawa · ven. 2 juil. 8 h 00 Tokyo ⚠ Fête du Canada à Ottawa",
        "jeu. 1 juil. 2027",
        "ven. 1 janv. 2027 ⚠ Jour de l'an (Canada), Jour de l'an (Japon)",  # Japan's, from the catalogue
        "automne 2000",
        "sept. 2005",
        "au plus tard le mer. 31 déc. 2003",
    )
    assert said["ja"] == (
        "7月1日(木) 19:00 オタワ · 7月2日(金) 8:00 東京 ⚠ オタワはカナダ・デー",  # Canada's, from the catalogue
        "2027年7月1日(木)",
        "2027年1月1日(金) ⚠ 元日（カナダ）, 元日（日本）",
        "2000年秋",
        "2005年9月",
        "2003年12月31日(水)まで",
    )
    with speaking("ja"):  # Japan's New Year closure of government offices, named in Japanese
        assert when("2027-12-29", DEFAULT_CAPITALS).endswith("年末年始の休日（日本）")


# -- with no request: reminders and digests, in the recipient's language ----------------------


@pytest.mark.parametrize("backend", ["sqlite"])
def test_reminders_are_worded_in_each_recipient_s_language(engine, ports):
    from bot.delivery import policy_from
    from handlers.domain.timeline import Timeline
    from handlers.views.reply import reply_from_data
    from models import repository
    from scheduling.reminders import planned_messages
    from tests.conftest import settings_for

    start = datetime(2027, 1, 1, tzinfo=UTC)
    ports = dataclasses.replace(ports, clock=FixedClock(start), admins=frozenset({ADMIN.user_ref}))
    with session(engine) as db:
        db.add(Person(user_ref="slack:UMARIE", timezone="America/Toronto", language="fr"))
        db.add(Person(user_ref="slack:UKEN", timezone="Asia/Tokyo", platform_language="ja"))
        db.add(Person(user_ref="slack:UANNA", timezone="America/Toronto"))
        db.commit()
    answer("assign symposium <@slack:UMARIE> <@slack:UKEN> <@slack:UANNA>", ports=ports, requester=ADMIN)
    answer("schedule symposium 15 Mar 2027 in Ottawa host Canada", ports=ports, requester=ADMIN)
    policy = dataclasses.replace(policy_from(settings_for()), horizon=timedelta(days=120))
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), start.date(), ports.capitals)
        planned = [p for p in planned_messages(db, timeline, policy, start) if p.kind == "reminder"]
    titles = {p.target: reply_from_data(p.body).title for p in planned if ":7d:" in p.key}
    name = "Canada-Japan Peace and Security Symposium"  # its name as agreed: not translated
    assert titles["slack:UANNA"] == f"Reminder: {name}, Mon 15 Mar 2027 (in 7 days)"
    assert titles["slack:UMARIE"] == f"Rappel{NBSP}: {name}, lun. 15 mars 2027 (dans 7 jours)"
    assert titles["slack:UKEN"] == f"リマインダー：{name}、2027年3月15日(月)（7日後）"
    buttons = [a.label for a in reply_from_data(next(p.body for p in planned if p.target == "slack:UKEN")).actions]
    assert buttons[0] == "確認しました" and buttons[-1] == "開く"
    assert i18n.current() == "en"


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_digest_s_language_is_chosen_at_subscription_english_by_default(engine, ports):
    from handlers.domain.timeline import Timeline
    from handlers.views.reply import reply_from_data
    from models import repository
    from scheduling.digest import due_digests

    coordinator = Requester(user_ref="slack:UADMIN", channel_ref="slack:CLEADS", conversation=Conversation.channel)
    ports = dataclasses.replace(ports, admins=frozenset({coordinator.user_ref}))
    assert (
        answer("digest subscribe on monday at 09:00 Asia/Tokyo ja", ports=ports, requester=coordinator).tone == "answer"
    )
    other = dataclasses.replace(coordinator, channel_ref="slack:COTHER")
    assert answer("digest subscribe on monday at 09:00 Asia/Tokyo", ports=ports, requester=other).tone == "answer"
    with session(engine) as db:
        assert {r.channel_ref: r.language for r in db.exec(select(DigestSubscription))} == {
            "slack:CLEADS": "ja",
            "slack:COTHER": "en",
        }
        now = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)  # Monday 09:30 in Tokyo
        timeline = Timeline(repository.load_mechanisms(session=db), now.date(), ports.capitals)
        digests = {p.target: reply_from_data(p.body) for p in due_digests(db, timeline, now, timedelta(hours=2))}
    japanese, english = render_text(digests["slack:CLEADS"]), render_text(digests["slack:COTHER"])
    assert japanese.startswith("議題の週次ダイジェスト（2026年11月23日(月)の週）：全分野\n\n動き："), japanese
    assert english.startswith("Weekly agenda digest, week of Mon 23 Nov 2026: every area\n\nMoved:"), english
    assert "継続している課題：担当者未定の項目" in japanese


# -- through the real endpoints ---------------------------------------------------------------


def test_through_the_slack_and_teams_endpoints(tmp_path, sqlite_template):
    """A Slack user who chose Japanese, and a Teams user whose Teams is in French, through the running server."""
    import shutil

    import httpx

    from tests.conftest import TODAY
    from tests.fakes.slack_api import start_fake_slack
    from tests.fakes.teams_connector import start_fake_teams
    from tests.live_server import both_platforms, live_server
    from tests.slack_requests import signed_headers, slash_command_body
    from tests.teams_activities import personal_message

    slack, teams = start_fake_slack(), start_fake_teams()
    shutil.copy(sqlite_template, tmp_path / "agenda.db")
    try:
        with live_server(
            both_platforms(f"sqlite:///{tmp_path / 'agenda.db'}", slack.api_url), clock=FixedClock(TODAY)
        ) as url:

            def ask_slack(text: str) -> dict:
                body = slash_command_body(text, response_url=slack.response_url("languages"))
                answer = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=10)
                message = answer.json()
                return (
                    slack.wait_for_webhooks(1, "languages")[-1]
                    if "Looking that up" in message.get("text", "")
                    else message
                )

            def ask_slack_as(user_id: str, text: str) -> dict:
                body = slash_command_body(text, response_url=slack.response_url(user_id), user_id=user_id)
                return httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=10).json()

            # Someone new whose Slack is in French: their very first answer is in French (users.info, once).
            slack.users["UFRANCO"] = {"locale": "fr-CA"}
            assert ask_slack_as("UFRANCO", "areas")["blocks"][0]["text"]["text"] == "Domaines du programme"
            ask_slack_as("UFRANCO", "areas")
            assert len([c for c in slack.calls("users.info") if c.body.get("user") == "UFRANCO"]) == 1
            # Slack slow to say: the first answer does not wait for it (English), the next one is in Japanese.
            slack.users["USLOW"] = {"locale": "ja-JP"}
            slack.delays["users.info"] = 1.5
            assert ask_slack_as("USLOW", "areas")["blocks"][0]["text"]["text"] == "Areas of the agenda"
            slack.delays.clear()
            _wait_for(lambda: _platform_language(tmp_path / "agenda.db", "slack:USLOW") == "ja", "ja stored")
            assert ask_slack_as("USLOW", "areas")["blocks"][0]["text"]["text"] == "議題の分野"

            assert ask_slack("language ja")["blocks"][0]["text"]["text"] == "今後、ボットは日本語 (ja)でお答えします。"
            shown = ask_slack("areas")
            assert shown["blocks"][0]["text"]["text"] == "議題の分野"
            assert "チャンネルで共有" in str(shown["blocks"])  # the button too

            message = personal_message("show 2002-A4", teams.url)
            message["locale"] = "fr-CA"
            assert httpx.post(f"{url}/api/messages", json=message, timeout=10).status_code == 200
            teams.wait_for(1)
            card = str(teams.cards())
            assert "Statut" in card and "Responsables" in card and "Texte convenu" in card  # the agreed text, labelled
    finally:
        slack.close()
        teams.close()


def _platform_language(path: Path, user_ref: str) -> str | None:
    import sqlite3

    with sqlite3.connect(path) as db:
        row = db.execute("select platform_language from person where user_ref = ?", (user_ref,)).fetchone()
    return row[0] if row else None


def _wait_for(condition, what: str, timeout: float = 10.0) -> None:
    """Poll a condition another thread makes true (here: a lookup that outlived its wait and stores later)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_link_and_the_home_tab_show_the_language_and_the_home_is_in_it(ports):
    from handlers.pages.home import home

    assert "Langue\u00a0: français (fr), celle de votre plateforme" in render_text(
        answer("link", ports=ports, requester=FRENCH)
    )
    view = home(ports, JAPANESE)
    assert view.reply.title == "あなたの議題"
    assert view.reply.summary.endswith(
        "言語：日本語 (ja)（ご利用のプラットフォームの設定。選ぶには `/agenda 言語 fr|ja|en`）"
    )
    assert home(ports, ENGLISH).reply.title == "Your agenda" and i18n.current() == "en"


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_agenda_kept_for_everyone_is_worded_in_english_whoever_asked_first(ports):
    """The timeline is built once per revision for every reader: a French first asker must not make it French."""
    ports = dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref}))
    assert answer("schedule symposium 14 Oct 2027 in Ottawa host Canada", ports=ports, requester=ADMIN).tone == "answer"
    answer("when is the next symposium", ports=ports, requester=FRENCH)  # the first to read the new revision
    english = answer("when is the next symposium", ports=ports, requester=ENGLISH)
    assert english.title.startswith("Next Canada-Japan Peace and Security Symposium: Thu 14 Oct 2027"), english.title
    french = answer("qui est responsable du symposium", ports=ports, requester=FRENCH)
    assert french.title == (
        f"Colloque Canada-Japon sur la paix et la sécurité{NBSP}: responsables, Affaires mondiales Canada et "
        "Ministère des Affaires étrangères du Japon."
    )
    japanese = answer("MLATの状況", ports=ports, requester=JAPANESE)
    assert japanese.title == "2002-A4：期限切れ（期限：2003年12月31日(水)まで）、状況不明（結果の記録なし）。"


def test_the_teams_package_names_and_describes_the_bot_in_french_and_japanese():
    import io
    import json
    import zipfile

    from bot.teams.package import build_package
    from handlers.commands.parser import parse

    options = dict(
        app_id="00000000-0000-0000-0000-00000000b07a", name="agenda-bot", version="1.0.0", website="https://x.example",
        tab_url="https://x.example",
    )
    with zipfile.ZipFile(io.BytesIO(build_package(**options))) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        files = {tag: json.loads(archive.read(f"{tag}.json")) for tag in ("fr", "ja")}
    assert manifest["localizationInfo"]["additionalLanguages"] == [
        {"languageTag": "fr", "file": "fr.json"},
        {"languageTag": "ja", "file": "ja.json"},
    ]
    commands = [
        (n, m, c) for n, menu in enumerate(manifest["bots"][0]["commandLists"]) for m, c in enumerate(menu["commands"])
    ]
    for tag, words in files.items():
        assert words["name.full"] != manifest["name"]["full"] and len(words["name.full"]) <= 100
        assert len(words["description.short"]) <= 80 and len(words["description.full"]) <= 4000
        for n, m, command in commands:
            prefix = f"bots[0].commandLists[{n}].commands[{m}]"
            title = words[f"{prefix}.title"]  # the command's word in that language, which the parser reads
            assert parse(title) == parse(command["title"]), (tag, title)
            described = words[f"{prefix}.description"]
            assert described != command["description"] and len(described) <= 128, (tag, described)
    assert files["ja"]["bots[0].commandLists[0].commands[0].description"] == "使い方：テーマ、ID、担当者、日付"
    assert files["fr"]["bots[0].commandLists[0].commands[0].title"] == "aide"  # picked, it types the French word
    assert files["ja"]["bots[0].commandLists[0].commands[0].title"] == "ヘルプ"
    tabs = [files[tag]["staticTabs[0].name"] for tag in ("fr", "ja")]
    assert tabs == ["Tableau de bord", "ダッシュボード"]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_parser_s_refusals_are_worded_in_the_asker_s_language_with_their_words_as_typed(ports):
    bad_status = answer("status 2002-A4 bogus", ports=ports, requester=JAPANESE)
    assert bad_status.title == "「bogus」という状況はありません。"
    assert "`未着手`、`進行中`" in render_text(bad_status)  # the words the parser reads, in the asker's language
    bad_date = answer("schedule symposium 03/04/2027", ports=ports, requester=FRENCH)
    assert bad_date.title.startswith("«\u00a003/04/2027\u00a0» se lit différemment à Ottawa et à Tokyo")
    unknown = answer("link 123", ports=ports, requester=JAPANESE)
    assert unknown.title.startswith("「123」は連携コードではありません。")
    assert "Try" not in render_text(answer("dashboard bogus", ports=ports, requester=FRENCH))


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_change_is_confirmed_and_a_refusal_worded_in_the_asker_s_language(ports):
    coordinator = dataclasses.replace(FRENCH, user_ref="teams:aad-coord")
    ports = dataclasses.replace(ports, admins=frozenset({coordinator.user_ref}))
    assert answer("status 2005-C1 in progress", ports=ports, requester=coordinator).title.startswith(
        f"2005-C1{NBSP}: en cours."
    )
    assert answer("sensitivity 2005-C1 restricted", ports=ports, requester=coordinator).title == (
        "2005-C1 est maintenant restreint."
    )
    refused = answer("assign 2002-A4 DND", ports=ports, requester=JAPANESE)
    assert (refused.title, refused.summary) == (
        "担当者を変更することができるのは調整担当者と管理者のみです。",
        "変更は行われていません。",
    )
    english = answer("assign 2002-A4 DND", ports=ports, requester=ENGLISH)
    assert english.title == "Only coordinators and admins can change owners."
    # A refusal that names the item: the whole sentence in the reader's words, the id filled in.
    refused = answer("statut 2002-A4 terminé", ports=ports, requester=FRENCH)
    assert refused.title == (
        "Seuls les coordonnateurs et les administrateurs peuvent changer le statut de 2002-A4 "
        "(ses responsables le peuvent aussi)."
    )
    assert answer("status 2002-A4 done", ports=ports, requester=ENGLISH).title == (
        "Only coordinators and admins can change the status of 2002-A4 (its owners can too)."
    )
    # A stage asked of an item that has none lists the statuses in the reader's words.
    wrong_kind = render_text(answer("statut 2005-C1 signé", ports=ports, requester=coordinator))
    assert "`en cours`" in wrong_kind and "`in progress`" not in wrong_kind, wrong_kind


def test_the_error_fallback_is_worded_in_the_asker_s_language_when_it_is_known_in_memory(ports):
    from bot.answering import failed

    ports.languages.put((JAPANESE.user_ref, JAPANESE.locale), "ja")  # read by an earlier answer
    assert failed(ports, JAPANESE).title == "システム側で問題が発生しました"
    assert failed(ports, ENGLISH).title == "Something went wrong on our side"  # unknown: no read, English


@pytest.mark.parametrize("backend", ["sqlite"])
def test_what_comes_next_in_french_and_japanese(ports):
    assert (
        answer("next 6 months", ports=ports, requester=FRENCH).title
        == f"À venir{NBSP}: du dim. 22 nov. 2026 au sam. 22 mai 2027"
    )
    assert (
        answer("next 6 months", ports=ports, requester=JAPANESE).title
        == "今後の予定：2026年11月22日(日)～2027年5月22日(土)"
    )
    assert (
        answer("next 6 months", ports=ports, requester=ENGLISH).title == "What comes next: 22 Nov 2026 to 22 May 2027"
    )


# -- commands typed in the reader's words (issue 15, item 5; the words themselves: test_command_words.py) ----


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_coordinator_sets_a_status_in_french_and_japanese_and_help_lists_the_words(ports):
    coordinator = dataclasses.replace(FRENCH, user_ref="teams:aad-coord")
    japanese = dataclasses.replace(JAPANESE, user_ref="teams:aad-coord-ja")
    ports = dataclasses.replace(ports, admins=frozenset({coordinator.user_ref, japanese.user_ref}))
    said = answer("statut 2005-C1 en cours réunion en janvier", ports=ports, requester=coordinator)
    assert said.title.startswith(f"2005-C1{NBSP}: en cours."), said.title
    assert "réunion en janvier" in render_text(answer("historique 2005-C1", ports=ports, requester=coordinator))
    said = answer("ステータス 2005-C2 完了", ports=ports, requester=japanese)
    assert said.title.startswith("2005-C2") and "完了" in said.title, said.title
    unknown = answer("statut 2005-C1 fini", ports=ports, requester=coordinator)
    assert unknown.title == "Je ne connais pas le statut «\u00a0fini\u00a0»."
    assert "`en cours`, `terminé`, `au point mort`" in unknown.sections[0].body
    french_help = render_text(answer("aide", ports=ports, requester=coordinator))
    assert "`/agenda historique` (`history`)" in french_help and "`/agenda statut` (`status`)" in french_help
    assert "`/agenda 履歴` (`history`)" in render_text(answer("ヘルプ", ports=ports, requester=japanese))
    assert "Commands in your language" not in render_text(answer("help", ports=ports, requester=ENGLISH))


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_bot_s_own_note_on_a_meeting_record_is_worded_for_the_reader_a_person_s_as_written(ports):
    ports = dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref}))
    assert answer("held pol-mil 15 Dec 2022 in Ottawa host Canada", ports=ports, requester=ADMIN).tone == "answer"
    said = {
        who.locale: render_text(answer("meeting pol-mil", ports=ports, requester=who))
        for who in (ENGLISH, FRENCH, JAPANESE)
    }
    assert "Recorded by @UADMIN." in said[ENGLISH.locale]  # the plain-text rendering of the mention
    assert "Consigné par @UADMIN." in said[FRENCH.locale] and "ecorded by" not in said[FRENCH.locale]
    assert "@UADMIN が記録" in said[JAPANESE.locale] and "ecorded by" not in said[JAPANESE.locale]


# -- lookups in each language ---------------------------------------------------------------------------------------

_ITEM = re.compile(r"^(\d{4}-[A-Za-z]?\d+[a-z]?)  ", re.MULTILINE)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_japanese_name_with_a_generic_suffix_is_looked_up_as_the_name(ports):
    """難民法: 難民 (refugees) is translated; the 法 (law) left over must not make the lookup find nothing."""
    for words in ("難民法", "難民条約", "難民問題"):
        reply = answer(words, ports=ports, requester=JAPANESE)
        assert reply.tone == "answer" and _ITEM.findall(render_text(reply)) == ["2005-A3"], render_text(reply)
    assert _ITEM.findall(render_text(answer("違法薬物", ports=ports, requester=JAPANESE))) == ["2005-B3"]  # 違法 whole
    area = render_text(answer("北朝鮮問題", ports=ports, requester=JAPANESE))
    assert area.splitlines()[0] == render_text(answer("北朝鮮", ports=ports, requester=JAPANESE)).splitlines()[0]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_self_defense_forces_are_the_same_lookup_in_each_language_not_the_ministry_s_listing(ports):
    """The forces are not the ministry: each language gets the commitments that name them (as 自衛隊 always did),
    with what the Ministry of Defense owns one press away; the ministry's own name still lists what it owns."""
    said = {
        "en": answer("Self-Defense Forces", ports=ports, requester=ENGLISH),
        "fr": answer("Forces d'autodéfense", ports=ports, requester=FRENCH),
        "ja": answer("自衛隊", ports=ports, requester=JAPANESE),
    }
    assert {language: _ITEM.findall(render_text(reply)) for language, reply in said.items()} == dict.fromkeys(
        said, ["1999-21"]
    )
    for language, reply in said.items():  # (the command in the reader's words: `responsable …`, `担当者 …`)
        owner = {"en": "owner ", "fr": "responsable ", "ja": "担当者 "}[language]
        assert any(action.query.startswith(owner) for action in reply.actions), reply.actions
    for words, requester in (("Ministry of Defense of Japan", ENGLISH), ("防衛省", JAPANESE), ("JSDF", ENGLISH)):
        listing = render_text(answer(words, ports=ports, requester=requester))
        assert len(_ITEM.findall(listing)) > 1 and ("Owned by" in listing or "防衛省の担当" in listing), listing
