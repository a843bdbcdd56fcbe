"""Roles, the audit trail and sensitivity hold in Teams as in Slack: changes
are checked and audited under the Teams user, and a restricted commitment
never reaches a channel, by message or by button."""

from __future__ import annotations

import shutil

import httpx
import pytest
from sqlmodel import select

from models.db import make_engine, session
from models.tables import AuditEntry, CalendarFeed
from scheduling.clock import FixedClock
from tests.conftest import TODAY, settings_for
from tests.fakes.teams_connector import start_fake_teams
from tests.live_server import live_server
from tests.teams_activities import (
    ADA_AAD,
    BOT_ID,
    CHANNEL,
    PERSONAL,
    card_action,
    channel_message,
    personal_message,
)

ADMIN = "aad-admin-0042"
ADMIN_CHAT = "a:1personal-chat-with-the-admin"
MLAT_TEXT = "Mutual Legal Assistance Treaty"  # in 2002-A4's title


@pytest.fixture(scope="module")
def world(tmp_path_factory, sqlite_template):
    fake = start_fake_teams()
    path = tmp_path_factory.mktemp("teams-perm") / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = settings_for(
        f"sqlite:///{path}",
        teams_allow_unauthenticated=True,
        admins=f"teams:{ADMIN}",
        scheduler_enabled=False,
    )
    with live_server(settings, clock=FixedClock(TODAY)) as url:
        yield url, fake, f"sqlite:///{path}"
    fake.close()


def say(world, activity: dict) -> str:
    """Post an activity; the text of every card the bot answered with."""
    url, fake, _ = world
    fake.clear()
    response = httpx.post(f"{url}/api/messages", json=activity, timeout=10)
    assert response.status_code == 200
    fake.wait_for(1)
    return " ".join(str(card) for card in fake.cards())


def as_admin(text: str, url: str) -> dict:
    return personal_message(text, url, conversation_id=ADMIN_CHAT, user_aad=ADMIN, name="Admin")


def audit(database_url: str) -> list[AuditEntry]:
    engine = make_engine(database_url)
    try:
        with session(engine) as db:
            return list(db.exec(select(AuditEntry).order_by(AuditEntry.id)).all())
    finally:
        engine.dispose()


def test_roles_audit_and_sensitivity_in_teams(world):
    url, fake, database_url = world
    # A member may not change a status: refused, nothing written.
    assert "Only coordinators" in say(world, personal_message("status 2002-A4 done", fake.url))
    assert audit(database_url) == []

    # The admin (AGENDA_ADMINS=teams:<aad>) restricts 2002-A4; the change is audited under Teams ids.
    assert "restricted" in say(world, as_admin("sensitivity 2002-A4 restricted", fake.url)).lower()
    [entry] = audit(database_url)
    assert entry.actor_ref == f"teams:{ADMIN}" and entry.origin == f"teams:{ADMIN_CHAT}"

    # Asked in a channel, even by the admin, the restricted item is left out; in the 1:1 chat it is there.
    assert MLAT_TEXT not in say(world, channel_message("MLAT", fake.url, user_aad=ADMIN, name="Admin"))
    assert MLAT_TEXT in say(world, as_admin("MLAT", fake.url))

    # A button pressed in the channel answers for the channel too.
    shown = say(world, card_action("agenda.show", {"q": "show 2002-A4", "p": 1}, fake.url, personal=False))
    assert MLAT_TEXT not in shown
    assert all(p.conversation_id.startswith(CHANNEL) for p in fake.posted)

    # Assigned by @mention, Ada owns it: her 1:1 `mine` shows it, restricted as it is.
    mention = "<at>Ada</at>"
    assign = as_admin(f"assign 2002-A4 {mention}", fake.url)
    ada = {"id": f"29:{ADA_AAD}", "name": "Ada", "aadObjectId": ADA_AAD}
    assign["entities"] = [{"type": "mention", "text": mention, "mentioned": ada}]
    say(world, assign)
    last = audit(database_url)[-1]
    assert last.action == "assign" and f"teams:{ADA_AAD}" in str(last.after)
    assert MLAT_TEXT in say(world, personal_message("mine", fake.url))
    assert all(p.conversation_id == PERSONAL for p in fake.posted)


def test_the_bot_mention_is_stripped_but_other_mentions_are_kept(world):
    _, fake, _ = world
    activity = channel_message("owner <at>Ada</at>", fake.url)
    activity["entities"].append(
        {"type": "mention", "text": "<at>Ada</at>", "mentioned": {"id": f"29:{ADA_AAD}", "aadObjectId": ADA_AAD}}
    )
    assert activity["entities"][0]["mentioned"]["id"] == BOT_ID
    answer = say(world, activity)
    # The mention became Ada's ref (and the card names her as Teams named her when she wrote).
    assert "Nothing owned by @Ada." in answer and ADA_AAD not in answer, answer[:300]


@pytest.mark.parametrize("words", ["calendar", "calendar mine"])
def test_calendar_links_are_never_posted_in_a_channel(world, words):
    _, fake, database_url = world
    shown = say(world, channel_message(words, fake.url))
    assert "/calendar/" not in shown and "private chat" in shown
    assert all(p.conversation_id.startswith(CHANNEL) for p in fake.posted)
    engine = make_engine(database_url)
    try:
        with session(engine) as db:
            assert db.exec(select(CalendarFeed).where(CalendarFeed.user_ref == f"teams:{ADA_AAD}")).all() == []
    finally:
        engine.dispose()
