"""One person on Slack and Teams: `/agenda link` codes, links by email, and what
a link changes (what they own, their role, where reminders go), on both backends.

The front ends are tested elsewhere; here the neutral handlers are driven as
the front ends drive them, with the audience each conversation has.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from handlers import answer
from handlers.domain import identities
from handlers.domain.ports import Requester
from handlers.domain.timeline import Timeline
from handlers.views.reply import Tone, Visibility
from models import repository
from models.db import session
from models.revision import agenda_changed
from models.tables import AuditEntry, Commitment, IdentityLink, LinkCode, OutboxMessage, Person
from scheduling.outbox import Planned, enqueue
from scheduling.planner import Policy
from scheduling.reminders import planned_messages

ADMIN = Requester(user_ref="slack:UADMIN", channel_ref="slack:C0TEST")
MARIA_SLACK = Requester(user_ref="slack:UMARIA", channel_ref="slack:C0TEST")
MARIA_TEAMS = Requester(user_ref="teams:aad-maria", channel_ref="teams:a:1on1-maria")
KEN_SLACK = Requester(user_ref="slack:UKEN", channel_ref="slack:C0TEST")
KEN_TEAMS = Requester(user_ref="teams:aad-ken", channel_ref="teams:a:1on1-ken")
CODE = re.compile(r"`link (\d{4}-\d{4})`")


@pytest.fixture
def agenda(ports):
    """Maria owns the symposium (and 2002-A4) in Slack; the symposium has a date."""
    ports = dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref}))
    for command in (
        "assign symposium <@slack:UMARIA>",
        "assign 2002-A4 <@slack:UMARIA>",
        "schedule symposium 14 Oct 2027 in Ottawa host Canada",
    ):
        assert answer(command, ports=ports, requester=ADMIN).tone == Tone.answer, command
    return ports


def ask(ports, requester: Requester, text: str, audience: Visibility = Visibility.private):
    return answer(text, ports=ports, requester=requester, audience=audience)


def code_for(ports, requester: Requester) -> str:
    reply = ask(ports, requester, "link")
    found = CODE.search(reply.summary)
    assert found, reply.summary
    return found.group(1)


def link_by_code(ports, first: Requester, second: Requester):
    return ask(ports, second, f"link {code_for(ports, first)}")


def reminder_targets(engine, ports, ref: str = "peace-security-symposium") -> set[str]:
    """Who the symposium's 30-day reminder goes to, planned on the morning it is due."""
    ports.clock.at = ports.clock.at.replace(year=2027, month=9, day=14, hour=6)
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), ports.clock.now().date())
        planned = planned_messages(db, timeline, Policy(), ports.clock.now())
    return {p.target for p in planned if p.key.startswith(f"reminder:{ref}:") and ":30d:" in p.key}


# -- the code ----------------------------------------------------------------------------


def test_a_code_from_slack_said_in_teams_makes_one_person(agenda, engine):
    assert ask(agenda, MARIA_TEAMS, "mine").title == "Nothing owned by you"  # cached for this revision…
    reply = link_by_code(agenda, MARIA_SLACK, MARIA_TEAMS)
    assert reply.tone == Tone.answer and reply.title.startswith("Linked: this Teams account and your Slack account")
    mine = ask(agenda, MARIA_TEAMS, "mine")  # …and not served once the link changed what is hers
    assert "2002-A4" in {item.id for section in mine.sections for item in section.items}
    with session(engine) as db:
        assert identities.identities_of(db, "teams:aad-maria") == ("teams:aad-maria", "slack:UMARIA")
        assert not db.exec(select(LinkCode)).all()  # a code works once
        notices = db.exec(select(OutboxMessage).where(OutboxMessage.kind == "notice")).all()
        assert [n.target for n in notices] == ["slack:UMARIA"]  # the account that did not act hears of it
        assert "link remove" in str(notices[0].body)
        entry = db.exec(select(AuditEntry).where(AuditEntry.action == "link")).one()
        assert (entry.actor_ref, entry.after) == (
            "teams:aad-maria",
            {"identities": ["teams:aad-maria", "slack:UMARIA"]},
        )
    status = ask(agenda, MARIA_SLACK, "link")
    assert status.title == "Your Slack account is linked with your Teams account."
    assert "both Slack and Teams" in status.summary and not CODE.search(status.summary)


def test_codes_are_shown_and_taken_only_in_private(agenda, engine):
    shown = ask(agenda, MARIA_TEAMS, "link", Visibility.channel)
    assert shown.title == "Ask me for a link code in a 1:1 chat." and not CODE.search(shown.summary)
    code = code_for(agenda, MARIA_SLACK)
    said = ask(agenda, MARIA_TEAMS, f"link {code}", Visibility.channel)
    assert said.tone == Tone.error and "no longer works" in said.title
    again = ask(agenda, MARIA_TEAMS, f"link {code}")  # burned: the channel saw it
    assert again.tone == Tone.error and "unknown or has expired" in again.title
    with session(engine) as db:
        assert not db.exec(select(IdentityLink)).all()


def test_a_code_expires_works_once_and_must_cross_platforms(agenda, engine):
    code = code_for(agenda, MARIA_SLACK)
    assert "Say this code in Teams" in ask(agenda, MARIA_SLACK, f"link {code}").title
    agenda.clock.at += timedelta(minutes=16)
    assert "expired" in ask(agenda, MARIA_TEAMS, f"link {code}").title
    code = code_for(agenda, MARIA_SLACK)
    newer = code_for(agenda, MARIA_SLACK)  # asking again replaces the older code
    assert "expired" in ask(agenda, MARIA_TEAMS, f"link {code}").title or code == newer
    assert "Both are Slack accounts" in ask(agenda, KEN_SLACK, f"link {newer}").title
    assert ask(agenda, MARIA_TEAMS, f"link {newer}").tone == Tone.error  # spent on Ken's refused attempt
    assert link_by_code(agenda, MARIA_SLACK, MARIA_TEAMS).tone == Tone.answer
    taken = link_by_code(agenda, KEN_SLACK, MARIA_TEAMS)  # one Teams account, two Slack people: refused
    assert taken.tone == Tone.error and "already linked with another Slack account" in taken.title


def test_guessing_codes_is_cut_off_after_five_wrong_ones(agenda):
    code = code_for(agenda, MARIA_SLACK)
    wrong = f"{(int(code.replace('-', '')) + 1) % 10**8:08d}"
    for _ in range(5):
        assert "unknown or has expired" in ask(agenda, MARIA_TEAMS, f"link {wrong}").title
    assert "Too many wrong codes" in ask(agenda, MARIA_TEAMS, f"link {code}").title
    agenda.clock.at += timedelta(minutes=16)
    assert link_by_code(agenda, MARIA_SLACK, MARIA_TEAMS).tone == Tone.answer


def test_linking_is_for_slack_and_teams_accounts(agenda):
    reply = ask(agenda, Requester(user_ref="cli:maria"), "link")
    assert reply.title == "Linking joins a Slack account and a Teams account."


# -- what a link changes -----------------------------------------------------------------


def test_role_and_permissions_follow_the_person(agenda):
    assert ask(agenda, MARIA_TEAMS, "status 2002-A4 in progress").tone == Tone.notice  # not hers, yet
    link_by_code(agenda, MARIA_SLACK, MARIA_TEAMS)
    assert ask(agenda, MARIA_TEAMS, "status 2002-A4 in progress").tone == Tone.answer  # owned via Slack
    assert ask(agenda, KEN_TEAMS, "assign pol-mil <@teams:aad-ken>").tone == Tone.notice
    ask(agenda, ADMIN, "role <@slack:UKEN> coordinator")
    link_by_code(agenda, KEN_TEAMS, KEN_SLACK)
    assert ask(agenda, KEN_TEAMS, "assign pol-mil <@teams:aad-ken>").tone == Tone.answer
    admin_teams = Requester(user_ref="teams:aad-admin")
    link_by_code(agenda, ADMIN, admin_teams)  # AGENDA_ADMINS names the Slack identity
    assert ask(agenda, admin_teams, "role <@teams:aad-maria> coordinator").tone == Tone.answer


def test_restricted_items_owned_on_one_platform_are_seen_privately_on_the_other(agenda):
    ask(agenda, ADMIN, "sensitivity 2002-A4 restricted")
    hidden = "No commitment with the id “2002-A4”"
    assert ask(agenda, MARIA_TEAMS, "show 2002-A4").title == hidden
    link_by_code(agenda, MARIA_SLACK, MARIA_TEAMS)
    assert ask(agenda, MARIA_TEAMS, "show 2002-A4").title.startswith("2002-A4:")
    assert ask(agenda, MARIA_TEAMS, "show 2002-A4", Visibility.channel).title == hidden  # never to a channel


def test_reminders_go_where_the_person_chose(agenda, engine):
    with session(engine) as db:
        db.add(Person(user_ref="slack:UMARIA", timezone="Asia/Tokyo"))
        db.commit()
    assert reminder_targets(engine, agenda) == {"slack:UMARIA"}
    agenda.clock.at = agenda.clock.at.replace(year=2026, month=11, day=22)
    link_by_code(agenda, MARIA_SLACK, MARIA_TEAMS)
    assert reminder_targets(engine, agenda) == {"slack:UMARIA", "teams:aad-maria"}
    assert ask(agenda, MARIA_TEAMS, "link reminders teams").title == "Your reminders now go to Teams only."
    assert reminder_targets(engine, agenda) == {"teams:aad-maria"}
    with session(engine) as db:  # Teams gave no timezone: her Slack one (Tokyo) decides 09:00
        timeline = Timeline(repository.load_mechanisms(session=db), agenda.clock.now().date())
        planned = planned_messages(db, timeline, Policy(), agenda.clock.now())
        at = next(p.due_at for p in planned if p.target == "teams:aad-maria" and ":30d:" in p.key)
    assert (at.hour, at.minute) == (0, 0)  # 09:00 in Tokyo
    assert "Nothing to change" in ask(agenda, MARIA_SLACK, "link reminders teams").title
    assert ask(agenda, MARIA_SLACK, "link remove").title.startswith("Unlinked")
    assert reminder_targets(engine, agenda) == {"slack:UMARIA"}


def test_own_lead_times_hold_on_both_platforms(agenda, engine):
    link_by_code(agenda, MARIA_SLACK, MARIA_TEAMS)
    assert ask(agenda, MARIA_TEAMS, "remind me 45").tone == Tone.answer
    with session(engine) as db:
        leads = {p.user_ref: p.lead_days for p in db.exec(select(Person))}
    assert leads == {"slack:UMARIA": [45], "teams:aad-maria": [45]}


def test_a_reminder_sent_to_slack_can_be_acknowledged_from_teams(agenda, engine):
    key = "escalation:2002-A4:2026-11-23:slack:UMARIA"
    with session(engine) as db:
        now = agenda.clock.now()
        enqueue(db, [Planned(key, "escalation", "slack:UMARIA", now, {"title": "Overdue"})], now=now)
    assert ask(agenda, KEN_TEAMS, f"ack {key}").tone == Tone.notice  # a stranger may not
    link_by_code(agenda, MARIA_SLACK, MARIA_TEAMS)
    assert ask(agenda, MARIA_TEAMS, f"ack {key}").title == "Acknowledged: 2002-A4."


def test_restricted_reminders_reach_a_teams_owner_but_never_the_coordinators_channel(agenda, engine):
    for command in ("assign 2002-A4 <@teams:aad-ken>", "status 2002-A4 in progress", "sensitivity 2002-A4 restricted"):
        assert ask(agenda, ADMIN, command).tone == Tone.answer, command
    with session(engine) as db:  # an open deadline, due when the symposium is
        agenda_changed(db)  # as every writer of agenda rows must
        mlat = db.exec(select(Commitment).where(Commitment.key == "2002-A4")).one()
        mlat.due_edtf, mlat.due_start, mlat.due_end = "2027-10-14", None, date(2027, 10, 14)
        db.add(mlat)
        db.commit()
    policy = Policy(coordinators_channel="slack:CCOORD")
    agenda.clock.at = agenda.clock.at.replace(year=2027, month=9, day=14, hour=6)
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), agenda.clock.now().date())
        planned = planned_messages(db, timeline, policy, agenda.clock.now())
    assert {p.target for p in planned if p.key.startswith("reminder:2002-A4:")} == {"slack:UMARIA", "teams:aad-ken"}
    assert "slack:CCOORD" in {p.target for p in planned if p.key.startswith("reminder:peace-security-symposium:")}


# -- unlinking and admins ---------------------------------------------------------------


def test_only_admins_undo_someone_elses_link(agenda, engine):
    link_by_code(agenda, MARIA_SLACK, MARIA_TEAMS)
    refused = ask(agenda, KEN_SLACK, "link remove <@slack:UMARIA>")
    assert refused.tone == Tone.notice and refused.title.startswith("Only admins")
    assert ask(agenda, KEN_SLACK, "link <@slack:UMARIA>").title.startswith("Only coordinators")
    shown = ask(agenda, ADMIN, "link <@slack:UMARIA>")
    assert shown.title == "Linked: Slack <@slack:UMARIA> and Teams <@teams:aad-maria>."
    assert ask(agenda, ADMIN, "link remove <@teams:aad-maria>").title.startswith("Unlinked")
    with session(engine) as db:
        assert not db.exec(select(IdentityLink)).all()
        assert db.exec(select(AuditEntry).where(AuditEntry.action == "unlink")).one().actor_ref == "slack:UADMIN"
    assert "nothing to undo" in ask(agenda, MARIA_SLACK, "unlink").title


# -- by email ---------------------------------------------------------------------------


def test_the_same_address_on_both_platforms_links_once(agenda, engine):
    now = agenda.clock.now()
    with session(engine) as db:
        assert identities.record_email(db, "slack:UMARIA", "Maria.Sato@example.org", now=now) is None
        assert identities.record_email(db, "slack:UKEN", "ken@example.org", now=now) is None
        assert identities.record_email(db, "teams:aad-maria", "maria.sato@EXAMPLE.org ", now=now) == "slack:UMARIA"
        assert identities.record_email(db, "teams:aad-maria", "maria.sato@example.org", now=now) is None  # already
        assert identities.record_email(db, "teams:aad-other", "someone@example.org", now=now) is None
        notices = db.exec(select(OutboxMessage.target).where(OutboxMessage.kind == "notice")).all()
    assert sorted(notices) == ["slack:UMARIA", "teams:aad-maria"]
    status = ask(agenda, MARIA_TEAMS, "link")
    assert status.summary.startswith("Linked by the same email address on both")


def test_an_address_shared_by_two_accounts_on_one_platform_links_nobody(engine, ports):
    now = ports.clock.now()
    with session(engine) as db:
        identities.record_email(db, "slack:UMARIA", "team@example.org", now=now)
        identities.record_email(db, "slack:UKEN", "team@example.org", now=now)
        assert identities.record_email(db, "teams:aad-maria", "team@example.org", now=now) is None
        assert identities.record_email(db, "teams:aad-x", "not an address", now=now) is None
        assert db.exec(select(Person.email).where(Person.user_ref == "teams:aad-x")).one() is None


def test_after_unlinking_the_address_no_longer_links(agenda, engine):
    now = agenda.clock.now()
    with session(engine) as db:
        identities.record_email(db, "slack:UMARIA", "maria@example.org", now=now)
        assert identities.record_email(db, "teams:aad-maria", "maria@example.org", now=now) == "slack:UMARIA"
    assert ask(agenda, MARIA_TEAMS, "link remove").title.startswith("Unlinked")
    with session(engine) as db:
        assert identities.record_email(db, "teams:aad-maria", "maria@example.org", now=now) is None
        assert identities.record_email(db, "slack:UMARIA", "maria@example.org", now=now) is None
    assert link_by_code(agenda, MARIA_SLACK, MARIA_TEAMS).tone == Tone.answer  # a code still can


def test_link_words_that_do_not_parse_get_the_usage(agenda):
    for words in ("link 123", "link please", "link reminders email", "link remove <@slack:U1> <@slack:U2>"):
        reply = ask(agenda, MARIA_SLACK, words)
        assert reply.tone == Tone.error and "/agenda link" in reply.sections[0].body, words


def test_a_restricted_item_owned_through_its_meeting_is_in_mine_as_on_home(agenda):
    """One definition of owning (directly, or through the meeting): `mine` used to drop these."""
    ask(agenda, ADMIN, "sensitivity 1999-2 restricted")
    mine = ask(agenda, MARIA_SLACK, "mine")
    assert "1999-2" in {item.id for section in mine.sections for item in section.items}
    assert ask(agenda, MARIA_SLACK, "show 1999-2").title.startswith("1999-2:")
    assert ask(agenda, KEN_SLACK, "show 1999-2").title == "No commitment with the id “1999-2”"


def test_escalations_to_the_lead_follow_the_leads_links(agenda, engine):
    ask(agenda, ADMIN, "status 2002-A4 in progress")  # an open deadline, long overdue
    link_by_code(agenda, KEN_SLACK, KEN_TEAMS)
    ask(agenda, KEN_SLACK, "link reminders teams")
    policy = Policy(coordinators_channel="slack:CCOORD", lead="slack:UKEN")
    agenda.clock.at += timedelta(days=1)  # escalations go weekly; the next falls in this planning window
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), agenda.clock.now().date())
        planned = planned_messages(db, timeline, policy, agenda.clock.now())
    escalated = {p.key: p.target for p in planned if p.key.startswith("escalation:2002-A4:")}
    assert set(escalated.values()) == {"slack:CCOORD", "teams:aad-ken"}
    assert all(key.endswith(target) for key, target in escalated.items())
