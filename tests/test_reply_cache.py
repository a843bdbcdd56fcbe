"""Answers to read-only commands are cached per agenda revision; any change to
agenda rows (through any path) and what the asker may see both key the cache."""

from __future__ import annotations

import dataclasses

from sqlmodel import select

from handlers import answer, cached_reply
from handlers.commands.parser import ParseError, parse
from handlers.domain.cache import RevisionHint
from handlers.domain.ports import Requester
from handlers.views.text import render_text
from models.db import session
from models.revision import agenda_changed
from models.tables import Commitment, Origin, Owner, OwnerKind, Sensitivity

MEMBER = Requester(user_ref="slack:UMEMBER")
OWNER = Requester(user_ref="slack:UOWNER")


def answer_from_cache(text, *, ports, requester):
    """What a front end answers on its event loop (bot/answering.py): the cached reply, if any."""
    parsed = parse(text)
    return None if isinstance(parsed, ParseError) else cached_reply(parsed, ports=ports, requester=requester)


def test_the_same_question_is_answered_from_the_cache(ports):
    first = answer("counter-terrorism", ports=ports, requester=MEMBER)
    assert answer("counter-terrorism", ports=ports, requester=MEMBER) is first
    assert answer("counter-terrorism", ports=ports, requester=OWNER) is first  # same view of the agenda


def test_any_change_to_agenda_rows_retires_cached_answers(ports, engine):
    before = answer("mine", ports=ports, requester=OWNER)
    with session(engine) as db:  # not through a command: the revision still moves
        agenda_changed(db)  # as every writer of agenda rows must
        mlat = db.exec(select(Commitment).where(Commitment.key == "2002-A4")).one()
        db.add(
            Owner(commitment_id=mlat.id, kind=OwnerKind.user, ref=OWNER.user_ref, display_name="o", origin=Origin.bot)
        )
        db.commit()
    after = answer("mine", ports=ports, requester=OWNER)
    assert after is not before and [i.id for s in after.sections for i in s.items] == ["2002-A4"]


def test_an_owner_of_a_restricted_item_never_gets_a_members_cached_answer(ports, engine):
    secret = "Treaty on Mutual Legal Assistance in Criminal Matters"
    with session(engine) as db:
        agenda_changed(db)  # as every writer of agenda rows must
        mlat = db.exec(select(Commitment).where(Commitment.key == "2002-A4")).one()
        mlat.sensitivity = Sensitivity.restricted
        db.add(
            Owner(commitment_id=mlat.id, kind=OwnerKind.user, ref=OWNER.user_ref, display_name="o", origin=Origin.bot)
        )
        db.add(mlat)
        db.commit()
    assert secret not in render_text(answer("MLAT", ports=ports, requester=MEMBER))
    assert secret in render_text(answer("MLAT", ports=ports, requester=OWNER))
    assert secret not in render_text(answer("MLAT", ports=ports, requester=MEMBER))
    admin = dataclasses.replace(ports, admins=frozenset({"slack:UADMIN"}))
    assert secret in render_text(answer("MLAT", ports=admin, requester=Requester(user_ref="slack:UADMIN")))


# -- answering on the event loop: answer_from_cache and the revision hint ------------


class Ticking:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _with_hint(ports, ttl: float = 0.5):
    ticking = Ticking()
    return dataclasses.replace(ports, revision=RevisionHint(ttl=ttl, monotonic=ticking)), ticking


def test_nothing_is_answered_from_the_cache_before_the_revision_was_read(ports):
    ports, _ = _with_hint(ports)
    assert answer_from_cache("counter-terrorism", ports=ports, requester=MEMBER) is None


def test_a_repeated_question_is_answered_without_the_database_while_the_revision_is_fresh(ports):
    ports, ticking = _with_hint(ports)
    first = answer("counter-terrorism", ports=ports, requester=MEMBER)
    broken = dataclasses.replace(ports, open_session=_no_database)
    assert answer_from_cache("counter-terrorism", ports=broken, requester=MEMBER) is first
    assert answer_from_cache("nuclear", ports=broken, requester=MEMBER) is None  # never asked
    ticking.now += 0.6
    assert answer_from_cache("counter-terrorism", ports=broken, requester=MEMBER) is None  # too old to trust


def test_changes_and_bad_input_are_never_answered_from_the_cache(ports, requester):
    ports, _ = _with_hint(ports)
    answer("counter-terrorism", ports=ports, requester=MEMBER)
    assert answer_from_cache("status 2002-A4 done", ports=ports, requester=requester) is None
    assert answer_from_cache("show", ports=ports, requester=MEMBER) is None  # a ParseError


def test_what_this_process_changes_shows_in_its_very_next_answer(ports, requester):
    ports, _ = _with_hint(ports)
    ports = dataclasses.replace(ports, admins=frozenset({requester.user_ref}))
    before = answer("show 2002-A4", ports=ports, requester=requester)
    assert answer_from_cache("show 2002-A4", ports=ports, requester=requester) is before
    changed = answer("assign 2002-A4 <@slack:UMARIA>", ports=ports, requester=requester)
    assert changed.tone.value == "answer", render_text(changed)
    assert answer_from_cache("show 2002-A4", ports=ports, requester=requester) is None
    after = answer("show 2002-A4", ports=ports, requester=requester)
    assert "UMARIA" in render_text(after) and "UMARIA" not in render_text(before)


def test_another_replicas_change_is_seen_once_the_hint_expires(ports, engine):
    ports, ticking = _with_hint(ports)
    before = answer("mine", ports=ports, requester=OWNER)
    with session(engine) as db:  # another process: this one's hint does not know
        agenda_changed(db)  # as every writer of agenda rows must
        mlat = db.exec(select(Commitment).where(Commitment.key == "2002-A4")).one()
        db.add(
            Owner(commitment_id=mlat.id, kind=OwnerKind.user, ref=OWNER.user_ref, display_name="o", origin=Origin.bot)
        )
        db.commit()
    assert answer_from_cache("mine", ports=ports, requester=OWNER) is before  # for at most the ttl
    ticking.now += 0.6
    assert answer_from_cache("mine", ports=ports, requester=OWNER) is None
    after = answer("mine", ports=ports, requester=OWNER)
    assert [i.id for s in after.sections for i in s.items] == ["2002-A4"]


def test_a_read_that_overlapped_a_change_does_not_refresh_the_hint():
    ticking = Ticking()
    hint = RevisionHint(ttl=0.5, monotonic=ticking)
    reading = hint.reading()  # a read starts and sees revision 7 ...
    hint.forget()  # ... while a change (revision 8) commits
    hint.saw(7, reading)
    assert hint.recent() is None
    hint.saw(8, hint.reading())
    assert hint.recent() == 8


def _no_database():
    raise AssertionError("answer_from_cache must not open a database session")
