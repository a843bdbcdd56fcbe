"""Requests signed exactly as Slack signs them (slack_sdk's SignatureVerifier)."""

from __future__ import annotations

import json
import secrets
import time
from urllib.parse import urlencode

import httpx
from slack_sdk.signature import SignatureVerifier

SIGNING_SECRET = "test-signing-secret-8f2c1d"


def signed_headers(body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": ts,
        "x-slack-signature": signature,
    }


def trigger_id() -> str:
    """Slack gives every command and action a trigger id of its own, so no two bodies are alike
    (and a second request with the same body and second is a replay: bot/slack/gate.py)."""
    return f"13345224609.738474920.{secrets.token_hex(16)}"


def slash_command_body(text: str, *, response_url: str, user_id: str = "U0TEST", channel_id: str = "C0TEST") -> str:
    return urlencode(
        {
            "token": "legacy-verification-token-unused",
            "team_id": "T0TEST",
            "team_domain": "agenda-test",
            "channel_id": channel_id,
            "channel_name": "peace-security",
            "user_id": user_id,
            "user_name": "tester",
            "command": "/agenda",
            "text": text,
            "api_app_id": "A0TEST",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id(),
        }
    )


def block_actions_body(action: dict, *, user_id: str = "U0TEST", **where) -> str:
    """One ``action`` in a block_actions payload, form-encoded as Slack sends it; ``where`` says where it was
    taken (``container`` and ``channel`` and ``response_url`` for a message, ``container`` and ``view`` for a view)."""
    payload = {
        "type": "block_actions",
        "team": {"id": "T0TEST", "domain": "agenda-test"},
        "user": {"id": user_id, "username": "tester", "name": "tester", "team_id": "T0TEST"},
        "api_app_id": "A0TEST",
        "token": "legacy-verification-token-unused",
        "trigger_id": trigger_id(),
        **where,
        "actions": [action],
    }
    return urlencode({"payload": json.dumps(payload)})


def block_action_body(*, action_id: str, value: str, response_url: str, user_id: str = "U0TEST") -> str:
    """A button pressed in an ephemeral message in the channel."""
    return block_actions_body(
        {
            "action_id": action_id,
            "block_id": "b1",
            "text": {"type": "plain_text", "text": "button", "emoji": True},
            "value": value,
            "type": "button",
            "action_ts": "1700000001.000200",
        },
        user_id=user_id,
        container={
            "type": "message",
            "message_ts": "1700000000.000100",
            "channel_id": "C0TEST",
            "is_ephemeral": True,
        },
        channel={"id": "C0TEST", "name": "peace-security"},
        response_url=response_url,
    )


# -- waiting for what must happen before saying something did not ---------------------------

MARKERS = 2


def send_markers(base: str, fake_slack, name: str) -> None:
    """Press a signed Full text button (it answers through response_url) twice, in turn, to the
    response_url ``name``, waiting for each answer. When the second has come, anything the request
    before them set off (as much work, begun earlier) has had twice the time it needs to arrive,
    however slow the machine: what has not arrived by then is not coming."""
    before = len(fake_slack.webhooks(name))
    for n in range(1, MARKERS + 1):
        body = block_action_body(action_id="agenda_show:1", value=json.dumps({"q": "show 2002-A4", "p": 1}),
                                 response_url=fake_slack.response_url(name))  # fmt: skip
        response = httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10)
        assert response.status_code == 200
        fake_slack.wait_for_webhooks(before + n, name)


def only_markers(posted: list[dict]) -> bool:
    """The response_url posts are the markers' answers and nothing else (2002-A4's text)."""
    return len(posted) == MARKERS and all("by the end of 2003" in json.dumps(p, ensure_ascii=False) for p in posted)
