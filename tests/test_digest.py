"""The weekly digest: subscriptions (permissions, audit), content (grouped by
area, restricted left out, split when long), and its weekly schedule across
daylight-saving changes, once per week."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from handlers import answer
from handlers.digest import LINES_PER_PART, compose, due_digests
from handlers.ports import Requester
from handlers.reply import Tone, reply_from_data
from handlers.text import render_text
from handlers.timeline import Timeline
from models import repository
from models.db import session
from models.tables import AuditEntry, DigestSubscription
from scheduling import outbox

COORDINATOR_IN_CHANNEL = Requester(user_ref="slack:UCOORD", channel_ref="slack:CLEADS", in_channel=True)
MEMBER_IN_CHANNEL = Requester(user_ref="slack:UMEMBER", channel_ref="slack:CLEADS", in_channel=True)


@pytest.fixture
def agenda(ports):
    return dataclasses.replace(ports, admins=frozenset({COORDINATOR_IN_CHANNEL.user_ref}))


def subscription(engine) -> DigestSubscription | None:
    with session(engine) as db:
        return db.exec(select(DigestSubscription)).first()


def test_subscribe_change_and_unsubscribe_are_audited(agenda, engine):
    reply = answer("digest subscribe", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    assert reply.title == "This channel gets the digest every Monday at 09:00 America/Toronto."
    # Both capitals, and Monday 23 November is Labor Thanksgiving Day in Japan.
    assert "The first: Mon 23 Nov 09:00 Ottawa · Mon 23 Nov 23:00 Tokyo ⚠ Labor Thanksgiving Day in Tokyo." in (
        reply.summary
    )
    answer("digest subscribe CT, nuclear on friday at 08:30 Asia/Tokyo", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    row = subscription(engine)
    assert (row.area_keys, row.weekday, row.at, row.timezone) == (
        ["counter-terrorism", "non-proliferation"], 4, "08:30", "Asia/Tokyo",
    )  # fmt: skip
    assert answer("digest unsubscribe", ports=agenda, requester=COORDINATOR_IN_CHANNEL).tone == Tone.answer
    assert subscription(engine) is None
    with session(engine) as db:
        actions = [
            (e.before != {}, e.after != {}) for e in db.exec(select(AuditEntry).where(AuditEntry.action == "digest"))
        ]
    assert actions == [(False, True), (True, True), (True, False)]


def test_members_cannot_subscribe_and_bad_input_is_explained(agenda, engine):
    assert answer("digest subscribe", ports=agenda, requester=MEMBER_IN_CHANNEL).tone == Tone.notice
    assert answer("digest subscribe Atlantis", ports=agenda, requester=COORDINATOR_IN_CHANNEL).tone == Tone.error
    assert answer("digest subscribe Mars/Base", ports=agenda, requester=COORDINATOR_IN_CHANNEL).tone == Tone.error
    dm = Requester(user_ref="slack:UCOORD", channel_ref="slack:D0DM")
    assert answer("digest subscribe", ports=agenda, requester=dm).title.startswith("Run this in the channel")
    assert subscription(engine) is None


def test_preview_is_for_the_caller_and_leaves_restricted_items_out(agenda):
    before = render_text(answer("digest preview", ports=agenda, requester=MEMBER_IN_CHANNEL))
    assert "Preview, shown only to you" in before
    assert "2002-A4 Conclude a Mutual Legal Assistance Treaty" in before  # overdue, listed
    answer("sensitivity 2002-A4 restricted", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    after = render_text(answer("digest preview", ports=agenda, requester=COORDINATOR_IN_CHANNEL))
    assert "Mutual Legal Assistance" not in after  # even a coordinator's preview is the channel's digest
    assert "What changed in the last week" in after


def test_the_digest_lists_changes_grouped_by_area(agenda, engine, clock):
    answer("status 2005-C1 stalled waiting for a reply", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    answer("schedule symposium 10 Dec 2026 in Tokyo host Japan", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), clock.now().date())
        (part,) = compose(db, timeline, areas=[], since=clock.now() - timedelta(days=7), now=clock.now())
    text = render_text(part)
    changed = text.split("What changed in the last week")[1].split("Falls due")[0]
    assert "2005-C1" in changed and "status: unknown → stalled" in changed
    coming = text.split("Falls due in the next four weeks")[1].split("Overdue")[0]
    assert "Canada-Japan Peace and Security Symposium: Thu 10 Dec 2026 in Tokyo; host Japan" in coming


def test_the_four_weeks_list_only_what_falls_in_them(agenda, engine, clock):
    """Issue 12 item 15, in the digest: a deadline known only to "Dec 2026" and a meeting fixed to that month
    may fall after the four weeks (to 20 Dec 2026): they are not listed as falling due in them."""
    from datetime import date

    from models.tables import Commitment

    with session(engine) as db:
        c = db.exec(select(Commitment).where(Commitment.key == "2005-C1")).one()
        c.kind, c.due_edtf, c.due_start, c.due_end = "deadline", "2026-12", date(2026, 12, 1), date(2026, 12, 31)
        db.add(c)
        db.commit()
    answer("schedule pol-mil Dec 2026", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), clock.now().date())
        (part,) = compose(db, timeline, areas=[], since=clock.now() - timedelta(days=7), now=clock.now())
    text = render_text(part)
    coming = text.split("Falls due in the next four weeks")[1].split("Overdue")[0]
    assert "2005-C1" not in coming and "Political-Military Talks" not in coming
    need_date = text.split("Meetings that still need a date")[1]
    assert "Political-Military Talks: sometime in Dec 2026, day not yet fixed" in need_date


def test_a_long_digest_is_split_into_parts_between_lines(agenda, engine, clock):
    for n in range(1, 32):
        answer(f"status 1999-{n} in progress", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), clock.now().date())
        parts = compose(db, timeline, areas=[], since=clock.now() - timedelta(days=7), now=clock.now())
    assert len(parts) >= 2
    assert parts[0].title.endswith(f"(part 1 of {len(parts)})")
    for part in parts:
        assert sum(len((s.body or "").splitlines()) for s in part.sections) <= LINES_PER_PART
    assert any((s.heading or "").endswith("(continued)") for s in parts[1].sections)
    everything = "".join(render_text(p) for p in parts)
    assert all(f"1999-{n}:" in everything for n in range(1, 32))  # nothing lost at the cuts


def test_digests_are_due_once_a_week_at_their_local_time_across_dst(agenda, engine):
    answer("digest subscribe", ports=agenda, requester=COORDINATOR_IN_CHANNEL)  # Mondays 09:00 Toronto
    sent = {}
    now = datetime(2027, 3, 1, tzinfo=UTC)
    while now < datetime(2027, 11, 30, tzinfo=UTC):
        with session(engine) as db:
            timeline = Timeline(repository.load_mechanisms(session=db), now.date())
            planned = due_digests(db, timeline, now, timedelta(hours=48))
            outbox.enqueue(db, planned, now=now)
        for p in planned:
            sent[p.key] = p.due_at
        now += timedelta(hours=12)
    weeks = sorted(sent.values())
    assert len(weeks) == len({k.rsplit(":", 1)[0] for k in sent}) >= 38  # one per week, no week twice
    local = [w.astimezone(ZoneInfo("America/Toronto")) for w in weeks]
    assert {(d.weekday(), d.time()) for d in local} == {(0, time(9))}
    assert {w.hour for w in weeks} == {13, 14}  # 09:00 EDT and EST
    assert all(reply_from_data(outbox_body).title for outbox_body in [_body(engine, k) for k in list(sent)[:3]])


def _body(engine, key: str) -> dict:
    from models.tables import OutboxMessage

    with session(engine) as db:
        return db.exec(select(OutboxMessage.body).where(OutboxMessage.key == key)).one()


def test_subscribing_again_as_it_is_records_nothing(agenda, engine):
    """A no-op writes no audit row (issue 12 item 6): repeating a command cannot flood history."""
    words = "digest subscribe CT on friday at 08:30 Asia/Tokyo"
    assert answer(words, ports=agenda, requester=COORDINATOR_IN_CHANNEL).tone == Tone.answer
    for _ in range(3):
        again = answer(words, ports=agenda, requester=COORDINATOR_IN_CHANNEL)
        assert again.tone == Tone.notice
        assert again.title == (
            "Nothing to change: this channel already gets the digest every Friday at 08:30 Asia/Tokyo."
        )
    with session(engine) as db:
        assert len(db.exec(select(AuditEntry).where(AuditEntry.action == "digest")).all()) == 1


def test_a_subscription_without_a_zone_takes_agenda_default_timezone(engine, clock):
    """AGENDA_DEFAULT_TIMEZONE reaches the digest through the ports, as every setting does."""
    from bot.runtime import build_ports
    from bot.settings import Settings

    settings = Settings(_env_file=None, default_timezone="Asia/Tokyo", admins=COORDINATOR_IN_CHANNEL.user_ref)
    ports = build_ports(settings, engine, clock=clock)
    reply = answer("digest subscribe", ports=ports, requester=COORDINATOR_IN_CHANNEL)
    assert reply.title == "This channel gets the digest every Monday at 09:00 Asia/Tokyo."
    assert subscription(engine).timezone == "Asia/Tokyo"
