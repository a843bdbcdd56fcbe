"""Conversation references stored from real install / conversationUpdate /
message activities, deactivated on removal; and a reminder's Acknowledge
button pressed in Teams goes through the same checked, audited path."""

from __future__ import annotations

import shutil

import httpx
import pytest
from sqlmodel import select

from models.db import make_engine, session
from models.tables import Acknowledgement, AuditEntry, Person, TeamsConversation
from scheduling import outbox
from scheduling.clock import FixedClock
from scheduling.outbox import Planned
from tests.conftest import TODAY, settings_for
from tests.fakes.teams_connector import start_fake_teams
from tests.live_server import live_server
from tests.teams_activities import (
    ADA_AAD,
    BOT_ID,
    CHANNEL,
    PERSONAL,
    TEAM,
    TENANT,
    bot_added,
    card_action,
    installation_update,
    personal_message,
)

REMINDER = f"reminder:peace-security-symposium:2027-10-14:7d:teams:{ADA_AAD}"


@pytest.fixture
def world(tmp_path, sqlite_template):
    fake = start_fake_teams()
    shutil.copy(sqlite_template, tmp_path / "agenda.db")
    url = f"sqlite:///{tmp_path}/agenda.db"
    settings = settings_for(url, teams_allow_unauthenticated=True, scheduler_enabled=False)
    engine = make_engine(url)
    with live_server(settings, clock=FixedClock(TODAY)) as base:
        yield base, fake, engine
    engine.dispose()
    fake.close()


def post(base: str, activity: dict) -> None:
    assert httpx.post(f"{base}/api/messages", json=activity, timeout=10).status_code == 200


def stored(engine) -> dict[str, TeamsConversation]:
    with session(engine) as db:
        return {row.conversation_id: row for row in db.exec(select(TeamsConversation)).all()}


def test_installs_additions_and_messages_are_remembered_and_removals_forgotten(world):
    base, fake, engine = world
    post(base, installation_update(fake.url, personal=False))  # installed in a team: its General channel
    post(base, bot_added(fake.url, CHANNEL))
    post(base, personal_message("help", fake.url))
    rows = stored(engine)
    assert set(rows) == {TEAM, CHANNEL, PERSONAL}
    assert rows[PERSONAL].user_ref == f"teams:{ADA_AAD}" and rows[PERSONAL].conversation_type == "personal"
    assert rows[CHANNEL].conversation_type == "channel" and rows[CHANNEL].user_ref is None
    assert {r.service_url for r in rows.values()} == {fake.url}
    assert {r.tenant_id for r in rows.values()} == {TENANT} and all(r.active for r in rows.values())
    assert {r.bot_id for r in rows.values()} == {BOT_ID}

    removed = bot_added(fake.url, CHANNEL)
    removed["membersRemoved"] = removed.pop("membersAdded")
    post(base, removed)
    post(base, installation_update(fake.url, action="remove"))
    rows = stored(engine)
    assert not rows[CHANNEL].active and "removed" in rows[CHANNEL].inactive_reason
    assert not rows[PERSONAL].active and "uninstalled" in rows[PERSONAL].inactive_reason
    assert rows[TEAM].active


def test_acknowledge_on_a_teams_reminder_is_checked_and_audited(world):
    base, fake, engine = world
    with session(engine) as db:
        outbox.enqueue(
            db, [Planned(REMINDER, "reminder", f"teams:{ADA_AAD}", TODAY, {"title": "R", "sections": []})], now=TODAY
        )
    stranger = card_action("agenda.do", {"q": f"ack {REMINDER}", "p": 1}, fake.url, user_aad="aad-stranger")
    post(base, stranger)
    with session(engine) as db:
        assert db.exec(select(Acknowledgement)).all() == []
    post(base, card_action("agenda.do", {"q": f"ack {REMINDER}", "p": 1}, fake.url))
    with session(engine) as db:
        [ack] = db.exec(select(Acknowledgement)).all()
        [entry] = db.exec(select(AuditEntry).where(AuditEntry.action == "acknowledge")).all()
    assert ack.acknowledged_by == f"teams:{ADA_AAD}" and ack.message_key == REMINDER
    assert entry.actor_ref == f"teams:{ADA_AAD}" and entry.origin == f"teams:{PERSONAL}"
    fake.wait_for(2)  # each press was answered in the chat (the refusal, then the confirmation)


def test_the_timezone_teams_reports_is_kept_for_reminders(world):
    base, fake, engine = world
    message = personal_message("help", fake.url)
    message["entities"] = [{"type": "clientInfo", "locale": "ja-JP", "country": "JP", "timezone": "Asia/Tokyo"}]
    post(base, message)
    bogus = personal_message("help", fake.url, user_aad="aad-bogus-zone")
    bogus["entities"] = [{"type": "clientInfo", "timezone": "Mars/Olympus_Mons"}]
    post(base, bogus)
    with session(engine) as db:
        people = {p.user_ref: p.timezone for p in db.exec(select(Person)).all()}
    assert people == {f"teams:{ADA_AAD}": "Asia/Tokyo", "teams:aad-bogus-zone": None}  # a zone Python lacks: none
