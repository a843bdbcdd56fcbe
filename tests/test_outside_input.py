"""Every change command, typed by a plain member from outside (a signed Slack slash command, a Teams
1:1 message), in English, French and Japanese: refused, and nothing written, neither in the agenda nor
in the audit trail. The whole database is compared before and after, table by table, leaving out only
what any request may note (who spoke, from which conversation, which request ids were seen).

Commands a member runs for themselves (their language, calendar and dashboard links, their own reminder
lead times, linking their accounts, a digest preview) are not changes to the agenda and are left out.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import time

import httpx
import pytest

from handlers.commands import registry
from scheduling.clock import FixedClock
from tests.conftest import TODAY
from tests.fakes.slack_api import start_fake_slack
from tests.fakes.teams_connector import start_fake_teams
from tests.live_server import both_platforms, live_server
from tests.slack_requests import signed_headers, slash_command_body
from tests.teams_activities import personal_message

MEMBER, TEAMS_MEMBER = "UMEMBER", "aad-member-0099"
SELF_SERVICE = {"calendar", "link", "language", "dashboard", "ack", "open", "snooze"}
FOR_ONESELF = re.compile(r"^(remind|rappel|リマインド) (me|moi|自分)\b|^digest preview")
NOTED_BY_ANY_REQUEST = {"seen_request", "person", "teams_conversation"}


def _in_other_languages(example: str, spec: registry.CommandSpec) -> list[str]:
    """The example, and the example with its first word in French and in Japanese."""
    first, _, rest = example.partition(" ")
    found = [example]
    for language in ("fr", "ja"):
        local = spec.local.get(first, {}).get(language)
        if local:
            word = local if isinstance(local, str) else local[0]
            found.append(f"{word} {rest}".strip())
    return found


def changes() -> list[str]:
    typed = []
    for spec in registry.table():
        if spec.access != registry.Access.change or spec.name in SELF_SERVICE:
            continue
        typed += [t for e in spec.examples for t in _in_other_languages(e, spec) if not FOR_ONESELF.match(t)]
    return list(dict.fromkeys(typed))


@pytest.fixture(scope="module")
def served(tmp_path_factory, sqlite_template):
    slack, teams = start_fake_slack(), start_fake_teams()
    path = tmp_path_factory.mktemp("outside-writes") / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = both_platforms(f"sqlite:///{path}", slack.api_url, admins="slack:UADMIN")
    with live_server(settings, clock=FixedClock(TODAY)) as url:
        yield url, slack, teams, path
    slack.close()
    teams.close()


def snapshot(path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in tables  # noqa: S608 (our names)
                if t not in NOTED_BY_ANY_REQUEST}  # fmt: skip


def _said(payload) -> str:
    return str(payload)


@pytest.mark.parametrize("typed", changes())
def test_a_members_change_is_refused_and_nothing_is_written(served, typed):
    url, slack, teams, path = served
    before = snapshot(path)
    # Slack: mentions as Slack sends them (<@U…>); Teams: as a 1:1 message.
    slack_text = re.sub(r"<@slack:(\w+)>", r"<@\1>", typed)
    body = slash_command_body(slack_text, response_url=slack.response_url("writes"), user_id=MEMBER, channel_id="D0DM")
    response = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=30)
    assert response.status_code == 200, response.text
    slack_said = response.json()
    teams.clear()
    activity = personal_message(re.sub(r"<@slack:(\w+)>", "Maria", typed), teams.url, user_aad=TEAMS_MEMBER)
    assert httpx.post(f"{url}/api/messages", json=activity, timeout=30).status_code == 200
    teams_said = teams.wait_for(1)
    after = snapshot(path)
    changed = {t for t in before if before[t] != after.get(t)}
    assert not changed, (typed, changed, _said(slack_said)[:300], _said(teams_said)[:300])


# -- hostile words, echoed ------------------------------------------------------------------------
# What people type comes back in answers ("Nothing found for “…”"). Echoed, it must ping nobody
# (Slack parses "@here" in mrkdwn) and link nowhere it does not show (Teams' card markdown links "[a](b)").
ECHOED = [
    "<!channel> counter-terrorism", "<!here>", "@here MLAT", "show 2002-A4 <!everyone>", "counter-terrorism @channel",
    "what did we agree on @here", "who owns <!subteam^S123|@team>", "[Reset your password](https://evil.example/x)",
    "who owns [the MLAT](https://evil.example)", "*bold* _it_ ~s~ `code` <https://evil.example|click> MLAT",
]  # fmt: skip
PING = re.compile(r"<!|(?<!<)@(here|channel|everyone)\b", re.IGNORECASE)


def _share(url: str, slack, typed: str, name: str) -> list[dict]:
    import json

    from tests.slack_requests import block_action_body

    body = block_action_body(action_id="agenda_share:100", value=json.dumps({"q": typed, "p": 1}),
                             response_url=slack.response_url(name), user_id=MEMBER)  # fmt: skip
    assert httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=30).status_code == 200
    return slack.wait_for_webhooks(1, name, timeout=30)


@pytest.mark.parametrize("typed", ECHOED)
def test_echoed_words_ping_nobody_and_link_nowhere(served, typed):
    import json

    from tests.teams_activities import channel_message

    url, slack, teams, _ = served
    body = slash_command_body(typed, response_url=slack.response_url("echo"), user_id=MEMBER)
    response = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=30)
    assert response.status_code == 200
    shared = _share(url, slack, typed, f"echo-{ECHOED.index(typed)}")
    for payload in [response.json(), *shared]:
        said = json.dumps(payload, ensure_ascii=False)
        assert not PING.search(said), (typed, PING.search(said)[0], said[:400])
    teams.clear()
    activity = channel_message(re.sub(r"<[^>]*>", "", typed) or typed, teams.url, user_aad=TEAMS_MEMBER)
    assert httpx.post(f"{url}/api/messages", json=activity, timeout=30).status_code == 200
    cards = json.dumps(teams.wait_for(1), ensure_ascii=False)
    assert "](" not in cards, (typed, cards[:400])


# -- hostile words, looked up ---------------------------------------------------------------------
# (text, what the answer's title starts with): nothing crashes, a wildcard matches nothing, full-width
# digits and dashes are the id, marks and joiners that show nothing are ignored.
LOOKED_UP = [
    ("２００２－Ａ４", "2002-A4:"), ("show ２００２－Ａ４", "2002-A4:"), ("2002 a4", "2002-A4:"),
    ("%", "Nothing found"), ("_", "Nothing found"), ("show 2002-A%", "No commitment with the id"),
    ("owner %", "No person or department"),
    ("meeting _", "I don't know a meeting"), ("history %", "No commitment with the id"),
    ("'; DROP TABLE commitment; --", "Nothing found"), ("ML\u200dAT", "Mutual legal assistance"),
    ("\u202eMLAT\u202c", "MLAT"), ("MLAT\x07\x1b", "MLAT"), ("🤝 MLAT 🇨🇦", "MLAT"), ("\u3000MLAT\u3000", "MLAT"),
    ("MLAT " * 2000, "characters; I look up"), ("\u200b", "agenda-bot"), ("status ２００２－Ａ４ done", "Only"),
]  # fmt: skip


@pytest.mark.parametrize(("typed", "title"), LOOKED_UP, ids=[str(n) for n in range(len(LOOKED_UP))])
def test_hostile_words_get_a_clear_answer_on_both_platforms(served, typed, title):
    import json

    url, slack, teams, _ = served
    body = slash_command_body(typed, response_url=slack.response_url("looked-up"), user_id=MEMBER)
    response = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=30)
    assert response.status_code == 200
    said = response.json()
    assert said["text"].startswith(title) or title in json.dumps(said["blocks"], ensure_ascii=False)[:400], said
    teams.clear()
    activity = personal_message(typed, teams.url, user_aad=TEAMS_MEMBER)
    assert httpx.post(f"{url}/api/messages", json=activity, timeout=30).status_code == 200
    card = teams.wait_for(1)[0]["attachments"][0]["content"]
    assert title in json.dumps(card, ensure_ascii=False)[:600], card


def test_a_retried_event_is_answered_without_an_error(served):
    """Slack retries an event it got no 200 for, signed anew, with X-Slack-Retry-Num."""
    import json

    url, slack, _, _ = served
    event = {"token": "x", "team_id": "T0TEST", "api_app_id": "A0TEST", "type": "event_callback", "event_id": "Ev1",
             "event": {"type": "app_home_opened", "user": MEMBER, "channel": "D0DM", "tab": "home"}}  # fmt: skip
    body = json.dumps(event)
    for retry in (
        "",
        "1",
        "2",
    ):  # a minute apart, as Slack retries (the same body signed twice in a second is a replay)
        headers = signed_headers(body, timestamp=int(time.time()) - 120 + 60 * int(retry or 0))
        headers |= {"content-type": "application/json"}
        if retry:
            headers |= {"x-slack-retry-num": retry, "x-slack-retry-reason": "http_timeout"}
        assert httpx.post(f"{url}/slack/events", content=body, headers=headers, timeout=30).status_code == 200


@pytest.mark.parametrize(
    "command", ["status 2005-C1 in progress", "statut 2005-C1 en cours", "ステータス 2005-C1 進行中"]
)
def test_a_command_with_a_note_too_long_says_so_and_changes_nothing(served, command):
    """A coordinator pasting a long note was told "I look up a topic of a few words"."""
    url, slack, _, path = served
    before = snapshot(path)
    body = slash_command_body(f"{command} {'minutes of the talks ' * 60}", response_url=slack.response_url("long"),
                              user_id="UADMIN")  # fmt: skip
    response = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=30)
    assert response.json()["text"].startswith("That is 12"), response.json()["text"]
    assert "a command takes at most 1000" in response.json()["text"], response.json()["text"]
    assert snapshot(path) == before
