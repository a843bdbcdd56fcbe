"""People by name where a platform cannot show them itself (handlers.views.reply.with_names,
bot.names.NameBook): Slack keeps its own mentions, Teams cards name everyone,
commands behind buttons are never touched, and names learned elsewhere arrive."""

from __future__ import annotations

import asyncio

from bot.names import NameBook
from handlers.views.reply import Action, ActionKind, Fact, Item, Reply, Section, with_names
from models.db import session
from models.tables import Person

NAMES = {"slack:UMARIA": "Maria Sato", "teams:aad-ken": "Ken Tanaka"}
REPLY = Reply(
    title="Owners of 2002-A4: <@slack:UMARIA>, <@teams:aad-ken>",
    summary="Assigned by <@teams:aad-ken>.",
    sections=[
        Section(
            heading="For <@slack:UMARIA>",
            body="Ask <@slack:UADMIN>.",
            items=[Item("2002-A4", "MLAT", "text", None, facts=[Fact("Owners", "<@teams:aad-ken>, GAC")])],
        )
    ],
    actions=[Action(ActionKind.run, "Theirs", "owner <@teams:aad-ken>")],
)


def test_slack_keeps_its_own_mentions_and_names_the_rest():
    named = with_names(REPLY, NAMES, native="slack")
    assert named.title == "Owners of 2002-A4: <@slack:UMARIA>, @Ken Tanaka"
    assert named.sections[0].items[0].facts[0].value == "@Ken Tanaka, GAC"
    assert named.actions[0].query == "owner <@teams:aad-ken>"  # a command, not text to read


def test_a_card_names_everyone_it_knows_and_leaves_the_rest_as_they_were():
    named = with_names(REPLY, NAMES)
    assert named.summary == "Assigned by @Ken Tanaka."
    assert named.sections[0].heading == "For @Maria Sato"
    assert named.sections[0].body == "Ask <@slack:UADMIN>."  # no name known: the renderer shows the id
    assert with_names(Reply(title="No mentions"), NAMES) == Reply(title="No mentions")


def test_the_book_loads_names_and_reloads_them_when_a_minute_old(ports, engine):
    now = [0.0]
    book = NameBook(ports, monotonic=lambda: now[0])
    with session(engine) as db:
        db.add(Person(user_ref="teams:aad-ken", display_name="Ken Tanaka"))
        db.commit()
    book.load()
    assert book.named(REPLY).sections[0].items[0].facts[0].value == "@Ken Tanaka, GAC"
    with session(engine) as db:  # another replica learns Maria's name
        db.add(Person(user_ref="slack:UMARIA", display_name="Maria Sato"))
        db.commit()

    async def render_later(seconds: float) -> str:
        now[0] = seconds
        book.named(REPLY)  # starts a reload when stale; this answer uses what is known
        if book._loading is not None:
            await book._loading
        return book.named(REPLY).title

    assert "Maria Sato" not in asyncio.run(render_later(30))
    assert asyncio.run(render_later(61)) == "Owners of 2002-A4: @Maria Sato, @Ken Tanaka"


def test_a_book_without_a_server_knows_nobody_and_changes_nothing():
    assert NameBook().named(REPLY) == REPLY
