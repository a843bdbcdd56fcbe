"""Add and edit forms without a platform: validation field by field, audit,
permissions, and no lost update between two people editing one item."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlmodel import select

from handlers import answer
from handlers.forms import submit_form
from handlers.ports import Requester
from handlers.reply import Tone
from handlers.text import render_text
from models.db import session
from models.tables import AuditEntry, Commitment

COORD = Requester(user_ref="slack:UCOORD")
OTHER = Requester(user_ref="slack:UOTHER")
MEMBER = Requester(user_ref="slack:UMEMBER")
GOOD = {
    "title": "Joint cyber security dialogue",
    "text": "Both Governments will hold an annual dialogue on cyber security.",
    "area": "dialogue",
    "kind": "deadline",
    "due": "14 Oct 2027",
    "people": ("slack:UMARIA",),
    "departments": ("global-affairs-canada",),
    "source": "2026 joint statement, paragraph 4",
    "sensitivity": "public",
}


@pytest.fixture
def agenda(ports):
    return dataclasses.replace(ports, admins=frozenset({COORD.user_ref, OTHER.user_ref}))


def submit(ports, who, values, *, key=None, version=None, opened_at=None):
    opened_at = opened_at or ports.clock.now().isoformat()
    return submit_form(values, form_key=key, expected_version=version, opened_at=opened_at, ports=ports, requester=who)


def audits(engine, action):
    with session(engine) as db:
        return db.exec(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_add_creates_a_findable_audited_commitment(agenda, engine):
    assert answer("add", ports=agenda, requester=COORD).form is not None
    result = submit(agenda, COORD, GOOD)
    assert not result.errors and result.reply.title == "Added 2026-N1: Joint cyber security dialogue."
    text = render_text(answer("cyber security", ports=agenda, requester=MEMBER))
    assert "2026-N1" in text and "Added in the bot" in text and "@UMARIA" in text
    (entry,) = audits(engine, "add")
    assert entry.after["due"] == "2027-10-14" and entry.actor_ref == COORD.user_ref


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Required."),
        ("text", "x" * 4001, "At most 4000 characters"),
        ("area", "atlantis", "Choose an area."),
        ("kind", "wish", "Choose a kind."),
        ("due", "someday", "Write it as"),
        ("due", "", "need a date"),
        ("due", "03/04/2027", "reads differently in Ottawa and Tokyo"),
        ("departments", ("ministry-of-magic",), "Unknown"),
        ("sensitivity", "secret", "Choose who may see it."),
    ],
)
def test_each_field_says_what_is_wrong_and_nothing_is_saved(agenda, engine, field, value, message):
    result = submit(agenda, COORD, GOOD | {field: value})
    assert message in result.errors[field]
    with session(engine) as db:
        assert db.exec(select(Commitment).where(Commitment.key.like("%-N%"))).first() is None
    assert audits(engine, "add") == []


def test_a_recurring_meeting_needs_a_cadence_and_gets_a_projection(agenda):
    meeting = GOOD | {"kind": "recurring_mechanism", "due": ""}
    assert "needs a cadence" in submit(agenda, COORD, meeting).errors["cadence"]
    assert not submit(agenda, COORD, meeting | {"cadence": "every year"}).errors
    assert "projected, not yet fixed" in render_text(answer("show 2026-N1", ports=agenda, requester=COORD))


def test_members_cannot_add_or_edit(agenda, engine):
    assert answer("add", ports=agenda, requester=MEMBER).tone == Tone.notice
    assert answer("edit 2002-A4", ports=agenda, requester=MEMBER).tone == Tone.notice
    result = submit(agenda, MEMBER, GOOD)  # a forged submission
    assert result.reply.title == "Only coordinators and admins can add commitments."
    assert audits(engine, "add") == []


def test_the_second_save_of_an_outdated_copy_is_refused_with_what_changed(agenda, engine):
    mine = answer("edit 2005-C1", ports=agenda, requester=COORD).form
    theirs = answer("edit 2005-C1", ports=agenda, requester=OTHER).form
    initial = {f.name: f.initial for f in theirs.fields} | {"cadence": "none"}
    agenda.clock.advance(timedelta(minutes=1))
    saved = submit(agenda, OTHER, initial | {"title": "Afghanistan policy dialogue"}, key="2005-C1",
                   version=theirs.version, opened_at=theirs.opened_at)  # fmt: skip
    assert saved.reply.title == "Saved 2005-C1: title changed."
    refused = submit(agenda, COORD, initial | {"title": "My title"}, key="2005-C1", version=mine.version,
                     opened_at=mine.opened_at)  # fmt: skip
    assert refused.errors["title"].startswith("Changed since you opened it:")
    assert "@UOTHER" in refused.errors["title"] and "Afghanistan policy dialogue" in refused.errors["title"]
    with session(engine) as db:
        assert (
            db.exec(select(Commitment.title).where(Commitment.key == "2005-C1")).one() == "Afghanistan policy dialogue"
        )
    (entry,) = audits(engine, "edit")
    assert entry.before == {"title": entry.before["title"]} and entry.after == {"title": "Afghanistan policy dialogue"}
