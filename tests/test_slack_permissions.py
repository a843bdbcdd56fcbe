"""The permission matrix: each change command × each role, through signed
slash commands to the real endpoint. Allowed: the change and one audit entry.
Refused: a reply naming who can do it, and nothing changed."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import httpx
import pytest
from sqlmodel import func, select

from bot.settings import Settings
from models.db import make_engine, session
from models.revision import agenda_changed
from models.tables import AuditEntry, Member, Role
from scheduling.clock import FixedClock
from tests.conftest import TODAY, settings_for
from tests.fakes.slack_api import start_fake_slack
from tests.live_server import live_server
from tests.slack_requests import signed_headers, slash_command_body

USERS = {"admin": "UADMIN", "coordinator": "UCOORD", "member": "UMEMBER"}
NEEDS = {"admins": {"admin"}, "coordinators": {"admin", "coordinator"}}

# (command, who may run it); every command touches different items so one database serves a role.
MATRIX = [
    ("role <@UNEWCOMER> coordinator", "admins"),
    ("assign 2005-C1 <@UMARIA>", "coordinators"),
    ("unassign 2002-A1 Public Safety Canada", "coordinators"),
    ("status 2005-C2 stalled waiting for the other side", "coordinators"),
    ("status 2002-A4 signed on 2010-05-24", "coordinators"),
    ("schedule symposium 14 Oct 2027 in Ottawa host Canada", "coordinators"),
    ("sensitivity 2005-C3 restricted", "coordinators"),
    ("held pol-mil 15 Dec 2022 in Ottawa host Canada number 12", "coordinators"),
    ("not held mil-mil 2024 no budget", "coordinators"),
    ("propose 2002-A4 for pol-mil", "coordinators"),
]


def _settings(path, fake_slack, **overrides) -> Settings:
    """A server on a seeded SQLite copy, verified requests, UADMIN as the configured admin."""
    values = {
        "database_url": f"sqlite:///{path}",
        "slack_api_url": fake_slack.api_url,
        "admins": "UADMIN",
    }
    return settings_for(**(values | overrides))


@pytest.fixture(scope="module")
def fake_slack():
    fake = start_fake_slack()
    yield fake
    fake.close()


@pytest.fixture(scope="module", params=sorted(USERS))
def server(request, fake_slack, tmp_path_factory, sqlite_template):
    """A server on a database of its own for each role, so changes don't mix."""
    path = tmp_path_factory.mktemp(f"matrix-{request.param}") / "agenda.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with session(engine) as db:
        agenda_changed(db)  # as every writer of agenda rows must
        db.add(Member(user_ref="slack:UCOORD", role=Role.coordinator, granted_by="test", granted_at=datetime.now(UTC)))
        db.commit()
    settings = _settings(path, fake_slack)
    with live_server(settings, clock=FixedClock(TODAY)) as base:
        yield request.param, base, engine
    engine.dispose()


def _audit_count(engine) -> int:
    with session(engine) as db:
        return db.exec(select(func.count()).select_from(AuditEntry)).one()


@pytest.mark.parametrize(("command", "allowed"), MATRIX, ids=[c.split()[0] + ":" + c.split()[1] for c, _ in MATRIX])
def test_permission_matrix(server, fake_slack, command, allowed):
    role, base, engine = server
    before = _audit_count(engine)
    body = slash_command_body(command, response_url=fake_slack.response_url("matrix"), user_id=USERS[role])
    response = httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10)
    assert response.status_code == 200
    text = response.json()["text"]
    if role in NEEDS[allowed]:
        assert not text.startswith("Only"), text
        assert _audit_count(engine) == before + 1
    else:
        assert text.startswith(f"Only {'admins' if allowed == 'admins' else 'coordinators and admins'} can"), text
        assert "<@UADMIN>" in str(response.json()["blocks"])  # the refusal names who can do it
        assert _audit_count(engine) == before


@pytest.mark.parametrize("command", ["history 2005-C1", "counter-terrorism", "show 2002-A4", "next", "mine"])
def test_reading_is_open_to_every_role(server, fake_slack, command):
    role, base, engine = server
    before = _audit_count(engine)
    body = slash_command_body(command, response_url=fake_slack.response_url("read"), user_id=USERS[role])
    response = httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10)
    assert response.status_code == 200
    assert not response.json()["text"].startswith("Only")
    assert _audit_count(engine) == before


def test_restricted_items_never_reach_a_channel_payload(fake_slack, tmp_path, sqlite_template):
    import json

    from tests.slack_requests import block_action_body

    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = _settings(path, fake_slack)
    secret = "Treaty on Mutual Legal Assistance in Criminal Matters"

    def command(base, text):
        body = slash_command_body(text, response_url=fake_slack.response_url("r"), user_id="UADMIN")
        return httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10).json()

    with live_server(settings, clock=FixedClock(TODAY)) as base:
        assert command(base, "sensitivity 2002-A4 restricted")["text"].startswith("2002-A4 is now restricted")
        assert secret in json.dumps(command(base, "MLAT"))  # the admin still sees it, privately
        queries = ("MLAT", "counter-terrorism", "show 2002-A4", "next 1 year", "Mutual Legal Assistance")
        for n, query in enumerate(queries):
            body = block_action_body(
                action_id="agenda_share:100",
                value=json.dumps({"q": query, "p": 1}),
                response_url=fake_slack.response_url(f"share-{n}"),
                user_id="UADMIN",
            )
            httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10)
            posted = fake_slack.wait_for_webhooks(1, f"share-{n}")
            assert all(secret not in json.dumps(p) for p in posted), query


def test_reminder_buttons_are_checked_and_audited(fake_slack, tmp_path, sqlite_template):
    import json

    from models.tables import Acknowledgement
    from scheduling import outbox
    from scheduling.outbox import Planned
    from tests.slack_requests import block_action_body

    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    key = "escalation:2002-A4:2026-11-23:slack:CCOORD"
    with session(engine) as db:
        outbox.enqueue(
            db, [Planned(key, "escalation", "slack:CCOORD", TODAY, {"title": "x", "sections": []})], now=TODAY
        )
    settings = _settings(path, fake_slack, scheduler_enabled=False)

    def press(base, user, name):
        value = json.dumps({"q": f"ack {key}"})
        url = fake_slack.response_url(name)
        body = block_action_body(action_id="agenda_do:100", value=value, response_url=url, user_id=user)
        assert (
            httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10).status_code
            == 200
        )
        return fake_slack.wait_for_webhooks(1, name)[0]

    with live_server(settings, clock=FixedClock(TODAY)) as base:
        refused = press(base, "UMEMBER", "ack-member")
        assert refused["text"].startswith("Only coordinators and admins can acknowledge")
        assert _audit_count(engine) == 0
        accepted = press(base, "UADMIN", "ack-admin")
        assert accepted["text"].startswith("Acknowledged: 2002-A4.")
        assert accepted["response_type"] == "ephemeral" and accepted["replace_original"] is False
    with session(engine) as db:
        assert [a.acknowledged_by for a in db.exec(select(Acknowledgement))] == ["slack:UADMIN"]
    assert _audit_count(engine) == 1
    engine.dispose()


def _share(base, fake_slack, query: str, name: str, user_id: str = "UADMIN") -> list[dict]:
    """A Share press whose value asks for ``query`` (as a crafted request may): what was posted."""
    import json

    from tests.slack_requests import block_action_body

    body = block_action_body(
        action_id="agenda_share:100",
        value=json.dumps({"q": query, "p": 1}),
        response_url=fake_slack.response_url(name),
        user_id=user_id,
    )
    assert httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10).status_code == 200
    return fake_slack.wait_for_webhooks(1, name)


def test_a_crafted_share_never_posts_calendar_links_nor_runs_a_change(fake_slack, tmp_path, sqlite_template):
    import json

    from models.tables import CalendarFeed

    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    settings = _settings(path, fake_slack, public_url="https://agenda.example.org")
    with live_server(settings, clock=FixedClock(TODAY)) as base:
        for n, query in enumerate(["calendar", "calendar mine", "sensitivity 2002-A4 restricted"]):
            posted = _share(base, fake_slack, query, f"crafted-{n}")
            assert all("/calendar/" not in json.dumps(p) for p in posted), query
            assert all(p.get("response_type") != "in_channel" for p in posted), query  # said privately, if at all
    with session(engine) as db:
        assert db.exec(select(CalendarFeed)).all() == []
        assert db.exec(select(AuditEntry)).all() == []  # a Share does not run a change
    engine.dispose()


def test_a_shared_answer_names_no_restricted_meeting_nor_id(fake_slack, tmp_path, sqlite_template):
    import json
    from functools import partial

    from handlers import answer
    from handlers.commands.forms import submit_form
    from handlers.domain.ports import Ports, Requester

    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    ports = Ports(open_session=partial(session, engine), clock=FixedClock(TODAY), admins=frozenset({"slack:UADMIN"}))
    admin = Requester(user_ref="slack:UADMIN")
    title = "Quiet track on maritime interdiction"
    values = {
        "title": title, "text": "A confidential yearly consultation on interdiction at sea.", "area": "dialogue",
        "kind": "recurring_mechanism", "cadence": "every year", "due": "", "people": (), "departments": (),
        "source": "2026 note verbale", "sensitivity": "restricted",
    }  # fmt: skip
    opened = TODAY.isoformat()
    saved = submit_form(values, form_key=None, expected_version=None, opened_at=opened, ports=ports, requester=admin)
    assert not saved.errors
    answer("sensitivity 2005-E1 restricted", ports=ports, requester=admin)
    engine.dispose()
    with live_server(_settings(path, fake_slack), clock=FixedClock(TODAY)) as base:
        for n, query in enumerate(["next 1 year", "show 1999-1", "symposium", title]):
            posted = _share(base, fake_slack, query, f"shared-{n}")
            shared = json.dumps([p for p in posted if p.get("response_type") == "in_channel"])
            assert title not in shared and "2026-n1" not in shared.lower() and "2005-E1" not in shared, query
            if query == title:  # no such meeting for the channel: said only to the asker, as for any unknown words
                assert shared == "[]" and "Nothing found" in json.dumps(posted)
