"""bot/slack/render.block_dict gives what slack_sdk's to_dict() gives, and refuses what it refuses."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import ConfirmObject, HeaderBlock, Option, PlainTextObject, StaticSelectElement

from bot.slack import render as slack_render
from handlers.views.reply import Action, ActionKind, Citation, Fact, Item, Reply, Section, Visibility

ITEM = Item(
    id="2002-A4",
    title="Counter-terrorism <dialogue> & more",
    text="First line of the agreed text.\n" + "A long line of agreed words. " * 150,  # chunked past 3,000
    citation=Citation(document="2002 Proposals for Collaboration", date="24 Nov 2002", section="A"),
    facts=[Fact("Owner", "<@slack:U123>"), Fact("Status", "ongoing")],
    action=Action(ActionKind.show, "Full text", "show 2002-A4"),
)
REPLIES = [
    Reply(title="Nothing found for “frobnication”"),
    Reply(
        title="Owned by <@slack:U123>: 2 commitments",  # a mention: bold mrkdwn, not a header
        summary="Agreed texts that hold these words, best first.",
        sections=[
            Section(heading="Nearest, not a match", body="`/agenda areas` lists every area.", items=[ITEM]),
            Section(items=[Item(id="2005-E1", title="t", text="", citation=None, quoted=False)]),
        ],
        actions=[Action(ActionKind.share, "Share", "MLAT"), Action(ActionKind.more, "More", "MLAT", page=2)],
    ),
    Reply(title="x" * 400, summary="y", sections=[Section(items=[ITEM] * 30)], visibility=Visibility.channel),
]


def _with_sdk_to_dict(reply: Reply, monkeypatch) -> list[dict]:
    with monkeypatch.context() as patched:
        patched.setattr(slack_render, "block_dict", lambda block: block.to_dict())
        return slack_render.render(reply).blocks


@pytest.mark.parametrize("reply", REPLIES, ids=["plain", "mention-sections-buttons", "long-shared"])
def test_the_same_blocks_as_the_sdk(reply, monkeypatch):
    assert slack_render.render(reply).blocks == _with_sdk_to_dict(reply, monkeypatch)


def test_the_same_refusals_and_own_to_dict():
    too_long = HeaderBlock(text=PlainTextObject(text="x" * 151))
    with pytest.raises(SlackObjectFormationError):
        too_long.to_dict()
    with pytest.raises(SlackObjectFormationError):
        slack_render.block_dict(too_long)
    # Options and confirmations have a to_dict of their own: it is the one used.
    select = StaticSelectElement(
        action_id="pick",
        options=[Option(value="a", label="A"), Option(value="b", label="B")],
        confirm=ConfirmObject(title="Sure?", text="Really"),
    )
    assert slack_render.block_dict(select) == select.to_dict()
