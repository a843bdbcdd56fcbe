"""Plan, its fix buttons, the day-off warning and slot, through signed requests to the real endpoint."""

from __future__ import annotations

import json
import shutil

import httpx
import pytest
from sqlmodel import select

from models.db import make_engine, session
from models.tables import AuditEntry, Occurrence
from scheduling.clock import FixedClock
from tests.conftest import TODAY, settings_for
from tests.fakes.slack_api import start_fake_slack
from tests.live_server import live_server
from tests.slack_requests import block_action_body, only_markers, send_markers, signed_headers, slash_command_body


@pytest.fixture
def fake_slack():
    fake = start_fake_slack()
    yield fake
    fake.close()


@pytest.fixture
def server(fake_slack, tmp_path, sqlite_template):
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = settings_for(
        f"sqlite:///{path}",
        slack_api_url=fake_slack.api_url,
        scheduler_enabled=False,
        admins="UADMIN",
    )
    engine = make_engine(f"sqlite:///{path}")
    with live_server(settings, clock=FixedClock(TODAY)) as base:
        yield base, engine
    engine.dispose()


def command(base: str, text: str, url: str, user: str) -> dict:
    body = slash_command_body(text, response_url=url, user_id=user)
    response = httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10)
    assert response.status_code == 200
    return response.json()


def press(base: str, fake_slack, button: dict, name: str, user: str) -> dict:
    url = fake_slack.response_url(name)
    body = block_action_body(action_id=button["action_id"], value=button["value"], response_url=url, user_id=user)
    assert httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10).status_code == 200
    return fake_slack.wait_for_webhooks(1, name)[0]


def buttons(message: dict) -> list[dict]:
    return [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def audit(engine) -> list[AuditEntry]:
    with session(engine) as db:
        return list(db.exec(select(AuditEntry)).all())


def test_plan_then_pressing_a_fix_button_schedules_it_for_an_admin_only(server, fake_slack):
    base, engine = server
    message = command(base, "plan symposium", fake_slack.response_url("plan"), "UADMIN")
    assert message["text"].startswith("3 dates for the Canada-Japan Peace and Security Symposium, autumn 2027")
    assert "In September, the usual month" in json.dumps(message, ensure_ascii=False)
    fix = [b for b in buttons(message) if b["action_id"].startswith("agenda_do:")]
    assert [b["text"]["text"] for b in fix] == ["Fix Wed 8 Sep 2027", "Fix Wed 15 Sep 2027", "Fix Wed 22 Sep 2027"]

    refused = press(base, fake_slack, fix[1], "fix-member", "UMEMBER")  # a forwarded button is still checked
    assert refused["text"].startswith("Only coordinators and admins can fix meeting dates")
    assert audit(engine) == []

    done = press(base, fake_slack, fix[1], "fix-admin", "UADMIN")
    assert done["text"].startswith("Fixed the next Canada-Japan Peace and Security Symposium: Wed 15 Sep 2027")
    [entry] = audit(engine)
    assert (entry.actor_ref, entry.action, entry.after["date"]) == ("slack:UADMIN", "schedule", "2027-09-15")


def test_schedule_on_a_holiday_warns_and_the_button_confirms(server, fake_slack):
    base, engine = server
    warning = command(base, "schedule symposium 1 Jul 2027 host Canada", fake_slack.response_url("warn"), "UADMIN")
    assert warning["text"].startswith("Thu 1 Jul 2027 is Canada Day (Canada).")
    with session(engine) as db:
        assert db.exec(select(Occurrence).where(Occurrence.origin == "bot")).all() == []
    [anyway] = [b for b in buttons(warning) if b["text"]["text"] == "Fix it anyway"]
    done = press(base, fake_slack, anyway, "confirm", "UADMIN")
    assert "Thu 1 Jul 2027 ⚠ Canada Day (Canada)" in done["text"]
    assert audit(engine)[0].after["confirmed_day_off"] == "Canada Day (Canada)"


def test_slot_answers_in_both_capitals_inside_the_acknowledgement(server, fake_slack):
    base, _engine = server
    message = command(base, "slot 16 Mar 2027 60m", fake_slack.response_url("slot"), "UMEMBER")
    text = json.dumps(message, ensure_ascii=False)
    assert message["text"].startswith("1 h calls on Tue 16 Mar 2027 (Ottawa's date)")
    assert "Tue 16 Mar 18:15–19:15 Ottawa · Wed 17 Mar 07:15–08:15 Tokyo" in text
    assert "Ottawa stays 1 h 45 late; Tokyo starts 1 h 45 early" in text
    send_markers(base, fake_slack, "slot")
    assert only_markers(fake_slack.webhooks("slot"))  # the answer needed no response_url
