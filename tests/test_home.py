"""The home view, without a platform, on both databases: what is overdue, what
is due in the next 30 days (fixed and projected meetings) and the rest of
what the person owns, with status controls where they may set the status."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select

from handlers.pages.home import MAX_SHOWN, home
from handlers.views.text import render_text
from models.db import session
from models.revision import agenda_changed
from models.tables import Commitment, Mechanism, Member, Occurrence, Origin, Owner, OwnerKind, Role, Sensitivity


def _own(engine, ref: str, *, commitments=(), mechanisms=()) -> None:
    with session(engine) as db:
        agenda_changed(db)  # as every writer of agenda rows must
        for key in commitments:
            c = db.exec(select(Commitment).where(Commitment.key == key)).one()
            db.add(Owner(commitment_id=c.id, kind=OwnerKind.user, ref=ref, display_name="me", origin=Origin.bot))
        for key in mechanisms:
            m = db.exec(select(Mechanism).where(Mechanism.key == key)).one()
            db.add(Owner(mechanism_id=m.id, kind=OwnerKind.user, ref=ref, display_name="me", origin=Origin.bot))
        db.commit()


def _ids(section) -> list[str]:
    return [item.id for item in section.items]


def test_someone_who_owns_nothing_is_told_how_owners_are_assigned(ports, requester):
    view = home(ports, requester)
    text = render_text(view.reply)
    assert "You own nothing on the agenda yet" in text
    assert "/agenda assign" in text and "/agenda owner <department>" in text
    assert view.status_controls == {}


def test_overdue_then_due_soon_then_the_rest(ports, requester, engine):
    with session(engine) as db:  # 2002-A4 is restricted: it is theirs, so their home shows it
        agenda_changed(db)  # as every writer of agenda rows must
        c = db.exec(select(Commitment).where(Commitment.key == "2002-A4")).one()
        c.sensitivity = Sensitivity.restricted
        db.add(c)
        # A fixed meeting of the Military-to-Military Talks in 18 days (the tests' today is 22 Nov 2026).
        talks = db.exec(select(Mechanism).where(Mechanism.key == "mil-mil-talks")).one()
        db.add(
            Occurrence(
                mechanism_id=talks.id, date_edtf="2026-12-10", starts_on=date(2026, 12, 10),
                ends_on=date(2026, 12, 10), place="Tokyo", origin=Origin.bot,
            )
        )  # fmt: skip
        db.commit()
    # The symposium's next meeting is projected for autumn 2026, a window that ends on 30 Nov.
    _own(
        engine,
        requester.user_ref,
        commitments=["2002-A4", "2005-C1"],
        mechanisms=["peace-security-symposium", "mil-mil-talks"],
    )

    view = home(ports, requester)

    overdue, soon, yours = view.reply.sections
    assert (overdue.heading, _ids(overdue)) == ("Overdue", ["2002-A4"])
    assert soon.heading == "Due in the next 30 days"
    # Soonest first: the projected window has begun already, the fixed date is on 10 Dec.
    assert set(_ids(soon)[:2]) == {"1999-1", "2005-E1"} and _ids(soon)[2] == "2005-E2"
    assert yours.heading == "Yours" and set(_ids(yours)) == {"2005-C1", "1999-2"}
    text = render_text(view.reply)
    assert "Thu 10 Dec 2026 in Tokyo" in text and "projected, not yet fixed" in text
    assert (
        "You own 6 commitments" in view.reply.summary and "1 overdue, 3 due in the next 30 days" in view.reply.summary
    )
    # Status controls only where set_status would accept them: owning a meeting is not owning its commitments.
    assert view.status_controls == {"2002-A4": "unknown", "2005-C1": "unknown"}


def test_coordinators_get_a_status_control_on_everything_they_own(ports, requester, engine):
    _own(engine, requester.user_ref, commitments=["2005-C1"], mechanisms=["peace-security-symposium"])
    with session(engine) as db:
        agenda_changed(db)  # as every writer of agenda rows must
        db.add(
            Member(
                user_ref=requester.user_ref, role=Role.coordinator, granted_by="cli:root", granted_at=datetime.now(UTC)
            )
        )
        db.commit()
    view = home(ports, requester)
    assert set(view.status_controls) == {"2005-C1", "1999-1", "2005-E1", "1999-2"}


def test_a_closed_deadline_is_no_longer_overdue(ports, requester, engine):
    _own(engine, requester.user_ref, commitments=["2002-A4"])
    with session(engine) as db:
        agenda_changed(db)  # as every writer of agenda rows must
        c = db.exec(select(Commitment).where(Commitment.key == "2002-A4")).one()
        c.status = "done"
        db.add(c)
        db.commit()
    view = home(ports, requester)
    assert [s.heading for s in view.reply.sections] == ["Yours"]
    assert view.status_controls == {"2002-A4": "done"}
    assert "nothing is overdue or due in the next 30 days" in view.reply.summary


def test_a_long_list_shows_the_most_pressing_and_points_to_mine(ports, requester, engine):
    with session(engine) as db:
        keys = list(db.exec(select(Commitment.key)).all())
    _own(engine, requester.user_ref, commitments=keys)
    view = home(ports, requester)
    assert view.reply.item_count == MAX_SHOWN
    assert _ids(view.reply.sections[0]) == ["2002-A4", "2005-F1"]  # overdue first, oldest deadline first
    assert f"{len(keys) - MAX_SHOWN} more not shown here" in view.reply.sections[-1].body
    assert "/agenda mine" in view.reply.sections[-1].body
    assert len(view.status_controls) == MAX_SHOWN
