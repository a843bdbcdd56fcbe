"""A parser's complaint as a reply, in the reader's language and the reader's command words."""

from __future__ import annotations

from handlers.commands import registry
from handlers.commands.parser import ParseError
from handlers.views.i18n import _
from handlers.views.reply import Reply, Section, Tone


def error_reply(error: ParseError) -> Reply:
    """In the reader's language: a parser's constant messages are marked N_ and translated here."""
    message, suggestion = _(error.message), _(error.suggestion)
    # the command's word as the reader types it (`programmer`, not `schedule`), before the asker's own words go in
    message, suggestion = registry.in_reader_words(message), registry.in_reader_words(suggestion)
    if error.values:  # the asker's own words, shown as typed, in the sentence of the reader's language
        message, suggestion = message.format(**error.values), suggestion.format(**error.values)
    return Reply(title=message, sections=[Section(body=suggestion)], tone=Tone.error)
