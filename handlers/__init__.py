"""Platform-neutral command handling: text in, Reply out.

``answer(text, ...)`` is what every front end calls: it parses the words
after /agenda, runs the matching handler inside one database session, and
turns any input problem into a helpful Reply instead of an exception.
"""

from __future__ import annotations

from collections.abc import Callable

from handlers.commands import Areas, Command, Help, Lookup, Mine, Next, OwnedBy, ParseError, Show, parse
from handlers.context import Context
from handlers.listings import areas, help_reply, mine, owned_by, show, upcoming
from handlers.lookup import lookup
from handlers.ports import Ports, Requester
from handlers.reply import Reply, Section, Tone

ROUTES: dict[type, Callable[[Command, Context], Reply]] = {
    Help: help_reply,
    Areas: areas,
    Show: show,
    Next: upcoming,
    Mine: mine,
    OwnedBy: owned_by,
    Lookup: lookup,
}


def handle(command: Command, *, ports: Ports, requester: Requester) -> Reply:
    with ports.open_session() as session:
        return ROUTES[type(command)](command, Context(session, ports, requester))


def answer(text: str | None, *, ports: Ports, requester: Requester, page: int = 1) -> Reply:
    parsed = parse(text, page=page)
    if isinstance(parsed, ParseError):
        return error_reply(parsed)
    return handle(parsed, ports=ports, requester=requester)


def error_reply(error: ParseError) -> Reply:
    return Reply(title=error.message, sections=[Section(body=error.suggestion)], tone=Tone.error)


__all__ = ["Ports", "Reply", "Requester", "answer", "handle", "parse"]
