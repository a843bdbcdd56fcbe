"""Issue 15's last gaps: what a French or Japanese reader meets where English the team wrote used to show.

- The digest's subscribe reply names the city (the one typed, else the zone's, in the reader's words) and the
  time as the reader writes it: "chaque lundi à 9 h 30, heure de Tokyo", "毎週月曜日 9:30（東京時間）"; cities
  of several words, typed in the three languages, name their zone (`New York`, `Mexico City`, `ニューヨーク`).
- The commands a reply's buttons run, which the plain-text rendering shows beside each (`[Historique] /agenda
  historique pol-mil`), are in the reader's words, and each parses back to the command the English one does.
- The platforms' own few words (the Home tab's status menu, a note on a cut message) and the calendar feeds'
  "In chat" commands are in the reader's language.
Through the real Slack endpoint (signed slash commands) and the Teams endpoint (Activities) where a person reads it.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil

import httpx
import pytest

from handlers import answer
from handlers.commands import registry, terms
from handlers.commands.parser import Lookup, ParseError, Question, parse
from handlers.domain.ports import Requester
from handlers.views import i18n
from handlers.views.reply import ActionKind, Visibility
from handlers.views.text import render_text
from scheduling.clock import FixedClock
from tests.conftest import TODAY
from tests.fakes.slack_api import start_fake_slack
from tests.fakes.teams_connector import start_fake_teams
from tests.live_server import both_platforms, live_server
from tests.slack_requests import signed_headers, slash_command_body
from tests.teams_activities import CHANNEL, card_nodes, channel_message, personal_message
from tests.test_pseudo_locale import readable

LOCALES = {"en": "en-US", "fr": "fr-CA", "ja": "ja-JP"}

# -- the digest's timezone, in the reader's words ------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, zone, city",
    [
        ("New York", "America/New_York", None), ("ニューヨーク", "America/New_York", None),
        ("Mexico City", "America/Mexico_City", None), ("Mexico", "America/Mexico_City", None),
        ("メキシコシティー", "America/Mexico_City", None), ("Hong Kong", "Asia/Hong_Kong", None),
        ("香港", "Asia/Hong_Kong", None), ("Los Angeles", "America/Los_Angeles", None),
        ("ロサンゼルス", "America/Los_Angeles", None), ("Londres", "Europe/London", None),
        ("Saint-Jean de Terre-Neuve", "America/St_Johns", None), ("コルカタ", "Asia/Kolkata", None),
        ("Calcutta", "Asia/Kolkata", None), ("Montréal", "America/Toronto", "montreal"),
        ("東京時間", "Asia/Tokyo", "tokyo"), ("Tokio", "Asia/Tokyo", "tokyo"), ("Asia/Tokyo", "Asia/Tokyo", None),
    ],
)  # fmt: skip
def test_cities_of_several_words_in_three_languages_name_their_zone(typed, zone, city):
    subscribing = {"en": "digest subscribe CT on monday at 09:30", "fr": "résumé abonner CT lundi 9h30",
                   "ja": "ダイジェスト 登録 CT 月曜日 9時30分"}  # fmt: skip
    for language, subscribe in subscribing.items():
        parsed = parse(f"{subscribe} {typed}")
        assert (parsed.timezone, parsed.city, parsed.area_words) == (zone, city, ("CT",)), (language, parsed)
        assert parsed == parse(f"digest subscribe CT on monday at 09:30 {zone}")  # the same command as the zone's
    assert terms.zone_of("Nouvelle-Orléans") is None  # New Orleans keeps Chicago's time: no zone of its own


@pytest.mark.parametrize(
    "zone, city, en, fr, ja",
    [
        ("America/Toronto", None, "Ottawa", "Ottawa", "オタワ"),
        ("America/Toronto", "montreal", "Montreal", "Montréal", "モントリオール"),
        ("Asia/Tokyo", None, "Tokyo", "Tokyo", "東京"),
        ("America/New_York", None, "New York", "New York", "ニューヨーク"),
        ("America/Mexico_City", None, "Mexico City", "Mexico", "メキシコシティー"),
        ("Asia/Hong_Kong", None, "Hong Kong", "Hong Kong", "香港"),
        ("UTC", None, "UTC", "UTC", "UTC"),
        ("Etc/GMT+5", None, None, None, None),
    ],
)
def test_a_zone_is_shown_by_its_city_in_the_reader_s_words(zone, city, en, fr, ja):
    assert [terms.zone_city(zone, language, city) for language in ("en", "fr", "ja")] == [en, fr, ja]


SUBSCRIBE = {
    "en": "digest subscribe CT on monday at 09:30 Tokyo",
    "fr": "résumé abonner CT lundi 9h30 Tokio",
    "ja": "ダイジェスト 登録 CT 月曜日 9時30分 東京",
}
SUBSCRIBED = {
    "en": "This channel gets the digest every Monday at 09:30 Tokyo time.",
    "fr": "Ce canal recevra le résumé chaque lundi à 9 h 30, heure de Tokyo.",
    "ja": "このチャンネルには毎週月曜日 9:30（東京時間）にダイジェストが届きます。",
}
ABOUT = {"en": "About Counter-terrorism.", "fr": "Sujet : Lutte contre le terrorisme.", "ja": "対象：テロ対策。"}
# What the reply said before: the IANA zone, the clock as stored, the area's key.
NOT_SAID = ("Asia/Tokyo", "09:30", "counter-terrorism")


@pytest.fixture(scope="module")
def server(tmp_path_factory, sqlite_template):
    slack, teams = start_fake_slack(), start_fake_teams()
    path = tmp_path_factory.mktemp("reader-words") / "agenda.db"
    shutil.copy(sqlite_template, path)
    for language in LOCALES:
        slack.users[_slack_user(language)] = {"locale": LOCALES[language], "tz": "America/Toronto"}
    admins = ",".join([*(_slack_user(lang) for lang in LOCALES), *(f"teams:aad-{lang}" for lang in LOCALES)])
    try:
        with live_server(
            both_platforms(f"sqlite:///{path}", slack.api_url, admins=admins), clock=FixedClock(TODAY)
        ) as url:
            yield url, slack, teams
    finally:
        slack.close()
        teams.close()


def _slack_user(language: str) -> str:
    return f"URW{language.upper()}"


def _slack(url: str, slack, language: str, text: str, channel: str) -> dict:
    user = _slack_user(language)
    body = slash_command_body(text, response_url=slack.response_url(user), user_id=user, channel_id=channel)
    message = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=10).json()
    return message if "blocks" in message else slack.wait_for_webhooks(1, user)[-1]


def _teams(url: str, teams, language: str, text: str, *, in_channel: bool = False) -> list[dict]:
    teams.clear()
    who = {"user_aad": f"aad-{language}"}
    if in_channel:  # a channel of its own per language
        activity = channel_message(text, teams.url, **who)
        activity["conversation"]["id"] = activity["conversation"]["id"].replace(CHANNEL, f"{CHANNEL}-{language}")
    else:
        activity = personal_message(text, teams.url, conversation_id=f"a:1rw-{language}", **who)
    activity["locale"] = LOCALES[language]
    assert httpx.post(f"{url}/api/messages", json=activity, timeout=10).status_code == 200
    teams.wait_for(1)
    return teams.cards()


@pytest.mark.parametrize("language", ["en", "fr", "ja"])
def test_the_digest_s_subscribe_reply_names_the_city_and_the_time_in_the_reader_s_words(server, language):
    url, slack, teams = server
    message = _slack(url, slack, language, SUBSCRIBE[language], channel=f"CRW{language.upper()}")
    slack_words = [message["text"], *readable(message["blocks"])]
    cards = _teams(url, teams, language, SUBSCRIBE[language], in_channel=True)
    teams_words = [text for card in cards for text in readable(card)]
    for platform, words in (("slack", slack_words), ("teams", teams_words)):
        said = "\n".join(words).replace("\u00a0", " ")
        assert SUBSCRIBED[language] in said, (platform, said)
        assert ABOUT[language] in said, (platform, said)
        if language != "en":
            assert not [word for word in NOT_SAID if word in said], (platform, said)
    # said again as it is: nothing to change, in the same words
    again = _slack(url, slack, language, SUBSCRIBE[language], channel=f"CRW{language.upper()}")
    expected = {
        "en": "Nothing to change: this channel already gets the digest every Monday at 09:30 Tokyo time.",
        "fr": "Rien à modifier : ce canal reçoit déjà le résumé chaque lundi à 9 h 30, heure de Tokyo.",
        "ja": "変更はありません：このチャンネルにはすでに毎週月曜日 9:30（東京時間）にダイジェストが届きます。",
    }[language]
    assert again["text"].replace("\u00a0", " ").startswith(expected.removesuffix(".")), again["text"]


def test_french_elides_before_a_vowel_and_a_zone_with_no_city_stays_its_iana_name(server):
    url, slack, _teams_ = server
    said = _slack(url, slack, "fr", "résumé abonner Edmonton", channel="CRWELIDE")["text"].replace("\u00a0", " ")
    assert "chaque lundi à 9 h 00, heure d’Edmonton." in said, said
    said = _slack(url, slack, "ja", "ダイジェスト 登録 Etc/GMT+5", channel="CRWELIDE")["text"]
    assert "毎週月曜日 9:00（Etc/GMT+5）" in said, said


# -- the commands the buttons run, in the reader's words ---------------------------------------------------------

# Answers that carry buttons a plain text shows as hints (More, and the lookups and pages they run): each kind.
WITH_BUTTONS = [
    "meeting pol-mil", "documents", "what is the next deadline",
    "what did we agree on afghanistan in 2003", "which meetings haven't met in years", "DND", "owner DND",
    "what's the next deadline on afghanistan", "zzqx-terrorism-nowhere", "counter-terrorism", "where do things stand",
    "what is overdue", "next 12 months", "afghanistan and north korea",
]  # fmt: skip
ENGLISH_WORDS = {word for spec in registry.table() for word in spec.words} - {"documents", "dashboard"}


def _same(english, other) -> bool:
    """Whether two parsed commands are one: a question is the same whatever its words were (`asked`)."""
    if isinstance(english, Question) and isinstance(other, Question):
        return dataclasses.replace(english, asked="") == dataclasses.replace(other, asked="")
    return english == other


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_button_a_reply_carries_is_shown_and_sent_in_the_reader_s_words_and_reads_back_the_same(ports):
    readers = {language: Requester(user_ref=f"slack:URW{language}", locale=LOCALES[language]) for language in LOCALES}
    ports = dataclasses.replace(ports, admins=frozenset(who.user_ref for who in readers.values()), page_size=5)
    proposed = answer("propose 2002-A4 for pol-mil", ports=ports, requester=readers["en"])  # its page: a Briefing too
    assert [a.query for a in proposed.actions] == ["meeting pol-mil-talks", "briefing pol-mil-talks"]
    for language in ("fr", "ja"):  # (said again, nothing to propose: the buttons come with the change)
        assert not answer("propose 2002-A4 for pol-mil", ports=ports, requester=readers[language]).actions
    checked = 0
    for text in WITH_BUTTONS:
        replies = {language: answer(text, ports=ports, requester=who) for language, who in readers.items()}
        english = [a for a in replies["en"].actions if a.kind in (ActionKind.run, ActionKind.more)]
        for language in ("fr", "ja"):
            reply = replies[language]
            hinted = [a for a in reply.actions if a.kind in (ActionKind.run, ActionKind.more)]
            assert len(hinted) == len(english), (text, language, hinted, english)
            shown = render_text(reply)
            for theirs, ours in zip(hinted, english, strict=True):
                assert f"[{theirs.label}] /agenda {theirs.query}" in shown  # the hint, as the text fallback shows it
                first = theirs.query.split()[0]
                assert first not in ENGLISH_WORDS, (text, language, theirs.query)  # not `history`, `meeting`, `show`
                typed, meant = parse(theirs.query, page=theirs.page), parse(ours.query, page=ours.page)
                assert not isinstance(typed, ParseError), (theirs.query, typed)
                if isinstance(meant, Lookup):  # a name in the reader's words: the same commitments found
                    with i18n.speaking(language):
                        found = answer(theirs.query, ports=ports, requester=readers[language], page=theirs.page)
                    again = answer(ours.query, ports=ports, requester=readers["en"], page=ours.page)
                    assert _ids(found) == _ids(again) and found.tone == again.tone, (theirs.query, ours.query)
                else:
                    assert _same(meant, typed), (language, theirs.query, typed, ours.query, meant)
                checked += 1
    assert checked >= 40, checked
    # English stays as it was written
    assert any(a.query == "history pol-mil-talks" for a in answer("meeting pol-mil", ports=ports,
                                                                      requester=readers["en"]).actions)  # fmt: skip


def _ids(reply, *, first: bool = False) -> list[str]:
    """The ids a reply lists (``first``: in its first section of items, the subject's own, not what else names
    the words typed)."""
    sections = [section for section in reply.sections if section.items][: 1 if first else None]
    return [item.id for section in sections for item in section.items]


@pytest.mark.parametrize(
    "english, fr, ja",
    [
        ("history pol-mil", "historique pol-mil", "履歴 pol-mil"),
        ("show 2002-A4", "voir 2002-A4", "表示 2002-A4"),
        ("not held pol-mil 2024", "non tenue pol-mil 2024", "未開催 pol-mil 2024"),
        ("owner DND", "responsable DND", "担当者 DND"),
        ("counter-terrorism", "counter-terrorism", "counter-terrorism"),  # a lookup: as it is
    ],
)
def test_a_command_typed_as_the_reader_types_it_parses_to_the_same_command(english, fr, ja):
    assert [registry.typed_as(english, language) for language in ("en", "fr", "ja")] == [english, fr, ja]
    assert parse(fr) == parse(ja) == parse(english)


def test_the_slack_and_teams_buttons_send_the_reader_s_words(server):
    url, slack, teams = server
    for language, history in (("fr", "historique pol-mil-talks"), ("ja", "履歴 pol-mil-talks")):
        message = _slack(url, slack, language, "meeting pol-mil", channel="DRW")
        buttons = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
        values = [json.loads(button["value"])["q"] for button in buttons]
        assert history in values, values
        assert not [v for v in values if v.split()[0] in {"history", "plan", "briefing"}], values
        cards = _teams(url, teams, language, "meeting pol-mil")
        nodes = [node for card in cards for node in card_nodes(card)]
        sent = [node["data"]["q"] for node in nodes if node.get("type") == "Action.Execute"]
        assert history in sent, sent


# -- the platforms' own words and the feeds' commands -------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_home_tab_s_status_menu_and_its_note_are_in_the_reader_s_language(ports):
    from bot.slack.home import home_view
    from handlers.pages.home import home

    coordinator = Requester(user_ref="slack:URWCOORD", locale="en-US")
    ports = dataclasses.replace(ports, admins=frozenset({coordinator.user_ref}))
    words = (("fr", "Changer le statut", "En cours"), ("ja", "ステータスを変更", "進行中"))
    for language, set_status, in_progress in words:
        reader = Requester(user_ref=f"slack:URWHOME{language}", locale=LOCALES[language])
        assigned = answer(f"assign 2002-A4 <@{reader.user_ref}>", ports=ports, requester=coordinator)
        assert assigned.tone == "answer", assigned.title
        view = home_view(home(ports, reader)).to_dict()
        menus = [e for b in view["blocks"] for e in [b.get("accessory") or {}] if e.get("type") == "static_select"]
        assert menus and all(m["placeholder"]["text"] == set_status for m in menus), menus
        assert in_progress in [o["text"]["text"] for o in menus[0]["options"]]
        assert "Set status" not in json.dumps(view, ensure_ascii=False)


def test_a_cut_slack_message_says_so_in_the_reader_s_language():
    from bot.slack.render import render
    from handlers.views.reply import Item, Reply, Section

    items = [Item(id=f"2002-A{n}", title="t", text="x", citation=None) for n in range(60)]
    for language, note in (("fr", "Le reste ne tient pas"), ("ja", "残りは1件のメッセージに収まりません")):
        with i18n.speaking(language):
            reply = Reply(title="…", sections=[Section(items=items)], visibility=Visibility.private)
        said = json.dumps(render(reply).blocks[-1], ensure_ascii=False)
        assert note in said and "did not fit" not in said, said


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("language, show, history", [("fr", "/agenda voir 2002-A4", "/agenda historique "),
                                                     ("ja", "/agenda 表示 2002-A4", "/agenda 履歴 ")])
def test_a_feed_s_in_chat_commands_are_in_its_owner_s_words(ports, language, show, history):
    from tests.test_calendar_feeds import feed, links

    ports = dataclasses.replace(ports, admins=frozenset({"slack:URWFEED"}))
    reader = Requester(user_ref="slack:URWFEED", locale=LOCALES[language])
    assert answer(f"language {language}", ports=ports, requester=reader).language == language
    token = next(iter(links(answer("calendar", ports=ports, requester=reader)).values()))
    text = "\n".join(str(event.get("DESCRIPTION")) for event in feed(ports, token).events)
    assert show in text and history in text
    assert not re.search(r"/agenda (?:show|history|milestone) ", text)


def test_the_readme_s_language_section_says_the_slack_manifest_has_no_localized_words():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Languages", 1)[1].split("\n## ", 1)[0]
    assert "The Slack manifest stays English" in section
    assert "chaque lundi à 9 h 30, heure de Tokyo" in section and "毎週月曜日 9:30（東京時間）" in section


@pytest.mark.parametrize("language", ["fr", "ja"])
def test_every_message_names_its_commands_in_the_reader_s_words(language):
    """Each message of the catalogue, as a French or Japanese reader gets it (`_`), writes a command it names in that
    reader's words: its word (`/agenda historique …`, put there for every message: handlers/views/i18n.py) and the
    words inside it the catalogue writes (`prochain 30 jours`, `今後 30日`, `pour`, `確定`); what it writes parses."""
    from babel.messages.pofile import read_po

    from tests.test_pseudo_locale import ROOT

    with (ROOT / "handlers" / "locale" / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source)
    english = {*ENGLISH_WORDS, "not"} - {"documents"}
    inner = re.compile(r"\b(?:days|weeks|months|year|years|for|confirm|revoke|remove|done)\b")
    left = []
    with i18n.speaking(language):
        for message in catalog:
            if not message.id:
                continue
            said = i18n._(message.id) if isinstance(message.id, str) else i18n.ngettext(*message.id[:2], 2)
            for command in re.findall(r"/agenda ([^`<\n]+)", said):
                words = command.split()
                unfilled = re.sub(r"\{[^{}]*\}", " ", command)  # ({year}: a placeholder, not a word)
                if words and (words[0] in english or inner.search(unfilled)) and "who owns" not in command:
                    left.append(f"/agenda {command.strip()} in {said[:80]!r}")
    assert not left, "\n".join(left)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_assignment_names_departments_and_the_examples_given_are_in_the_reader_s_words(ports):
    """The owners a change confirms, by their names in the reader's language; the dates, meetings and codes a
    message gives as examples are written as the reader writes them, and read so."""
    from handlers.domain.when import parse_when

    ports = dataclasses.replace(ports, admins=frozenset({"slack:URWASSIGN"}))
    for language, defence in (("fr", "Ministère de la Défense nationale"), ("ja", "カナダ国防省")):
        who = Requester(user_ref="slack:URWASSIGN", locale=LOCALES[language])
        said = render_text(answer("assign 2005-C1 DND", ports=ports, requester=who))
        assert defence in said and "Department of National Defence" not in said, said
        said = render_text(answer("unassign 2005-C1 DND", ports=ports, requester=who))
        assert defence in said.split("\n")[1] and "National Defence" not in said, said  # Before: …
    examples = {
        "fr": ["14 oct. 2027", "oct. 2027", "automne 2027", "15 déc. 2026", "déc. 2026"],
        "ja": ["2027年10月14日", "2027年10月", "2027年秋", "2027年", "2026年12月15日", "2026年12月"],
    }
    for language, dates in examples.items():
        with i18n.speaking(language):
            shown = " ".join(
                i18n._(message)
                for message in (
                    "Dates: 14 Oct 2027, 2027-10-14, Oct 2027, autumn 2027 or 2027.",
                    "Write it as 14 Oct 2027, 2027-10-14, Oct 2027, autumn 2027 or 2027.",
                    "The day it met: 15 Dec 2026, or Dec 2026 if the day is not known.",
                )
            )
        assert not re.search(r"\b(?:Oct|Dec|autumn)\b", shown), shown
        for words in dates:
            assert words in shown and parse_when(words.split()) is not None, words
    for meeting in ("pourparlers politico-militaires", "政治・軍事対話"):  # (the names a refusal gives)
        page = answer(f"meeting {meeting}", ports=ports, requester=Requester(user_ref="slack:URWM", locale="en-US"))
        assert page.tone == "answer" and "Political-Military Talks" in page.title, (meeting, page.title)
    assert parse("lier 1234-5678") == parse("連携 1234-5678") == parse("link 1234-5678")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_areas_list_gives_each_area_as_the_reader_types_it_and_that_finds_it(ports):
    english = Requester(user_ref="slack:URWAREAS", locale="en-US")
    keys = re.findall(r"`/agenda ([^`]+)`", answer("areas", ports=ports, requester=english).sections[0].body)
    for language in ("fr", "ja"):
        reader = Requester(user_ref=f"slack:URWAREAS{language}", locale=LOCALES[language])
        typed = re.findall(r"`/agenda ([^`]+)`", answer("areas", ports=ports, requester=reader).sections[0].body)
        assert len(typed) == len(keys) and sum(t != k for t, k in zip(typed, keys, strict=True)) >= len(keys) // 2
        for theirs, key in zip(typed, keys, strict=True):
            found, meant = answer(theirs, ports=ports, requester=reader), answer(key, ports=ports, requester=reader)
            assert found.title == meant.title and _ids(found, first=True) == _ids(meant, first=True), (theirs, key)
