"""Reply → Adaptive Cards: version 1.5, under Teams' size limit (split when
longer), a plain-text fallback, Action.Execute buttons carrying the query."""

from __future__ import annotations

import json

from bot.teams.render import card_json, render
from handlers.views.reply import Action, ActionKind, Citation, Fact, Item, Reply, Section, Visibility

LIMIT = 80_000  # bytes as UTF-16, Teams' advised maximum for a message


def _item(n: int, text: str = "Agreed text. " * 40) -> Item:
    return Item(
        id=f"2002-A{n}",
        title=f"Commitment {n}",
        text=text,
        citation=Citation("2002 Proposals for Collaboration", "24 Nov 2002", "A. Terrorism"),
        facts=[Fact("Owners", "<@teams:aad-ada-0001>, DND")],
        action=Action(ActionKind.show, "Full text", f"show 2002-A{n}"),
    )


def _size(card: dict) -> int:
    return len(json.dumps(card, ensure_ascii=False).encode("utf-16-le"))


def test_a_short_reply_is_one_card_with_fallback_and_buttons():
    reply = Reply(
        title="Counter-terrorism: 2 commitments",
        summary="Newest first.",
        sections=[Section(heading="2002", items=[_item(1), _item(2)])],
        actions=[Action(ActionKind.share, "Share", "CT"), Action(ActionKind.more, "More", "CT", 2)],
    )
    message = render(reply)
    [card] = [card_json(c) for c in message.cards]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert card["fallbackText"] == message.summary == "Counter-terrorism: 2 commitments. Newest first."
    more = {"type": "Action.Execute", "title": "More", "verb": "agenda.more", "data": {"q": "CT", "p": 2}}
    assert card["actions"] == [more]
    text = json.dumps(card, ensure_ascii=False)
    assert "@aad-ada-0001" in text and "<@" not in text  # neutral mentions read as names
    assert '"verb": "agenda.show"' in text and "show 2002-A1" in text


def test_a_long_reply_is_split_into_cards_each_under_the_limit():
    reply = Reply(
        title="Weekly digest",
        sections=[Section(heading=f"Area {s}", items=[_item(n, "x" * 6000) for n in range(12)]) for s in range(4)],
        actions=[Action(ActionKind.more, "More", "digest", 2)],
        visibility=Visibility.channel,
    )
    cards = [card_json(c) for c in render(reply).cards]
    assert len(cards) > 1
    assert all(_size(c) < LIMIT for c in cards)
    assert [("actions" in c) for c in cards] == [False] * (len(cards) - 1) + [True]  # buttons on the last
    assert "continued, part 2" in cards[1]["body"][0]["text"]
    everything = json.dumps(cards, ensure_ascii=False)
    assert all(f"2002-A{n} · Commitment {n}" in everything for n in range(12))


def test_one_huge_text_is_clipped_not_refused():
    reply = Reply(title="One long item", sections=[Section(items=[_item(1, "y" * 200_000)])])
    [card] = [card_json(c) for c in render(reply).cards]
    assert _size(card) < LIMIT and "…" in json.dumps(card, ensure_ascii=False)
