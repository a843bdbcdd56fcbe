"""`/agenda documents`: the source documents, with their dates and how many commitments each holds,
as the asker may see them (a document none of whose commitments they may see is not listed).

The answer is the question's ("which documents", handlers/commands/answers.py): one implementation, one answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.commands.questions import Intent, Question
from handlers.commands.registry import Access, CommandSpec, bare
from handlers.domain.context import Context
from handlers.views.i18n import N_
from handlers.views.reply import Reply


@dataclass(frozen=True)
class Documents:
    pass


def documents(_command: Documents, ctx: Context) -> Reply:
    from handlers.commands.answers import answer_question  # the answers' code loads with a command that needs it

    return answer_question(Question(Intent.documents, asked="documents"), ctx)


COMMANDS = (
    CommandSpec(
        name="documents",
        words={"documents": bare(Documents)},  # "documents on Afghanistan" stays a lookup
        handlers={Documents: documents},
        access=Access.read,
        rank=35,
        examples=("documents",),
        help=N_("`/agenda documents`: the source documents, with their dates and how many commitments each holds."),
    ),
)
