"""Handlers without HTTP, against the seeded agenda on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

import pytest

from handlers import answer
from handlers.views.reply import ActionKind, Reply, Tone
from handlers.views.text import render_text
from models.db import session
from models.revision import agenda_changed
from models.tables import Origin, Owner, OwnerKind


def ids(reply: Reply, section: int | None = None) -> list[str]:
    sections = reply.sections if section is None else [reply.sections[section]]
    return [item.id for s in sections for item in s.items]


def ask(ports, requester, text: str, page: int = 1) -> Reply:
    return answer(text, ports=ports, requester=requester, page=page)


@pytest.fixture
def all_on_one_page(ports):
    return dataclasses.replace(ports, page_size=500)


# -- lookups -----------------------------------------------------------------


@pytest.mark.parametrize(
    "words", ["counter-terrorism", "Counter Terrorism", "CT", "ct", "terrorism", "counter-terorism"]
)
def test_counter_terrorism_by_name_alias_acronym_or_typo(all_on_one_page, requester, words):
    reply = ask(all_on_one_page, requester, words)
    found = ids(reply, 0)
    assert "2002-A4" in found  # the MLAT
    assert "2002-A1" in found and "2005-A1" in found
    assert reply.title.startswith("Counter-terrorism")
    if words == "counter-terorism":
        assert "Closest match" in reply.summary


def test_every_item_quotes_and_cites_its_source(all_on_one_page, requester):
    reply = ask(all_on_one_page, requester, "counter-terrorism")
    mlat = next(i for s in reply.sections for i in s.items if i.id == "2002-A4")
    assert mlat.text.startswith("Negotiate and conclude a Treaty on Mutual Legal Assistance in Criminal Matters")
    assert mlat.citation.document == "2002 Proposals for Collaboration"
    assert mlat.citation.section == "A. Counter-Terrorism"
    assert "2002" in mlat.citation.date
    facts = {f.label: f.value for f in mlat.facts}
    assert facts["Status"].startswith("overdue (due by Wed 31 Dec 2003)")
    assert "status unknown" in facts["Status"]
    assert "Justice" in facts["Owners"]


def test_area_results_list_the_newest_document_first(all_on_one_page, requester):
    found = ids(ask(all_on_one_page, requester, "peacekeeping"), 0)
    years = [int(i[:4]) for i in found]
    assert years == sorted(years, reverse=True)
    assert {"2021", "2005", "2002", "1999"} <= {str(y) for y in years}


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("Afghanistan", {"2002-B1a", "2005-C2"}),
        ("IAEA", {"2005-D1b", "2005-G1"}),
        ("covid", {"2021-3"}),
        ("Ottawa Convention", {"2002-F1"}),
        ("ECOWAS", {"2002-B6"}),
        ("Bangkok", {"2002-F2"}),
        ("LNG", {"2021-4"}),
    ],
)
def test_full_text_finds_places_organisations_and_treaties(all_on_one_page, requester, words, expected):
    found = set(ids(ask(all_on_one_page, requester, words)))
    assert expected <= found, f"{words}: {sorted(found)}"


def test_full_text_is_ranked_and_matches_prefixes(all_on_one_page, requester):
    reply = ask(all_on_one_page, requester, "Comprehensive Test Ban")
    assert reply.title.startswith("“Comprehensive Test Ban”")
    assert set(ids(reply)) == {"2002-C3", "1999-18"}  # the two texts naming the treaty
    assert ids(ask(all_on_one_page, requester, "Kosov")) == ["2002-B3"]  # a prefix of Kosovo


def test_nothing_found_says_so_and_suggests_areas(ports, requester):
    reply = ask(ports, requester, "frobnication widgets")
    assert reply.tone == Tone.notice
    assert reply.title == "Nothing found for “frobnication widgets”"
    suggestions = [a for a in reply.actions if a.kind == ActionKind.run]
    assert 1 <= len(suggestions) <= 3


def test_nothing_found_suggests_the_closest_area_for_a_bad_typo(ports, requester):
    reply = ask(ports, requester, "peacekepping opperations")
    if reply.tone == Tone.notice:
        assert "Peacekeeping" in " ".join(a.label for a in reply.actions)
    else:
        assert "Peacekeeping" in reply.title


@pytest.mark.parametrize("words", ["'; DROP TABLE commitment; --", '" OR 1=1', "NEAR(a b) * AND", "🕊️", "%_%"])
def test_query_syntax_and_sql_are_just_words(ports, requester, words):
    reply = ask(ports, requester, words)
    assert reply.tone in (Tone.answer, Tone.notice)
    assert ask(ports, requester, "MLAT").item_count >= 1  # the table is still there


def test_a_commitment_id_shows_it(ports, requester):
    assert ask(ports, requester, "2002-a4").title.startswith("2002-A4")


# -- paging ------------------------------------------------------------------


def test_paging_walks_through_every_result_once(ports, requester):
    first = ask(ports, requester, "peacekeeping")
    more = [a for a in first.actions if a.kind == ActionKind.more]
    assert more and more[0].page == 2
    seen, page = [], 1
    while True:
        reply = ask(ports, requester, "peacekeeping", page=page)
        seen += ids(reply, 0)
        if not any(a.kind == ActionKind.more for a in reply.actions):
            break
        page += 1
    everything = ids(ask(dataclasses.replace(ports, page_size=500), requester, "peacekeeping"), 0)
    assert seen == everything


def test_a_page_past_the_end_shows_the_last_page(ports, requester):
    reply = ask(ports, requester, "peacekeeping", page=99)
    assert reply.item_count >= 1
    assert not any(a.kind == ActionKind.more for a in reply.actions)


# -- help, areas, show, next, mine, owner ------------------------------------------


def test_help_lists_examples(ports, requester):
    reply = ask(ports, requester, "")
    assert reply == ask(ports, requester, "help")
    body = render_text(reply)
    for example in ("/agenda counter-terrorism", "/agenda areas", "/agenda show", "/agenda next", "/agenda mine"):
        assert example in body


def test_areas_have_counts(ports, requester):
    body = render_text(ask(ports, requester, "areas"))
    assert "Counter-terrorism (CT): " in body
    assert "/agenda counter-terrorism" in body


def test_show_has_full_text_history_and_related(ports, requester):
    reply = ask(ports, requester, "show 1999-1")
    text = render_text(reply)
    assert "Vancouver" in text and "autumn 2000" in text
    assert "announced; no later source confirms it took place" in text
    assert "“every second year”" in text and "superseded" in text
    assert "“every year”" in text and "in force" in text
    assert "expected host" not in text  # nothing recorded since 2000: the turn is unknown, not assumed
    related = [s for s in reply.sections if s.heading and s.heading.startswith("Related")]
    assert related and any(i.id.startswith("2005") for i in related[0].items)


def test_show_unknown_id_suggests_close_ids(ports, requester):
    reply = ask(ports, requester, "show 2002-A44")
    assert reply.tone == Tone.notice
    assert any(a.query == "show 2002-A4" for a in reply.actions)


def test_next_projects_meetings_and_lists_overdue_deadlines(ports, requester):
    reply = ask(ports, requester, "next 1 year")
    text = render_text(reply)
    assert "projected, not yet fixed" in text
    assert "Peace and Security Symposium" in text
    overdue = next(s for s in reply.sections if s.heading and s.heading.startswith("Overdue"))
    assert "2002-A4" in [i.id for i in overdue.items]


def _section(reply: Reply, start: str):
    return next((s for s in reply.sections if s.heading and s.heading.startswith(start)), None)


def test_next_lists_in_a_period_only_what_falls_in_it_and_a_projected_year_apart(ports, requester):
    """Issue 12 item 15. Today is 22 Nov 2026. The symposium is projected to autumn 2026 (every day it may
    still meet on, up to 30 Nov, lies in two weeks); the defence-authority talks to "2026" (up to 31 Dec:
    not inside two weeks, inside six months); the lecture series and the Pol-Mil Talks to "2027" (never
    inside six months, inside three years)."""
    two_weeks = ask(ports, requester, "next 2 weeks")
    assert ids(two_weeks, 0) == ["peace-security-symposium"] and two_weeks.sections[0].heading == "In the next 2 weeks"
    apart = _section(two_weeks, "Not yet fixed to a day")
    assert ids(two_weeks, two_weeks.sections.index(apart)) == ["defence-authority-talks"]
    assert "When: sometime in 2026, date not yet fixed" in render_text(two_weeks)

    six_months = ask(ports, requester, "next 6 months")
    inside = _section(six_months, "In the next 6 months")
    assert {i.id for i in inside.items} == {"peace-security-symposium", "defence-authority-talks"}
    apart = _section(six_months, "Not yet fixed to a day")
    assert {i.id for i in apart.items} == {"lecture-series", "pol-mil-talks"}
    assert "sometime in 2027, date not yet fixed" in render_text(six_months)
    assert "2027, projected" not in render_text(six_months)

    three_years = ask(ports, requester, "next 3 years")
    assert {"lecture-series", "pol-mil-talks"} <= set(ids(three_years, 0))


def test_a_deadline_known_only_to_a_year_is_shown_apart_too(ports, requester, engine):
    from datetime import date

    from tests.conftest import make_deadline

    make_deadline(engine, "2005-C1", "2027", date(2027, 1, 1), date(2027, 12, 31))
    six_months = ask(ports, requester, "next 6 months")
    assert "2005-C1" not in ids(six_months, 0)
    apart = _section(six_months, "Not yet fixed to a day")
    assert "2005-C1" in [i.id for i in apart.items]
    assert "Next: sometime in 2027, day not yet fixed" in render_text(six_months)
    assert "2005-C1" in ids(ask(ports, requester, "next 2 years"), 0)


def test_next_twelve_months_reaches_the_same_day_next_year(ports, requester):
    """Issue 12 item 16: 12 months from 22 Nov 2026 end on 22 Nov 2027, not 360 days later."""
    reply = ask(ports, requester, "next 12 months")
    assert reply.title == "What comes next: 22 Nov 2026 to 22 Nov 2027"
    assert reply.sections[0].heading == "In the next 12 months"
    assert any(a.query == "next 12 months" for a in reply.actions)


def test_the_un_reform_target_is_overdue_like_the_mlat(ports, requester):
    """Issue 12 item 19: a dated target that passed with no outcome on record is overdue."""
    overdue = _section(ask(ports, requester, "next 1 day"), "Overdue")
    assert {"2002-A4", "2005-F1"} <= {i.id for i in overdue.items}
    assert "Status: overdue (due Sep 2005), status unknown" in render_text(ask(ports, requester, "show 2005-F1"))


def test_next_with_a_short_horizon_still_shows_overdue(ports, requester):
    reply = ask(ports, requester, "next 1 day")
    assert any(s.heading and s.heading.startswith("Overdue") for s in reply.sections)


def test_mine_is_empty_until_people_are_assigned_then_lists_them(ports, requester, engine):
    assert ask(ports, requester, "mine").tone == Tone.notice
    with session(engine) as db:
        agenda_changed(db)  # as every writer of agenda rows must
        from sqlmodel import select

        from models.tables import Commitment

        mlat = db.exec(select(Commitment).where(Commitment.key == "2002-A4")).one()
        db.add(
            Owner(
                commitment_id=mlat.id,
                kind=OwnerKind.user,
                ref=requester.user_ref,
                display_name="tester",
                origin=Origin.bot,
            )
        )
        db.commit()
    assert ids(ask(ports, requester, "mine")) == ["2002-A4"]
    assert ids(ask(ports, requester, f"owner <@{requester.user_ref}>")) == ["2002-A4"]


@pytest.mark.parametrize("who", ["DND", "Department of National Defence", "national defence", "JDA"])
def test_owner_by_department_name_or_acronym(ports, requester, who):
    reply = ask(ports, requester, f"owner {who}")
    assert reply.tone == Tone.answer
    assert reply.item_count >= 1


def test_owner_unknown_lists_departments(ports, requester):
    reply = ask(ports, requester, "owner Ministry of Magic")
    assert reply.tone == Tone.notice
    assert "Global Affairs Canada" in render_text(reply)


def test_next_shows_a_bounded_list_and_says_how_many_more(ports, requester, monkeypatch):
    import handlers.commands.listings as listings

    everything = ask(ports, requester, "next 3 years").sections[0].items
    assert len(everything) >= 3
    monkeypatch.setattr(listings, "NEXT_SHOWN", 2)
    from handlers.domain.cache import ReplyCache

    reply = ask(dataclasses.replace(ports, replies=ReplyCache()), requester, "next 3 years")  # not the cached answer
    assert [i.id for i in reply.sections[0].items] == [i.id for i in everything[:2]]
    assert reply.sections[1].body.startswith(f"…and {len(everything) - 2} more")
