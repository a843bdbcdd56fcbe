"""One table of commands and expected answers, asked through both front ends
of one running server: Slack (signed slash commands at /slack/events) and
Teams (Activity JSON at /api/messages). Each answer is reduced to what a
person reads (title, commitment ids, buttons), so Block Kit and Adaptive
Cards can be compared, and the two front ends cannot drift apart."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass

import httpx
import pytest

from scheduling.clock import FixedClock
from tests.conftest import TODAY
from tests.fakes.slack_api import start_fake_slack
from tests.fakes.teams_connector import start_fake_teams
from tests.live_server import both_platforms, live_server
from tests.slack_requests import signed_headers, slash_command_body
from tests.teams_activities import card_nodes, personal_message

# (what people type, words the title must contain, ids that must be among the answer's items)
TABLE = [
    ("counter-terrorism", "Counter-terrorism: 8 commitments", []),
    ("CT", "Counter-terrorism", []),
    ("MLAT", "Mutual legal assistance", ["2002-A4"]),
    ("help", "the Canada–Japan peace and security agenda", []),
    ("areas", "Areas of the agenda", []),
    ("show 2002-A4", "2002-A4: Conclude a Mutual Legal Assistance Treaty", ["2002-A4"]),
    ("show 2099-Z9", "No commitment with the id", []),
    ("next 6 months", "What comes next: 22 Nov 2026", []),
    ("owner DND", "Owned by Department of National Defence", []),
    ("mine", "Nothing owned by you", []),
    ("history 2002-A4", "No changes recorded for 2002-A4", []),
    ("qwertyuiop", "Nothing found for “qwertyuiop”", []),
    ("status 2002-A4 done", "Only coordinators", []),  # a member may not: refused the same way
    ("assign 2002-A4 DND", "Only coordinators and admins", []),
    ("sensitivity 2002-A4 restricted", "Only coordinators and admins", []),
    # Meetings (issue 16): a page, a briefing, and the records and checklist a member may not change.
    ("meeting pol-mil", "Political-Military Talks", []),
    ("briefing pol-mil", "Briefing: Political-Military Talks", []),
    ("held pol-mil 15 Dec 2022 in Ottawa host Canada number 12", "Only coordinators and admins", []),
    ("not held pol-mil 2024", "Only coordinators and admins", []),
    ("milestone pol-mil briefing done", "Only coordinators and admins", []),
    ("propose 2002-A4 for pol-mil", "Only coordinators and admins", []),
    ("link reminders teams", "Your reminders already come to your only account here.", []),
    ("link 0000-0000", "That code is unknown or has expired.", []),
    # Questions (handlers/commands/questions.py), in three languages: the answer first, then its items.
    ("who owns the symposium?", "Symposium is owned by Global Affairs Canada", ["2005-E1"]),
    ("qui est responsable du symposium ?", "Symposium is owned by Global Affairs Canada", ["2005-E1"]),
    ("when is the next Pol-Mil?", "Next Political-Military Talks: 2027, projected", ["1999-3"]),
    ("次のPol-Milはいつ？", "Next Political-Military Talks: 2027, projected", ["1999-3"]),
    ("what did we agree on Afghanistan in 2005", "On Afghanistan in 2005", ["2005-C1", "2005-C2"]),
    ("qu'avons-nous convenu sur l'Afghanistan en 2005 ?", "On Afghanistan in 2005", ["2005-C1", "2005-C2"]),
    ("what is overdue?", "2 commitments are overdue", ["2002-A4", "2005-F1"]),
    ("期限切れ", "2 commitments are overdue", ["2002-A4", "2005-F1"]),
    ("documents", "4 source documents", []),
    ("quoi de neuf depuis le 1er novembre ?", "Nothing has changed since Sun 1 Nov 2026.", []),
    ("ヘルプ", "the Canada–Japan peace and security agenda", []),
]


@dataclass(frozen=True)
class Seen:
    title: str
    ids: tuple[str, ...]
    buttons: tuple[str, ...]  # action kinds, share left out (Teams channels need none)


@pytest.fixture(scope="module")
def both(tmp_path_factory, sqlite_template):
    slack, teams = start_fake_slack(), start_fake_teams()
    path = tmp_path_factory.mktemp("both") / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = both_platforms(f"sqlite:///{path}", slack.api_url)
    with live_server(settings, clock=FixedClock(TODAY)) as url:
        yield url, slack, teams
    slack.close()
    teams.close()


def ask_slack(url: str, slack, text: str) -> Seen:
    body = slash_command_body(text, response_url=slack.response_url("agree"))
    message = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=10).json()
    if "Looking that up" in message.get("text", ""):
        message = slack.wait_for_webhooks(1, "agree")[-1]
    blocks = message["blocks"]
    title = next(b["text"]["text"] for b in blocks if b["type"] == "header")
    ids = [m.group(1) for b in blocks if b["type"] == "section" for m in [_SLACK_ITEM.match(b["text"]["text"])] if m]
    buttons = [e["action_id"].split(":")[0].removeprefix("agenda_") for b in blocks for e in _elements(b)]
    return Seen(title, tuple(ids), tuple(k for k in buttons if k != "share"))


_SLACK_ITEM = re.compile(r"^\*([^*]+)\* · \*")
_TEAMS_ITEM = re.compile(r"^(\S+) · ")


def _elements(block: dict) -> list[dict]:
    found = [e for e in block.get("elements", []) if e.get("type") == "button"]
    if (block.get("accessory") or {}).get("type") == "button":
        found.append(block["accessory"])
    return found


def ask_teams(url: str, teams, text: str) -> Seen:
    teams.clear()
    assert httpx.post(f"{url}/api/messages", json=personal_message(text, teams.url), timeout=10).status_code == 200
    teams.wait_for(1)
    cards = teams.cards()
    blocks = [node for card in cards for node in card_nodes(card)]
    title = next(b["text"] for b in blocks if b.get("type") == "TextBlock")
    heads = [b.get("text", "") for b in blocks if b.get("weight") == "Bolder"]
    ids = [m.group(1) for head in heads if (m := _TEAMS_ITEM.match(head))]
    buttons = [b["verb"].removeprefix("agenda.") for b in blocks if b.get("type") == "Action.Execute"]
    return Seen(title, tuple(ids), tuple(buttons))


@pytest.mark.parametrize("text, title, ids", TABLE, ids=[row[0] for row in TABLE])
def test_slack_and_teams_give_the_same_answer(both, text, title, ids):
    url, slack, teams = both
    in_slack, in_teams = ask_slack(url, slack, text), ask_teams(url, teams, text)
    assert title in in_slack.title
    assert set(ids) <= set(in_slack.ids)
    assert in_teams.title == in_slack.title
    assert in_teams.ids == in_slack.ids
    assert sorted(in_teams.buttons) == sorted(in_slack.buttons), json.dumps([in_slack.buttons, in_teams.buttons])
