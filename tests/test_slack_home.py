"""The App Home tab through the real endpoint: published when opened, status
buttons checked and audited, refreshed after changes."""

from __future__ import annotations

import json
import shutil
import time

import httpx
import pytest
from sqlmodel import func, select

from bot.settings import Settings
from models.db import make_engine, session
from models.tables import AuditEntry, Commitment, Origin, Owner, OwnerKind
from scheduling.clock import FixedClock
from tests.conftest import TODAY
from tests.fakes.slack_api import start_fake_slack
from tests.live_server import live_server
from tests.slack_requests import SIGNING_SECRET, block_action_body, signed_headers, slash_command_body


@pytest.fixture
def setup(tmp_path, sqlite_template):
    fake = start_fake_slack()
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with session(engine) as db:
        c = db.exec(select(Commitment).where(Commitment.key == "2005-C1")).one()
        db.add(Owner(commitment_id=c.id, kind=OwnerKind.user, ref="slack:UOWNER", display_name="o", origin=Origin.bot))
        db.commit()
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite:///{path}",
        slack_signing_secret=SIGNING_SECRET,
        slack_bot_token="xoxb-test-token",
        slack_api_url=fake.api_url,
        seed_on_start=False,
        scheduler_enabled=False,
        admins="UADMIN",
    )
    with live_server(settings, clock=FixedClock(TODAY)) as base:
        yield base, fake, engine
    engine.dispose()
    fake.close()


def _publishes(fake, count: int, timeout: float = 10) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        calls = fake.calls("views.publish")
        if len(calls) >= count:
            return [c.body for c in calls]
        time.sleep(0.02)
    raise AssertionError(f"expected {count} views.publish calls, got {len(fake.calls('views.publish'))}")


def _open_home(base: str, user: str) -> None:
    body = json.dumps(
        {
            "token": "unused", "team_id": "T0TEST", "api_app_id": "A0TEST", "type": "event_callback",
            "event_id": f"Ev{user}{time.monotonic_ns()}", "event_time": 1700000000,
            "event": {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home", "event_ts": "1.2"},
        }
    )  # fmt: skip
    headers = signed_headers(body) | {"content-type": "application/json"}
    assert httpx.post(f"{base}/slack/events", content=body, headers=headers, timeout=10).status_code == 200


def _view(call: dict) -> dict:
    view = call["view"]
    return json.loads(view) if isinstance(view, str) else view


def _press(base: str, user: str, view: dict, label: str) -> None:
    button = next(
        e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"] if e["text"]["text"] == label
    )
    body = block_action_body(action_id=button["action_id"], value=button["value"], response_url="", user_id=user)
    assert httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10).status_code == 200


def _audits(engine) -> int:
    with session(engine) as db:
        return db.exec(select(func.count()).select_from(AuditEntry)).one()


def test_opening_home_publishes_what_the_user_owns_with_status_buttons(setup):
    base, fake, engine = setup
    _open_home(base, "UOWNER")
    (call,) = _publishes(fake, 1)
    assert call["user_id"] == "UOWNER"
    view = _view(call)
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    text = json.dumps(view)
    assert "2005-C1" in text and "Your agenda" in text
    assert {"In progress", "Done", "Stalled"} <= {
        e["text"]["text"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]
    }


def test_the_owner_updates_status_from_home_and_the_tab_refreshes(setup):
    base, fake, engine = setup
    _open_home(base, "UOWNER")
    (first,) = _publishes(fake, 1)
    _press(base, "UOWNER", _view(first), "Done")
    second = _publishes(fake, 2)[1]
    assert "2005-C1 is now done." in json.dumps(_view(second))
    with session(engine) as db:
        assert db.exec(select(Commitment.status).where(Commitment.key == "2005-C1")).one() == "done"
    assert _audits(engine) == 1


def test_someone_else_pressing_the_button_is_refused_and_nothing_changes(setup):
    base, fake, engine = setup
    _open_home(base, "UOWNER")
    (first,) = _publishes(fake, 1)
    _press(base, "USTRANGER", _view(first), "Done")  # a forged press by a member who owns nothing
    refusal = _view(_publishes(fake, 2)[1])
    assert "Only coordinators and admins can change the status of 2005-C1" in json.dumps(refusal)
    with session(engine) as db:
        assert db.exec(select(Commitment.status).where(Commitment.key == "2005-C1")).one() == "unknown"
    assert _audits(engine) == 0


def test_a_change_by_slash_command_refreshes_the_users_home(setup):
    base, fake, engine = setup
    body = slash_command_body("status 2005-C1 stalled", response_url=fake.response_url("s"), user_id="UOWNER")
    assert httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10).status_code == 200
    (call,) = _publishes(fake, 1)
    assert call["user_id"] == "UOWNER" and "stalled" in json.dumps(_view(call))


@pytest.mark.parametrize(("user", "allowed"), [("UADMIN", True), ("UOWNER", True), ("USTRANGER", False)])
def test_home_status_button_permission_matrix(setup, user, allowed):
    base, fake, engine = setup
    _open_home(base, "UOWNER")
    (first,) = _publishes(fake, 1)
    _press(base, user, _view(first), "Stalled")
    _publishes(fake, 2)
    with session(engine) as db:
        status = db.exec(select(Commitment.status).where(Commitment.key == "2005-C1")).one()
    assert (status == "stalled") is allowed
    assert _audits(engine) == (1 if allowed else 0)
