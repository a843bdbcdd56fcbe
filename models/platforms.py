"""The platforms the bot speaks on, and what their references look like.

Everything the bot stores about a person or a conversation names it by a
reference, ``<platform>:<id>``: a person (``slack:U024BE7LH``,
``teams:<Entra object id>``) or a conversation (``slack:C024BE91L``,
``teams:19:…@thread.tacv2``). This module is the one place that knows the
platforms' names, what their conversation ids look like, and that a bare id
(typed in a setting or at the terminal) is a Slack one. It is plain data, so
every layer may read it; only ``bot/`` talks to the platforms themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DEFAULT_TIMEZONE = "America/Toronto"  # for whoever has no zone of their own (AGENDA_DEFAULT_TIMEZONE)


class Conversation(StrEnum):
    """Where a request was made: what the platform's own conversation types come to."""

    direct = "direct"  # a direct message, a 1:1 chat: only the asker reads the answer
    channel = "channel"  # a channel
    group = "group"  # a group chat (Slack: a multi-person DM or a legacy private channel)


@dataclass(frozen=True)
class Platform:
    name: str  # the prefix of its references: "slack"
    title: str  # as answers name it: "Slack"
    conversation_prefixes: tuple[str, ...]  # an id starting so names a conversation, not a person
    conversation_marks: tuple[str, ...] = ()  # an id containing one of these does too
    japanese: tuple[str, ...] = ()  # its name as a Japanese reader may type it (`link reminders スラック`)

    def ref(self, ident: str) -> str:
        return f"{self.name}:{ident}"

    def ident(self, ref: str) -> str:
        """The platform's own id in one of its references."""
        return ref.removeprefix(f"{self.name}:")

    def names_conversation(self, ident: str) -> bool:
        return ident.startswith(self.conversation_prefixes) or any(mark in ident for mark in self.conversation_marks)


# Slack ids: C… a channel, G… a private channel or group DM, D… a direct message; U…/W… people.
SLACK = Platform("slack", "Slack", conversation_prefixes=("C", "G", "D"), japanese=("スラック",))
# Teams conversation ids: 19:… channels and group chats, a:… and 8:… 1:1 chats; people are Entra object ids.
TEAMS = Platform(
    "teams", "Teams", conversation_prefixes=("19:", "a:", "8:"), conversation_marks=("@",), japanese=("チームズ",)
)
PLATFORMS: dict[str, Platform] = {p.name: p for p in (SLACK, TEAMS)}
DEFAULT_PLATFORM = SLACK  # a bare id, with no "<platform>:" before it, is a Slack id


def platform_of(ref: str) -> str:
    """The platform part of a reference ("slack"), or the whole of one without it ("cli")."""
    return ref.split(":", 1)[0]


def on_a_platform(ref: str) -> bool:
    """A person or conversation on Slack or Teams (not the terminal's "cli:" refs)."""
    return platform_of(ref) in PLATFORMS


def qualified(ident: str) -> str:
    """A reference as typed in a setting or at the terminal: a bare id is the default platform's."""
    return ident if ":" in ident else DEFAULT_PLATFORM.ref(ident)


def names_conversation(ref: str) -> bool:
    """Does this reference name a conversation (a channel, a group or 1:1 chat) rather than a person?"""
    platform, _, ident = ref.partition(":")
    return platform in PLATFORMS and PLATFORMS[platform].names_conversation(ident)
