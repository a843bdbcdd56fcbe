"""Simultaneous changes, really simultaneous: threads, each with its own session,
released together by a barrier, on SQLite and on the real PostgreSQL.

A check-then-insert (read "is it there?", then add it) is only safe when the
database itself refuses the second writer: a version column, a unique
constraint, or SQLite's single writer. Each test repeats its race several
times, because one lucky interleaving proves nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from handlers import CONCURRENT_CHANGE
from handlers.views.reply import Tone
from models.db import alembic_config, session
from models.tables import Acknowledgement, AuditEntry, Mechanism, Occurrence
from scheduling import outbox
from scheduling.outbox import Planned
from tests.conftest import TODAY
from tests.test_changes import ADMIN, COORDINATOR, agenda, run  # noqa: F401  (agenda is a fixture)

ROUNDS = 6


def all_at_once(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls in threads that start together (a barrier), and return their results in order."""
    barrier = threading.Barrier(len(calls))

    def started_together(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(started_together, calls))


# -- item 9: two coordinators fix a meeting's date at the same instant -----------------------


def _upcoming_fixed(engine, mechanism_key: str) -> list[Occurrence]:
    with session(engine) as db:
        mechanism = db.exec(select(Mechanism).where(Mechanism.key == mechanism_key)).one()
        rows = db.exec(select(Occurrence).where(Occurrence.mechanism_id == mechanism.id)).all()
    return [o for o in rows if o.ends_on >= TODAY.date() and not o.planned_only]


def test_simultaneous_schedules_never_leave_two_fixed_dates(agenda, engine):  # noqa: F811
    """Each round, an admin and a coordinator fix different dates for the symposium at once.

    Whatever the interleaving: one upcoming date stays; each "Fixed" has its audit
    entry and saw the date before it (no lost update); the other is refused with the
    conflict message every edit gives."""
    for n in range(ROUNDS):
        dates = [f"{10 + n} Mar 2027", f"{10 + n} Apr 2027"]
        replies = all_at_once(
            [
                lambda who=who, on=on: run(agenda, who, f"schedule symposium {on} in Ottawa confirm")
                for who, on in zip((ADMIN, COORDINATOR), dates, strict=True)
            ]
        )
        fixed = [r for r in replies if r.title.startswith("Fixed the next")]
        refused = [r for r in replies if r not in fixed]
        assert all(r == CONCURRENT_CHANGE for r in refused), [r.title for r in refused]
        upcoming = _upcoming_fixed(engine, "peace-security-symposium")
        assert len(upcoming) == 1, f"round {n}: {[o.date_edtf for o in upcoming]} after {[r.title for r in replies]}"
    entries = [e for e in _audit(engine, "schedule") if e.target_key == "peace-security-symposium"]
    for earlier, later in zip(entries, entries[1:], strict=False):
        assert later.before["date"] == earlier.after["date"], "a date was replaced without being seen"
    assert entries[-1].after["date"] == upcoming[0].date_edtf


def _audit(engine, action: str) -> list[AuditEntry]:
    with session(engine) as db:
        return list(db.exec(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all())


# -- item 10: several people press Acknowledge on one escalation at once ---------------------

ESCALATED = ["2002-A4", "2005-C1", "2005-C2", "2005-C3", "1999-1", "2005-C4"]


def _escalation(ref: str) -> str:
    return f"escalation:{ref}:2026-11-23:slack:CCOORD"


@pytest.fixture
def escalations(agenda, engine):  # noqa: F811
    now = agenda.clock.now()
    with session(engine) as db:
        planned = [
            Planned(_escalation(ref), "escalation", "slack:CCOORD", now, {"title": "Overdue"}) for ref in ESCALATED
        ]
        outbox.enqueue(db, planned, now=now)
    return agenda


def test_simultaneous_acknowledgements_record_one_and_tell_the_others(escalations, engine):
    pressers = [ADMIN, COORDINATOR, ADMIN, COORDINATOR]
    for ref in ESCALATED[:ROUNDS]:
        presses = [lambda who=who, ref=ref: run(escalations, who, f"ack {_escalation(ref)}") for who in pressers]
        replies = all_at_once(presses)
        titles = [r.title for r in replies]
        assert titles.count(f"Acknowledged: {ref}.") == 1, titles
        others = [r for r in replies if r.title != f"Acknowledged: {ref}."]
        assert all(r.tone == Tone.notice and r.title.startswith("Already acknowledged by <@slack:U") for r in others)
        with session(engine) as db:
            assert len(db.exec(select(Acknowledgement).where(Acknowledgement.item_ref == ref)).all()) == 1
    per_item = [e.target_key for e in _audit(engine, "acknowledge")]
    assert sorted(per_item) == sorted(ESCALATED[:ROUNDS])


def test_the_migration_keeps_the_first_of_duplicate_acknowledgements(engine):
    """A live database may already hold doubled acknowledgements: the constraint goes on after them."""
    from alembic import command

    config = alembic_config(engine)
    command.downgrade(config, "0015_person_names")
    with engine.begin() as connection:
        for who, minute in (("slack:UFIRST", 1), ("slack:USECOND", 2), ("slack:UTHIRD", 3)):
            connection.execute(
                text(
                    "INSERT INTO acknowledgement (item_ref, message_key, acknowledged_by, at) "
                    "VALUES ('2002-A4', 'escalation:2002-A4:x', :who, :at)"
                ),
                {"who": who, "at": TODAY.replace(minute=minute)},
            )
    command.upgrade(config, "head")
    with session(engine) as db:
        rows = db.exec(select(Acknowledgement).order_by(col(Acknowledgement.id))).all()
    assert [r.acknowledged_by for r in rows] == ["slack:UFIRST"]


# -- check-then-insert elsewhere: counts, codes, links --------------------------------------------


def test_wrong_link_codes_sent_at_once_are_still_limited(ports, engine):
    """Five wrong codes per quarter hour: guesses sent in parallel must not all be counted as the first."""
    from handlers.commands.linking import MAX_FAILURES
    from handlers.views.reply import Visibility
    from tests.test_linking import KEN_TEAMS, ask

    guesses = [f"link {n:04d}-{n:04d}" for n in range(3 * MAX_FAILURES)]
    replies = all_at_once([lambda words=words: ask(ports, KEN_TEAMS, words, Visibility.private) for words in guesses])
    titles = [r.title for r in replies]
    assert titles.count("That code is unknown or has expired.") == MAX_FAILURES, titles
    assert titles.count("Too many wrong codes; try again in a quarter of an hour.") == 2 * MAX_FAILURES
    assert len(_audit(engine, "link-failed")) == MAX_FAILURES


def test_asking_for_calendar_links_twice_at_once_makes_one_of_each(ports, engine):
    """The unique (person, feed) decides: the other request says a link was just made, not "something changed"."""
    from models.tables import CalendarFeed
    from tests.test_calendar_feeds import ask, links

    for _ in range(ROUNDS):
        with session(engine) as db:  # start again: no links
            for row in db.exec(select(CalendarFeed)).all():
                db.delete(row)
            db.commit()
        replies = all_at_once([lambda: ask(ports, "slack:UTWICE", "calendar") for _ in range(3)])
        assert all(r.title == "Your calendar links" for r in replies), [r.title for r in replies]
        shown = [link for r in replies for link in links(r).values()]
        with session(engine) as db:
            rows = db.exec(select(CalendarFeed).where(CalendarFeed.user_ref == "slack:UTWICE")).all()
        assert sorted(r.feed for r in rows) == ["agenda", "mine"]
        assert len(shown) == 2, "each link is shown once, to one of the requests"
