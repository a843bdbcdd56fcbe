"""The agenda revision moves with the agenda and with nothing else (the contract in handlers/domain/cache.py).

- Writes to tables no cached answer reads leave the revision, and the answers cached on it, alone.
- Every write command that changes the agenda moves it, and another process's next answer shows the change.
- A write to an allow-listed table that forgot to say so is caught.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from datetime import timedelta

import pytest
from sqlmodel import SQLModel, select, update

from handlers import answer
from handlers.domain.cache import AgendaCache, ReplyCache, RevisionHint
from handlers.domain.identities import record_email
from handlers.domain.ports import Ports, Requester
from handlers.views.text import render_text
from models import repository, revision
from models.db import session
from models.platforms import Conversation
from models.replays import first_uses, request_key
from models.tables import Acknowledgement, AuditEntry, Commitment, Mechanism, Occurrence, Origin, Person
from scheduling import outbox
from scheduling.outbox import Planned
from seeds.catalogue import read_agenda
from seeds.loader import load_seeds

ADMIN = Requester(user_ref="slack:UADMIN")
READER = Requester(user_ref="slack:UREADER")
READER_ON_TEAMS = Requester(user_ref="teams:aad-reader")
REMINDER = "reminder:2002-A4:2026-12-01:7d:slack:UADMIN"


def _revision(engine) -> int:
    with session(engine) as db:
        return repository.current_revision(session=db)


def _another_process(ports: Ports) -> Ports:
    """The same database, caches of its own: a replica, the terminal, the scheduler."""
    return dataclasses.replace(ports, cache=AgendaCache(), replies=ReplyCache(), revision=RevisionHint())


def _text(reply) -> str:
    return render_text(reply)


# -- what does not change the agenda -------------------------------------------------


def _person_timezone(ports, engine):
    with session(engine) as db:  # as bot/slack/people.py stores what Slack says
        person = Person(user_ref=READER.user_ref, timezone="Asia/Tokyo", timezone_checked_at=ports.clock.now())
        db.add(person)
        record_email(db, READER.user_ref, "reader@example.org", now=ports.clock.now())


def _seen_request(ports, engine):
    with session(engine) as db:
        first_uses(session=db, keys=[(request_key("slack", "v0=abc"), ports.clock.now())], now=ports.clock.now())
        db.commit()


def _delivery(ports, engine):
    now = ports.clock.now()
    with session(engine) as db:
        outbox.enqueue(db, [Planned("digest:test:2026-W48", "digest", "slack:C1", now, {"title": "t"})], now=now)
        db.commit()
        (claimed,) = outbox.claim(db, now=now, worker="w", limit=1, lease=timedelta(minutes=1),
                                  catch_up=timedelta(days=1), late_after=timedelta(hours=1))  # fmt: skip
        outbox.mark_sent(db, claimed.id, worker="w", provider_id="C1:1.0", now=now)


def _acknowledgement_row(ports, engine):
    with session(engine) as db:
        db.add(Acknowledgement(item_ref="2002-A4", message_key=REMINDER, acknowledged_by="x", at=ports.clock.now()))
        db.commit()


def _command(words: str, who: Requester = READER):
    def write(ports, engine):
        reply = answer(words, ports=_another_process(ports), requester=who)
        assert reply.tone.value in ("answer", "notice"), _text(reply)  # done (a link code: shown as a notice)

    return write


NOT_AGENDA = {
    "a person's timezone and address": _person_timezone,
    "a seen request": _seen_request,
    "a delivery planned and sent": _delivery,
    "an acknowledgement row": _acknowledgement_row,
    "a calendar link": _command("calendar"),
    "a dashboard link": _command("dashboard"),
    "a link code": _command("link"),
    "a person's own lead times": _command("remind me 14 2"),
    "a digest subscription": _command(
        "digest subscribe", dataclasses.replace(ADMIN, channel_ref="slack:C1", conversation=Conversation.channel)
    ),
}


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("write", NOT_AGENDA.values(), ids=NOT_AGENDA.keys())
def test_writes_that_are_not_the_agenda_keep_the_revision_and_the_cached_answers(ports, engine, write):
    ports = dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref}))
    first = answer("counter-terrorism", ports=ports, requester=READER)
    before = _revision(engine)
    write(ports, engine)
    assert _revision(engine) == before
    assert answer("counter-terrorism", ports=ports, requester=READER) is first  # still served from the cache


# -- what changes it ------------------------------------------------------------------


def _link_reader_to_teams(ports):
    shown = answer("link", ports=ports, requester=READER_ON_TEAMS)
    code = re.search(r"`link (\d{4}-\d{4})`", shown.summary).group(1)
    return answer(f"link {code}", ports=ports, requester=READER)


@dataclasses.dataclass(frozen=True)
class Case:
    change: str | None  # words an admin says; None: see `act`
    reader: Requester
    read: str
    setup: tuple[str, ...] = ()
    act: object = None  # (ports) -> Reply, for changes that are not one admin's words


WRITES = {
    "role": Case("role <@slack:UREADER> coordinator", READER, "show 2002-A4", ("sensitivity 2002-A4 restricted",)),
    "assign": Case("assign 2002-A4 <@slack:UREADER>", READER, "mine"),
    "unassign": Case("unassign 2002-A4 <@slack:UREADER>", READER, "mine", ("assign 2002-A4 <@slack:UREADER>",)),
    "assign a meeting": Case("assign symposium <@slack:UREADER>", READER, "who owns the symposium"),
    "status": Case("status 2002-A4 stalled waiting on Japan", READER, "show 2002-A4"),
    "treaty stage": Case("status 2002-A4 signed on 2010-05-24", READER, "show 2002-A4"),
    "schedule": Case("schedule symposium 2027-10-14 in Ottawa host Canada", READER, "next 1 year"),
    "sensitivity": Case("sensitivity 2002-A4 restricted", READER, "MLAT"),
    "an item's lead times": Case("remind 2002-A4 60 30", READER, "history 2002-A4"),
    "acknowledge (history shows presses)": Case(f"ack {REMINDER}", READER, "history 2002-A4"),
    "link by code": Case(
        None, READER_ON_TEAMS, "mine", ("assign 2002-A4 <@slack:UREADER>",), act=_link_reader_to_teams
    ),
}


@pytest.mark.parametrize("case", WRITES.values(), ids=WRITES.keys())
def test_every_agenda_change_moves_the_revision_and_another_process_sees_it(ports, engine, case):
    ports = dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref}))
    writer = _another_process(ports)
    for words in case.setup:
        assert answer(words, ports=writer, requester=ADMIN).tone.value == "answer", words
    with session(engine) as db:  # a reminder of 2002-A4, sent to the admin, for `ack`
        outbox.enqueue(db, [Planned(REMINDER, "reminder", ADMIN.user_ref, ports.clock.now(), {"title": "r"})],
                       now=ports.clock.now())  # fmt: skip
        db.commit()
    before = answer(case.read, ports=ports, requester=case.reader)
    assert answer(case.read, ports=ports, requester=case.reader) is before  # cached
    revision_before = _revision(engine)

    done = case.act(writer) if case.act else answer(case.change, ports=writer, requester=ADMIN)
    assert done.tone.value == "answer", _text(done)

    assert _revision(engine) > revision_before
    after = answer(case.read, ports=ports, requester=case.reader)
    fresh = answer(case.read, ports=_another_process(ports), requester=case.reader)
    assert _text(after) == _text(fresh) != _text(before)


def test_a_seed_load_moves_the_revision_once_when_it_changes_something_and_not_at_all_otherwise(engine):
    agenda = read_agenda()
    start = _revision(engine)
    with session(engine) as db:
        load_seeds(db, agenda)
    assert _revision(engine) == start  # the same seeds: nothing changed
    edited = [(d, c.model_copy(update={"title": c.title + " (edited)"})) for d, c in agenda.commitments[:2]]
    with session(engine) as db:
        report = load_seeds(db, dataclasses.replace(agenda, commitments=edited + agenda.commitments[2:]))
        assert report.updated == {"commitment": 2}
    assert _revision(engine) == start + 1  # one load, one transaction, one new revision


# -- a forgotten bump is caught ------------------------------------------------------------


def test_every_table_is_either_agenda_or_not():
    tables = {mapper.class_ for mapper in SQLModel._sa_registry.mappers}
    assert revision.AGENDA_TABLES.isdisjoint(revision.OTHER_TABLES)
    assert revision.AGENDA_TABLES | revision.OTHER_TABLES == tables


def _rename_symposium(db):
    db.exec(select(Mechanism).where(Mechanism.key == "peace-security-symposium")).one().name = "Renamed"
    db.commit()


def test_an_agenda_write_that_forgets_to_say_so_fails_in_tests(engine):
    before = _revision(engine)
    with session(engine) as db, pytest.raises(revision.UndeclaredAgendaChange, match="Mechanism"):
        _rename_symposium(db)
    with session(engine) as db, pytest.raises(revision.UndeclaredAgendaChange, match="UPDATE commitment"):
        db.exec(update(Commitment).where(Commitment.key == "2002-A4").values(title="x"))  # no flush to see
    assert _revision(engine) == before


def test_in_production_a_forgotten_bump_is_logged_as_an_error_and_made(engine, caplog):
    revision.strict(False)
    try:
        before = _revision(engine)
        with session(engine) as db, caplog.at_level(logging.ERROR, logger="models.revision"):
            _rename_symposium(db)
    finally:
        revision.strict()
    assert _revision(engine) == before + 1
    assert "without agenda_changed" in caplog.text and "Mechanism" in caplog.text


def test_declared_once_bumped_once_and_audits_nobody_is_shown_need_nothing(engine, clock):
    before = _revision(engine)
    with session(engine) as db:
        revision.agenda_changed(db)
        revision.agenda_changed(db)  # as a loader does for each row it changes
        _rename_symposium(db)
    with session(engine) as db:
        db.add(AuditEntry(at=clock.now(), actor_ref="slack:U1", origin="slack", action="calendar",
                          target_type="calendar_feed", target_key="slack:U1"))  # fmt: skip
        db.commit()
    assert _revision(engine) == before + 1


def test_the_timeline_built_inside_an_uncommitted_change_is_never_kept(ports, engine):
    """A change rolled back must not leave its timeline cached under the number the next change commits as."""
    talks = "peace-security-symposium"

    def next_talks(ports) -> str:
        with session(engine) as db:
            agenda = ports.cache.get(db, ports.clock.now().date())
            return agenda.timeline.outlook(agenda.vocabulary.exact(talks).id).next.wording

    shown = next_talks(ports)
    with session(engine) as db:  # a change that fails after the timeline was read inside it
        revision.agenda_changed(db)
        mechanism = db.exec(select(Mechanism).where(Mechanism.key == talks)).one()
        day = ports.clock.now().date() + timedelta(days=20)
        db.add(Occurrence(mechanism_id=mechanism.id, date_edtf=day.isoformat(), starts_on=day, ends_on=day,
                          origin=Origin.bot))  # fmt: skip
        db.flush()
        ports.cache.get(db, ports.clock.now().date())
        db.rollback()
    with session(engine) as db:  # someone else's change, committed under the same new number
        revision.agenda_changed(db)
        db.exec(select(Commitment).where(Commitment.key == "1999-1")).one().title = "Another change"
        db.commit()
    assert next_talks(ports) == shown == next_talks(dataclasses.replace(ports, cache=AgendaCache()))

