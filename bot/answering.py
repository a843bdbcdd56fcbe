"""How every front end gets an answer: off the event loop, timed, never raising.

Slack and Teams both call this with the neutral /agenda text. A repeated
question whose answer is cached, and still good, is answered right here on the
event loop: no worker thread, no database. Still good means cached under the agenda
revision the front end read after the request arrived (``revision``: Slack over HTTP
reads it with the replay store, bot/slack/gate.py), or, without one, the revision this
process read a moment ago (handlers.domain.cache.RevisionHint).
With that revision, a new question that needs no row is answered on the event loop too
(handlers.answer_from_memory): the hop to a thread, and the wait for the GIL to come back,
cost more than the answer. Anything else runs in a worker thread, because the handlers
use a blocking database session.
"""

from __future__ import annotations

import asyncio
import logging
import time

from bot.metrics import Metrics
from handlers import answer, answer_from_memory, cached_reply, command_name, handle
from handlers.commands.parser import ParseError, parse
from handlers.domain.languages import known_language
from handlers.domain.ports import Ports, Requester
from handlers.views import i18n
from handlers.views.i18n import N_, _
from handlers.views.reply import Reply, Section, Tone, Visibility

logger = logging.getLogger(__name__)

FAILED_TITLE = N_("Something went wrong on our side")
FAILED_HINT = N_("The error is logged. Please try again in a moment.")
FAILED = Reply(title=FAILED_TITLE, sections=[Section(body=FAILED_HINT)], tone=Tone.error)


def failed(ports: Ports, requester: Requester) -> Reply:
    """FAILED, in the asker's language when it is known without a read (the database may be what failed)."""
    with i18n.speaking(known_language(ports, requester)):
        return Reply(title=_(FAILED_TITLE), sections=[Section(body=_(FAILED_HINT))], tone=Tone.error)


def answer_at_once(
    text: str | None,
    requester: Requester,
    *,
    ports: Ports,
    platform: str,
    metrics: Metrics | None = None,
    page: int = 1,
    audience: Visibility = Visibility.private,
    revision: int | None = None,
) -> Reply | None:
    """The answer given at once on the event loop (no task, no thread): cached and still good, or
    else, with the request's own ``revision``, worked out from memory alone; None when neither can
    be, and then ``answer_off_loop`` answers (and logs what went wrong, if anything did)."""
    started = time.perf_counter()
    try:
        parsed = parse(text, page=page)
        if isinstance(parsed, ParseError):
            return None
        reply = cached_reply(parsed, ports=ports, requester=requester, audience=audience, revision=revision)
        if reply is None:
            reply = answer_from_memory(parsed, ports=ports, requester=requester, audience=audience, revision=revision)
    except Exception:
        return None
    if reply is not None and metrics is not None:
        metrics.command_seconds.labels(platform, command_name(parsed)).observe(time.perf_counter() - started)
    return reply


async def answer_off_loop(
    text: str | None,
    requester: Requester,
    *,
    ports: Ports,
    platform: str,
    metrics: Metrics | None = None,
    page: int = 1,
    audience: Visibility = Visibility.private,
    revision: int | None = None,
) -> Reply:
    started = time.perf_counter()
    parsed = None
    try:
        parsed = parse(text, page=page)  # once: the cache, the handler and the metric label all use it
        if isinstance(parsed, ParseError):  # worded in the asker's language, which may need a read
            return await asyncio.to_thread(answer, text, ports=ports, requester=requester, page=page)
        cached = cached_reply(parsed, ports=ports, requester=requester, audience=audience, revision=revision)
        if cached is not None:
            return cached
        return await asyncio.to_thread(
            handle, parsed, ports=ports, requester=requester, audience=audience, revision=revision
        )
    except Exception:
        logger.exception("agenda failed in %s for %s", platform, requester.user_ref)
        return failed(ports, requester)
    finally:
        if metrics is not None:
            metrics.command_seconds.labels(platform, command_name(parsed)).observe(time.perf_counter() - started)
