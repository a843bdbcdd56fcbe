"""The App Home tab through the real endpoint: published when opened, its status
menus checked in the handler and audited, refreshed after every change."""

from __future__ import annotations

import json
import shutil
import time
from datetime import UTC, datetime
from urllib.parse import urlencode

import httpx
import pytest
from sqlmodel import select

from bot.slack.home import DASHBOARD_ACTION, STATUS_ACTION
from models.db import make_engine, session
from models.revision import agenda_changed
from models.tables import AuditEntry, Commitment, Member, Origin, Owner, OwnerKind, Person, Role
from scheduling.clock import FixedClock
from tests.conftest import TODAY, settings_for
from tests.fakes.slack_api import start_fake_slack
from tests.live_server import live_server
from tests.slack_requests import block_actions_body, signed_headers, slash_command_body, trigger_id

OWNER = "U0TEST"
KEN = "teams:aad-ken"


@pytest.fixture
def setup(tmp_path, sqlite_template):
    fake = start_fake_slack()
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with session(engine) as db:
        agenda_changed(db)  # as every writer of agenda rows must
        c = db.exec(select(Commitment).where(Commitment.key == "2005-C1")).one()
        db.add(
            Owner(commitment_id=c.id, kind=OwnerKind.user, ref=f"slack:{OWNER}", display_name="t", origin=Origin.bot)
        )
        db.add(
            Member(user_ref="slack:UCOORD", role=Role.coordinator, granted_by="cli:root", granted_at=datetime.now(UTC))
        )
        # A co-owner on Teams, whose name Teams gave when they wrote to the bot.
        db.add(Owner(commitment_id=c.id, kind=OwnerKind.user, ref=KEN, display_name=f"<@{KEN}>", origin=Origin.bot))
        db.add(Person(user_ref=KEN, display_name="Ken Tanaka"))
        db.commit()
    settings = settings_for(
        f"sqlite:///{path}",
        slack_api_url=fake.api_url,
        scheduler_enabled=False,
        admins="UADMIN",
    )
    with live_server(settings, clock=FixedClock(TODAY)) as base:
        yield base, fake, engine
    engine.dispose()
    fake.close()


def _publishes(fake, count: int, timeout: float = 10) -> list[dict]:
    return [c.body for c in fake.wait_for_calls("views.publish", count, timeout)]


def _post(base: str, body: str, headers: dict) -> None:
    assert httpx.post(f"{base}/slack/events", content=body, headers=headers, timeout=10).status_code == 200


def _open_home(base: str, user: str, tab: str = "home") -> None:
    body = json.dumps(
        {
            "token": "unused", "team_id": "T0TEST", "api_app_id": "A0TEST", "type": "event_callback",
            "event_id": f"Ev{user}{time.monotonic_ns()}", "event_time": 1700000000,
            "event": {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": tab, "event_ts": "1.2"},
        }
    )  # fmt: skip
    _post(base, body, signed_headers(body) | {"content-type": "application/json"})


def _choose(base: str, user: str, action_id: str, value: str) -> None:
    """A choice in a Home tab's static select, as Slack sends it (a view container, no response_url)."""
    body = block_actions_body(
        {
            "type": "static_select", "action_id": action_id, "block_id": "b1", "action_ts": "1700000001.000200",
            "selected_option": {"text": {"type": "plain_text", "text": value}, "value": value},
        },
        user_id=user,
        container={"type": "view", "view_id": "V0HOME"},
        view={"id": "V0HOME", "type": "home", "blocks": []},
    )  # fmt: skip
    _post(base, body, signed_headers(body))


def _view(call: dict) -> dict:
    view = call["view"]
    return json.loads(view) if isinstance(view, str) else view


def _menus(view: dict) -> dict[str, dict]:
    return {
        b["accessory"]["action_id"]: b["accessory"]
        for b in view["blocks"]
        if b.get("accessory", {}).get("type") == "static_select"
    }


def _status(engine, key: str = "2005-C1") -> str:
    with session(engine) as db:
        return db.exec(select(Commitment.status).where(Commitment.key == key)).one()


def _audits(engine) -> list[AuditEntry]:
    with session(engine) as db:
        return list(db.exec(select(AuditEntry)).all())


def test_opening_home_publishes_what_the_user_owns_with_status_menus(setup):
    base, fake, _engine = setup
    _open_home(base, OWNER)
    (call,) = _publishes(fake, 1)
    assert call["user_id"] == OWNER
    view = _view(call)
    assert view["type"] == "home" and 1 <= len(view["blocks"]) <= 100
    assert "Your agenda" in json.dumps(view) and "2005-C1" in json.dumps(view)
    menu = _menus(view)[f"{STATUS_ACTION}:2005-C1"]
    assert [o["value"] for o in menu["options"]] == ["not_started", "in_progress", "done", "stalled", "dropped"]
    assert "initial_option" not in menu  # its status is unknown: the menu says "Set status"
    actions = [e["action_id"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert actions == [DASHBOARD_ACTION]  # no Details button (Home has no response_url); the dashboard's, last
    assert "@Ken Tanaka" in json.dumps(view) and "aad-ken" not in json.dumps(view)  # a Teams co-owner, by name


def test_the_messages_tab_is_left_alone_and_someone_who_owns_nothing_is_told_how_owners_are_assigned(setup):
    base, fake, _engine = setup
    _open_home(base, OWNER, tab="messages")
    # Two Home tabs opened after it, in turn: when the second is published, a publish for the Messages
    # tab (as much work, begun before both) has had twice the time it takes, however slow the machine.
    _open_home(base, "USOMEONE")
    text = json.dumps(_view(_publishes(fake, 1)[0]))
    assert "You own nothing on the agenda yet" in text and "/agenda assign" in text
    _open_home(base, "UANOTHER")
    _publishes(fake, 2)
    assert [c.body["user_id"] for c in fake.calls("views.publish")] == ["USOMEONE", "UANOTHER"]


def test_the_owner_sets_a_status_from_home_and_the_tab_refreshes(setup):
    base, fake, engine = setup
    _choose(base, OWNER, f"{STATUS_ACTION}:2005-C1", "done")
    (call,) = _publishes(fake, 1)
    assert call["user_id"] == OWNER
    view = _view(call)
    assert "2005-C1 is now done." in view["blocks"][0]["elements"][0]["text"]  # the outcome, at the top
    assert _menus(view)[f"{STATUS_ACTION}:2005-C1"]["initial_option"]["value"] == "done"
    assert _status(engine) == "done"
    (entry,) = _audits(engine)
    assert (entry.actor_ref, entry.origin, entry.action) == (f"slack:{OWNER}", "slack:home", "status")
    assert (entry.before["status"], entry.after["status"]) == ("unknown", "done")


def test_a_member_who_does_not_own_it_is_refused_and_nothing_changes(setup):
    base, fake, engine = setup
    _choose(base, "USTRANGER", f"{STATUS_ACTION}:2005-C1", "done")  # a forged choice: it is not on their Home
    (call,) = _publishes(fake, 1)
    assert call["user_id"] == "USTRANGER"
    notice = _view(call)["blocks"][0]["elements"][0]["text"]
    assert "Only coordinators and admins can change the status of 2005-C1" in notice
    assert "Nothing was changed." in notice and "<@UADMIN>" in notice  # whom to ask
    assert _status(engine) == "unknown"
    assert _audits(engine) == []


def test_a_choice_that_is_not_a_status_changes_nothing(setup):
    base, fake, engine = setup
    _choose(base, OWNER, f"{STATUS_ACTION}:2005-C1", "finished")
    notice = _view(_publishes(fake, 1)[0])["blocks"][0]["elements"][0]["text"]
    assert "not understood" in notice
    assert _status(engine) == "unknown" and _audits(engine) == []


@pytest.mark.parametrize("user", ["UADMIN", "UCOORD"])  # the owner and a stranger: the tests above
def test_admins_and_coordinators_may_set_any_status_from_home(setup, user):
    base, fake, engine = setup
    _choose(base, user, f"{STATUS_ACTION}:2005-C1", "stalled")
    _publishes(fake, 1)
    assert _status(engine) == "stalled"
    assert [e.actor_ref for e in _audits(engine)] == [f"slack:{user}"]


def test_a_change_by_slash_command_refreshes_the_users_home(setup):
    base, fake, _engine = setup
    body = slash_command_body("status 2005-C1 stalled", response_url=fake.response_url("s"), user_id=OWNER)
    _post(base, body, signed_headers(body))
    (call,) = _publishes(fake, 1)
    menu = _menus(_view(call))[f"{STATUS_ACTION}:2005-C1"]
    assert call["user_id"] == OWNER and menu["initial_option"]["value"] == "stalled"


def test_a_refused_slash_command_leaves_the_home_alone(setup):
    base, fake, engine = setup
    body = slash_command_body("status 2005-C1 stalled", response_url=fake.response_url("s"), user_id="USTRANGER")
    _post(base, body, signed_headers(body))
    # A refresh would have been under way before the refusal was answered. Two Home tabs opened after,
    # in turn: when the second is published, that refresh has had twice the time it takes to arrive.
    _open_home(base, OWNER)
    _publishes(fake, 1)
    _open_home(base, "UANOTHER")
    _publishes(fake, 2)
    assert [c.body["user_id"] for c in fake.calls("views.publish")] == [OWNER, "UANOTHER"]


def test_owning_everything_still_fits_the_home_tab(setup):
    base, fake, engine = setup
    with session(engine) as db:
        agenda_changed(db)  # as every writer of agenda rows must
        for c in db.exec(select(Commitment).where(Commitment.key != "2005-C1")).all():
            db.add(
                Owner(
                    commitment_id=c.id, kind=OwnerKind.user, ref=f"slack:{OWNER}", display_name="t", origin=Origin.bot
                )
            )
        db.commit()
    _open_home(base, OWNER)
    view = _view(_publishes(fake, 1)[0])
    assert len(view["blocks"]) <= 100 and len(json.dumps(view)) < 250_000
    assert "more not shown here" in json.dumps(view) and "/agenda mine" in json.dumps(view)
    assert "2002-A4" in json.dumps(view["blocks"][:8])  # the overdue deadline comes first


def test_the_home_tab_gives_the_dashboard_link_in_its_notice_line_only_to_that_person(setup):
    base, fake, engine = setup
    _open_home(base, OWNER)
    (opened,) = _publishes(fake, 1)
    button = _view(opened)["blocks"][-1]["elements"][0]
    assert (button["type"], button["action_id"]) == ("button", DASHBOARD_ACTION)
    payload = {
        "type": "block_actions", "team": {"id": "T0TEST", "domain": "agenda-test"},
        "user": {"id": OWNER, "username": "tester", "name": "tester", "team_id": "T0TEST"},
        "api_app_id": "A0TEST", "token": "unused", "container": {"type": "view", "view_id": "V0HOME"},
        "trigger_id": trigger_id(), "view": {"id": "V0HOME", "type": "home", "blocks": []},
        "actions": [{"type": "button", "action_id": DASHBOARD_ACTION, "block_id": "b9", "value": "dashboard",
                     "action_ts": "1700000001.000300"}],
    }  # fmt: skip
    body = urlencode({"payload": json.dumps(payload)})
    _post(base, body, signed_headers(body))
    refreshed = _publishes(fake, 2)[1]
    assert refreshed["user_id"] == OWNER
    notice = _view(refreshed)["blocks"][0]["elements"][0]["text"]
    assert "/dashboard/" in notice and "shown only now" in notice
    assert [e.action for e in _audits(engine)] == ["dashboard link"]


def test_the_status_menu_speaks_the_owners_language(setup):
    """A French owner's Home tab: the menu's placeholder and its statuses in French, not English."""
    base, fake, engine = setup
    with session(engine) as db:
        db.add(Person(user_ref=f"slack:{OWNER}", language="fr"))
        db.commit()
    _open_home(base, OWNER)
    (call,) = _publishes(fake, 1)
    menu = _menus(_view(call))[f"{STATUS_ACTION}:2005-C1"]
    assert menu["placeholder"]["text"] == "Changer le statut"
    assert [o["text"]["text"] for o in menu["options"]] == ["Non commencé", "En cours", "Terminé", "Au point mort",
                                                           "Abandonné"]  # fmt: skip
