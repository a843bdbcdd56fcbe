"""The real Bolt app behind the real HTTP endpoint, under uvicorn on loopback.

Requests are signed as Slack signs them; answers that go through
``response_url`` and Web API calls land on a fake Slack on loopback.
"""

from __future__ import annotations

import json
import shutil
import time

import httpx
import pytest

from bot.settings import Settings
from bot.slack.render import MAX_BLOCKS
from scheduling.clock import FixedClock
from tests.conftest import TODAY, settings_for
from tests.fakes.slack_api import start_fake_slack
from tests.live_server import live_server
from tests.slack_requests import block_action_body, only_markers, send_markers, signed_headers, slash_command_body


@pytest.fixture(scope="module")
def fake_slack():
    fake = start_fake_slack()
    yield fake
    fake.close()


def _settings(database_url: str, fake_slack, **overrides) -> Settings:
    values = {
        "database_url": database_url,
        "slack_api_url": fake_slack.api_url,
        # The most the setting allows: these tests ask for the answer inside the acknowledgement, and a loaded
        # machine (CI beside other work) once took over 2 s for a SQLite write. The slow path has its own test.
        "ack_budget_seconds": 2.8,
    }
    return settings_for(**(values | overrides))


@pytest.fixture(scope="module")
def server(fake_slack, tmp_path_factory, sqlite_template):
    """One server for the read-only tests, on a copy of the seeded SQLite agenda."""
    path = tmp_path_factory.mktemp("live") / "agenda.db"
    shutil.copy(sqlite_template, path)
    with live_server(_settings(f"sqlite:///{path}", fake_slack), clock=FixedClock(TODAY)) as url:
        yield url


def _command(base: str, text: str, response_url: str, **sign) -> httpx.Response:
    body = slash_command_body(text, response_url=response_url)
    return httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body, **sign), timeout=10)


def _action(base: str, action_id: str, value: dict, response_url: str) -> httpx.Response:
    body = block_action_body(action_id=action_id, value=json.dumps(value), response_url=response_url)
    return httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10)


def _mrkdwn_texts(node) -> list[str]:
    if isinstance(node, dict):
        found = [node["text"]] if node.get("type") == "mrkdwn" else []
        return found + [t for v in node.values() for t in _mrkdwn_texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in _mrkdwn_texts(v)]
    return []


def _all_text(message: dict) -> str:
    return json.dumps(message, ensure_ascii=False)


def test_health(server):
    assert httpx.get(f"{server}/healthz").json() == {"status": "ok"}


def test_topic_is_answered_inside_the_acknowledgement(server, fake_slack):
    response = _command(server, "counter-terrorism", fake_slack.response_url("ct"))
    assert response.status_code == 200
    message = response.json()
    assert message["response_type"] == "ephemeral"
    assert message["text"].startswith("Counter-terrorism")  # the plain-text fallback
    blocks = message["blocks"]
    assert len(blocks) <= MAX_BLOCKS
    text = _all_text(message)
    assert "Mutual Legal Assistance" in text  # 2002-A4, the MLAT deadline
    assert "overdue" in text
    assert "2002 Proposals for Collaboration" in text
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert any(b["text"]["text"] == "Share in channel" for b in buttons)
    send_markers(server, fake_slack, "ct")
    assert only_markers(fake_slack.webhooks("ct"))  # the answer needed no response_url
    assert fake_slack.calls("auth.test"), "Bolt checks the bot token against SLACK_API_URL, not slack.com"


def test_the_slow_path_acknowledges_then_answers_through_response_url(fake_slack, tmp_path, sqlite_template):
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = _settings(f"sqlite:///{path}", fake_slack, ack_budget_seconds=0.0)
    with live_server(settings, clock=FixedClock(TODAY)) as base:
        response = _command(base, "nuclear", fake_slack.response_url("slow"))
        assert response.status_code == 200
        assert "Looking that up" in response.json()["text"]
        posted = fake_slack.wait_for_webhooks(1, "slow")[0]
    assert posted["response_type"] == "ephemeral"
    assert posted["text"].startswith("Non-proliferation")  # "nuclear" is one of the area's aliases
    assert posted["blocks"]


def test_forged_signature_is_rejected_and_does_nothing(server, fake_slack):
    # A button press, which always answers through response_url (a command may answer inside its reply).
    forged = block_action_body(action_id="agenda_show:1", value=json.dumps({"q": "counter-terrorism", "p": 1}),
                               response_url=fake_slack.response_url("forged"))  # fmt: skip
    response = httpx.post(f"{server}/slack/events", content=forged, headers=signed_headers(forged, secret="not-it"))
    assert response.status_code == 401
    send_markers(server, fake_slack, "forged")
    assert only_markers(fake_slack.webhooks("forged"))


def test_stale_timestamp_is_rejected(server, fake_slack):
    response = _command(server, "counter-terrorism", fake_slack.response_url("stale"), timestamp=int(time.time()) - 301)
    assert response.status_code == 401


def test_tampered_body_is_rejected(server, fake_slack):
    body = slash_command_body("counter-terrorism", response_url=fake_slack.response_url("x"))
    headers = signed_headers(body)
    response = httpx.post(f"{server}/slack/events", content=body.replace("counter", "kounter"), headers=headers)
    assert response.status_code == 401


@pytest.mark.parametrize("body", ["payload=not-json", "payload=%7B", "payload=%5B1%2C"])
def test_a_signed_body_that_does_not_decode_is_a_400_not_a_500(server, body):
    response = httpx.post(f"{server}/slack/events", content=body, headers=signed_headers(body))
    assert response.status_code == 400
    assert response.json() == {"error": "malformed request body"}


@pytest.mark.parametrize("body", ["payload=not-json", "payload=%7B"])
def test_an_unsigned_body_is_refused_before_it_is_decoded(server, body):
    response = httpx.post(
        f"{server}/slack/events", content=body, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 401


def test_unsigned_request_is_rejected(server):
    response = httpx.post(f"{server}/slack/events", content="command=%2Fagenda&text=ct")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "text",
    [
        "",
        "x" * 10_000,
        "🕊️🇨🇦🇯🇵",
        "counter\x00\x07terrorism\x1b[31m",
        "'; DROP TABLE commitment; --",
        '" OR 1=1 --',
        "NEAR(nuclear weapons) AND * OR",
        "<@U024BE7LH>",
        "owner <@U024BE7LH|maria>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "frobnicate the widgets",
        "show",
        "show 9999-Z9",
        "next forever",
        "assign 2002-A4 <@U024BE7LH>",
        ":tada: :tada:",
    ],
)
def test_bad_input_gets_a_helpful_answer_never_an_error(server, fake_slack, text):
    response = _command(server, text, fake_slack.response_url("bad"))
    assert response.status_code == 200
    message = response.json()
    assert message["text"]
    assert 1 <= len(message["blocks"]) <= MAX_BLOCKS
    assert "Something went wrong" not in message["text"]
    # Slack parses the fallback and mrkdwn texts: user text must arrive escaped there.
    assert "<script>" not in message["text"]
    assert not any("<script>" in t for t in _mrkdwn_texts(message["blocks"]))


def test_share_posts_to_the_channel_and_removes_the_private_copy(server, fake_slack):
    response = _action(server, "agenda_share:100", {"q": "MLAT", "p": 1}, fake_slack.response_url("share"))
    assert response.status_code == 200
    shared, deleted = fake_slack.wait_for_webhooks(2, "share")
    assert shared["response_type"] == "in_channel"
    assert "Shared by <@U0TEST>" in _all_text(shared)
    assert not any(b["type"] == "actions" for b in shared["blocks"])  # no buttons for everyone to press
    assert deleted["delete_original"] is True


def test_more_replaces_the_message_with_the_next_page(server, fake_slack):
    first = _command(server, "peacekeeping", fake_slack.response_url("more0")).json()
    more = [
        e
        for b in first["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("agenda_more")
    ]
    assert more, "peacekeeping spans more than one page"
    response = _action(server, more[0]["action_id"], json.loads(more[0]["value"]), fake_slack.response_url("more"))
    assert response.status_code == 200
    page_two = fake_slack.wait_for_webhooks(1, "more")[0]
    assert page_two["replace_original"] is True
    assert "Page 2 of" in _all_text(page_two)
    first_ids = {
        b["text"]["text"].split("*")[1] for b in first["blocks"] if b["type"] == "section" and b.get("accessory")
    }
    second_ids = {
        b["text"]["text"].split("*")[1] for b in page_two["blocks"] if b["type"] == "section" and b.get("accessory")
    }
    assert first_ids and second_ids and not first_ids & second_ids


def test_full_text_button_shows_one_commitment(server, fake_slack):
    response = _action(server, "agenda_show:3", {"q": "show 2002-A4", "p": 1}, fake_slack.response_url("show"))
    assert response.status_code == 200
    shown = fake_slack.wait_for_webhooks(1, "show")[0]
    assert shown["replace_original"] is False
    assert "by the end of 2003" in _all_text(shown)


def test_a_button_with_a_junk_value_answers_with_help(server, fake_slack):
    body = block_action_body(action_id="agenda_more:1", value="{not json", response_url=fake_slack.response_url("junk"))
    response = httpx.post(f"{server}/slack/events", content=body, headers=signed_headers(body))
    assert response.status_code == 200
    assert "agenda-bot" in fake_slack.wait_for_webhooks(1, "junk")[0]["text"]


def test_without_a_signing_secret_the_endpoint_refuses(fake_slack, tmp_path, sqlite_template):
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = settings_for(f"sqlite:///{path}")
    with live_server(settings) as base:
        body = slash_command_body("ct", response_url=fake_slack.response_url("none"))
        response = httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body))
    assert response.status_code == 503
    assert "SLACK_SIGNING_SECRET" in response.json()["error"]


def test_without_a_bot_token_slash_commands_still_work(fake_slack, tmp_path, sqlite_template):
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = _settings(f"sqlite:///{path}", fake_slack, slack_bot_token=None)
    with live_server(settings, clock=FixedClock(TODAY)) as base:
        response = _command(base, "DPRK", fake_slack.response_url("tokenless"))
    assert response.status_code == 200
    assert "North Korea" in response.json()["text"]


def test_digest_subscribe_is_taken_in_a_slack_channel_and_refused_in_a_dm(fake_slack, tmp_path, sqlite_template):
    """Slack tells the conversation apart by its id (C…, G…: channels; D…: a DM); the handler only
    hears "in a channel" from the front end, as it does from Teams."""
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    with live_server(_settings(f"sqlite:///{path}", fake_slack, admins="U0TEST"), clock=FixedClock(TODAY)) as url:
        for channel, expected in (("D0DM", "Run this in the channel"), ("C0LEADS", "This channel gets the digest")):
            body = slash_command_body("digest subscribe", response_url=fake_slack.response_url(channel),
                                      channel_id=channel)  # fmt: skip
            response = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=10)
            assert response.json()["text"].startswith(expected), response.json()["text"]


def test_a_digest_naming_another_channel_is_refused_through_the_endpoint(fake_slack, tmp_path, sqlite_template):
    """Slack hands the command's channel over (its id and its name): a digest naming another channel, as `#name` or
    as Slack's `<#C…|name>`, is refused and writes no subscription, in English and in French; naming the channel
    the command is typed in, by its name, subscribes it."""
    import sqlite3

    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)

    def subscriptions() -> list[tuple]:
        with sqlite3.connect(path) as db:
            return db.execute("select channel_ref, timezone from digest_subscription").fetchall()

    with live_server(_settings(f"sqlite:///{path}", fake_slack, admins="U0TEST"), clock=FixedClock(TODAY)) as url:

        def say(text: str) -> str:  # typed in #peace-security (C0LEADS): slash_command_body's channel
            body = slash_command_body(text, response_url=fake_slack.response_url("C0LEADS"), channel_id="C0LEADS")
            response = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=10)
            return response.json()["text"]

        refused = say("digest subscribe CT #general")
        assert "#general" in refused and "changed nothing" in refused, refused
        assert subscriptions() == []
        assert "français" in say("langue français")
        refused = say("résumé abonner CT <#C0OTHER|général> lundi 9h30 Tokio")
        assert "#général" in refused and "rien changé" in refused, refused
        assert subscriptions() == []
        taken = say("résumé abonner CT #peace-security lundi 9h30 Tokio")
        assert "heure de Tokyo" in taken and "changé" not in taken, taken
        assert subscriptions() == [("slack:C0LEADS", "Asia/Tokyo")]
