"""The Held… form (issue 16, item 3): from the question whether a meeting met, a Slack modal and a Teams
dialog built from one neutral form; saving it records the meeting as `/agenda held` would."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from urllib.parse import urlencode

import httpx
from sqlmodel import select

from models.db import make_engine, session
from models.tables import AuditEntry, Held, Mechanism, Occurrence
from scheduling.clock import FixedClock
from scheduling.meeting_asks import prompt_wording

LATER = datetime(2026, 12, 20, 15, 0, tzinfo=UTC)


def _held(path) -> list[tuple]:
    engine = make_engine(f"sqlite:///{path}")
    with session(engine) as db:
        mechanism = db.exec(select(Mechanism).where(Mechanism.key == "pol-mil-talks")).one()
        rows = db.exec(select(Occurrence).where(Occurrence.mechanism_id == mechanism.id)).all()
        actors = [e.actor_ref for e in db.exec(select(AuditEntry).where(AuditEntry.action == "held"))]
    engine.dispose()
    return [(o.date_edtf, o.place, o.host, o.ordinal, o.held) for o in rows], actors


def test_the_question_offers_a_held_form():
    _title, _hint, buttons = prompt_wording("pol-mil-talks", "2026", "Political-Military Talks")
    assert [(b.label, b.query) for b in buttons][1] == ("Held…", "held form pol-mil-talks 2026")


def _slack_submission(view: dict, values: dict) -> str:
    state = {
        name: {name: {"type": "static_select", "selected_option": {"value": value}}} if name == "host"
        else {name: {"type": "plain_text_input", "value": value}}
        for name, value in values.items()
    }  # fmt: skip
    payload = {
        "type": "view_submission", "team": {"id": "T0TEST"}, "user": {"id": "UADMIN", "team_id": "T0TEST"},
        "api_app_id": "A0TEST", "token": "unused", "trigger_id": "1.2.3",
        "view": {"id": "V0", "type": "modal", "callback_id": "agenda_form", "team_id": "T0TEST",
                 "private_metadata": view["private_metadata"], "state": {"values": state}},
    }  # fmt: skip
    return urlencode({"payload": json.dumps(payload)})


def test_held_from_a_slack_modal_and_a_teams_dialog(tmp_path, sqlite_template):
    from bot.teams.dialogs import MARK
    from tests.fakes.slack_api import start_fake_slack
    from tests.fakes.teams_connector import start_fake_teams
    from tests.live_server import both_platforms, live_server
    from tests.slack_requests import block_action_body, signed_headers
    from tests.teams_activities import card_action, dialog_invoke

    slack, teams = start_fake_slack(), start_fake_teams()
    teams_admin = "aad-admin-0042"
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = both_platforms(f"sqlite:///{path}", slack.api_url, admins=f"UADMIN,teams:{teams_admin}")

    def slack_post(url, body) -> httpx.Response:
        return httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=10)

    def teams_invoke(url, activity) -> dict:
        response = httpx.post(f"{url}/api/messages", json=activity, timeout=10)
        assert response.status_code == 200
        return response.json()

    try:
        with live_server(settings, clock=FixedClock(LATER)) as url:
            # Slack: the Held… button opens a modal with the press's trigger id.
            value = json.dumps({"q": "held form pol-mil-talks 2026", "p": 1})
            press = block_action_body(action_id="agenda_do:1", value=value, response_url=slack.response_url("held"),
                                      user_id="UADMIN")  # fmt: skip
            assert slack_post(url, press).is_success
            [opened] = slack.wait_for_calls("views.open")
            view = json.loads(opened.body["view"]) if isinstance(opened.body["view"], str) else opened.body["view"]
            assert [b["block_id"] for b in view["blocks"]] == ["date", "place", "host", "number"]
            refused = slack_post(url, _slack_submission(view, {"date": "someday", "place": "Tokyo"})).json()
            assert refused["response_action"] == "errors" and "date" in refused["errors"]
            saved = slack_post(url, _slack_submission(view, {"date": "8 Dec 2026", "place": "Tokyo", "host": "JP",
                                                             "number": "13"}))  # fmt: skip
            assert saved.status_code == 200 and not saved.content.strip()
            again = slack_post(url, _slack_submission(view, {"date": "8 Dec 2026"})).json()
            assert "already recorded as held" in again["errors"]["date"]

            # Teams: the same button posts an "Open the form" card; its dialog saves through the same form.
            who = {"user_aad": teams_admin, "name": "Admin"}
            teams_invoke(url, card_action("agenda.do", {"q": "held form mil-mil 2025", "p": 1}, teams.url, **who))
            teams.wait_for(1)
            assert "Open the form" in json.dumps(teams.cards())
            opening = {MARK: {"open": "held form mil-mil 2025"}}
            fetched = teams_invoke(url, dialog_invoke("task/fetch", opening, teams.url, user_aad=teams_admin))
            card = fetched["task"]["value"]["card"]["content"]
            [save] = card["actions"]
            data = save["data"] | {"date": "14 Dec 2025", "place": "Ottawa", "host": "CA"}
            closed = teams_invoke(url, dialog_invoke("task/submit", data, teams.url, user_aad=teams_admin))
            assert closed["task"]["value"].startswith(
                "Recorded: Military-to-Military Talks, Sun 14 Dec 2025 ⚠ weekend in Ottawa, host Canada"
            )
    finally:
        slack.close()
        teams.close()
    rows, actors = _held(path)
    assert ("2026-12-08", "Tokyo", "JP", 13, Held.held) in rows
    assert actors == ["slack:UADMIN", f"teams:{teams_admin}"]
