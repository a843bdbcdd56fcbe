"""Reply → Adaptive Cards (version 1.5, the most Teams renders), built with
microsoft_teams.cards.

Teams refuses messages over about 100 KB (measured as UTF-16) and advises
staying under 80 KB, so a long reply is split into several cards, each well
under that; buttons go on the last one. Buttons are ``Action.Execute``: a
press comes back as an ``adaptiveCard/action`` invoke carrying the /agenda text
to run, exactly like a Slack button's value.

There is no ephemeral message in Teams: what the bot posts in a channel is
seen by everyone. So answers there are computed for the channel audience
(restricted items left out) and carry no Share button: they are shared already.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Container,
    ExecuteAction,
    Fact,
    FactSet,
    Image,
    TextBlock,
)

from handlers.views import i18n
from handlers.views.i18n import _
from handlers.views.reply import MENTION, Action, ActionKind, Item, Reply, Section
from handlers.views.text import render_summary

CARD_BUDGET = 60_000  # bytes as UTF-16: under Teams' advised 80 KB, with room for the activity around it
TEXT_LIMIT = 8_000  # characters in one text block; the handlers trim long agreed texts before this
MAX_ACTIONS = 6  # Teams shows about six buttons before folding them away
VERB_PREFIX = "agenda."


@dataclass(frozen=True)
class TeamsMessage:
    cards: list[AdaptiveCard]
    summary: str  # the plain-text fallback: notifications, and clients that cannot show the card


def verb(kind: ActionKind) -> str:
    return f"{VERB_PREFIX}{kind.value}"


def render(reply: Reply) -> TeamsMessage:
    summary = plain(render_summary(reply))
    head: list[CardElement] = [TextBlock(text=plain(reply.title), wrap=True, size="Large", weight="Bolder")]
    if reply.summary:
        head.append(TextBlock(text=plain(reply.summary), wrap=True, is_subtle=True))
    elements = [*head]
    for section in reply.sections:
        elements += section_elements(section)
    if reply.image:  # inline, as a data URI: nothing to host, and the card stays one message
        url = f"data:image/png;base64,{reply.image.png_base64}"
        elements.append(Image(url=url, alt_text=plain(reply.image.alt), allow_expand=True, separator=True))
    actions = [_button(a) for a in reply.actions if a.kind != ActionKind.share][:MAX_ACTIONS]
    with i18n.speaking(reply.language):
        return TeamsMessage(cards=_split(elements, actions, summary, reply.title), summary=summary)


def section_elements(section: Section) -> list[CardElement]:
    elements: list[CardElement] = []
    if section.heading:
        elements.append(TextBlock(text=plain(section.heading), wrap=True, weight="Bolder", separator=True))
    if section.body:
        elements.append(TextBlock(text=_clip(plain(section.body)), wrap=True))
    elements += [item_element(item) for item in section.items]
    return elements


def item_element(item: Item) -> Container:
    """One commitment: its id and title, the agreed text set apart, the source, facts and its button."""
    parts: list[CardElement] = [TextBlock(text=f"{plain(item.id)} · {plain(item.title)}", wrap=True, weight="Bolder")]
    text = TextBlock(text=_clip(plain(item.text)), wrap=True)
    parts.append(Container(items=[text], style="emphasis") if item.quoted else text)
    if item.citation:
        parts.append(TextBlock(text=plain(str(item.citation)), wrap=True, is_subtle=True, size="Small"))
    if item.facts:
        parts.append(FactSet(facts=[Fact(title=plain(f.label), value=plain(f.value)) for f in item.facts]))
    if item.action and item.action.kind != ActionKind.share:
        parts.append(ActionSet(actions=[_button(item.action)]))
    return Container(items=parts, separator=True, spacing="Medium")


def plain(text: str) -> str:
    """Neutral mentions as @name; Teams' card markdown has no use for our backticks. Nothing becomes a link
    whose words hide where it goes: words echoed from a message ("[Sign in](https://…)") would otherwise be
    a link the bot posted in the channel; a word joiner between "]" and "(" shows the same and links nothing."""
    return MENTION.sub(lambda m: "@" + m.group(1).split(":", 1)[1], text).replace("`", "").replace("](", "]\u2060(")


def _button(action: Action) -> ExecuteAction:
    return ExecuteAction(title=action.label[:60], verb=verb(action.kind), data={"q": action.query, "p": action.page})


def _split(elements: list[CardElement], actions: list[ExecuteAction], summary: str, title: str) -> list[AdaptiveCard]:
    """Fill cards up to the budget; the buttons ride on the last card."""
    cards: list[AdaptiveCard] = []
    body: list[CardElement] = []
    for element in elements:
        if body and _size(_card([*body, element], summary)) > CARD_BUDGET:
            cards.append(_card(body, summary))
            continued = _("{title} (continued, part {n})").format(title=plain(title), n=len(cards) + 1)
            body = [TextBlock(text=continued, wrap=True, weight="Bolder")]
        body.append(element)
    last = _card(body, summary, actions)
    if _size(last) > CARD_BUDGET and len(body) > 1:  # the buttons tipped it over: they get a card of their own
        cards.append(_card(body, summary))
        last = _card([TextBlock(text=plain(title), wrap=True, weight="Bolder")], summary, actions)
    return [*cards, last]


def _card(body: list[CardElement], summary: str, actions: list[ExecuteAction] | None = None) -> AdaptiveCard:
    card = AdaptiveCard(version="1.5", body=list(body), fallback_text=summary)
    if actions:
        card.actions = list(actions)
    return card


def card_json(card: AdaptiveCard) -> dict:
    return json.loads(card.model_dump_json(by_alias=True, exclude_none=True))


def _size(card: AdaptiveCard) -> int:
    return len(card.model_dump_json(by_alias=True, exclude_none=True).encode("utf-16-le"))


def _clip(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"
