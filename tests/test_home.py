"""The home view, without a platform, on both databases."""

from __future__ import annotations

from sqlmodel import select

from handlers.home import home
from handlers.ports import Requester
from handlers.text import render_text
from models.db import session
from models.tables import Commitment, Origin, Owner, OwnerKind, Sensitivity

MARIA = Requester(user_ref="slack:UMARIA")


def test_someone_who_owns_nothing_is_told_how_owners_are_set(ports):
    reply = home(ports, MARIA)
    assert "You own nothing on the agenda yet" in render_text(reply)


def test_overdue_soon_and_the_rest_with_status_buttons(ports, engine):
    with session(engine) as db:
        for key in ("2002-A4", "2005-C1"):
            c = db.exec(select(Commitment).where(Commitment.key == key)).one()
            if key == "2002-A4":
                c.sensitivity = Sensitivity.restricted  # hers: she still sees it at home
                db.add(c)
            db.add(
                Owner(commitment_id=c.id, kind=OwnerKind.user, ref=MARIA.user_ref, display_name="m", origin=Origin.bot)
            )
        db.commit()
    reply = home(ports, MARIA, notice="Saved.")
    headings = [s.heading for s in reply.sections]
    assert headings == [None, "Overdue", "Yours"]
    overdue = reply.sections[1].items[0]
    assert overdue.id == "2002-A4"
    assert [b.query for b in overdue.buttons] == [
        "status 2002-A4 in progress", "status 2002-A4 done", "status 2002-A4 stalled",
    ]  # fmt: skip
    assert reply.sections[0].body == "Saved."
