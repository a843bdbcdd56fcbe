"""The write path without HTTP: roles, owners, status, stages, dates, sensitivity,
audit, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from handlers import answer
from handlers.domain.ports import Requester
from handlers.views.reply import Tone, Visibility
from handlers.views.text import render_text
from models.db import session
from models.revision import agenda_changed
from models.tables import AuditEntry, Commitment, CommitmentStage, Member, Occurrence, Owner, Role

ADMIN = Requester(user_ref="slack:UADMIN", channel_ref="slack:C0TEST")
COORDINATOR = Requester(user_ref="slack:UCOORD", channel_ref="slack:C0TEST")
MEMBER = Requester(user_ref="slack:UMEMBER", channel_ref="slack:C0TEST")


@pytest.fixture
def agenda(ports, engine):
    """Ports with one configured admin and one coordinator granted in the bot."""
    ports = dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref}))
    with session(engine) as db:
        agenda_changed(db)  # as every writer of agenda rows must
        db.add(
            Member(
                user_ref=COORDINATOR.user_ref, role=Role.coordinator, granted_by="seed", granted_at=ports.clock.now()
            )
        )
        db.commit()
    return ports


def run(ports, who: Requester, words: str, **kwargs):
    return answer(words, ports=ports, requester=who, **kwargs)


def audit_rows(engine, key: str | None = None) -> list[AuditEntry]:
    with session(engine) as db:
        statement = select(AuditEntry).order_by(AuditEntry.id)
        if key:
            statement = statement.where(AuditEntry.target_key == key)
        return list(db.exec(statement).all())


def commitment(engine, key: str) -> Commitment:
    with session(engine) as db:
        return db.exec(select(Commitment).where(Commitment.key == key)).one()


def owners(engine, key: str) -> set[str]:
    with session(engine) as db:
        c = db.exec(select(Commitment).where(Commitment.key == key)).one()
        return {o.ref for o in db.exec(select(Owner).where(Owner.commitment_id == c.id))}


# -- roles ---------------------------------------------------------------------------------


def test_admin_grants_and_revokes_roles_with_audit(agenda, engine):
    reply = run(agenda, ADMIN, "role <@slack:UNEW> coordinator")
    assert reply.tone == Tone.answer and "now a coordinator" in reply.title
    assert run(agenda, Requester(user_ref="slack:UNEW"), "assign 2002-A4 <@slack:UX>").tone == Tone.answer
    run(agenda, ADMIN, "role <@slack:UNEW> member")
    assert run(agenda, Requester(user_ref="slack:UNEW"), "assign 2002-A4 <@slack:UY>").tone == Tone.notice
    roles = [(e.before, e.after) for e in audit_rows(engine, "slack:UNEW")]
    assert roles == [({"role": "member"}, {"role": "coordinator"}), ({"role": "coordinator"}, {"role": "member"})]


@pytest.mark.parametrize("who", [COORDINATOR, MEMBER])
def test_only_admins_grant_roles_and_the_refusal_names_them(agenda, engine, who):
    reply = run(agenda, who, "role <@slack:UNEW> admin")
    assert reply.tone == Tone.notice
    assert reply.title == "Only admins can grant roles."
    assert "<@slack:UADMIN>" in render_text(reply) or "@UADMIN" in render_text(reply)
    assert audit_rows(engine) == []


def test_a_configured_admin_cannot_be_demoted_from_chat(agenda, engine):
    reply = run(agenda, ADMIN, "role <@slack:UADMIN> member")
    assert reply.tone == Tone.error and "AGENDA_ADMINS" in render_text(reply)
    assert audit_rows(engine) == []


# -- owners ----------------------------------------------------------------------------------


def test_assign_people_and_departments_then_unassign(agenda, engine):
    reply = run(agenda, COORDINATOR, "assign 2002-A4 <@slack:UMARIA> <@slack:UKEN> Public Safety Canada")
    assert reply.tone == Tone.answer, reply.title
    assert {"slack:UMARIA", "slack:UKEN", "public-safety-canada", "justice-canada"} <= owners(engine, "2002-A4")
    run(agenda, COORDINATOR, "unassign 2002-A4 <@slack:UKEN>")
    assert "slack:UKEN" not in owners(engine, "2002-A4")
    entries = audit_rows(engine, "2002-A4")
    assert [e.action for e in entries] == ["assign", "unassign"]
    assert "<@slack:UKEN>" in entries[0].after["owners"] and "<@slack:UKEN>" not in entries[1].after["owners"]
    assert entries[0].actor_ref == COORDINATOR.user_ref and entries[0].origin == "slack:C0TEST"


def test_assign_a_meeting_by_name(agenda, engine):
    reply = run(agenda, COORDINATOR, "assign Pol-Mil Talks <@slack:UMARIA>")
    assert reply.tone == Tone.answer, reply.title
    assert "Political-Military Talks" in reply.title
    assert run(agenda, Requester(user_ref="slack:UMARIA"), "mine").item_count >= 1  # owns its commitments through it


def test_assignments_survive_a_reseed(agenda, engine):
    from seeds.loader import load_seeds

    run(agenda, COORDINATOR, "assign 2002-A4 <@slack:UMARIA>")
    with session(engine) as db:
        load_seeds(db)
    assert "slack:UMARIA" in owners(engine, "2002-A4")


def test_assign_with_unknown_target_or_department_changes_nothing(agenda, engine):
    assert run(agenda, COORDINATOR, "assign 2099-Z1 <@slack:U1>").tone == Tone.error
    reply = run(agenda, COORDINATOR, "assign 2002-A4 Ministry of Magic")
    assert reply.tone == Tone.error and "Ministry of Magic" in reply.title
    assert audit_rows(engine) == []


def test_member_cannot_assign(agenda, engine):
    before = owners(engine, "2002-A4")
    reply = run(agenda, MEMBER, "assign 2002-A4 <@slack:UMEMBER>")
    assert reply.title == "Only coordinators and admins can change owners."
    assert "<@slack:UCOORD>" in render_text(reply) or "@UCOORD" in render_text(reply)
    assert owners(engine, "2002-A4") == before
    assert audit_rows(engine) == []


# -- status and stages -----------------------------------------------------------------------


def test_status_with_note_is_recorded(agenda, engine):
    reply = run(agenda, COORDINATOR, "status 2005-C1 in progress dialogue resumed in Tokyo")
    assert reply.title == "2005-C1 is now in progress."
    c = commitment(engine, "2005-C1")
    assert (c.status, c.status_note) == ("in_progress", "dialogue resumed in Tokyo")
    (entry,) = audit_rows(engine, "2005-C1")
    assert entry.before["status"] == "unknown" and entry.after["status"] == "in_progress"


def test_an_owner_may_update_their_own_status_but_not_others(agenda, engine):
    run(agenda, COORDINATOR, "assign 2005-C1 <@slack:UMEMBER>")
    assert run(agenda, MEMBER, "status 2005-C1 done").tone == Tone.answer
    refused = run(agenda, MEMBER, "status 2005-C2 done")
    assert refused.tone == Tone.notice and "its owners can too" in refused.title
    assert commitment(engine, "2005-C2").status == "unknown"


def test_treaty_stages_move_a_deadline_with_dates(agenda, engine):
    run(agenda, COORDINATOR, "status 2002-A4 negotiations launched on Oct 2003")
    signed = run(agenda, COORDINATOR, "status 2002-A4 signed on 24 May 2010 per the MOFA press release")
    # The reply says the stage and its date (issue 12 item 13), not only "is now in progress".
    assert signed.title == "2002-A4: signed on Mon 24 May 2010 (status: in progress)."
    c = commitment(engine, "2002-A4")
    assert c.status == "in_progress"
    assert "signed (Mon 24 May 2010)" in c.status_note
    in_force = run(agenda, COORDINATOR, "status 2002-A4 in force on 2011-07-01")
    assert in_force.title == "2002-A4: in force since Fri 1 Jul 2011 (status: done)."
    assert commitment(engine, "2002-A4").status == "done"
    with session(engine) as db:
        stages = {s.stage: s.on_edtf for s in db.exec(select(CommitmentStage))}
    assert stages == {"negotiations_launched": "2003-10", "signed": "2010-05-24", "in_force": "2011-07-01"}
    assert [e.action for e in audit_rows(engine, "2002-A4")] == ["stage", "stage", "stage"]
    # done: no longer overdue anywhere
    assert "overdue" not in render_text(run(agenda, MEMBER, "show 2002-A4"))


def test_a_treatys_stage_and_date_show_wherever_its_status_does(agenda, engine, clock):
    """Issue 12 item 13: show, lookups, listings, home, the export (JSON and CSV) and the digest."""
    from handlers.domain.timeline import Timeline
    from handlers.pages.export import commitment_rows, to_csv
    from handlers.pages.home import home
    from scheduling.digest import compose

    run(agenda, COORDINATOR, "assign 2002-A4 <@slack:UMEMBER>")
    run(agenda, COORDINATOR, "status 2002-A4 negotiations launched on Oct 2003")
    run(agenda, COORDINATOR, "status 2002-A4 signed on 24 May 2010")
    status = "Status: overdue (due by Wed 31 Dec 2003), signed on Mon 24 May 2010, in progress"
    shown = render_text(run(agenda, MEMBER, "show 2002-A4"))
    assert status in shown
    assert "Stages: negotiations launched in Oct 2003 → signed on Mon 24 May 2010" in shown
    for words in ["MLAT", "Mutual Legal Assistance", "owner <@slack:UMEMBER>", "next 1 day", "mine"]:
        assert status in render_text(run(agenda, MEMBER, words)), words
    assert status in render_text(home(agenda, MEMBER).reply)
    with session(engine) as db:
        timeline = Timeline.load(db, clock.now().date())
        (row,) = [r for r in commitment_rows(session=db, timeline=timeline) if r["id"] == "2002-A4"]
        assert (row["stage"], row["stage_date"]) == ("signed", "2010-05-24")
        assert row["stages"] == ["negotiations_launched 2003-10", "signed 2010-05-24"]
        assert "signed on Mon 24 May 2010, in progress" in row["status_wording"]
        assert "signed,2010-05-24" in to_csv([row])
        (part,) = compose(db, timeline, areas=[], since=clock.now() - timedelta(days=7), now=clock.now())
    overdue = render_text(part).split("Overdue, with someone assigned")[1]
    assert "2002-A4 Conclude a Mutual Legal Assistance Treaty (MLAT) by end-2003: overdue" in overdue
    assert "signed on Mon 24 May 2010, in progress" in overdue
    run(agenda, COORDINATOR, "status 2002-A4 in force on 2011-07-01")
    assert "Status: in force since Fri 1 Jul 2011, done" in render_text(run(agenda, MEMBER, "show 2002-A4"))


def test_stages_are_only_for_deadlines_and_not_in_the_future(agenda, engine):
    assert run(agenda, COORDINATOR, "status 2005-C1 signed").tone == Tone.error
    assert run(agenda, COORDINATOR, "status 2002-A4 signed on 2031-01-01").tone == Tone.error
    assert run(agenda, MEMBER, "status 2002-A4 signed").tone == Tone.notice
    assert audit_rows(engine) == []


# -- meeting dates ---------------------------------------------------------------------------


def test_schedule_fixes_the_next_meeting_and_replaces_the_projection(agenda, engine):
    reply = run(agenda, COORDINATOR, "schedule symposium 14 Oct 2027 in Ottawa host Canada")
    assert reply.tone == Tone.answer, reply.title
    assert "Thu 14 Oct 2027 in Ottawa; host Canada" in reply.title
    shown = render_text(run(agenda, MEMBER, "show 1999-1"))
    assert "Next: Thu 14 Oct 2027 in Ottawa; host Canada." in shown
    assert "projected" not in shown.split("Next:")[1].splitlines()[0]
    assert reply.summary == "It replaces the projection (autumn 2026)."
    # moving it updates the same fixed occurrence, and says it replaced that date (issue 12 item 14)
    moved = run(agenda, COORDINATOR, "schedule symposium 21 Oct 2027 in Ottawa host Canada")
    assert "projection" not in moved.summary
    assert moved.summary == "It replaces the date fixed before: Thu 14 Oct 2027 in Ottawa, host Canada."
    with session(engine) as db:
        fixed = db.exec(select(Occurrence).where(Occurrence.origin == "bot")).all()
    assert [o.date_edtf for o in fixed] == ["2027-10-21"]
    before, after = [(e.before, e.after) for e in audit_rows(engine, "peace-security-symposium")][1]
    assert before["date"] == "2027-10-14" and after["date"] == "2027-10-21"
    # the same day again with other details: said as such
    again = run(agenda, COORDINATOR, "schedule symposium 21 Oct 2027 in Tokyo host Japan")
    assert again.summary.startswith("The same date was fixed before") and "Ottawa" in again.summary


def test_schedule_without_host_takes_the_alternation_from_the_records(agenda):
    assert run(agenda, COORDINATOR, "held symposium autumn 2025 host Canada").tone == Tone.answer
    reply = run(agenda, COORDINATOR, "schedule symposium 2027-10-14")  # the 2026 window is still open: next is 2026's
    assert "host Japan (by alternation" in reply.title


def test_schedule_a_past_meeting_records_history(agenda):
    reply = run(agenda, COORDINATOR, "schedule symposium June 2005 in Tokyo host Japan")
    assert reply.title.startswith("Recorded a past meeting")
    assert "Jun 2005, Tokyo (host Japan)" in render_text(run(agenda, MEMBER, "show 1999-1"))


def test_schedule_refusals_and_unknown_meetings(agenda, engine):
    assert run(agenda, MEMBER, "schedule symposium 14 Oct 2027").tone == Tone.notice
    assert run(agenda, COORDINATOR, "schedule the moon landing 14 Oct 2027").tone == Tone.error
    assert audit_rows(engine) == []


@pytest.mark.parametrize(
    "words", ["schedule symposium 0000", "schedule symposium winter 9999", "status 2002-A4 signed on 0001"]
)
def test_a_date_out_of_range_is_a_parse_error_not_something_went_wrong(agenda, engine, words):
    reply = run(agenda, COORDINATOR, words)
    assert reply.tone == Tone.error
    assert "out of range" in reply.title and "Something went wrong" not in render_text(reply)
    assert audit_rows(engine) == []


# -- sensitivity ------------------------------------------------------------------------------


def test_restricted_items_reach_only_owners_and_coordinators_in_private(agenda, engine):
    secret = "Treaty on Mutual Legal Assistance in Criminal Matters"  # 2002-A4's agreed text
    run(agenda, COORDINATOR, "assign 2002-A4 <@slack:UOWNER>")
    run(agenda, COORDINATOR, "sensitivity 2002-A4 restricted")
    owner = Requester(user_ref="slack:UOWNER")
    everyone = [(MEMBER, False), (owner, True), (COORDINATOR, True), (ADMIN, True)]
    for who, sees in everyone:
        for words in ("MLAT", "counter-terrorism", "Mutual Legal Assistance", "show 2002-A4", "next 1 year"):
            assert (secret in render_text(run(agenda, who, words))) is sees, (who.user_ref, words)
    for who, _ in everyone:  # a channel never sees it, whoever shares
        for words in ("MLAT", "counter-terrorism", "show 2002-A4", "next 1 year", "owner <@slack:UOWNER>"):
            shared = run(agenda, who, words, audience=Visibility.channel)
            assert secret not in render_text(shared), (who.user_ref, words)


def test_restricted_items_are_not_counted_for_members(agenda):
    before = render_text(run(agenda, MEMBER, "areas"))
    run(agenda, COORDINATOR, "sensitivity 2002-A4 restricted")
    after = render_text(run(agenda, MEMBER, "areas"))
    assert before != after
    assert before == render_text(run(agenda, COORDINATOR, "areas"))


# -- audit -----------------------------------------------------------------------------------------


def test_history_shows_who_when_what_and_from_where(agenda):
    run(agenda, COORDINATOR, "status 2005-C1 stalled waiting for the other side")
    text = render_text(run(agenda, MEMBER, "history 2005-C1"))
    assert "Sun 22 Nov 10:00 Ottawa · Mon 23 Nov 00:00 Tokyo · @UCOORD · status · status: unknown → stalled" in text
    assert "from slack:C0TEST" in text
    assert run(agenda, MEMBER, "history 1999-3").tone == Tone.notice  # nothing changed yet


def test_the_audit_log_refuses_updates_and_deletes(agenda, engine):
    run(agenda, COORDINATOR, "status 2005-C1 done")
    for statement in ("UPDATE audit_entry SET note = 'x'", "DELETE FROM audit_entry"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    assert len(audit_rows(engine)) == 1


def test_a_failing_change_leaves_no_audit_row_and_no_partial_change(agenda, engine, monkeypatch):
    import handlers.commands.changes as changes

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(changes, "_confirmation", explode)  # fails after the change and its audit entry are staged
    with pytest.raises(RuntimeError):
        run(agenda, COORDINATOR, "status 2005-C1 done")
    assert commitment(engine, "2005-C1").status == "unknown"
    assert audit_rows(engine) == []


def test_concurrent_changes_are_serialised_or_refused_never_lost(agenda, engine):
    """Eight coordinators assign eight people to one commitment at once. Each
    assignment either lands with its audit entry, or is refused as concurrent
    (PostgreSQL's version check); none is silently overwritten."""
    from concurrent.futures import ThreadPoolExecutor

    people = [f"slack:URACE{n}" for n in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(lambda ref: run(agenda, COORDINATOR, f"assign 2005-C1 <@{ref}>"), people))
    landed = {ref for ref, reply in zip(people, replies, strict=True) if reply.tone == Tone.answer}
    refused = [reply for reply in replies if reply.tone != Tone.answer]
    assert all("same moment" in reply.title for reply in refused)
    assert landed, "at least the first assignment lands"
    assert owners(engine, "2005-C1") & set(people) == landed
    assert len(audit_rows(engine, "2005-C1")) == len(landed)


# SQLite serialises writers (BEGIN IMMEDIATE), so a stale read never reaches an UPDATE there.
@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_stale_save_is_refused_by_the_version_check(agenda, engine, backend):
    """The mechanism underneath: an UPDATE from an outdated read matches no row."""
    from sqlalchemy.orm.exc import StaleDataError

    with session(engine) as stale:
        row = stale.exec(select(Commitment).where(Commitment.key == "2005-C1")).one()
        run(agenda, COORDINATOR, "status 2005-C1 stalled")  # commits version + 1 meanwhile
        agenda_changed(stale)
        row.status = "done"
        stale.add(row)
        with pytest.raises(StaleDataError):
            stale.commit()
    assert commitment(engine, "2005-C1").status == "stalled"
