"""Answers to read-only commands are cached per agenda revision; any change to
agenda rows (through any path) and what the asker may see both key the cache."""

from __future__ import annotations

import dataclasses

from sqlmodel import select

from handlers import answer
from handlers.ports import Requester
from handlers.text import render_text
from models.db import session
from models.tables import Commitment, Origin, Owner, OwnerKind, Sensitivity

MEMBER = Requester(user_ref="slack:UMEMBER")
OWNER = Requester(user_ref="slack:UOWNER")


def test_the_same_question_is_answered_from_the_cache(ports):
    first = answer("counter-terrorism", ports=ports, requester=MEMBER)
    assert answer("counter-terrorism", ports=ports, requester=MEMBER) is first
    assert answer("counter-terrorism", ports=ports, requester=OWNER) is first  # same view of the agenda


def test_any_change_to_agenda_rows_retires_cached_answers(ports, engine):
    before = answer("mine", ports=ports, requester=OWNER)
    with session(engine) as db:  # not through a command: the revision still moves
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
