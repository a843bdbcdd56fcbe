"""Conversation references on both databases: upsert, lookup by person or by
conversation (a thread id finds its channel), deactivation, and which
conversation can open a new 1:1 chat."""

from __future__ import annotations

from datetime import timedelta

from models import teams_conversations as conversations
from models.teams_conversations import Reference
from tests.conftest import TODAY

URL = "https://smba.trafficmanager.net/amer/"


def _in_session(ports, function, *args, **kwargs):
    """Each call in a session of its own, as the bot does (a write declares itself first)."""
    with ports.open_session() as db:
        return function(db, *args, **kwargs)


def test_remember_find_and_deactivate(ports):
    remember = lambda ref, now=TODAY: _in_session(ports, conversations.remember, ref, now=now)  # noqa: E731
    find = lambda target: _in_session(ports, conversations.find, target)  # noqa: E731
    remember(Reference("a:ada", "personal", URL, "t1", "28:bot", "teams:aad-ada"))
    remember(Reference("19:ch@thread.tacv2", "channel", URL, "t1", "28:bot", None))
    later = TODAY + timedelta(hours=1)
    moved = Reference("a:ada", "personal", URL.replace("amer", "emea"), "t1", "28:bot", "teams:aad-ada")
    remember(moved, later)  # the same chat, told again: updated, not doubled
    assert find("teams:aad-ada").service_url.endswith("/emea/")
    assert find("teams:19:ch@thread.tacv2;messageid=17").conversation_type == "channel"
    assert find("teams:aad-nobody") is None
    assert _in_session(ports, conversations.deactivate, "a:ada", reason="403 MessageWritesBlocked", now=later)
    row = find("teams:aad-ada")
    assert not row.active and row.inactive_reason == "403 MessageWritesBlocked"
    remember(moved, later)  # they wrote again: the bot is back
    assert find("teams:aad-ada").active


def test_a_new_chat_is_opened_only_where_the_tenant_is_unambiguous(ports):
    door = lambda tenant: _in_session(ports, conversations.a_door_in, tenant)  # noqa: E731
    assert door(None) is None
    _in_session(ports, conversations.remember, Reference("19:a@x", "channel", URL, "t1", "28:bot", None), now=TODAY)
    assert door(None).tenant_id == "t1"
    _in_session(ports, conversations.remember, Reference("19:b@x", "channel", URL, "t2", "28:bot", None), now=TODAY)
    assert door(None) is None  # two tenants: whose is this person?
    assert door("t2").conversation_id == "19:b@x"
