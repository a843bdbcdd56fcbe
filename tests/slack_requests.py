"""Requests signed exactly as Slack signs them (slack_sdk's SignatureVerifier)."""

from __future__ import annotations

import json
import secrets
import time
from urllib.parse import urlencode

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


def block_action_body(*, action_id: str, value: str, response_url: str, user_id: str = "U0TEST") -> str:
    payload = {
        "type": "block_actions",
        "team": {"id": "T0TEST", "domain": "agenda-test"},
        "user": {"id": user_id, "username": "tester", "name": "tester", "team_id": "T0TEST"},
        "api_app_id": "A0TEST",
        "token": "legacy-verification-token-unused",
        "container": {
            "type": "message",
            "message_ts": "1700000000.000100",
            "channel_id": "C0TEST",
            "is_ephemeral": True,
        },
        "trigger_id": trigger_id(),
        "channel": {"id": "C0TEST", "name": "peace-security"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b1",
                "text": {"type": "plain_text", "text": "button", "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": "1700000001.000200",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})
