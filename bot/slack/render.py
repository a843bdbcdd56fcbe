"""Reply → Block Kit, built with slack_sdk.models so Slack's limits are checked.

``to_dict()`` runs the SDK's validators (text lengths, element counts); on top
of those we keep the message under Slack's 50-block cap and always include a
plain-text fallback for notifications and screen readers. ``block_dict`` is
``to_dict()`` without its cost: the SDK finds each object's validators by
walking ``dir()`` on every call, which was most of the time a fresh answer
took to render; the validators are the same for every object of a class, so
they are found once per class (the same validators run, the same dict comes
out: tests/test_slack_render_dict.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from slack_sdk.models.basic_objects import EMPTY_ALLOWED_TYPE_AND_PROPERTY_LIST, JsonObject
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    BlockElement,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from handlers.views import i18n
from handlers.views.i18n import _
from handlers.views.reply import MENTION, Action, ActionKind, Item, Reply, Section, Visibility
from handlers.views.text import render_summary

MAX_BLOCKS = 50
SECTION_TEXT_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_VALUE_LIMIT = 2000
ACTION_IDS = {kind: f"agenda_{kind.value}" for kind in ActionKind}


@dataclass(frozen=True)
class SlackMessage:
    text: str  # the fallback Slack requires alongside blocks
    blocks: list[dict]
    response_type: str  # "ephemeral" or "in_channel"

    def as_kwargs(self) -> dict:
        return {"text": self.text, "blocks": self.blocks, "response_type": self.response_type}


def escape(text: str) -> str:
    """Escape Slack's three control characters, turn neutral mentions (``<@slack:U123>``, escaped by
    now) back into Slack mentions, and keep words such as "@here" from being read as a mention of everyone."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return pings_nobody(_ESCAPED_MENTION.sub(_mention, text))


def pings_nobody(text: str) -> str:
    return _EVERYONE.sub("@\u2060\\1", text)


# Slack parses "@here", "@channel" and "@everyone" in mrkdwn (text objects are not verbatim); the words
# come from what people typed ("<!here>" arrives as "@here", bot/slack/text.py) or from stored text.
# A word joiner after the "@" shows the same and pings nobody.
_EVERYONE = re.compile(r"(?<!<)@(here|channel|everyone)\b", re.IGNORECASE)


_ESCAPED_MENTION = re.compile("&lt;@" + MENTION.pattern.removeprefix("<@").removesuffix(">") + "&gt;")


def _mention(match: re.Match) -> str:
    platform, _, user = match.group(1).partition(":")
    return f"<@{user}>" if platform == "slack" else f"@{user}"


def _title(title: str) -> Block:
    """A header, unless the title names someone: a header is plain text, where a
    mention would show as ``<@slack:U123>``; bold mrkdwn shows it as a mention."""
    if MENTION.search(title):
        return SectionBlock(text=MarkdownTextObject(text=f"*{escape(_clip(title, HEADER_LIMIT))}*"))
    return HeaderBlock(text=PlainTextObject(text=pings_nobody(_clip(title, HEADER_LIMIT)), emoji=True))


def render(reply: Reply, *, shared_by: str | None = None) -> SlackMessage:
    """Blocks for a reply. A shared (in-channel) copy carries no buttons but Full text."""
    shared = reply.visibility == Visibility.channel
    blocks: list[Block | dict] = [_title(reply.title)]
    if reply.summary:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=escape(reply.summary))]))
    for section in reply.sections:
        blocks += section_head_blocks(section)
        for item in section.items:
            blocks += _item_dicts(item, len(blocks))
    if shared_by:
        with i18n.speaking(reply.language):
            said = _("Shared by {person} with `/agenda`").format(person=f"<@{shared_by}>")
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=said)]))
    buttons = [_button(a, 100 + n) for n, a in enumerate(reply.actions) if not shared]
    blocks = _fit(blocks, reserve=1 if buttons else 0, language=reply.language)
    if buttons:
        blocks.append(ActionsBlock(elements=buttons[:25]))
    return SlackMessage(
        text=escape(render_summary(reply)),
        blocks=[block if isinstance(block, dict) else block_dict(block) for block in blocks],
        response_type="in_channel" if shared else "ephemeral",
    )


def section_head_blocks(section: Section) -> list[Block]:
    """A section's heading and body (its items are rendered one by one)."""
    blocks: list[Block] = []
    if section.heading:
        blocks += [DividerBlock(), SectionBlock(text=MarkdownTextObject(text=f"*{escape(section.heading)}*"))]
    if section.body:
        blocks += [SectionBlock(text=MarkdownTextObject(text=chunk)) for chunk in _chunks(_mrkdwn(section.body))]
    return blocks


def item_blocks(item: Item, index: int, *, accessory: BlockElement | None = None) -> list[Block]:
    """An item's blocks. ``accessory`` takes the place of the item's own button
    beside its text (the Home tab puts a status menu there)."""
    head = f"*{escape(item.id)}* · *{escape(item.title)}*"
    marker = ">" if item.quoted else ""  # agreed text is quoted; the bot's notes are not
    body = "\n".join(f"{marker}{line}" for line in escape(item.text).splitlines() or [""])
    chunks = _chunks(f"{head}\n{body}")
    if accessory is None and item.action:
        accessory = _button(item.action, index)
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=chunks[0]), accessory=accessory)]
    blocks += [
        SectionBlock(text=MarkdownTextObject(text=c if c.startswith(marker) else marker + c)) for c in chunks[1:]
    ]
    context = []
    if item.citation:
        context.append(MarkdownTextObject(text=f":page_facing_up: {escape(str(item.citation))}"))
    context += [MarkdownTextObject(text=f"*{escape(f.label)}:* {escape(f.value)}") for f in item.facts]
    if context:
        blocks.append(ContextBlock(elements=context[:10]))
    return blocks


ITEMS_KEPT = 16384  # more than a 10,000-commitment agenda, rendered whole at start (render_ahead)
_rendered_items: dict[int, tuple[Item, list[dict]]] = {}  # id(item) → (the item, its blocks as dicts)


def _item_dicts(item: Item, index: int) -> list[dict]:
    """``item_blocks`` as dicts, worked out once per Item object.

    The items of an answer are the objects kept per agenda revision (handlers/domain/cache.py,
    ``Agenda.items``), so the same item is rendered again and again in answers to different
    questions; only its button's id depends on where it stands in a message, and is set here.
    Bounded: past ITEMS_KEPT items it starts afresh (a new revision's items replace the old).
    """
    entry = _rendered_items.get(id(item))
    if entry is None or entry[0] is not item:  # the id of a dead object can be reused
        if len(_rendered_items) >= ITEMS_KEPT:
            _rendered_items.clear()
        entry = _rendered_items[id(item)] = (item, [block_dict(block) for block in item_blocks(item, 0)])
    dicts = entry[1]
    if item.action is None:
        return list(dicts)
    first = dicts[0]
    button = {**first["accessory"], "action_id": f"{ACTION_IDS[item.action.kind]}:{index}"}
    return [{**first, "accessory": button}, *dicts[1:]]


def render_ahead(items: Iterable[Item]) -> int:
    """Render these items' blocks now (``_item_dicts``); how many were rendered.

    What the server does at start with every commitment as worded for the agenda's revision
    (handlers/domain/cache.py, ``word_every_item``), in the start-up's thread: a new question's
    answer then renders no item for the first time, which on a 10,000-commitment agenda was
    a sixth of what a new search cost. Stops short of ITEMS_KEPT, where the renderings would
    start afresh. What it keeps is frozen out of the garbage collector's sight with the rest of
    what the start built (bot/web.py)."""
    done = 0
    for item in items:
        if len(_rendered_items) >= ITEMS_KEPT - 1:
            break
        _item_dicts(item, 0)
        done += 1
    return done


def _button(action: Action, index: int) -> ButtonElement:
    """A button whose value carries the /agenda text to run; ids are unique per message."""
    value = json.dumps({"q": action.query, "p": action.page}, ensure_ascii=False)
    if len(value) > BUTTON_VALUE_LIMIT:
        value = json.dumps({"q": action.query[:500], "p": action.page}, ensure_ascii=False)
    return ButtonElement(
        text=PlainTextObject(text=_clip(action.label, 75)),
        action_id=f"{ACTION_IDS[action.kind]}:{index}",
        value=value,
        style="primary" if action.kind == ActionKind.share else None,
    )


def _mrkdwn(body: str) -> str:
    return escape(body)


def _chunks(text: str, limit: int = SECTION_TEXT_LIMIT) -> list[str]:
    """Split on line breaks, then spaces, so no section exceeds Slack's limit."""
    chunks: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        chunks.append(text[:cut])
        text = text[cut:].lstrip("\n ")
    return [*chunks, text] if text or not chunks else chunks


def _fit(blocks: list[Block | dict], *, reserve: int, language: str) -> list[Block | dict]:
    room = MAX_BLOCKS - reserve
    if len(blocks) <= room:
        return blocks
    with i18n.speaking(language):
        said = _("The rest did not fit in one message; use More.")
    note = ContextBlock(elements=[MarkdownTextObject(text=f"_{said}_")])
    return [*blocks[: room - 1], note]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def block_dict(obj: JsonObject) -> dict:
    """``obj.to_dict()``: the same validators run (raising SlackObjectFormationError), the same dict."""
    cls = type(obj)
    if cls not in _VALIDATORS:
        plain = all(getattr(cls, m) is getattr(JsonObject, m) for m in _METHODS)
        # None: a class with its own to_dict (Option, ConfirmObject, …), which keeps it. A class's
        # attributes are the same for all its objects (every slack_sdk model spells them as a constant set).
        _VALIDATORS[cls] = (_validators_of(cls), tuple(sorted(obj.attributes))) if plain else None
    found = _VALIDATORS[cls]
    if found is None:
        return obj.to_dict()
    validators, attributes = found
    for name in validators:
        getattr(obj, name)()
    kind = getattr(obj, "type", None)
    return {
        key: _compatible(value) for key in attributes if _not_empty(kind, key, value := getattr(obj, key, None))
    }


_METHODS = ("to_dict", "validate_json", "get_non_null_attributes", "get_object_attribute")
_VALIDATORS: dict[type, tuple[tuple[str, ...], tuple[str, ...]] | None] = {}  # validators, attributes in order
_EMPTY_ALLOWED = {(entry["type"], entry["property"]) for entry in EMPTY_ALLOWED_TYPE_AND_PROPERTY_LIST}


def _validators_of(cls: type) -> tuple[str, ...]:
    """As JsonObject.validate_json finds them (methods marked by a JsonValidator), found on the class."""
    return tuple(
        name
        for name in dir(cls)
        if not name.startswith("__") and callable(method := getattr(cls, name, None)) and hasattr(method, "validator")
    )


def _not_empty(kind, key: str, value) -> bool:
    """JsonObject.get_non_null_attributes' test: None and empty lists or strings are left out."""
    if value is None:
        return False
    if (kind, key) in _EMPTY_ALLOWED:
        return True
    return len(value) > 0 if getattr(value, "__len__", None) is not None else True


def _compatible(value):
    if isinstance(value, (list, tuple)):
        return [_compatible(v) for v in value]
    if isinstance(value, JsonObject):
        return block_dict(value)
    to_dict = getattr(value, "to_dict", None)
    if to_dict and callable(to_dict):
        return {k: _compatible(v) for k, v in to_dict().items()}
    return value
