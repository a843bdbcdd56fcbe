"""Restricted items tried from outside, through the real endpoints: signed Slack requests and Teams
activities with Bot Framework tokens, on two live servers over two copies of the seeded agenda.

One copy gains three restricted items (a deadline due this month, an overdue one, a yearly meeting),
owned by Maria and DND; the other does not. Whatever a plain member asks (privately or in a channel),
and whatever a coordinator asks in a channel, must come back exactly as it does from the copy without
them: not only no key, title or text, but no count, no document and no page that moved because they
exist. Asked privately by their owner or a coordinator, they are there (so the check is not vacuous).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
from functools import partial
from pathlib import Path

import httpx
import pytest
import yaml

from handlers import answer
from handlers.commands import registry
from handlers.commands.forms import submit_form
from handlers.domain.ports import Ports, Requester
from models.db import make_engine, session
from scheduling.clock import FixedClock
from tests.conftest import TODAY, settings_for
from tests.fakes.slack_api import start_fake_slack
from tests.fakes.teams_connector import start_fake_teams
from tests.live_server import live_server
from tests.slack_requests import block_action_body, signed_headers, slash_command_body
from tests.teams_activities import Signer, channel_message, personal_message

ADMIN, COORD, OWNER, MEMBER = "UADMIN", "UCOORD", "UMARIA", "UMEMBER"
TEAMS_ADMIN, TEAMS_COORD, TEAMS_MEMBER = "aad-admin-0042", "aad-coord-0007", "aad-member-0099"

DEADLINE_TITLE = "Covert liaison on undersea cable tampering"
OVERDUE_TITLE = "Sealed review of harbour sonar sensors"
MEETING_TITLE = "Quiet track on maritime interdiction"
SECRET_TEXTS = ("zephyr protocol", "nightjar clause", "confidential yearly consultation")
COMMON = {"area": "counter-terrorism", "people": (f"slack:{OWNER}",),
          "departments": ("national-defence-canada", "mod-japan"), "source": "2026 note verbale",
          "sensitivity": "restricted", "cadence": ""}  # fmt: skip
RESTRICTED = [
    COMMON | {"title": DEADLINE_TITLE, "kind": "deadline", "due": "30 Nov 2026",
              "text": "Canada and Japan will agree the zephyr protocol on cable tampering by 30 November 2026."},
    COMMON | {"title": OVERDUE_TITLE, "kind": "deadline", "due": "1 Sep 2026",
              "text": "The two sides will complete the nightjar clause review of harbour sensors."},
    COMMON | {"title": MEETING_TITLE, "kind": "recurring_mechanism", "cadence": "every year", "due": "",
              "text": "The two Governments will hold a confidential yearly consultation on interdiction at sea."},
]  # fmt: skip


def _prepare(path: Path, *, restricted: bool) -> list[str]:
    """Roles on both copies; the restricted items on one. Their keys."""
    engine = make_engine(f"sqlite:///{path}")
    ports = Ports(open_session=partial(session, engine), clock=FixedClock(TODAY),
                  admins=frozenset({f"slack:{ADMIN}", f"teams:{TEAMS_ADMIN}"}))  # fmt: skip
    admin = Requester(user_ref=f"slack:{ADMIN}")
    for who in (f"<@slack:{COORD}>", f"<@teams:{TEAMS_COORD}>"):
        assert "coordinator" in answer(f"role {who} coordinator", ports=ports, requester=admin).title
    keys = []
    if restricted:
        for values in RESTRICTED:
            saved = submit_form(values, form_key=None, expected_version=None, opened_at=TODAY.isoformat(),
                                ports=ports, requester=admin)  # fmt: skip
            assert not saved.errors, saved.errors
            keys += re.findall(r"2026-N\d+", saved.reply.title)
    engine.dispose()
    return keys


class Server:
    """One live server and the fakes it answers through; ``ask`` gives what a viewer would see."""

    def __init__(self, url: str, slack, teams, signer: Signer) -> None:
        self.url, self.slack, self.teams, self.signer = url, slack, teams, signer
        self._n = itertools.count()
        self._token = signer.token(service_url=teams.url)
        self.http = httpx.Client(base_url=url, timeout=30)  # one connection, kept alive

    def slack_command(self, text: str, user: str, channel: str = "C0TEST") -> list[dict]:
        name = f"c{next(self._n)}-{id(self)}"
        body = slash_command_body(text, response_url=self.slack.response_url(name), user_id=user, channel_id=channel)
        response = self.http.post("/slack/events", content=body, headers=signed_headers(body), timeout=30)
        assert response.status_code == 200, response.text
        acked = response.json() if response.content else {}
        if "Looking that up" in json.dumps(acked, ensure_ascii=False):
            return [self.slack.wait_for_webhooks(1, name, timeout=30)[0]]
        return [acked]

    def slack_share(self, text: str, user: str) -> list[dict]:
        name = f"s{next(self._n)}-{id(self)}"
        body = block_action_body(action_id="agenda_share:100", value=json.dumps({"q": text, "p": 1}),
                                 response_url=self.slack.response_url(name), user_id=user)  # fmt: skip
        response = self.http.post("/slack/events", content=body, headers=signed_headers(body), timeout=30)
        assert response.status_code == 200, response.text
        posted = self.slack.wait_for_webhooks(1, name, timeout=30)
        return [p for p in posted if not p.get("delete_original")]

    def teams_message(self, text: str, aad: str, *, personal: bool) -> list[dict]:
        n = next(self._n)
        if personal:
            conversation = f"a:1chat-{aad}-{n}-{id(self)}"
            activity = personal_message(text, self.teams.url, conversation_id=conversation, user_aad=aad, name=aad)
        else:
            activity = channel_message(text, self.teams.url, user_aad=aad, name=aad)
            activity["conversation"]["id"] = conversation = f"19:peace-security@thread.tacv2;messageid={n}{id(self)}"
        headers = {"authorization": f"Bearer {self._token}"}
        response = self.http.post("/api/messages", json=activity, headers=headers, timeout=30)
        assert response.status_code == 200, response.text
        return self.teams.wait_until(lambda: self.teams.activities(conversation), f"an answer to {text!r}", 30)


# A private link's token, a Teams activity's id: different on every request, on either server.
_VARYING = re.compile(r"[A-Za-z0-9_-]{24,}|\"(?:id|replyToId|timestamp)\": \"[^\"]*\"")


def seen(payloads: list[dict]) -> str:
    return _VARYING.sub("…", json.dumps(payloads, ensure_ascii=False, sort_keys=True))


@pytest.fixture(scope="module")
def servers(tmp_path_factory, sqlite_template):
    signer = Signer()
    slack, teams = start_fake_slack(), start_fake_teams()
    teams.jwks = {"keys": [signer.jwk()]}
    root = tmp_path_factory.mktemp("restricted-outside")
    paths = {name: root / f"{name}.db" for name in ("plain", "restricted")}
    keys = {}
    for name, path in paths.items():
        shutil.copy(sqlite_template, path)
        keys[name] = _prepare(path, restricted=name == "restricted")
    assert len(keys["restricted"]) == 3, keys

    def settings(path: Path):
        return settings_for(
            f"sqlite:///{path}", slack_api_url=slack.api_url, teams_allow_unauthenticated=True,
            admins=f"slack:{ADMIN},teams:{TEAMS_ADMIN}", scheduler_enabled=False,
            public_url="https://agenda.example.org",
        )  # fmt: skip

    clock = FixedClock(TODAY)
    with (
        live_server(settings(paths["plain"]), clock=clock) as plain,
        live_server(settings(paths["restricted"]), clock=clock) as restricted,
    ):
        yield Server(plain, slack, teams, signer), Server(restricted, slack, teams, signer), keys["restricted"]
    slack.close()
    teams.close()


FULL = os.environ.get("AGENDA_FULL_SWEEP") == "1"  # every question by every route (minutes, not seconds)

# -- what is asked --------------------------------------------------------------------------------

_PHRASINGS = yaml.safe_load((Path(__file__).parent / "eval" / "phrasings.yaml").read_text(encoding="utf-8"))
_EXAMPLES = [e for spec in registry.table() if spec.access != registry.Access.change for e in spec.examples]
ABOUT = [  # {t}: a restricted item's title; {k}: its key
    "{t}", "{k}", "{n}", "show {k}", "voir {k}", "表示 {k}", "history {k}", "historique {k}", "履歴 {k}",
    "who owns {t}", "qui est responsable de {t}", "{t}の担当は", "when is the next {t}?",
    "quand a lieu la prochaine {t} ?", "次の{t}はいつ？", "what is the status of {t}", "où en est {t} ?",
    "{t}の状況", "what did we agree on {t}", "meeting {t}", "réunion {t}", "会合 {t}", "briefing {t}",
    "what's on the agenda for the next {t}?", "plan {t}", "status of {k}", "is {k} done", "did we sign {k}?",
    "how often does {t} meet", "{t} and landmines", "who is the Japanese lead on {t}",
]  # fmt: skip
GENERAL = [
    "overdue", "upcoming", "this month", "next year", "next 1 year", "next 3 months", "documents", "areas",
    "what changed since 1 November", "what's new", "quoi de neuf ?", "最近の変更は", "what did I change recently",
    "mes modifications", "私が最近変更したもの", "what's the oldest open commitment",
    "le plus ancien engagement ouvert", "最も古い未完了の項目", "what's the next deadline", "prochaine échéance",
    "次の期限は", "which meetings haven't met in years", "réunions en sommeil", "開催されていない会合",
    "how many are still open", "how many commitments are still open", "combien d'engagements sont encore ouverts",
    "未完了の項目はいくつ", "where do things stand?", "où en sommes-nous ?",
    "全体の進捗状況は？", "what does DND own?", "qu'est-ce que le MDN pilote ?", "防衛省が担当している項目は？",
    "owner DND", "owner <@slack:UMARIA>", "what does <@slack:UMARIA> own", "counter-terrorism", "テロ対策",
    "lutte contre le terrorisme", "what's stalled?", "which items have no owner?", "everything from 2026 still open",
    "what did we agree in 2026", "which meetings are there?", "quelles réunions avons-nous ?", "会合の一覧",
    "digest preview", "résumé aperçu", "ダイジェスト プレビュー", "help", "aide", "ヘルプ", "mine", "moi", "自分",
    "en retard", "à venir", "ce mois-ci", "l'an prochain", "期限切れ", "今後の予定", "今月", "来年",
    "interdiction", "undersea cable", "harbour sonar", "zephyr", "nightjar", "cable tampering", "covert liason",
    "maritme interdction", "undersea cabel", "2026 note verbale", "what came out of the 2026 note",
    "how many meetings", "what's due before the end of next year", "anything in December?", "Q4", "next week",
]  # fmt: skip


def questions() -> list[str]:
    """The forms above, every command's examples, and the held-out phrasings (one in four of them, all of them
    with AGENDA_FULL_SWEEP=1: most are lookups of seeded subjects, which the forms above cover)."""
    phrasings = [entry["q"] for entry in _PHRASINGS]
    typed = GENERAL + _EXAMPLES + (phrasings if FULL else phrasings[::4])
    return list(dict.fromkeys(typed))


# -- who asks, and where ---------------------------------------------------------------------------
# Slack: a slash command is answered privately (in a channel as in a DM); Share posts for the channel.
# Teams: a 1:1 chat is private; a message in a channel is answered in the channel.
ROUTES = {
    "slack member DM": lambda server, q: server.slack_command(q, MEMBER, channel="D0DM"),
    "slack member in a channel": lambda server, q: server.slack_command(q, MEMBER),
    "slack member shares": lambda server, q: server.slack_share(q, MEMBER),
    "slack coordinator shares": lambda server, q: server.slack_share(q, COORD),
    "teams member 1:1": lambda server, q: server.teams_message(q, TEAMS_MEMBER, personal=True),
    "teams member in a channel": lambda server, q: server.teams_message(q, TEAMS_MEMBER, personal=False),
    "teams coordinator in a channel": lambda server, q: server.teams_message(q, TEAMS_COORD, personal=False),
}


def _cases(typed: list[str]) -> list[tuple[str, str]]:
    """Each question by one route in turn (all of them with AGENDA_FULL_SWEEP=1)."""
    routes = list(ROUTES)
    if FULL:
        return [(route, q) for q in typed for route in routes]
    return [(routes[n % len(routes)], q) for n, q in enumerate(typed)]


@pytest.mark.parametrize(("route", "typed"), _cases(questions() + ABOUT))
def test_a_restricted_item_changes_nothing_a_member_or_a_channel_sees(servers, route, typed):
    plain, restricted, keys = servers
    titles = (DEADLINE_TITLE, OVERDUE_TITLE, MEETING_TITLE)
    asked_as = [typed.format(t=t, k=k, n=k.replace("-", " ")) for t, k in zip(titles, keys, strict=True)]
    asked_as = asked_as if "{" in typed else [typed]
    for asked in dict.fromkeys(asked_as):
        without, with_them = seen(ROUTES[route](plain, asked)), seen(ROUTES[route](restricted, asked))
        for secret in (*SECRET_TEXTS, *(k for k in keys if k not in asked), *(t for t in titles if t not in asked)):
            assert secret not in with_them, (route, asked, secret)
        assert with_them == without, (route, asked)


# What their owner and a coordinator see privately: the items are there (so the checks above test something).
SEEN_PRIVATELY = ["{t}", "{k}", "{n}", "show {k}", "history {k}", "upcoming", "overdue", "this month", "documents",
                  "what's the next deadline", "2026 note verbale", "how many commitments are still open",
                  "which meetings are there?", "owner DND", "tampering"]  # fmt: skip


@pytest.mark.parametrize("who", [OWNER, COORD])
def test_their_owner_and_a_coordinator_see_them_privately(servers, who):
    plain, restricted, keys = servers
    for typed in SEEN_PRIVATELY:
        asked = typed.format(t=DEADLINE_TITLE, k=keys[0], n=keys[0].replace("-", " "))
        without, with_them = (seen(s.slack_command(asked, who, channel="D0DM")) for s in (plain, restricted))
        assert with_them != without, (who, asked)


# -- what a private link serves: a calendar feed, the dashboard page and its charts ------------------
_LINK = re.compile(r"https://agenda\.example\.org(/(?:calendar|dashboard)/[^\s\"<>|)`\\]+)")
_STAMPS = re.compile(r"(DTSTAMP|LAST-MODIFIED|CREATED):\d{8}T\d{6}Z?")


def _served(server: Server, command: str, user: str) -> list[str]:
    """Each page the private links a command gives lead to, and what it links to on this server."""
    pages = []
    links = dict.fromkeys(_LINK.findall(json.dumps(server.slack_command(command, user, channel="D0DM"))))
    for path in links:
        response = server.http.get(path)
        assert response.status_code == 200, (command, path)
        body = _STAMPS.sub(r"\1:…", response.text)
        pages.append(seen([{"body": body}]))
        for linked in sorted(set(re.findall(r'(?:src|href)="(/dashboard/[^"]+)"', response.text))):
            pages.append(seen([{"body": _STAMPS.sub(r"\1:…", server.http.get(linked).text)}]))
    return pages


@pytest.mark.parametrize("command", ["calendar", "calendar counter-terrorism", "dashboard"])
def test_a_members_feeds_and_pages_are_as_if_they_were_not_there(servers, command):
    plain, restricted, keys = servers
    without, with_them = _served(plain, command, MEMBER), _served(restricted, command, MEMBER)
    assert with_them, command  # the command gave links, and they were followed
    for page in with_them:
        for secret in (*SECRET_TEXTS, *keys, DEADLINE_TITLE, OVERDUE_TITLE, MEETING_TITLE):
            assert secret not in page, (command, secret)
    assert with_them == without, command
