"""A meeting's time of day through the real endpoints: a signed Slack slash command (the DST case, its
weekend warning and the confirm button's command, a bad time refused) and a Teams channel message in Japanese
and French, on a copy of the seeded SQLite agenda."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime

import httpx
import pytest

from scheduling.clock import FixedClock
from tests.conftest import TODAY, settings_for
from tests.fakes.slack_api import start_fake_slack
from tests.fakes.teams_connector import start_fake_teams
from tests.live_server import live_server
from tests.slack_requests import signed_headers, slash_command_body
from tests.teams_activities import ADA_AAD, card_nodes, channel_message


def _times(path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("select date_edtf, starts_at, timezone from occurrence where origin = 'bot'").fetchall()


@pytest.fixture(scope="module")
def fake_slack():
    fake = start_fake_slack()
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def fake_teams():
    fake = start_fake_teams()
    yield fake
    fake.close()


def test_a_time_is_fixed_through_slack_across_the_dst_change(fake_slack, tmp_path, sqlite_template):
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = settings_for(f"sqlite:///{path}", slack_api_url=fake_slack.api_url, admins="U0TEST",
                            ack_budget_seconds=2.8)  # fmt: skip
    with live_server(settings, clock=FixedClock(TODAY)) as url:

        def say(text: str) -> dict:
            body = slash_command_body(text, response_url=fake_slack.response_url("C0TEST"))
            response = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=10)
            assert response.status_code == 200
            return response.json()

        refused = say("schedule pol-mil 2027-11-08 25:00 Tokyo")["text"]
        assert "“25:00” is not a time of day" in refused, refused
        assert _times(path) == []
        warned = say("schedule pol-mil 2027-11-08 09:00 Tokyo host Japan")
        assert "Sun 7 Nov 2027 19:00 Ottawa · Mon 8 Nov 2027 09:00 Tokyo ⚠ Sunday in Ottawa" in warned["text"], warned
        assert _times(path) == []
        assert "09:00 Asia/Tokyo host Japan confirm" in str(warned["blocks"])  # the button's command keeps the time
        fixed = say("schedule pol-mil 2027-11-08 09:00 Asia/Tokyo host Japan confirm")["text"]
        assert "Fixed the next Political-Military Talks: Sun 7 Nov 2027 19:00 Ottawa" in fixed, fixed
        [(date_edtf, starts_at, zone)] = _times(path)
        assert (date_edtf, zone) == ("2027-11-08", "Asia/Tokyo")
        assert datetime.fromisoformat(starts_at).replace(tzinfo=UTC) == datetime(2027, 11, 8, 0, 0, tzinfo=UTC)
        history = json.dumps(say("history pol-mil"), ensure_ascii=False)
        assert "09:00 Asia/Tokyo (2027-11-08 00:00 UTC)" in history, history


def test_a_time_is_fixed_through_teams_in_japanese_and_refused_in_french(fake_teams, tmp_path, sqlite_template):
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = settings_for(f"sqlite:///{path}", teams_allow_unauthenticated=True, scheduler_enabled=False,
                            admins=f"teams:{ADA_AAD}")  # fmt: skip

    def say(url: str, text: str, locale: str) -> str:
        fake_teams.clear()
        activity = channel_message(f"agenda {text}", fake_teams.url)
        activity["locale"] = locale
        assert httpx.post(f"{url}/api/messages", json=activity, timeout=10).status_code == 200
        fake_teams.wait_for(1)
        [card] = fake_teams.cards()
        return "\n".join(node["text"] for node in card_nodes(card) if node.get("type") == "TextBlock")

    with live_server(settings, clock=FixedClock(TODAY)) as url:
        refused = say(url, "programmer pol-mil 14 octobre 2027 à 9:75 Tokyo", "fr-CA")
        assert "«\u00a09:75\u00a0» n'est pas une heure" in refused, refused
        assert _times(path) == []
        fixed = say(url, "日程設定 pol-mil 2027年10月14日 9時30分 東京 主催 日本", "ja-JP")
        assert "2027年10月13日(水) 20:30 オタワ · 2027年10月14日(木) 9:30 東京" in fixed, fixed
    assert [(d, z) for d, _at, z in _times(path)] == [("2027-10-14", "Asia/Tokyo")]
