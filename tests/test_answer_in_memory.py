"""Read answers built from memory on the event loop (handlers.answer_in_memory), and the revision read
outside the session (repository.peek_revision): never an answer older than the agenda, never kept
under a revision it was not read at."""

from __future__ import annotations

import dataclasses

import pytest
from sqlmodel import select

from handlers import answer, answer_in_memory
from handlers.commands import parse
from handlers.ports import Requester
from handlers.text import render_text
from models import repository
from models.db import session
from models.revision import agenda_changed
from models.tables import Commitment

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])  # answer_in_memory is SQLite's (PostgreSQL: None)

MEMBER = Requester(user_ref="slack:UMEMBER")


def in_memory(text, ports, requester=MEMBER):
    return answer_in_memory(parse(text), ports=ports, requester=requester)


def _retitle(engine, key: str, title: str) -> None:
    with session(engine) as db:  # another process: nothing tells this one but the revision
        agenda_changed(db)
        row = db.exec(select(Commitment).where(Commitment.key == key)).one()
        row.title = title
        db.add(row)
        db.commit()


def test_what_needs_the_database_is_left_to_the_worker_thread(ports):
    assert in_memory("counter-terrorism", ports) is None  # the asker's language is not known yet
    first = answer("counter-terrorism", ports=ports, requester=MEMBER)
    assert in_memory("counter-terrorism", ports) is first  # all in memory now: the same answer
    assert in_memory("add", ports) is None  # not a read
    assert in_memory("counter-terrorism", ports, Requester(user_ref="slack:USOMEONE")) is None  # unknown asker


def test_a_change_made_elsewhere_is_seen_by_the_very_next_answer(ports, engine):
    answer("MLAT", ports=ports, requester=MEMBER)
    assert in_memory("MLAT", ports) is not None
    _retitle(engine, "2002-A4", "Mutual legal assistance, renamed elsewhere")
    # The revision moved: the agenda must be rebuilt, which takes the database (no hint trusted here).
    assert in_memory("MLAT", ports) is None
    assert "renamed elsewhere" in render_text(answer("MLAT", ports=ports, requester=MEMBER))
    assert "renamed elsewhere" in render_text(in_memory("MLAT", ports))


def test_an_answer_read_past_its_revision_is_used_but_not_kept(ports, engine, monkeypatch):
    answer("MLAT", ports=ports, requester=MEMBER)
    before = repository.current_revision(session=ports.open_session())
    _retitle(engine, "2002-A4", "Changed between the two reads")
    # As if the change committed after this request read the number outside its session.
    monkeypatch.setattr(repository, "peek_revision", lambda *, session: before)
    first = answer("show 2002-A4", ports=ports, requester=MEMBER)
    assert "Changed between the two reads" in render_text(first)  # what the session read is used...
    assert answer("show 2002-A4", ports=ports, requester=MEMBER) is not first  # ... never kept as of `before`


def test_a_persons_new_language_is_used_at_once(ports):
    english = answer("counter-terrorism", ports=ports, requester=MEMBER)
    assert in_memory("counter-terrorism", ports) is english
    answer("language fr", ports=ports, requester=MEMBER)
    french = answer("counter-terrorism", ports=ports, requester=MEMBER)
    assert render_text(french) != render_text(english)
    assert in_memory("counter-terrorism", ports) is french


def test_the_kept_revision_connection_is_replaced_when_it_breaks(ports, engine):
    with session(engine) as db:
        number = repository.peek_revision(session=db)
        connections = repository.history._peekers.connections  # this thread's
        connections[engine].close()  # as a database restart would leave it
        assert repository.peek_revision(session=db) == number  # read in the session instead
        assert engine not in connections
        assert repository.peek_revision(session=db) == number  # and a new one kept
        assert engine in connections


def test_the_same_words_parse_once(ports):
    assert parse("who owns the symposium") is parse("who owns the symposium")
    assert dataclasses.is_dataclass(parse("who owns the symposium"))
