"""From the words after `/agenda` to a Command, or a ParseError that says why.

The front ends hand over neutral text: Slack's escapes are undone and a user
mention arrives as ``<@slack:U123>`` (a platform-qualified id). Everything
else here is plain words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_INPUT = 1000  # characters; a topic is a few words
DEFAULT_NEXT_DAYS = 90
MAX_NEXT_DAYS = 3 * 366

MENTION = re.compile(r"<@([a-z]+:[A-Za-z0-9._-]+)>")
_PERIOD = re.compile(r"^(\d{1,4})\s*(d|day|days|w|wk|week|weeks|m|mo|month|months|y|yr|year|years)$")
_UNITS = {"d": 1, "w": 7, "m": 30, "y": 365}

# Subcommands that later work will add; until then they get an honest answer
# rather than being searched for as topics.
NOT_YET = {
    "assign", "unassign", "status", "schedule", "add", "edit", "history", "role",
    "digest", "plan", "slot", "calendar", "link",
}  # fmt: skip


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Areas:
    pass


@dataclass(frozen=True)
class Show:
    id: str


@dataclass(frozen=True)
class Next:
    days: int = DEFAULT_NEXT_DAYS


@dataclass(frozen=True)
class Mine:
    page: int = 1


@dataclass(frozen=True)
class OwnedBy:
    who: str  # a "<platform>:<id>" user ref, or department words
    is_user: bool
    page: int = 1


@dataclass(frozen=True)
class Lookup:
    words: str
    page: int = 1


Command = Help | Areas | Show | Next | Mine | OwnedBy | Lookup


@dataclass(frozen=True)
class ParseError:
    message: str
    suggestion: str = "Try `/agenda help` for what I understand."


def clean(text: str) -> str:
    """Drop control and format characters, fold compatibility forms, squeeze spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())


def parse(text: str | None, *, page: int = 1) -> Command | ParseError:
    raw = text or ""
    if len(raw) > MAX_INPUT:
        return ParseError(
            f"That is {len(raw):,} characters; I look up a topic of a few words.",
            "For example `/agenda counter-terrorism` or `/agenda MLAT`.",
        )
    words = clean(raw)
    if not words:
        return Help()
    head, _, rest = words.partition(" ")
    keyword, rest = head.lower(), rest.strip()
    page = max(1, page)
    if keyword in {"help", "?", "usage"} and not rest:
        return Help()
    if keyword == "areas" and not rest:
        return Areas()
    if keyword == "show":
        return (
            Show(rest) if rest else ParseError("`show` needs a commitment id.", "For example `/agenda show 2002-A4`.")
        )
    if keyword == "next":
        return _parse_next(rest)
    if keyword == "mine" and not rest:
        return Mine(page=page)
    if keyword == "owner":
        return _parse_owner(rest, page)
    if keyword in NOT_YET:
        return ParseError(
            f"`/agenda {keyword}` is not available yet: this version answers lookups only.",
            "See `/agenda help` for what works today.",
        )
    if MENTION.fullmatch(words):
        return OwnedBy(MENTION.fullmatch(words).group(1), is_user=True, page=page)
    return Lookup(words, page=page)


def _parse_next(rest: str) -> Next | ParseError:
    if not rest:
        return Next()
    match = _PERIOD.match(rest.lower())
    if not match:
        return ParseError(
            f"I can't read {rest!r} as a period.",
            "Try `/agenda next 30 days`, `/agenda next 6 weeks` or `/agenda next 3 months`.",
        )
    days = int(match.group(1)) * _UNITS[match.group(2)[0]]
    if not 1 <= days <= MAX_NEXT_DAYS:
        return ParseError("I look ahead between 1 day and 3 years.", "Try `/agenda next 6 months`.")
    return Next(days)


def _parse_owner(rest: str, page: int) -> OwnedBy | ParseError:
    if not rest:
        return ParseError(
            "`owner` needs a person or a department.", "For example `/agenda owner @maria` or `/agenda owner DND`."
        )
    mention = MENTION.fullmatch(rest)
    if mention:
        return OwnedBy(mention.group(1), is_user=True, page=page)
    return OwnedBy(rest, is_user=False, page=page)
