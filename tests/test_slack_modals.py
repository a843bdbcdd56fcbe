"""Add and edit as Slack modals, through the real endpoint: views.open with a
valid modal, field errors back into the modal, saves, refusals."""

from __future__ import annotations

import json
import shutil
from contextlib import contextmanager
from urllib.parse import urlencode

import httpx
import pytest
from sqlmodel import select

from models.db import make_engine, session
from models.revision import agenda_changed
from models.tables import AuditEntry, Commitment
from scheduling.clock import FixedClock
from tests.conftest import TODAY, settings_for
from tests.fakes.slack_api import start_fake_slack
from tests.live_server import live_server
from tests.slack_requests import signed_headers, slash_command_body, trigger_id


@contextmanager
def _running(tmp_path, sqlite_template, **overrides):
    fake = start_fake_slack()
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = settings_for(f"sqlite:///{path}", slack_api_url=fake.api_url,
        scheduler_enabled=False, admins="UADMIN", **overrides,
    )  # fmt: skip
    with live_server(settings, clock=FixedClock(TODAY)) as base:
        yield base, fake, make_engine(f"sqlite:///{path}")
    fake.close()


@pytest.fixture
def server(tmp_path, sqlite_template):
    with _running(tmp_path, sqlite_template) as running:
        yield running


def _post(base, body):
    return httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10)


def _opened(fake, count=1, timeout=10):
    calls = fake.wait_for_calls("views.open", count, timeout)
    return [json.loads(c.body["view"]) if isinstance(c.body["view"], str) else c.body["view"] for c in calls]


def _submission(view: dict, user: str, values: dict) -> str:
    state = {}
    for name, value in values.items():
        if name in {"area", "kind", "sensitivity", "cadence"}:
            state[name] = {name: {"type": "static_select", "selected_option": {"value": value} if value else None}}
        elif name == "departments":
            state[name] = {name: {"type": "multi_static_select", "selected_options": [{"value": v} for v in value]}}
        elif name == "people":
            state[name] = {name: {"type": "multi_users_select", "selected_users": list(value)}}
        else:
            state[name] = {name: {"type": "plain_text_input", "value": value}}
    payload = {
        "type": "view_submission", "team": {"id": "T0TEST"}, "user": {"id": user, "team_id": "T0TEST"},
        "api_app_id": "A0TEST", "token": "unused", "trigger_id": trigger_id(),
        "view": {"id": "V0", "type": "modal", "callback_id": "agenda_form", "team_id": "T0TEST",
                 "private_metadata": view["private_metadata"], "state": {"values": state}},
    }  # fmt: skip
    return urlencode({"payload": json.dumps(payload)})


GOOD = {
    "title": "Joint cyber security dialogue", "text": "Both Governments will hold an annual cyber dialogue.",
    "area": "dialogue", "kind": "ongoing_cooperation", "due": "", "cadence": "none", "people": ["UMARIA"],
    "departments": ["global-affairs-canada"], "source": "2026 joint statement", "sensitivity": "public",
}  # fmt: skip


def test_add_opens_a_valid_modal_and_a_good_submission_saves(server):
    base, fake, engine = server
    response = _post(base, slash_command_body("add", response_url=fake.response_url("add"), user_id="UADMIN"))
    assert response.json()["text"] == "Opening the form…"
    (view,) = _opened(fake)
    assert view["type"] == "modal" and view["callback_id"] == "agenda_form" and len(view["title"]["text"]) <= 24
    assert [b["block_id"] for b in view["blocks"]][:3] == ["title", "text", "area"]
    bad = _post(base, _submission(view, "UADMIN", GOOD | {"title": "", "area": None}))
    assert bad.status_code == 200
    assert bad.json() == {"response_action": "errors", "errors": {"title": "Required.", "area": "Choose an area."}}
    good = _post(base, _submission(view, "UADMIN", GOOD))
    assert good.status_code == 200 and not good.content  # the modal closes
    with session(engine) as db:
        added = db.exec(select(Commitment).where(Commitment.key == "2026-N1")).one()
    assert added.title == "Joint cyber security dialogue"


def test_a_submission_with_state_of_the_wrong_shape_is_answered_as_missing_values(server):
    """Signed, so Slack's, but not well formed: each bad entry reads as a missing value."""
    base, fake, engine = server
    _post(base, slash_command_body("add", response_url=fake.response_url("add"), user_id="UADMIN"))
    (view,) = _opened(fake)
    body = json.loads(dict(httpx.QueryParams(_submission(view, "UADMIN", GOOD)))["payload"])
    values = body["view"]["state"]["values"]
    values["title"] = "a string, not an object"
    values["area"] = {"area": {"type": "static_select", "selected_option": ["not", "an", "object"]}}
    values["text"] = {"text": {"type": "plain_text_input", "value": {"nested": True}}}
    values["departments"] = {"departments": {"type": "multi_static_select", "selected_options": [5, {"value": 6}]}}
    values["people"] = {"people": {"type": "multi_users_select", "selected_users": "UMARIA"}}
    answer = _post(base, urlencode({"payload": json.dumps(body)}))
    assert answer.status_code == 200
    errors = answer.json()["errors"]
    assert {"title", "text", "area"} <= set(errors) and "could not be saved" not in json.dumps(errors)
    with session(engine) as db:
        assert db.exec(select(Commitment).where(Commitment.key == "2026-N1")).first() is None


def test_members_get_no_modal_and_a_forged_submission_saves_nothing(server):
    base, fake, engine = server
    refused = _post(base, slash_command_body("edit 2002-A4", response_url=fake.response_url("e"), user_id="UMEMBER"))
    assert refused.json()["text"].startswith("Only coordinators and admins can edit commitments")
    assert fake.calls("views.open") == []
    _post(base, slash_command_body("add", response_url=fake.response_url("a"), user_id="UADMIN"))
    (view,) = _opened(fake)
    assert _post(base, _submission(view, "UMEMBER", GOOD)).status_code == 200
    with session(engine) as db:
        assert db.exec(select(Commitment).where(Commitment.key == "2026-N1")).first() is None


@pytest.mark.parametrize(("user", "saved"), [("UADMIN", True), ("UCOORD", True), ("UMEMBER", False)])
def test_view_submission_permission_matrix(server, user, saved):
    from datetime import UTC, datetime

    from models.tables import Member, Role

    base, fake, engine = server
    with session(engine) as db:
        agenda_changed(db)  # as every writer of agenda rows must
        db.add(Member(user_ref="slack:UCOORD", role=Role.coordinator, granted_by="t", granted_at=datetime.now(UTC)))
        db.commit()
    _post(base, slash_command_body("edit 2005-C1", response_url=fake.response_url("e"), user_id="UADMIN"))
    (view,) = _opened(fake)
    values = GOOD | {"title": f"Edited by {user}"}
    assert _post(base, _submission(view, user, values)).status_code == 200
    with session(engine) as db:
        title = db.exec(select(Commitment.title).where(Commitment.key == "2005-C1")).one()
    assert (title == f"Edited by {user}") is saved


def _calls(fake, method, count=1, timeout=10) -> list[dict]:
    """The bodies of the first `count` calls of a Web API method (some come after the acknowledgement)."""
    return [c.body for c in fake.wait_for_calls(method, count, timeout)]


def test_an_edit_modal_is_prefilled_and_within_slacks_limits(server):
    base, fake, _engine = server
    _post(base, slash_command_body("edit 2002-A4", response_url=fake.response_url("e"), user_id="UADMIN"))
    (view,) = _opened(fake)
    assert len(view["title"]["text"]) <= 24 and len(view["private_metadata"]) <= 3000 and len(view["blocks"]) <= 100
    assert json.loads(view["private_metadata"])["key"] == "2002-A4"
    elements = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert "Mutual Legal Assistance" in elements["text"]["initial_value"]
    assert len(elements["title"]["initial_value"]) <= elements["title"]["max_length"]
    assert elements["kind"]["initial_option"]["value"] == "deadline"


def test_a_slow_answer_still_opens_the_modal(tmp_path, sqlite_template):
    with _running(tmp_path, sqlite_template, ack_budget_seconds=0.0) as (base, fake, _engine):
        response = _post(base, slash_command_body("add", response_url=fake.response_url("slow"), user_id="UADMIN"))
        assert "Looking that up" in response.json()["text"]
        (view,) = _opened(fake)
        assert view["callback_id"] == "agenda_form"
        assert fake.webhooks("slow") == []  # no "form is open" message without a form


def test_when_slack_refuses_the_modal_the_person_is_told(server):
    base, fake, _engine = server
    fake.failing["views.open"] = "expired_trigger_id"
    _post(base, slash_command_body("add", response_url=fake.response_url("refused"), user_id="UADMIN"))
    (told,) = fake.wait_for_webhooks(1, "refused")
    assert "could not open the form" in told["text"] and "expired_trigger_id" in told["text"]


def test_the_saved_change_is_confirmed_in_the_channel_or_else_by_direct_message(server):
    base, fake, engine = server
    _post(base, slash_command_body("add", response_url=fake.response_url("add"), user_id="UADMIN"))
    (view,) = _opened(fake)
    _post(base, _submission(view, "UADMIN", GOOD))
    (ephemeral,) = _calls(fake, "chat.postEphemeral")
    assert (ephemeral["channel"], ephemeral["user"]) == ("C0TEST", "UADMIN")
    assert ephemeral["text"].startswith("Added 2026-N1: Joint cyber security dialogue")
    with session(engine) as db:
        entry = db.exec(select(AuditEntry).where(AuditEntry.target_key == "2026-N1")).one()
    assert (entry.action, entry.actor_ref, entry.origin) == ("add", "slack:UADMIN", "slack:C0TEST")
    # A channel that does not take it (the bot is not in it): the confirmation comes by direct message.
    fake.failing["chat.postEphemeral"] = "channel_not_found"
    _post(base, _submission(view, "UADMIN", GOOD | {"title": "Joint space security dialogue"}))
    assert _calls(fake, "conversations.open")[0]["users"] == "UADMIN"
    (direct,) = _calls(fake, "chat.postMessage")
    assert direct["channel"] == "DADMIN" and direct["text"].startswith("Added 2026-N2")
