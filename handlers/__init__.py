"""Platform-neutral command handling: text in, Reply out.

``answer(text, ...)`` is what every front end calls: it parses the words
after /agenda, runs the matching handler inside one database session, and
turns any input problem into a helpful Reply instead of an exception.
"""

from __future__ import annotations

import dataclasses
import logging

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from handlers.commands import registry
from handlers.commands.errors import error_reply
from handlers.commands.parser import Command, Mine, ParseError, parse
from handlers.domain import audience
from handlers.domain.context import Context
from handlers.domain.languages import known_language, requester_language
from handlers.domain.ports import OpenSession, Ports, Requester
from handlers.views import i18n
from handlers.views.i18n import _
from handlers.views.reply import ActionKind, Fact, Item, Reply, Tone, Visibility
from models import repository
from models.db import NeedsDatabase, declare_write, memory_only

logger = logging.getLogger(__name__)

# Derived from the command table (handlers/commands/registry.py, handlers/commands/subcommands/): each Command's
# handler (registry.handler_of); the reads, whose answers are cached per agenda revision (handlers/domain/cache.py)
# and may be shared; the changes, which take the write lock and refresh views (registry.access_of). A read that is
# not cached (plan, slot, the form) is neither. Found by the Command's type name, so running one command imports
# that command's code only; the whole sets, ROUTES, READS and CHANGES, are built on first use (tests, tools).
_WHOLE = {
    "ROUTES": registry.routes,
    "READS": lambda: registry.with_access(registry.Access.read),
    "CHANGES": lambda: registry.with_access(registry.Access.change),
}


def __getattr__(name: str):
    if name in _WHOLE:
        globals()[name] = value = _WHOLE[name]()
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _reads(command: Command) -> bool:
    return registry.access_of(type(command)) == registry.Access.read


def _changes(command: Command) -> bool:
    return registry.access_of(type(command)) == registry.Access.change


def concurrent_change() -> Reply:
    return Reply(
        title=_("Someone changed this at the same moment; your change was not saved."),
        summary=_("Look at it again (`/agenda history <id>`) and repeat your change if it still applies."),
        tone=Tone.error,
    )


CONCURRENT_CHANGE = concurrent_change()  # in English


def handle(
    command: Command,
    *,
    ports: Ports,
    requester: Requester,
    audience: Visibility = Visibility.private,
    revision: int | None = None,
    open_session: OpenSession | None = None,
) -> Reply:
    """Run one command in one transaction: its changes and their audit entries
    are committed together, or not at all.

    ``revision``: the agenda revision the front end read after the request arrived (in the
    replay store's batch, bot/seen_requests.py). A read then answers as of it without reading
    it again: a cached answer opens no connection at all, and what a fresh one reads is at
    least that revision (handlers/domain/cache.py). Without it, the read reads it here.
    ``open_session``: instead of ``ports.open_session`` (answer_from_memory gives a MemoryOnly one)."""
    language = language_of_requester(ports, requester)  # read apart: a change's session starts with its write
    with i18n.speaking(language), (open_session or ports.open_session)() as session:
        if _changes(command):
            declare_write(session)
        ctx = Context(session, ports, requester, audience)
        if _reads(command):
            if revision is None:
                reading = ports.revision.reading()
                revision = repository.current_revision(session=session)
                ports.revision.saw(revision, reading)
            ctx.revision = revision  # read once: the agenda cache need not read it again
            key = _reply_key(ports, command, ctx.today, revision, _viewer(ctx, revision))
            if (cached := ports.replies.get(key)) is not None:
                return cached
            reply = _for_audience(_answered(command, ctx), command, ctx)
            ports.replies.put(key, reply)
            return reply
        try:
            reply = _for_audience(_answered(command, ctx), command, ctx, done=True)
            session.commit()
        except (StaleDataError, IntegrityError):
            session.rollback()
            logger.info("concurrent change refused for %s: %s", requester.user_ref, command)
            return concurrent_change()
        finally:
            ports.revision.forget()  # this process's own change must show in its next answer
        return reply


def _answered(command: Command, ctx: Context) -> Reply:
    """The command's handler's reply, the commands it names worded as the reader types them (`/agenda historique`)."""
    return _in_reader_words(registry.reply_in_reader_words(registry.handler_of(type(command))(command, ctx)))


def _for_audience(reply: Reply, command: Command, ctx: Context, *, done: bool = False) -> Reply:
    """Every answer a conversation shares passes the one audience check (handlers/domain/audience.py)."""
    if audience.is_private(ctx.audience):
        return reply
    ctx.session.flush()  # a change in this command (a sensitivity) counts already
    said = " ".join(str(value) for value in dataclasses.astuple(command))  # what the asker said there
    return audience.shared_safe(reply, ctx.session, said=said, done=done and reply.tone == Tone.answer)


def _in_reader_words(reply: Reply) -> Reply:
    """What the sentences' pass (registry.reply_in_reader_words) leaves, in the reader's words too: an item's facts
    and source note (`texte convenu en anglais : /agenda voir 2002-A4`), and what the reply's buttons run, which a
    platform's plain text shows beside each (`[Historique] /agenda historique pol-mil`, handlers/views/text.py)
    and which the parser reads as the same command (registry.typed_as)."""
    if i18n.current() == i18n.ENGLISH:
        return reply

    def said(text: str) -> str:  # (a word quoted alone may be the English beside the reader's: help's `(`history`)`)
        return registry.in_reader_words(text, alone=False) if text else text

    hinted = (ActionKind.run, ActionKind.more)  # (a page's More runs what was asked: `owner DND` for `DND` too)

    def item(i: Item) -> Item:
        facts = [Fact(f.label, said(f.value)) for f in i.facts]
        citation = dataclasses.replace(i.citation, note=said(i.citation.note)) if i.citation else None
        return dataclasses.replace(i, facts=facts, citation=citation, text=i.text if i.quoted else said(i.text))

    return dataclasses.replace(
        reply,
        sections=[dataclasses.replace(s, items=[item(i) for i in s.items]) for s in reply.sections],
        actions=[dataclasses.replace(a, query=registry.typed_as(a.query)) if a.kind in hinted else a
                 for a in reply.actions],  # fmt: skip
    )


def _reply_key(ports: Ports, command: Command, today, revision: int, viewer: tuple) -> tuple:
    personal = viewer[1] if isinstance(command, Mine) else None  # "mine" differs per person
    return (revision, today, ports.page_size, command, viewer[0], personal, i18n.current())  # and per language


def _viewer_key(revision: int, requester: Requester, audience: Visibility) -> tuple:
    return ("viewer", revision, requester.user_ref, audience)


def _viewer(ctx: Context, revision: int) -> tuple:
    """What decides who sees what in a read answer (see Context.visible), and who asks.

    It depends only on agenda rows (roles, owners, sensitivity), so it is
    itself cached for the revision: a cache hit then costs one query.
    """
    key = _viewer_key(revision, ctx.requester, ctx.audience)
    view = ctx.ports.replies.get(key)
    if view is None:
        if ctx.sees_everything:
            view = ("everything",)
        elif ctx.audience == Visibility.channel:
            view = ("channel",)
        else:
            view = (
                "private",
                repository.restricted_ids_owned_by(session=ctx.session, owner_refs=ctx.identities),
            )
        ctx.ports.replies.put(key, view)
    return (view, ctx.requester.user_ref)


def answer(
    text: str | None,
    *,
    ports: Ports,
    requester: Requester,
    page: int = 1,
    audience: Visibility = Visibility.private,
) -> Reply:
    with i18n.speaking(language_of_requester(ports, requester)):  # a parse error is worded in it too
        parsed = parse(text, page=page)
        if isinstance(parsed, ParseError):
            return error_reply(parsed)
        return handle(parsed, ports=ports, requester=requester, audience=audience)


def language_of_requester(ports: Ports, requester: Requester) -> str:
    """The asker's language: from memory, else read (handlers/domain/languages.py)."""
    known = known_language(ports, requester)
    if known is not None:
        return known
    with ports.open_session() as session:
        return requester_language(ports, session, requester)


def cached_reply(
    command: Command,
    *,
    ports: Ports,
    requester: Requester,
    audience: Visibility = Visibility.private,
    revision: int | None = None,
) -> Reply | None:
    """The answer `answer` would give to this command, if it is cached under ``revision`` (read by
    the front end after the request arrived, see `handle`) or, without one, under the revision
    this process read a moment ago (see RevisionHint); otherwise None.

    Touches no database and does no I/O, so a front end may call it on its
    event loop and fall back to `answer` (or `handle`) in a worker thread.
    """
    if revision is None:
        revision = ports.revision.recent()
    if revision is None or not _reads(command):
        return None
    view = ports.replies.get(_viewer_key(revision, requester, audience))
    if view is None:
        return None
    today = ports.clock.now().date()  # as Context.today
    language = known_language(ports, requester)
    if language is None:  # not known in memory: the answer reads it (handle)
        return None
    with i18n.speaking(language):
        return ports.replies.get(_reply_key(ports, command, today, revision, (view, requester.user_ref)))


def answer_from_memory(
    command: Command,
    *,
    ports: Ports,
    requester: Requester,
    audience: Visibility = Visibility.private,
    revision: int | None = None,
) -> Reply | None:
    """The answer `handle` gives this read, computed from what this process holds in memory, or None
    when that is not enough (then `handle` answers it in a worker thread, from the start).

    Most fresh questions need no row: the agenda cache (index, wording of every item, lineage) is
    built for ``revision`` and what the asker may see is kept per revision. Run with a session that
    has no database behind it (models.db.MemoryOnly), the very same handler either answers, never
    having waited on I/O, so a front end may call this on its event loop and skip the hop to a
    thread; or stops at its first statement, before it keeps anything. Only with the revision the
    front end read after the request arrived (reading it is a statement), and the asker's language
    known in memory."""
    if revision is None or not _reads(command) or known_language(ports, requester) is None:
        return None
    try:
        return handle(
            command, ports=ports, requester=requester, audience=audience, revision=revision, open_session=memory_only
        )
    except NeedsDatabase:
        return None


def command_name(parsed: Command | ParseError | None) -> str:
    """What kind of command it is ("lookup", "show", "assign", …; "invalid" for words
    that do not parse, or that broke the parser), for metrics."""
    return "invalid" if parsed is None or isinstance(parsed, ParseError) else type(parsed).__name__.lower()


def is_shareable(text: str | None) -> bool:
    """Whether these words are a read-only question, the only kind of answer a Share posts."""
    return _reads(parse(text))


def is_change(text: str | None) -> bool:
    """Whether these words are a command that changes the agenda (for front ends that refresh views)."""
    return _changes(parse(text))


__all__ = ["Ports", "Reply", "Requester", "answer", "answer_from_memory", "handle", "parse"]
