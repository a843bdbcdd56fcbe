"""Linking one person's accounts through both real endpoints of one server: a
signed `/agenda link` in Slack gives the code, the same person says it in a
Teams 1:1 chat (Activity JSON at /api/messages), and from then on Teams knows
what Slack assigned to them."""

from __future__ import annotations

import json
import re
import shutil

import httpx
import pytest

from models.db import make_engine, session
from models.tables import Person
from scheduling.clock import FixedClock
from tests.conftest import TODAY
from tests.fakes.slack_api import start_fake_slack
from tests.fakes.teams_connector import start_fake_teams
from tests.live_server import both_platforms, live_server
from tests.slack_requests import signed_headers, slash_command_body
from tests.teams_activities import card_nodes, channel_message, personal_message

CODE = re.compile(r"link (\d{4}-\d{4})")


@pytest.fixture
def server(tmp_path, sqlite_template):
    slack, teams = start_fake_slack(), start_fake_teams()
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with session(engine) as db:  # as Slack's users.info would have given it (the weekly refresh)
        db.add(Person(user_ref="slack:UMARIA", display_name="Maria Sato"))
        db.commit()
    engine.dispose()
    settings = both_platforms(f"sqlite:///{path}", slack.api_url, admins="UADMIN")
    with live_server(settings, clock=FixedClock(TODAY)) as url:
        yield url, slack, teams
    slack.close()
    teams.close()


def slack_says(server, user_id: str, text: str) -> str:
    """The title of the answer (the slash command's private reply)."""
    first = slack_answer(server, user_id, text)["blocks"][0]  # a header, or bold text when it names someone
    return first["text"]["text"] if first["type"] == "header" else first["text"]["text"].strip("*")


def slack_answer(server, user_id: str, text: str) -> dict:
    url, slack, _ = server
    before = len(slack.webhooks("link"))
    body = slash_command_body(text, response_url=slack.response_url("link"), user_id=user_id)
    message = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=10).json()
    if "Looking that up" in message.get("text", ""):
        message = slack.wait_for_webhooks(before + 1, "link")[-1]
    assert message.get("response_type", "ephemeral") == "ephemeral"  # a code is for the asker's eyes only
    return message


def teams_says(server, activity: dict) -> list[str]:
    """Every text in the cards the bot answered with."""
    url, _, teams = server
    teams.clear()
    assert httpx.post(f"{url}/api/messages", json=activity, timeout=10).status_code == 200
    teams.wait_for(1)
    return [node["text"] for card in teams.cards() for node in card_nodes(card) if node.get("type") == "TextBlock"]


def test_a_code_from_a_slack_command_said_in_a_teams_chat_links_the_two(server):
    url, _, teams = server
    assigned = slack_says(server, "UADMIN", "assign 2002-A4 <@UMARIA|maria>")
    assert assigned.startswith("Owners of 2002-A4: <@UMARIA>, ")  # a Slack mention, not <@slack:UMARIA>
    assert teams_says(server, personal_message("mine", teams.url))[0] == "Nothing owned by you"

    asked = json.dumps(slack_answer(server, "UMARIA", "link"))
    code = CODE.search(asked).group(1)
    assert "to the bot in Teams, in a 1:1 chat" in asked

    in_channel = teams_says(server, channel_message("link", teams.url))
    assert in_channel[0] == "Ask me for a link code in a 1:1 chat."
    linked = teams_says(server, personal_message(f"agenda link {code}", teams.url))
    assert linked[0] == "Linked: this Teams account and your Slack account are one person now."

    mine = teams_says(server, personal_message("mine", teams.url))
    assert mine[0] == "Owned by you: 1 commitment" and any(text.startswith("2002-A4 · ") for text in mine)
    assert slack_says(server, "UMARIA", "link reminders teams") == "Your reminders now go to Teams only."
    assert slack_says(server, "UMARIA", "link").startswith("Your Slack account is linked with your Teams account")
    again = teams_says(server, personal_message(f"link {code}", teams.url))
    assert again[0] == "That code is unknown or has expired."


def test_people_are_shown_by_name_where_the_platform_cannot_show_them(server):
    """Slack shows a Teams person by the name Teams gave; a Teams card shows a Slack person by
    the name Slack gave, not as ids."""
    url, _, teams = server
    slack_says(server, "UADMIN", "assign 2002-A4 <@UMARIA|maria>")
    code = CODE.search(json.dumps(slack_answer(server, "UMARIA", "link"))).group(1)
    teams_says(server, personal_message(f"link {code}", teams.url, name="Ada Lovelace"))  # as Teams names her
    shown = slack_says(server, "UADMIN", "link <@UMARIA>")
    assert shown == "Linked: Slack <@UMARIA> and Teams @Ada Lovelace."  # Slack's own mention stays native
    card = json.dumps(teams.cards()) if teams_says(server, personal_message("show 2002-A4", teams.url)) else ""
    assert "@Maria Sato, " in card and "UMARIA" not in card
