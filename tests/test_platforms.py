"""The platforms in one place (models/platforms.py): their names, what their references look like,
that a bare id is a Slack one; and the requester's conversation kind and default timezone."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from bot.delivery import policy_from
from bot.slack.app import conversation_of as slack_conversation
from bot.teams.front import conversation_of as teams_conversation
from handlers.domain.context import Context
from handlers.domain.ports import Requester
from models import teams_conversations
from models.platforms import (
    DEFAULT_PLATFORM,
    PLATFORMS,
    SLACK,
    TEAMS,
    Conversation,
    names_conversation,
    on_a_platform,
    platform_of,
    qualified,
)
from tests.conftest import settings_for

ROOT = Path(__file__).resolve().parents[1]


def test_the_registry_names_slack_and_teams_and_a_bare_id_is_slack():
    assert list(PLATFORMS) == ["slack", "teams"] and DEFAULT_PLATFORM is SLACK
    assert [p.title for p in PLATFORMS.values()] == ["Slack", "Teams"]
    assert qualified("U024BE7LH") == "slack:U024BE7LH"
    assert qualified("teams:29:1abc") == "teams:29:1abc"  # already qualified: kept, colons and all
    assert SLACK.ref("U1") == "slack:U1" and TEAMS.ident("teams:19:x@thread.tacv2") == "19:x@thread.tacv2"


def test_references_say_their_platform():
    assert platform_of("teams:19:x@thread.tacv2") == "teams" and platform_of("cli") == "cli"
    assert on_a_platform("slack:U1") and on_a_platform("teams:aad-1")
    assert not on_a_platform("cli:maria") and not on_a_platform("cli")


@pytest.mark.parametrize(
    ("ref", "conversation"),
    [
        ("slack:C024BE91L", True),  # a public channel
        ("slack:G024BE91L", True),  # a private channel, a group DM
        ("slack:D024BE91L", True),  # a direct message
        ("slack:U024BE7LH", False),
        ("slack:W024BE7LH", False),  # an Enterprise Grid user
        ("teams:19:abc@thread.tacv2", True),  # a channel
        ("teams:a:1xyz", True),  # a 1:1 chat
        ("teams:8:orgid:aad-1", True),
        ("teams:someone@example.org", True),
        ("teams:00000000-0000-0000-0000-000000000001", False),  # an Entra object id: a person
        ("cli:maria", False),
    ],
)
def test_what_a_conversation_reference_looks_like(ref, conversation):
    assert names_conversation(ref) is conversation


def test_a_teams_target_is_a_person_unless_it_names_a_conversation():
    assert teams_conversations.is_person("teams:00000000-0000-0000-0000-000000000001")
    assert not teams_conversations.is_person("teams:19:abc@thread.tacv2")
    assert not teams_conversations.is_person("teams:a:1xyz")


def test_bare_ids_in_settings_are_slack_ids():
    settings = settings_for(admins="UADMIN, teams:aad-1", coordinators_channel="CLEADS", lead="teams:aad-2")
    assert settings.admin_refs == {"slack:UADMIN", "teams:aad-1"}
    policy = policy_from(settings)
    assert (policy.coordinators_channel, policy.lead) == ("slack:CLEADS", "teams:aad-2")


@pytest.mark.parametrize(
    ("channel_id", "kind"),
    [("C024BE91L", Conversation.channel), ("G024BE91L", Conversation.group), ("D024BE91L", Conversation.direct),
     ("", Conversation.direct)],
)  # fmt: skip
def test_slack_conversation_kinds(channel_id, kind):
    assert slack_conversation(channel_id) is kind


@pytest.mark.parametrize(
    ("conversation_type", "kind"),
    [("personal", Conversation.direct), ("groupChat", Conversation.group), ("channel", Conversation.channel),
     (None, Conversation.channel)],
)  # fmt: skip
def test_teams_conversation_kinds(conversation_type, kind):
    assert teams_conversation(conversation_type) is kind


def test_a_requester_is_in_a_channel_unless_the_conversation_is_direct():
    assert not Requester("slack:U1").in_channel
    assert Requester("slack:U1", conversation=Conversation.channel).in_channel
    assert Requester("teams:aad-1", conversation=Conversation.group).in_channel


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_requester_without_a_zone_has_the_deployments(ports):
    tokyo = dataclasses.replace(ports, default_timezone="Asia/Tokyo")
    with ports.open_session() as session:
        assert Context(session, tokyo, Requester("slack:U1")).requester.zone == "Asia/Tokyo"
        assert Context(session, tokyo, Requester("slack:U1", timezone="Europe/Paris")).requester.zone == "Europe/Paris"


def _platform_words(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        parts = node.values if isinstance(node, ast.JoinedStr) else [node]
        for part in parts:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                word = part.value
                if word.lower() in PLATFORMS or word.startswith(tuple(f"{name}:" for name in PLATFORMS)):
                    found.append(f"{word!r} at line {node.lineno}")
    return found


def test_only_the_registry_and_the_platforms_own_code_spell_a_platform():
    """The neutral layers and bot/'s shared modules name a platform through models/platforms.py;
    bot/slack/ and bot/teams/ are each one platform's own code."""
    sources = [p for package in ("handlers", "scheduling", "models", "seeds") for p in (ROOT / package).rglob("*.py")]
    sources += list((ROOT / "bot").glob("*.py"))
    spelled = {
        str(path.relative_to(ROOT)): words
        for path in sorted(sources)
        if path.name != "platforms.py" and "migrations" not in path.parts and (words := _platform_words(path))
    }
    assert spelled == {}
