"""The same table of questions through Slack and Teams in each language (issue 15, on issue 13's table).

One running server (SQLite), a person on each platform whose Slack or Teams is in English, French or
Japanese; each row is asked once per language per platform, as that person would ask it, through the real
endpoints (signed slash commands at /slack/events, Activities at /api/messages). The answer must hold the
row's commitments, open with the row's words in the asker's language, and carry no English the team wrote:
once the agenda's own words (names, titles, agreed texts), commands, ids and links are taken out, a
Japanese answer has no Latin word left, and a French one none of the English words a sentence of ours
would bring."""

from __future__ import annotations

import html
import re
import shutil
import time

import httpx
import pytest

from handlers.views.present import TRIM_AT
from models.db import make_engine
from scheduling.clock import FixedClock
from tests.conftest import TODAY
from tests.fakes.slack_api import start_fake_slack
from tests.fakes.teams_connector import start_fake_teams
from tests.live_server import both_platforms, live_server
from tests.slack_requests import signed_headers, slash_command_body
from tests.teams_activities import card_nodes, personal_message
from tests.test_pseudo_locale import ALLOWED, EMOJI, agenda_words, readable

LANGUAGES = ("en", "fr", "ja")
LOCALES = {"en": "en-US", "fr": "fr-CA", "ja": "ja-JP"}

# (what the asker types in English, French, Japanese; ids the answer holds; how its title starts or what it holds,
# in each language)
TABLE = [
    (("who owns the symposium", "qui est responsable du symposium", "シンポジウムの担当は"), ["2005-E1"],
     ("The Canada-Japan Peace and Security Symposium is owned by", "sécurité : responsables,", "シンポジウムの担当：")),
    (("when is the next Pol-Mil", "quand a lieu la prochaine réunion Pol-Mil", "次の政軍協議はいつ"), ["1999-3"],
     ("Next Political-Military Talks: 2027, projected", "Prochaine réunion — Pourparlers politico-militaires : 2027",
      "次回の政治・軍事対話：2027年（見込み、未確定）")),
    (("what did we agree on Afghanistan in 2005", "qu'avons-nous convenu sur l'Afghanistan en 2005 ?",
      "2005年にアフガニスタンについて何を合意したか"), ["2005-C1", "2005-C2"],
     ("On Afghanistan in 2005, we made 2 commitments", "Sur Afghanistan en 2005, nous avons pris 2 engagements",
      "について（2005年）2件の合意事項があります")),
    (("what is the status of the MLAT", "qu'en est-il du MLAT ?", "MLATの状況"), ["2002-A4"],
     ("2002-A4 is overdue", "2002-A4 : en retard", "2002-A4：期限切れ")),
    (("what is overdue", "qu'est-ce qui est en retard", "期限切れ"), ["2002-A4", "2005-F1"],
     ("2 commitments are overdue", "2 engagements sont en retard", "期限切れの合意事項が2件あります")),
    (("documents", "documents", "文書"), [],
     ("4 source documents", "4 documents sources", "出典文書は4件")),
    (("is there anything on North Korea", "Corée du Nord", "北朝鮮"), ["2005-G1", "2005-G2", "2021-1"],
     ("North Korea: 5 commitments", "5 engagements", "5件の合意事項")),
    (("counter-terrorism", "lutte contre le terrorisme", "テロ対策"), ["2002-A4", "2005-A1"],
     ("Counter-terrorism: 8 commitments", "8 engagements", "8件の合意事項")),
    (("peacekeeping", "maintien de la paix", "平和維持"), ["2002-B4a", "2005-E3"],
     ("Peacekeeping and peace support operations: 15 commitments", "15 engagements", "15件の合意事項")),
    (("list everything from 1999 that is still open", "tout ce qui est encore ouvert de 1999", "1999年の未完了の項目"),
     ["1999-2"], ("31 commitments in 1999 are still open", "31 engagements en 1999 restent ouverts",
                  "（1999年）未完了の合意事項は31件です")),
    (("which items have no owner?", "quels engagements n'ont pas de responsable ?", "担当者が決まっていない項目は"),
     ["2021-1"], ("Every commitment has an owner; 107 have a department only",
                  "Chaque engagement a un responsable. 107 ne relèvent que d’un ministère", "うち107件は部署のみ")),
    (("what's the oldest open commitment?", "quel est l'engagement ouvert le plus ancien ?", "最も古い未完了の約束は"),
     ["1999-2"], ("The oldest commitment still open is 1999-2", "L’engagement le plus ancien encore ouvert est 1999-2",
                  "未完了の合意事項で最も古いのは1999-2")),
    (("what did we agree before 2005", "qu'avons-nous convenu avant 2005", "2005年より前に何を合意しましたか"),
     ["2002-A1"], ("We made 69 commitments before 2005", "Nous avons pris 69 engagements avant 2005",
                   "（2005年より前）69件の合意事項があります")),
    (("help", "aide", "ヘルプ"), [],
     ("agenda-bot: the Canada–Japan peace and security agenda", "agenda-bot : le programme Canada–Japon",
      "agenda-bot：日加の平和・安全保障協力アジェンダ")),
]  # fmt: skip
ROWS = [(row, language) for row in TABLE for language in LANGUAGES]

# Words a sentence of ours would bring into a French answer if it skipped the catalogue (none is French).
ENGLISH_ONLY = {
    "the", "is", "are", "was", "were", "and", "with", "owned", "by", "commitment", "commitments", "next",
    "projected", "overdue", "owners", "owner", "nothing", "found", "since", "changed", "agreed", "unknown", "due",
    "meeting", "meetings", "which", "what", "who", "when", "where", "help", "yet", "fixed", "status",
    "outcome", "record", "made", "we", "our", "your", "you", "ask", "show", "more", "deadline", "kind",
}  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory, sqlite_template):
    slack, teams = start_fake_slack(), start_fake_teams()
    path = tmp_path_factory.mktemp("questions") / "agenda.db"
    shutil.copy(sqlite_template, path)
    for language in LANGUAGES:
        slack.users[_slack_user(language)] = {"locale": LOCALES[language], "tz": "America/Toronto"}
    engine = make_engine(f"sqlite:///{path}")
    try:
        with live_server(both_platforms(f"sqlite:///{path}", slack.api_url), clock=FixedClock(TODAY)) as url:
            for language in LANGUAGES:  # each person met once, their Slack's language read and kept
                _ask_slack(url, slack, language, "areas")
            _wait_until(lambda: all(_platform_language(engine, f"slack:{_slack_user(lang)}") for lang in LANGUAGES))
            data = [*agenda_words(engine), "agenda-bot"]  # (and the bot's own name)
            data = sorted({*data, *(_trimmed(w) for w in data if len(w) > TRIM_AT)}, key=len, reverse=True)
            yield url, slack, teams, data
    finally:
        engine.dispose()
        slack.close()
        teams.close()


@pytest.mark.parametrize("row, language", ROWS, ids=[f"{language}:{row[0][0]}" for row, language in ROWS])
def test_each_question_through_slack_and_teams_in_each_language(server, row, language):
    url, slack, teams, data = server
    asked, ids, titles = row
    text, title = asked[LANGUAGES.index(language)], titles[LANGUAGES.index(language)]
    answers = {"slack": _ask_slack(url, slack, language, text), "teams": _ask_teams(url, teams, language, text)}
    # What Slack quotes as code (`confirm`, `restricted`) Teams shows unquoted: words to type, there too.
    code = {span.strip("`") for fragment in answers["slack"][2] for span in ALLOWED[0].findall(html.unescape(fragment))}
    for platform, (seen_title, seen_ids, fragments) in answers.items():
        assert title in seen_title.replace("\u00a0", " "), (platform, seen_title)  # (French spaces its colons)
        assert set(ids) <= set(seen_ids), (platform, seen_ids)
        if language != "en":
            asked_words = [text, *text.split(), *seen_ids, *code, "ID"]  # ("ID": Japanese says it so too)
            left = _english_left(fragments, [*data, *asked_words], language)
            assert not left, f"{platform}, {language}: English in the answer to {text!r}:\n" + "\n".join(left)


# -- asking ---------------------------------------------------------------------------------------------


def _slack_user(language: str) -> str:
    return f"UQ{language.upper()}"


def _ask_slack(url: str, slack, language: str, text: str) -> tuple[str, list[str], list[str]]:
    user = _slack_user(language)
    body = slash_command_body(text, response_url=slack.response_url(user), user_id=user)
    message = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=10).json()
    if "blocks" not in message:  # acknowledged at once, answered through response_url
        message = slack.wait_for_webhooks(1, user)[-1]
    blocks = message["blocks"]
    title = next(b["text"]["text"] for b in blocks if b["type"] == "header")
    ids = [m.group(1) for b in blocks if b["type"] == "section" for m in [_SLACK_ITEM.match(b["text"]["text"])] if m]
    return title, ids, [message.get("text", ""), *readable(blocks)]


def _ask_teams(url: str, teams, language: str, text: str) -> tuple[str, list[str], list[str]]:
    teams.clear()
    activity = personal_message(text, teams.url, conversation_id=f"a:1personal-{language}", user_aad=f"aad-{language}")
    activity["locale"] = LOCALES[language]
    assert httpx.post(f"{url}/api/messages", json=activity, timeout=10).status_code == 200
    teams.wait_for(1)
    blocks = [node for card in teams.cards() for node in card_nodes(card)]
    title = next(b["text"] for b in blocks if b.get("type") == "TextBlock")
    heads = [b.get("text", "") for b in blocks if b.get("weight") == "Bolder"]
    ids = [m.group(1) for head in heads if (m := _TEAMS_ITEM.match(head))]
    return title, ids, [f for card in teams.cards() for f in readable(card)]


_SLACK_ITEM = re.compile(r"^\*([^*]+)\* · \*")
_TEAMS_ITEM = re.compile(r"^(\S+) · ")


# -- reading ----------------------------------------------------------------------------------------


def _english_left(fragments: list[str], data: list[str], language: str) -> list[str]:
    """Latin words a sentence of ours left in a French or Japanese answer, with where."""
    # longest first, as `leaks` does: `not held` is taken out whole before `held` leaves a `not`
    found, data = [], sorted({" ".join(word.split()) for word in data}, key=len, reverse=True)
    for fragment in fragments:
        text = html.unescape(fragment).replace("\n>", "\n")
        text = ALLOWED[1].sub(" ", ALLOWED[0].sub(" ", text))  # commands
        text = EMOJI.sub(" ", text)
        text = " ".join(text.split())
        for word in data:
            if word and word in text:
                text = re.sub(rf"(?<![A-Za-z/]){re.escape(word)}(?![A-Za-z])", " ", text)
        text = re.sub(r"[A-Za-z ,.'()-]+…\*?", "…", text)  # a title or text clipped to fit
        for pattern in ALLOWED[1:]:
            text = pattern.sub(" ", text)
        words = re.findall(r"[A-Za-z][A-Za-z']+", text)
        if language == "fr":
            words = [w for w in words if w.casefold() in ENGLISH_ONLY]
        if words:
            found.append(f"{' '.join(words)[:100]!r} in {fragment[:140]!r}")
    return found


def _trimmed(text: str) -> str:
    from handlers.views.present import _trim

    return _trim(text).removesuffix(" …")


def _platform_language(engine, user_ref: str) -> str | None:
    from sqlalchemy import text

    with engine.connect() as connection:
        return connection.execute(
            text("select platform_language from person where user_ref = :ref"), {"ref": user_ref}
        ).scalar()


def _wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
