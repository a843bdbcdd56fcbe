"""Conversation references on both databases: upsert, lookup by person or by
conversation (a thread id finds its channel), deactivation, and which
conversation can open a new 1:1 chat."""

from __future__ import annotations

from datetime import timedelta

from bot.teams import conversations
from bot.teams.conversations import Reference
from tests.conftest import TODAY

URL = "https://smba.trafficmanager.net/amer/"


def test_remember_find_and_deactivate(ports):
    with ports.open_session() as db:
        conversations.remember(db, Reference("a:ada", "personal", URL, "t1", "28:bot", "teams:aad-ada"), now=TODAY)
        conversations.remember(db, Reference("19:ch@thread.tacv2", "channel", URL, "t1", "28:bot", None), now=TODAY)
        later = TODAY + timedelta(hours=1)
        moved = Reference("a:ada", "personal", URL.replace("amer", "emea"), "t1", "28:bot", "teams:aad-ada")
        conversations.remember(db, moved, now=later)  # the same chat, told again: updated, not doubled
        assert conversations.find(db, "teams:aad-ada").service_url.endswith("/emea/")
        assert conversations.find(db, "teams:19:ch@thread.tacv2;messageid=17").conversation_type == "channel"
        assert conversations.find(db, "teams:aad-nobody") is None
        assert conversations.deactivate(db, "a:ada", reason="403 MessageWritesBlocked", now=later)
        row = conversations.find(db, "teams:aad-ada")
        assert not row.active and row.inactive_reason == "403 MessageWritesBlocked"
        conversations.remember(db, moved, now=later)  # they wrote again: the bot is back
        assert conversations.find(db, "teams:aad-ada").active


def test_a_new_chat_is_opened_only_where_the_tenant_is_unambiguous(ports):
    with ports.open_session() as db:
        assert conversations.a_door_in(db, None) is None
        conversations.remember(db, Reference("19:a@thread.tacv2", "channel", URL, "t1", "28:bot", None), now=TODAY)
        assert conversations.a_door_in(db, None).tenant_id == "t1"
        conversations.remember(db, Reference("19:b@thread.tacv2", "channel", URL, "t2", "28:bot", None), now=TODAY)
        assert conversations.a_door_in(db, None) is None  # two tenants: whose is this person?
        assert conversations.a_door_in(db, "t2").conversation_id == "19:b@thread.tacv2"
