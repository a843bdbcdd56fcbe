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
