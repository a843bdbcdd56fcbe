"""Socket Mode: with SLACK_APP_TOKEN set, `serve` also connects over a WebSocket
and answers slash commands in the envelope acknowledgement."""

from __future__ import annotations

import shutil

import pytest

from scheduling.clock import FixedClock
from tests.conftest import TODAY, settings_for
from tests.fakes.slack_socket import start_fake_socket_slack
from tests.live_server import live_server


@pytest.fixture
def fake():
    fake = start_fake_socket_slack()
    yield fake
    fake.close()


def test_slash_command_over_socket_mode(fake, tmp_path, sqlite_template):
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = settings_for(
        f"sqlite:///{path}",
        slack_bot_token="xoxb-test-token",
        slack_app_token="xapp-test-token",
        slack_api_url=fake.api_url,
    )
    with live_server(settings, clock=FixedClock(TODAY)):
        assert fake.connected.wait(10), "the bot never opened the Socket Mode connection"
        envelope = fake.push(
            "slash_commands",
            {
                "token": "unused",
                "team_id": "T0TEST",
                "channel_id": "C0TEST",
                "user_id": "U0TEST",
                "command": "/agenda",
                "text": "MLAT",
                "api_app_id": "A0TEST",
                "response_url": "http://127.0.0.1:9/unused",
                "trigger_id": "1.2.3",
            },
        )
        ack = fake.wait_for_ack(envelope)
    assert ack["response_type"] == "ephemeral"
    assert "Mutual legal assistance" in ack["text"]
    assert any("2002-A4" in str(block) for block in ack["blocks"])


def test_socket_mode_needs_a_bot_token():
    from bot.web import create_web_app

    with pytest.raises(ValueError, match="SLACK_BOT_TOKEN"):  # refused by the server, which needs both
        create_web_app(settings_for(slack_app_token="xapp-1"))
