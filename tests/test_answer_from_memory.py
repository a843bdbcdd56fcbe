"""A read answered from memory on the event loop (handlers.answer_from_memory) is the answer the
worker thread gives, or none at all: it never reads a row, never waits for a rebuild, and gives up
(None) whenever the real answer needs the database, which then answers it (bot/answering.py)."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from sqlalchemy import event

from handlers import answer, answer_from_memory, handle, parse
from handlers.domain.cache import word_every_item
from handlers.domain.ports import Requester
from models import repository
from models.db import NeedsDatabase, memory_only, session
from models.revision import agenda_changed

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


def _warm(ports, requester) -> None:
    """As a running bot has it: the asker met, the agenda built and every item worded (bot/web.py)."""
    answer("areas", ports=ports, requester=requester)
    with ports.open_session() as db:
        word_every_item(db, ports.cache.get(db, ports.clock.now().date()))


def _revision(engine) -> int:
    with session(engine) as db:
        return repository.current_revision(session=db)


def _statements(engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, statement, *_a: seen.append(statement))
    return seen


def test_a_memory_only_session_refuses_its_first_statement(backend):
    with memory_only() as db, pytest.raises(NeedsDatabase):
        repository.current_revision(session=db)


def test_a_new_question_is_answered_from_memory_as_the_thread_answers_it(backend, ports, requester, engine):
    _warm(ports, requester)
    revision = _revision(engine)
    asked = ["peacekeeping training", "IAEA safeguards", "MLAT", "show 2002-A4", "frobnication", "next"]
    statements = _statements(engine)
    from_memory = {}
    for words in asked:
        reply = answer_from_memory(parse(words), ports=ports, requester=requester, revision=revision)
        if reply is not None:
            from_memory[words] = reply
    assert "peacekeeping training" in from_memory and "frobnication" in from_memory
    assert not [s for s in statements if not s.lstrip().upper().startswith("BEGIN")]  # not one row read
    ports.replies._entries.clear()  # the thread's answers computed afresh, not found in the cache
    for words, reply in from_memory.items():
        assert handle(parse(words), ports=ports, requester=requester, revision=revision) == reply


def test_without_the_requests_revision_or_the_askers_language_it_gives_up(backend, ports, requester, engine):
    command = parse("peacekeeping training")
    assert answer_from_memory(command, ports=ports, requester=requester, revision=_revision(engine)) is None  # not met
    _warm(ports, requester)
    assert answer_from_memory(command, ports=ports, requester=requester, revision=None) is None
    assert answer_from_memory(command, ports=ports, requester=requester, revision=_revision(engine)) is not None


def test_a_change_is_never_run_from_memory(backend, ports, requester, engine):
    answer("areas", ports=ports, requester=requester)
    change = parse("status 2002-A4 done")
    assert answer_from_memory(change, ports=ports, requester=requester, revision=_revision(engine)) is None


def test_a_new_revision_is_left_to_the_thread_without_waiting_for_its_rebuild(backend, ports, requester, engine):
    answer("areas", ports=ports, requester=requester)
    with session(engine) as db:
        agenda_changed(db)
        db.commit()
    revision = _revision(engine)
    held = threading.Event()
    with ports.cache._lock:  # another request rebuilding the agenda: the event loop must not wait for it
        held.set()
        reply = answer_from_memory(parse("peacekeeping training"), ports=ports, requester=requester, revision=revision)
    assert held.is_set() and reply is None
    assert answer("peacekeeping training", ports=ports, requester=requester).tone.value == "answer"


def test_what_needs_a_row_is_answered_by_the_thread_and_restricted_items_stay_out(backend, ports, engine):
    admin = Requester(user_ref="cli:admin")
    changed = answer("sensitivity 2002-A4 restricted", ports=replace(ports, admins=frozenset({admin.user_ref})),
                     requester=admin)  # fmt: skip
    assert changed.tone.value == "answer", changed.title
    in_channel = Requester(user_ref="slack:U0OTHER", display_name="other", channel_ref="slack:C0TEST")
    _warm(ports, in_channel)
    revision = _revision(engine)
    command = parse("MLAT")
    # Whether someone may see a restricted item among the results is read from the database: not from memory.
    assert answer_from_memory(command, ports=ports, requester=in_channel, revision=revision) is None
    shown = handle(command, ports=ports, requester=in_channel, revision=revision)
    assert "2002-A4" not in str(shown)

