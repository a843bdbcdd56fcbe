"""After a meeting (issue 16, items 6 and 7): the record of discussion, follow-up actions that are
commitments of their own (reminded and escalated as any deadline), and who attends for each side."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from handlers.commands.outcomes import AddAction, RecordOutcome, SetDelegation
from handlers.commands.parser import Lookup, ParseError, parse
from handlers.views.reply import Tone, Visibility
from handlers.views.text import render_text
from models.db import session
from models.tables import Commitment, Owner, Sensitivity
from scheduling.clock import FixedClock
from tests.test_meetings import COORDINATOR, MEMBER, audit, run
from tests.test_meetings import agenda as _agenda


@pytest.fixture
def agenda(ports, engine):
    return _agenda.__wrapped__(ports, engine)


def test_outcome_action_and_delegation_words():
    assert parse('outcome pol-mil 2002-A4 "agreed to exchange drafts"') == RecordOutcome(
        "pol-mil", "2002-A4", "agreed to exchange drafts"
    )
    assert parse("action pol-mil “exchange lists of PKO trainers” owner <@slack:UMARIA> and DND due 1 Mar 2027") == (
        AddAction("pol-mil", "exchange lists of PKO trainers", ("slack:UMARIA",), "DND", "2027-03-01")
    )
    assert parse('action symposium "circulate the report" due Jun 2027 restricted').restricted
    assert parse('delegation pol-mil Canada <@slack:UMARIA> "Global Affairs Canada"') == SetDelegation(
        "pol-mil", "CA", ("slack:UMARIA",), ("Global Affairs Canada",)
    )
    assert parse("delegation pol-mil Japan remove MOFA").remove
    for refused in ('action pol-mil "x" owner <@slack:UMARIA>', 'action pol-mil "x" due someday',
                    'action "x" due 2027', "outcome 2002-A4 agreed", "outcome pol-mil 2002-A4",
                    "delegation Canada <@slack:UMARIA>", "delegation pol-mil Japan"):  # fmt: skip
        assert isinstance(parse(refused), ParseError), refused
    # Words that are not these commands stay lookups: the 1999 Action Agenda, for one.
    assert isinstance(parse("action agenda"), Lookup) and isinstance(parse("delegation list"), Lookup)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_outcomes_and_actions_of_the_last_meeting_held_are_recorded_shown_and_audited(agenda, engine):
    assert (
        "No Political-Military Talks is on record as held yet."
        == run(agenda, COORDINATOR, 'action pol-mil "exchange lists" owner <@slack:UMARIA> due 1 Mar 2027').title
    )
    assert run(agenda, COORDINATOR, "propose 2002-A4 for pol-mil").tone == Tone.answer
    later = dataclasses.replace(agenda, clock=FixedClock(datetime(2026, 12, 20, 15, tzinfo=UTC)))
    assert run(later, COORDINATOR, "held pol-mil 8 Dec 2026 in Tokyo host Japan number 13").tone == Tone.answer

    refused = run(later, MEMBER, 'outcome pol-mil 2002-A4 "agreed"')
    assert refused.title.startswith("Only coordinators") and refused.summary == "Nothing was changed."
    done = run(later, COORDINATOR, 'outcome pol-mil 2002-A4 "agreed to exchange drafts"')
    assert done.title == "Outcome recorded for 2002-A4 at the Political-Military Talks (the 13th, Tue 8 Dec 2026 in " \
                         "Tokyo)."  # fmt: skip
    again = run(later, COORDINATOR, "outcome pol-mil 2002-A4 drafts exchanged; text nearly agreed")
    assert again.summary == "It replaces: “agreed to exchange drafts”."
    assert run(later, COORDINATOR, "outcome pol-mil 2099-Z9 nothing").tone != Tone.answer

    bad = {
        'action pol-mil "x" owner @maria due 1 Mar 2027': "I don't know the owner “@maria”",
        'action pol-mil "x" owner <@slack:UMARIA> due 1 Dec 2026': "Tue 1 Dec 2026 has passed",
        'action nowhere "x" due 1 Mar 2027': "I don't know a meeting called “nowhere”.",
    }
    for words, title in bad.items():
        reply = run(later, COORDINATOR, words)
        assert reply.title.startswith(title) and reply.tone != Tone.answer, (words, reply.title)
    added = run(later, COORDINATOR, 'action pol-mil "exchange lists of PKO trainers" owner <@slack:UMARIA> and DND '
                                    "due 1 Mar 2027")  # fmt: skip
    assert added.title == ("Follow-up action 2026-M1 added for the Political-Military Talks (the 13th, Tue 8 Dec 2026 "
                           "in Tokyo): exchange lists of PKO trainers")  # fmt: skip
    assert added.summary.startswith("Due Mon 1 Mar 2027; owners: <@slack:UMARIA>, Department of National Defence")
    second = run(later, COORDINATOR, 'action pol-mil "share the exercise calendar" due 2027 restricted')
    assert second.title.startswith("Follow-up action 2026-M2 added")
    with session(engine) as db:
        row = db.exec(select(Commitment).where(Commitment.key == "2026-M1")).one()
        owners = db.exec(select(Owner).where(Owner.commitment_id == row.id)).all()
        restricted = db.exec(select(Commitment).where(Commitment.key == "2026-M2")).one().sensitivity
    assert (row.kind, row.due_edtf, row.section) == (
        "deadline",
        "2027-03-01",
        "Follow-up of the Political-Military Talks, the 13th, held 8 Dec 2026 in Tokyo",
    )
    assert sorted(o.ref for o in owners) == ["national-defence-canada", "slack:UMARIA"]
    assert restricted == Sensitivity.restricted
    actions = [(e.action, e.target_key) for e in audit(engine) if e.action in ("outcome", "add", "action")]
    assert actions == [("outcome", "pol-mil-talks"), ("outcome", "pol-mil-talks"), ("add", "2026-M1"),
                       ("action", "pol-mil-talks"), ("add", "2026-M2"), ("action", "pol-mil-talks")]  # fmt: skip

    # Shown as any commitment, citing the meeting; found by lookups; on the page and in the briefing.
    shown = render_text(run(later, MEMBER, "show 2026-M1"))
    assert "Follow-up of the Political-Military Talks, the 13th, held 8 Dec 2026 in Tokyo" in shown
    assert "Mon 1 Mar 2027" in shown
    assert "2026-M1" in render_text(run(later, MEMBER, "PKO trainers"))
    page = run(later, COORDINATOR, "meeting pol-mil")
    text = render_text(page)
    assert "2002-A4 Conclude a Mutual Legal Assistance Treaty (MLAT) by end-2003: drafts exchanged; text nearly " \
           "agreed" in text  # fmt: skip
    [follow] = [s for s in page.sections if s.heading.startswith("Follow-up actions")]
    assert [i.id for i in follow.items] == ["2026-M1", "2026-M2"]
    channel = run_in_channel(later, "meeting pol-mil")
    [follow] = [s for s in channel.sections if s.heading.startswith("Follow-up actions")]
    assert [i.id for i in follow.items] == ["2026-M1"] and follow.body == "1 restricted action, not shown here."
    assert "2026-M2" not in render_text(channel)
    briefing = render_text(run(later, MEMBER, "briefing pol-mil"))
    assert "Record of discussion (the 13th, Tue 8 Dec 2026 in Tokyo)" in briefing and "2026-M1" in briefing
    assert "2026-M2" not in briefing  # a member may not see it

    february = dataclasses.replace(agenda, clock=FixedClock(datetime(2027, 2, 10, 15, tzinfo=UTC)))
    digest = render_text(run(february, COORDINATOR, "digest preview"))
    assert "• 2026-M1 Exchange lists of PKO trainers: Mon 1 Mar 2027" in digest.split("Falls due in the next four")[1]
    history = render_text(run(later, COORDINATOR, "history pol-mil"))
    assert "outcome 2002-A4" in history and "2026-M1" in history

    # Reminded and escalated as any deadline: the planner words it for its owner, and escalates it once overdue.
    planned = _planned(engine, later, datetime(2027, 2, 20, tzinfo=UTC), days=30)
    assert "reminder:2026-M1:2027-03-01:7d:slack:UMARIA" in planned
    overdue = _planned(engine, later, datetime(2027, 3, 20, tzinfo=UTC), days=30)
    assert any(k.startswith("escalation:2026-M1:") for k in overdue)


def run_in_channel(ports, words):
    from handlers import answer

    return answer(words, ports=ports, requester=MEMBER, audience=Visibility.channel)


def _planned(engine, ports, now, days):
    from bot.delivery import policy_from
    from handlers.domain.timeline import Timeline
    from models import repository
    from scheduling.reminders import planned_messages
    from tests.conftest import settings_for

    policy = dataclasses.replace(policy_from(settings_for(coordinators_channel="C0COORD")),
                                 horizon=timedelta(days=days), catch_up=timedelta(0))  # fmt: skip
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), now.date(), ports.capitals)
        return {p.key for p in planned_messages(db, timeline, policy, now)}


@pytest.mark.parametrize("backend", ["sqlite"])
def test_delegations_for_the_next_meeting_on_the_page_and_in_the_printed_briefing(agenda, engine):
    from handlers import answer
    from handlers.views.printable import as_html, as_markdown

    assert run(agenda, COORDINATOR, "delegation pol-mil Canada <@slack:UMARIA>").title.startswith(
        "The Political-Military Talks has no meeting fixed or held"
    )
    assert run(agenda, COORDINATOR, "schedule pol-mil 8 Dec 2026 in Tokyo host Japan").tone == Tone.answer
    assert run(agenda, MEMBER, "delegation pol-mil Canada <@slack:UMARIA>").title.startswith("Only coordinators")
    named = run(agenda, COORDINATOR, 'delegation pol-mil Canada <@slack:UMARIA> "Global Affairs Canada"')
    assert named.title.startswith("Canada's delegation to the Political-Military Talks (Tue 8 Dec 2026 in Tokyo): ")
    assert run(agenda, COORDINATOR, 'delegation pol-mil Japan "Embassy of Japan", MOFA').tone == Tone.answer
    assert run(agenda, COORDINATOR, "delegation pol-mil Japan remove Embassy of Japan").tone == Tone.answer
    same = run(agenda, COORDINATOR, "delegation pol-mil Canada <@slack:UMARIA>")
    assert same.tone == Tone.notice
    page = render_text(run(agenda, MEMBER, "meeting pol-mil"))
    assert "Delegations (Tue 8 Dec 2026 in Tokyo)" in page
    assert "Canada: @UMARIA, Global Affairs Canada" in page and "Embassy" not in page
    reply = answer("briefing pol-mil", ports=agenda, requester=MEMBER)
    markdown, html = as_markdown(reply), as_html(reply)
    assert "## Delegations (Tue 8 Dec 2026 in Tokyo)" in markdown and "Global Affairs Canada" in markdown
    assert "Delegations (Tue 8 Dec 2026 in Tokyo)</h2>" in html and "Global Affairs Canada" in html
    assert [e.action for e in audit(engine) if e.action == "delegation"] == ["delegation"] * 3


def test_the_migration_goes_down_and_up(engine):
    from alembic import command
    from sqlalchemy import inspect

    from models.db import alembic_config

    config = alembic_config(engine)
    command.downgrade(config, "0023_person_language")  # the revision before this one
    tables = set(inspect(engine).get_table_names())
    assert not {"meeting_outcome", "meeting_action", "delegate"} & tables and "agenda_proposal" in tables
    command.upgrade(config, "head")
    assert {"meeting_outcome", "meeting_action", "delegate"} <= set(inspect(engine).get_table_names())


@pytest.mark.parametrize(
    ("language", "everything", "one_meeting"),
    [
        ("en", "what are the open action items?", "follow-ups from the last Pol-Mil"),
        ("fr", "quelles sont les actions de suivi", "les suivis de la dernière réunion politico-militaire"),
        ("ja", "フォローアップ事項は", "前回の政軍協議のフォローアップは"),
    ],
)
def test_open_follow_up_actions_asked_in_words_soonest_first_and_never_a_restricted_one_in_a_channel(
    agenda, language, everything, one_meeting
):
    from tests.test_questions import ask_in

    def asked(words, who=COORDINATOR, ports=None):
        return ask_in(ports or later, language, words, who)

    later = dataclasses.replace(agenda, clock=FixedClock(datetime(2026, 12, 20, 15, tzinfo=UTC)))
    assert asked(everything, ports=later).tone == Tone.notice  # none yet: said, with how to record one
    assert run(later, COORDINATOR, "held pol-mil 8 Dec 2026 in Tokyo host Japan number 13").tone == Tone.answer
    run(later, COORDINATOR, 'action pol-mil "share the exercise calendar" owner DND due 1 Jun 2027')
    run(later, COORDINATOR, 'action pol-mil "exchange lists of PKO trainers" owner DND due 1 Mar 2027')
    run(later, COORDINATOR, 'action pol-mil "a quiet track" owner DND due 1 Feb 2027 restricted')
    run(later, COORDINATOR, "status 2026-M1 done")
    reply = asked(everything)
    assert reply.title == {"en": "2 follow-up actions are open.", "fr": "2 mesures de suivi sont ouvertes.",
                           "ja": "未完了のフォローアップ措置は2件です。"}[language]  # fmt: skip
    keys = [item.id for section in reply.sections for item in section.items]
    assert keys == ["2026-M3", "2026-M2", "2026-M1"]  # soonest due first (the restricted one too, privately), done last
    assert asked(one_meeting).title.startswith({"en": "2 follow-up actions are open for the Political-Military",
                                                "fr": "2 mesures de suivi sont ouvertes (Pourparlers",
                                                "ja": "政治・軍事対話の未完了"}[language])  # fmt: skip
    channel = render_text(run_in_channel(later, everything))
    assert "quiet track" not in channel and "2026-M3" not in channel
    assert channel.startswith("1 follow-up action is open.")  # the channel reply is worded for everyone, in English
