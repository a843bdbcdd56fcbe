"""`/agenda documents` (handlers/commands/subcommands/documents.py): a command added as one module. It lists the
source documents with their dates and commitment counts, as the asker may see them, and answers as the
question "which documents" does."""

from __future__ import annotations

import dataclasses

import pytest

from handlers import CHANGES, READS, answer, command_name
from handlers.commands import registry
from handlers.commands.listings import help_reply
from handlers.commands.parser import Help, Lookup, parse
from handlers.commands.questions import Intent, recognise
from handlers.commands.subcommands.documents import Documents
from handlers.views.reply import ActionKind, Reply, Visibility
from tests.test_audience import COORD, MEMBER, OWNER, SECRET_MEETING, everything_in, save

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])  # nothing here depends on the database


@pytest.fixture
def agenda(ports):
    return dataclasses.replace(ports, admins=frozenset({COORD.user_ref}))


def _same(reply: Reply) -> tuple:
    """What a person reads, and the buttons that run something (Share runs the words as typed)."""
    runs = [(a.label, a.query) for a in reply.actions if a.kind != ActionKind.share]
    return reply.title, reply.summary, reply.sections, reply.tone, runs


def test_documents_is_a_command_of_its_own_that_reads_and_is_listed_in_help(backend):
    assert parse("documents") == parse("Documents") == Documents()
    assert command_name(parse("documents")) == "documents"
    assert recognise("documents").intent == Intent.documents  # the question still knows the word
    assert parse("documents on Afghanistan") == Lookup("documents on Afghanistan")  # words after it: a topic
    assert Documents in READS and Documents not in CHANGES
    assert "`/agenda documents`: the source documents" in help_reply(Help(), None).sections[0].body
    assert "documents" in registry.keywords()


def test_it_lists_each_document_with_its_date_and_count(agenda, backend):
    reply = answer("documents", ports=agenda, requester=MEMBER)
    assert reply.title.startswith("4 source documents") and reply.title.endswith(": 107 commitments.")
    body = reply.sections[0].body
    assert "Indo-Pacific region (Mon 3 May 2021 (inferred), London); 8 commitments" in body
    assert len(body.splitlines()) == 4
    assert [a.query for a in reply.actions if a.kind == ActionKind.share] == ["documents"]


def test_the_command_and_the_question_give_the_same_answer_to_everyone_everywhere(agenda, backend):
    assert not save(agenda, SECRET_MEETING).errors  # a restricted item, owned by Maria, in a document of its own
    for who in (MEMBER, COORD, OWNER):
        for where in (Visibility.private, Visibility.channel):
            command = answer("documents", ports=agenda, requester=who, audience=where)
            for question in ("which documents?", "quels documents ?", "文書"):
                assert _same(answer(question, ports=agenda, requester=who, audience=where)) == _same(command)


def test_a_restricted_document_is_counted_only_for_those_who_may_see_it(agenda, backend):
    assert not save(agenda, SECRET_MEETING).errors
    owner_privately = answer("documents", ports=agenda, requester=OWNER)
    assert owner_privately.title.startswith("5 source documents") and owner_privately.title.endswith(
        ": 108 commitments."
    )
    for who, where in [(MEMBER, Visibility.private), (OWNER, Visibility.channel)]:
        reply = answer("documents", ports=agenda, requester=who, audience=where)
        assert reply.title.startswith("4 source documents"), (who, where)
        assert "Added in the bot" not in everything_in(reply)
