"""The one platform-neutral answer every handler returns.

Renderers turn a Reply into Block Kit (bot/slack/render.py), an Adaptive Card
or plain text (handlers/views/text.py). Strings here are plain text; `backticks`
mark commands, which every platform shows as code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any

from handlers.views import i18n

# A person named in words: <@slack:U123>, <@teams:29:1abc> (what the front ends turn a mention into).
MENTION = re.compile(r"<@([a-z]+:[A-Za-z0-9._-]+)>")


class Visibility(StrEnum):
    private = "private"  # only the person who asked (Slack: ephemeral)
    channel = "channel"  # everyone in the conversation


class Tone(StrEnum):
    answer = "answer"
    notice = "notice"  # nothing found, a refusal, a usage hint
    error = "error"  # the input could not be understood


class ActionKind(StrEnum):
    share = "share"  # post this answer to the channel
    more = "more"  # the next page
    show = "show"  # one commitment in full
    run = "run"  # another lookup, e.g. a suggested area
    do = "do"  # a change from a button (acknowledge, snooze, mark done): confirmed privately


@dataclass(frozen=True)
class Action:
    kind: ActionKind
    label: str
    query: str  # the /agenda text to run again
    page: int = 1


@dataclass(frozen=True)
class Citation:
    document: str  # short title: "2002 Proposals for Collaboration"
    date: str  # as precise as known: "24 Nov 2002 (inferred)"
    section: str
    # What a French or Japanese reader is told of the words shown: "Texte convenu (anglais) · titre
    # traduit par l'équipe", or an official text's source (handlers/views/present.py).
    note: str = ""

    def __str__(self) -> str:
        return " · ".join(part for part in (self.document, self.date, self.section, self.note) if part)


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    text: str  # the agreed text, verbatim (possibly trimmed: see `trimmed`)
    citation: Citation | None
    facts: list[Fact] = field(default_factory=list)
    trimmed: bool = False
    action: Action | None = None  # e.g. "Full text"
    quoted: bool = True  # False when `text` is the bot's own note, not agreed text


@dataclass(frozen=True)
class Section:
    heading: str | None = None
    body: str | None = None
    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class Image:
    """A picture sent with a reply (the digest's chart): PNG bytes as base64, and what it shows in words."""

    png_base64: str
    alt: str
    name: str = "chart.png"


@dataclass(frozen=True)
class Reply:
    title: str
    summary: str = ""
    sections: list[Section] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    visibility: Visibility = Visibility.private
    tone: Tone = Tone.answer
    form: Any = None  # a handlers.commands.forms.Form to open (a Slack modal), for add and edit
    image: Image | None = None  # Teams shows it in the card; Slack posts it as a file after the message
    # The language it is written in (the one spoken where it was made): a renderer's own few words follow it.
    language: str = field(default_factory=i18n.current)

    @property
    def item_count(self) -> int:
        return sum(len(s.items) for s in self.sections)


# -- people by name ---------------------------------------------------------------------


def with_names(reply: Reply, names: Mapping[str, str], *, native: str | None = None) -> Reply:
    """The reply with people named where a platform cannot show them itself.

    Handlers write people as neutral mentions (``<@teams:…>``). A platform
    shows its own users' mentions natively (``native``: Slack renders
    ``<@U123>`` as the person), but a Teams person in Slack, or anyone in a
    Teams card, would show as an opaque id; with a known display name they read
    as ``@Maria Sato``. Button queries are left alone: they are commands.
    """

    def named(text: str) -> str:
        def one(match: re.Match) -> str:
            ref = match.group(1)
            name = names.get(ref) if ref.partition(":")[0] != native else None
            return f"@{name}" if name else match.group(0)

        return MENTION.sub(one, text) if "<@" in text else text

    def item(i: Item) -> Item:
        facts = [Fact(named(f.label), named(f.value)) for f in i.facts]
        title, text = named(i.title), named(i.text)
        if title == i.title and text == i.text and facts == list(i.facts):
            return i  # the same object: a front end keeps what it rendered of it (bot/slack/render.py)
        return replace(i, title=title, text=text, facts=facts)

    sections = [
        Section(named(s.heading) if s.heading else s.heading, named(s.body) if s.body else s.body,
                [item(i) for i in s.items])
        for s in reply.sections
    ]  # fmt: skip
    return replace(reply, title=named(reply.title), summary=named(reply.summary), sections=sections)


# -- as data: replies wait in the outbox as JSON -----------------------------------------


def reply_to_data(reply: Reply) -> dict:
    data = asdict(reply)
    data.pop("form", None)  # forms are opened on the spot, never queued
    return data


def reply_from_data(data: dict) -> Reply:
    def action(a: dict | None) -> Action | None:
        return Action(ActionKind(a["kind"]), a["label"], a["query"], a.get("page", 1)) if a else None

    def item(i: dict) -> Item:
        citation = Citation(**i["citation"]) if i.get("citation") else None
        facts = [Fact(**f) for f in i.get("facts", [])]
        return Item(**{**i, "citation": citation, "facts": facts, "action": action(i.get("action"))})

    sections = [
        Section(s.get("heading"), s.get("body"), [item(i) for i in s.get("items", [])]) for s in data["sections"]
    ]
    return Reply(
        title=data["title"],
        summary=data.get("summary", ""),
        sections=sections,
        actions=[action(a) for a in data.get("actions", [])],
        visibility=Visibility(data.get("visibility", Visibility.private)),
        tone=Tone(data.get("tone", Tone.answer)),
        image=Image(**data["image"]) if data.get("image") else None,
        language=data.get("language", i18n.DEFAULT),
    )
