"""The one audience check (handlers/domain/audience.py), without a platform: private links
only in private, meetings as restricted as the commitments they come from, form
confirmations and every shared answer without a restricted item's id or title."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlmodel import select

from handlers import answer
from handlers.commands.forms import submit_form
from handlers.domain.context import Context
from handlers.domain.ports import Requester
from handlers.pages.calendar.feed import serve_feed
from handlers.pages.export import mechanism_rows
from handlers.views.reply import Reply, Section, Tone, Visibility
from handlers.views.text import render_text
from models.db import session
from models.tables import CalendarFeed
from scheduling.digest import compose
from scheduling.reminders import due_items
from tests.test_calendar_feeds import links

COORD = Requester(user_ref="slack:UCOORD", channel_ref="slack:C0TEST")
OWNER = Requester(user_ref="slack:UMARIA", channel_ref="slack:C0TEST")
MEMBER = Requester(user_ref="slack:UMEMBER", channel_ref="slack:C0TEST")
CHANNEL, PRIVATE = Visibility.channel, Visibility.private
TITLE = "Quiet track on maritime interdiction"
SECRET_MEETING = {
    "title": TITLE,
    "text": "The two Governments will hold a confidential yearly consultation on interdiction at sea.",
    "area": "dialogue",
    "kind": "recurring_mechanism",
    "cadence": "every year",
    "due": "",
    "people": ("slack:UMARIA",),
    "departments": (),
    "source": "2026 note verbale",
    "sensitivity": "restricted",
}


@pytest.fixture
def agenda(ports):
    return dataclasses.replace(ports, admins=frozenset({COORD.user_ref}), public_url="https://agenda.example.org")


def ask(ports, who: Requester, text: str, where: Visibility = PRIVATE) -> Reply:
    return answer(text, ports=ports, requester=who, audience=where)


def save(ports, values: dict, where: Visibility = PRIVATE):
    opened = ports.clock.now().isoformat()
    shared = {} if where == PRIVATE else {"audience": where}
    return submit_form(
        values, form_key=None, expected_version=None, opened_at=opened, ports=ports, requester=COORD, **shared
    )


def everything_in(reply: Reply) -> str:
    return render_text(reply) + repr(reply)  # what is shown, and what buttons carry


# -- item 2: private links never in a channel -------------------------------------------


@pytest.mark.parametrize("words", ["calendar", "calendar counter-terrorism"])
def test_calendar_links_are_never_given_in_a_channel(agenda, engine, words):
    reply = ask(agenda, MEMBER, words, CHANNEL)
    assert "/calendar/" not in everything_in(reply)
    assert reply.tone == Tone.notice and "private chat" in reply.title
    with session(engine) as db:
        assert db.exec(select(CalendarFeed)).all() == []  # no link was made, so none can leak later
    assert "/calendar/" in render_text(ask(agenda, MEMBER, words))  # privately, as before


# -- item 3: a meeting carries the sensitivity of what it comes from ---------------------


def test_a_restricted_recurring_commitments_meeting_is_shown_only_to_who_may_see_it(agenda, engine):
    assert not save(agenda, SECRET_MEETING).errors
    for who, where in [(MEMBER, PRIVATE), (MEMBER, CHANNEL), (COORD, CHANNEL), (OWNER, CHANNEL)]:
        shown = everything_in(ask(agenda, who, "next 1 year", where))
        assert TITLE not in shown and "2026-n1" not in shown.lower(), (who, where)
    for who in (COORD, OWNER):  # coordinators and its owner see it in private
        assert TITLE in render_text(ask(agenda, who, "next 1 year"))
    # Its name, typed in a channel or by a member, finds no meeting; lists of meetings leave it out.
    assert ask(agenda, COORD, TITLE, CHANNEL).title.startswith("Nothing found for")
    assert ask(agenda, MEMBER, f"plan {TITLE}").title.startswith("I don't know a meeting called")
    assert ask(agenda, MEMBER, f"history {TITLE}").title.startswith("No commitment with the id")
    assert TITLE not in everything_in(ask(agenda, MEMBER, "plan atlantis talks"))  # nor listed among the meetings
    assert TITLE not in everything_in(ask(agenda, COORD, "schedule atlantis talks 2027", CHANNEL))
    assert TITLE in render_text(ask(agenda, COORD, "schedule atlantis talks 2027"))  # privately, it is listed
    # A meeting that one public commitment still comes from stays public.
    ask(agenda, COORD, "sensitivity 2005-E1 restricted")  # one of the symposium's commitments
    assert "Symposium" in render_text(ask(agenda, MEMBER, "next 1 year", CHANNEL))


def test_a_restricted_meeting_is_left_out_of_digests_feeds_exports_and_channel_reminders(agenda, engine):
    assert not save(agenda, SECRET_MEETING).errors
    member_link = links(ask(agenda, MEMBER, "calendar"))["The whole agenda"]
    owner_link = links(ask(agenda, OWNER, "calendar"))["The whole agenda"]
    assert TITLE not in serve_feed(member_link, ports=agenda).body.decode()
    assert TITLE in serve_feed(owner_link, ports=agenda).body.decode()
    now = agenda.clock.now()
    with session(engine) as db:
        timeline = Context(db, agenda, COORD).timeline
        digest = compose(db, timeline, areas=[], since=now - timedelta(weeks=1), now=now)
        assert all(TITLE not in everything_in(part) for part in digest)
        [row] = [r for r in mechanism_rows(session=db, timeline=timeline) if r["name"] == TITLE]
        assert row["sensitivity"] == "restricted"
        assert {r["sensitivity"] for r in mechanism_rows(session=db, timeline=timeline) if r["name"] != TITLE} == {
            "public"
        }
        [item] = [i for i in due_items(db, timeline) if i.due.title == TITLE]
        assert item.restricted  # so never to the coordinators' channel (scheduling/reminders.py)


# -- item 4: a form saved from a channel -------------------------------------------------


def test_a_restricted_commitment_saved_from_a_channel_is_confirmed_without_its_title(agenda):
    result = save(agenda, SECRET_MEETING | {"kind": "deadline", "due": "14 Oct 2027", "cadence": None}, CHANNEL)
    assert not result.errors
    assert TITLE not in everything_in(result.reply) and "2026-N1" not in everything_in(result.reply)
    assert result.reply.title.startswith("Done;")
    assert TITLE in result.private.title and "2026-N1" in result.private.title  # for the person who saved it
    public = save(agenda, SECRET_MEETING | {"title": "Open", "sensitivity": "public"}, CHANNEL)
    assert public.reply == public.private and "2026-N2" in public.reply.title  # nothing to hide


# -- item 5: no restricted id in a shared answer -----------------------------------------


def test_a_restricted_commitments_id_is_not_cited_in_a_channel(agenda):
    ask(agenda, COORD, "sensitivity 2005-E1 restricted")  # the symposium's yearly cadence is stated in it
    shown = everything_in(ask(agenda, COORD, "show 1999-1", CHANNEL))
    assert "every year" in shown and "2005-E1" not in shown  # the cadence, without its restricted source
    assert "2005-E1" not in everything_in(ask(agenda, MEMBER, "show 1999-1"))  # nor privately to who may not see it
    assert "stated in 2005-E1" in render_text(ask(agenda, COORD, "show 1999-1"))  # coordinators, privately


def test_the_last_check_leaves_out_only_what_names_a_restricted_item(agenda, engine):
    from handlers.domain import audience  # imported here: every other test here runs on a checkout without it

    ask(agenda, COORD, "sensitivity 2005-C3 restricted")
    body = "2005-C3: signed\n2005-C1: in progress"
    reply = Reply(title="Changes", sections=[Section(heading="This week", body=body)])
    with session(engine) as db:
        shared = audience.shared_safe(reply, db)
        assert shared.sections[0].body == "2005-C1: in progress"
        untouched = Reply(title="Changes", sections=[Section(body="2005-C1: in progress; 2005-C30 is no id")])
        assert audience.shared_safe(untouched, db) is untouched
        assert audience.shared_safe(Reply(title="About 2005-C3"), db).title == "I can't show that answer here."
        # Repeating what the asker said tells nothing new; refusing it would tell that the id exists.
        echo = Reply(title="No commitment with the id “2005-C3”")
        assert audience.shared_safe(echo, db, said="show 2005-C3") is echo
    hidden, unknown = (ask(agenda, MEMBER, f"show {key}", CHANNEL) for key in ("2005-C3", "2005-C99"))
    assert hidden.title == unknown.title.replace("2005-C99", "2005-C3")
    # The help's examples name 2002-A4; restricting it does not take the help away from a channel.
    ask(agenda, COORD, "sensitivity 2002-A4 restricted")
    assert "/agenda show 2002-A4" in render_text(ask(agenda, MEMBER, "help", CHANNEL))
