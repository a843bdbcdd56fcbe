"""The weekly digest: subscriptions (permissions, audit), content (grouped by
area, restricted left out, split when long), and its weekly schedule across
daylight-saving changes, once per week."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from handlers import answer
from handlers.domain.ports import Requester
from handlers.domain.timeline import Timeline
from handlers.views.reply import Tone, reply_from_data
from handlers.views.text import render_text
from models import repository
from models.db import session
from models.platforms import Conversation
from models.revision import agenda_changed
from models.tables import AuditEntry, DigestSubscription
from scheduling import outbox
from scheduling.digest import LINES_PER_PART, compose, due_digests
from tests.conftest import make_deadline, settings_for

IN_LEADS = {"channel_ref": "slack:CLEADS", "conversation": Conversation.channel}
COORDINATOR_IN_CHANNEL = Requester(user_ref="slack:UCOORD", **IN_LEADS)
MEMBER_IN_CHANNEL = Requester(user_ref="slack:UMEMBER", **IN_LEADS)

# What the digest says and how it is cut to fit does not depend on the database: these run on SQLite only
# (the subscription, due-once and restricted-item tests run on both), to keep the suite near five minutes.
RENDERING_ONLY = pytest.mark.parametrize("backend", ["sqlite"])


@pytest.fixture
def agenda(ports):
    return dataclasses.replace(ports, admins=frozenset({COORDINATOR_IN_CHANNEL.user_ref}))


def subscription(engine) -> DigestSubscription | None:
    with session(engine) as db:
        return db.exec(select(DigestSubscription)).first()


def test_subscribe_change_and_unsubscribe_are_audited(agenda, engine):
    reply = answer("digest subscribe", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    assert reply.title == "This channel gets the digest every Monday at 09:00 Ottawa time."
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
    assert "2002-A4" not in after  # nor its change of sensitivity this week, nor its decision
    assert "Standing gaps: 106 items with no person assigned" in after


def digest_text(engine, clock, *, areas=(), today=None, days=7) -> str:
    now = clock.now() if today is None else datetime.combine(today, time(15), tzinfo=UTC)
    with session(engine) as db:
        timeline = Timeline.load(db, now.date())
        parts = compose(db, timeline, areas=list(areas), since=now - timedelta(days=days), now=now)
    return "".join(render_text(p) for p in parts)


def section(text: str, heading: str) -> str:
    """A section's body: from its heading (and underline) to the next blank line."""
    if heading + "\n" not in text:
        return ""
    return text.split(heading + "\n")[1].split("\n", 1)[1].split("\n\n")[0]


@RENDERING_ONLY
def test_the_digest_lists_each_changed_item_once_net_of_its_intermediate_states(agenda, engine, clock):
    answer("status 2005-C1 in progress talks resumed", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    answer("status 2005-C1 done agreed at the talks", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    answer("assign 1999-4 <@slack:UKENJI>", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    answer("unassign 1999-4 <@slack:UKENJI>", ports=agenda, requester=COORDINATOR_IN_CHANNEL)  # as it was: no change
    answer("assign 1999-5 <@slack:UMARIA>", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    answer("schedule symposium 10 Dec 2026 in Tokyo host Japan", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    text = digest_text(engine, clock)
    changed = section(text, "Changes this week").splitlines()
    assert changed == [
        "• 2005-C1 Enhance policy dialogue on Afghanistan, the MEPP and human security: "
        "status unknown → done, by @UCOORD",
        "• 1999-5 Inaugurate the lecture series in Canada in November 1999: assigned @UMARIA, by @UCOORD",
        "• Canada-Japan Peace and Security Symposium: date autumn 2026 (projected) → Thu 10 Dec 2026 in Tokyo, "
        "host Japan, by @UCOORD",
    ]
    assert "status_note" not in text and "in_progress" not in text and "1999-4" not in text
    assert "Moved: 3 items changed, among them 2005-C1 unknown → done and Canada-Japan Peace and Security " in text
    coming = section(text, "Falls due in the next four weeks")
    assert "Canada-Japan Peace and Security Symposium: Thu 10 Dec 2026 in Tokyo; host Japan" in coming
    assert "Due: 1 in the next four weeks, first Canada-Japan Peace and Security Symposium." in text


def test_a_quiet_week_is_three_lines_the_decisions_and_one_line_of_gaps(agenda, engine, clock):
    """Issue 18: a quiet week fits on one screen (it was 34 lines and 407 words on this agenda)."""
    text = digest_text(engine, clock)
    lines = text.splitlines()
    assert lines[0] == "Weekly agenda digest, week of Sun 22 Nov 2026: every area"
    assert lines[2:5] == [
        "Moved: nothing changed this week.",
        "Due: nothing in the next four weeks.",
        "Decide: 4 decisions needed, starting with 2005-F1 and 2002-A4.",
    ]
    assert section(text, "Decisions needed").splitlines() == [
        "• Overdue with no person assigned: 2005-F1 Work for UN and Security Council reform by the September 2005 "
        "Summit (due Sep 2005); owners (assumed): GAC, MOFA",
        "• Overdue with no person assigned: 2002-A4 Conclude a Mutual Legal Assistance Treaty (MLAT) by end-2003 "
        "(due by Wed 31 Dec 2003); owners (assumed): DOJ, GAC, MOFA, MOJ",
        "• Needs a date: Canada-Japan Peace and Security Symposium, sometime in autumn 2026, date not yet fixed",
        "• Needs a date: Talks between defence authorities, sometime in 2026, date not yet fixed",
    ]
    assert lines[-1] == (
        "Standing gaps: 107 items with no person assigned (unchanged from last week), 107 with no status recorded "
        "(unchanged from last week); 2 later meetings with no date yet; last due meeting not on record: symposium, "
        "lecture series, Pol-Mil, defence authority talks. Restricted items are left out."  # issue 16: unknown, said
    )
    # 157 words before issue 17; the two overdue items now say their owners are assumed (8 words).
    assert len(lines) < 15 and len(text.split()) < 170, (len(lines), len(text.split()))
    assert text.count("Standing gaps") == 1 and "Peacekeeping" not in text  # no per-area lists of the gaps


@RENDERING_ONLY
def test_standing_gaps_are_one_line_with_last_weeks_figures_from_the_audit_trail(agenda, engine, clock):
    answer("assign 1999-5 <@slack:UMARIA>", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    answer("assign 1999-6 <@slack:UMARIA>", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    answer("status 1999-4 in progress", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    gaps = digest_text(engine, clock).splitlines()[-1]
    assert gaps.startswith(
        "Standing gaps: 105 items with no person assigned (down from 107 last week), "
        "106 with no status recorded (down from 107 last week);"
    )
    # Nine days later these changes are older than the week: last week had them too.
    later = digest_text(engine, clock, today=clock.now().date() + timedelta(days=9)).splitlines()[-1]
    assert "105 items with no person assigned (unchanged from last week), 106 with no status" in later
    answer("unassign 1999-5 <@slack:UMARIA>", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    assert "106 items with no person assigned (down from 107 last week)" in digest_text(engine, clock)


@RENDERING_ONLY
def test_decisions_needed_overdue_without_owner_dates_records_conflicts_and_escalations(agenda, engine, clock):
    from models.tables import Acknowledgement, Mechanism, Occurrence, Origin, OutboxMessage

    answer("assign 2002-A4 <@slack:UKENJI>", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    # Two meetings on one day; one fixed on a Japanese holiday after the warning (a choice, not a conflict).
    answer("schedule symposium 10 Dec 2026 in Tokyo", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    answer("schedule pol-mil 10 Dec 2026 in Ottawa", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    answer("schedule lecture series 23 Nov 2026 confirm", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    now = clock.now()
    with session(engine) as db:
        agenda_changed(db)  # as every writer of agenda rows must
        talks = db.exec(select(Mechanism).where(Mechanism.key == "defence-authority-talks")).first()
        talks = talks or db.exec(select(Mechanism).where(Mechanism.name == "Talks between defence authorities")).one()
        # fixed through the bot for a holiday (before the warning existed), and one fixed that has passed
        db.add(Occurrence(mechanism_id=talks.id, date_edtf="2026-11-23", starts_on=now.date() + timedelta(days=1),
                          ends_on=now.date() + timedelta(days=1), origin=Origin.bot, note="fixed by <@slack:UX>"))
        db.add(Occurrence(mechanism_id=talks.id, date_edtf="2026-11-02", starts_on=now.date() - timedelta(days=20),
                          ends_on=now.date() - timedelta(days=20), origin=Origin.bot, note="fixed by <@slack:UX>"))
        for n, ref in enumerate(["2005-F1", "2005-F1", "2002-A4"]):
            db.add(OutboxMessage(key=f"escalation:{ref}:2026-11-{10 + n}:slack:CCOORD", kind="escalation",
                                 target="slack:CCOORD", due_at=now, body={}, status="sent", next_attempt_at=now,
                                 created_at=now))  # fmt: skip
        db.add(Acknowledgement(item_ref="2002-A4", message_key="escalation:2002-A4:2026-11-12:slack:CCOORD",
                               acknowledged_by="slack:UKENJI", at=now))  # fmt: skip
        db.commit()
    decisions = section(digest_text(engine, clock), "Decisions needed").splitlines()
    assert decisions == [
        "• Overdue with no person assigned: 2005-F1 Work for UN and Security Council reform by the September 2005 "
        "Summit (due Sep 2005); owners (assumed): GAC, MOFA",
        "• Needs a record: Talks between defence authorities was fixed for Mon 2 Nov 2026; did it meet?",
        "• Conflict: Canada-Japan Peace and Security Symposium and Political-Military Talks are both on "
        "Thu 10 Dec 2026",
        "• Conflict: Canada-Japan lecture series on peace and security and Talks between defence authorities are "
        "both on Mon 23 Nov 2026",
        "• Conflict: Talks between defence authorities is fixed for Mon 23 Nov 2026, Labor Thanksgiving Day (Japan)",
        "• Escalated 2× and not acknowledged: 2005-F1 Work for UN and Security Council reform by the September 2005 "
        "Summit",
    ]  # 2002-A4 has someone now, and its escalation was acknowledged; the lecture series' holiday was confirmed
    text = digest_text(engine, clock)
    assert "Decide: 6 decisions needed, starting with 2005-F1 and Talks between defence authorities." in text
    assert "• 2002-A4 Conclude a Mutual Legal Assistance Treaty (MLAT) by end-2003: overdue" in section(
        text, "Overdue, with someone assigned"
    )
def test_the_four_weeks_list_only_what_falls_in_them(agenda, engine, clock):
    """Issue 12 item 15, in the digest: a deadline known only to "Dec 2026" and a meeting fixed to that month
    may fall after the four weeks (to 20 Dec 2026): they are not listed as falling due in them."""
    from datetime import date

    make_deadline(engine, "2005-C1", "2026-12", date(2026, 12, 1), date(2026, 12, 31))
    answer("schedule pol-mil Dec 2026", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), clock.now().date())
        (part,) = compose(db, timeline, areas=[], since=clock.now() - timedelta(days=7), now=clock.now())
    text = render_text(part)
    coming = section(text, "Falls due in the next four weeks")
    assert "2005-C1" not in coming and "Political-Military Talks" not in coming
    assert "Due: nothing in the next four weeks." in text
    need_date = section(text, "Decisions needed")  # its month has begun in the four weeks: it needs its day
    assert "• Needs a date: Political-Military Talks, sometime in Dec 2026, day not yet fixed" in need_date


@RENDERING_ONLY
def test_a_long_digest_is_split_into_parts_between_lines(agenda, engine, clock):
    more = ["2005-A1", "2005-A2", "2005-A3", "2005-B1", "2005-B2", "2005-B3", "2005-C2", "2005-C3", "2005-C4"]
    for key in [f"1999-{n}" for n in range(1, 32)] + more:  # one line each: 40 changed items
        answer(f"status {key} in progress", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), clock.now().date())
        parts = compose(db, timeline, areas=[], since=clock.now() - timedelta(days=7), now=clock.now())
    assert len(parts) >= 2
    assert parts[0].title.endswith(f"(part 1 of {len(parts)})")
    for part in parts:
        assert sum(len((s.body or "").splitlines()) for s in part.sections) <= LINES_PER_PART
    assert any((s.heading or "").endswith("(continued)") for s in parts[1].sections)
    everything = "".join(render_text(p) for p in parts)
    assert all(f"• {key} " in everything for key in [f"1999-{n}" for n in range(1, 32)] + more)  # nothing lost
    assert everything.count("Standing gaps:") == 1


@pytest.fixture
def charts_drawn_once(monkeypatch):
    """A year of digests of an agenda that does not change shows the same chart every week. Each
    distinct chart is drawn once, for real, and its PNG reused: the same counts give the same bytes.
    (Drawing took more than half of the year's time; the chart has tests of its own.)"""
    from handlers.views import chart

    drawn: dict = {}
    draw = chart._png

    def png(areas, counts):
        key = (tuple(areas), tuple((a, tuple(sorted((str(s), n) for s, n in counts[a].items()))) for a in areas))
        if key not in drawn:
            drawn[key] = draw(areas, counts)
        return drawn[key]

    monkeypatch.setattr(chart, "_png", png)
    return drawn


# When a digest falls due is worked out in Python from the subscription's zone; the database only
# holds the subscription and the outbox, whose keys keep a week from being sent twice on both
# backends (tests/test_outbox.py, tests/test_reminders.py's replays). A year of it on SQLite.
@pytest.mark.parametrize("backend", ["sqlite"])
def test_digests_are_due_once_a_week_at_their_local_time_across_dst(agenda, engine, charts_drawn_once):
    answer("digest subscribe", ports=agenda, requester=COORDINATOR_IN_CHANNEL)  # Mondays 09:00 Toronto
    sent = {}
    now = datetime(2027, 3, 1, tzinfo=UTC)
    while now < datetime(2027, 11, 30, tzinfo=UTC):
        with session(engine) as db:
            timeline = _WhenRead(partial(_timeline, db, now.date()))
            planned = due_digests(db, timeline, now, timedelta(hours=48))
            outbox.enqueue(db, planned, now=now)
        for p in planned:
            sent[p.key] = p.due_at
        now += timedelta(days=1)  # the planner looks 48 hours back: a daily look finds every digest
    weeks = sorted(sent.values())
    assert len(weeks) == len({k.rsplit(":", 1)[0] for k in sent}) >= 38  # one per week, no week twice
    local = [w.astimezone(ZoneInfo("America/Toronto")) for w in weeks]
    assert {(d.weekday(), d.time()) for d in local} == {(0, time(9))}
    assert {w.hour for w in weeks} == {13, 14}  # 09:00 EDT and EST
    assert all(reply_from_data(outbox_body).title for outbox_body in [_body(engine, k) for k in list(sent)[:3]])
    assert charts_drawn_once, "the digests carry the chart"


def _timeline(db, day) -> Timeline:
    return Timeline(repository.load_mechanisms(session=db), day)


class _WhenRead:
    """The day's Timeline, built when the planner first reads it: when a digest is due, to compose
    it. Whether one is due depends on the subscription and the clock alone, and on most days of
    the year nothing is, so most of the year's Timelines (three quarters of its time) go unbuilt."""

    def __init__(self, build) -> None:
        self._build, self._timeline = build, None

    def __getattr__(self, name: str):
        if self._timeline is None:
            self._timeline = self._build()
        return getattr(self._timeline, name)


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
            "Nothing to change: this channel already gets the digest every Friday at 08:30 Tokyo time."
        )
    with session(engine) as db:
        assert len(db.exec(select(AuditEntry).where(AuditEntry.action == "digest")).all()) == 1


def test_a_subscription_without_a_zone_takes_agenda_default_timezone(engine, clock):
    """AGENDA_DEFAULT_TIMEZONE reaches the digest through the ports, as every setting does."""
    from bot.runtime import build_ports

    settings = settings_for(default_timezone="Asia/Tokyo", admins=COORDINATOR_IN_CHANNEL.user_ref)
    ports = build_ports(settings, engine, clock=clock)
    reply = answer("digest subscribe", ports=ports, requester=COORDINATOR_IN_CHANNEL)
    assert reply.title == "This channel gets the digest every Monday at 09:00 Tokyo time."
    assert subscription(engine).timezone == "Asia/Tokyo"


def test_a_restricted_item_changed_this_week_never_appears(agenda, engine, clock):
    from models.tables import OutboxMessage

    answer("status 2005-C1 in progress talks resumed", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    answer("assign 2005-C1 <@slack:UKENJI>", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    answer("status 2005-F1 stalled", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    now = clock.now()
    with session(engine) as db:
        db.add(OutboxMessage(key="escalation:2005-F1:2026-11-20:slack:CCOORD", kind="escalation",
                             target="slack:CCOORD", due_at=now, body={}, status="sent", next_attempt_at=now,
                             created_at=now))  # fmt: skip
        db.commit()
    before = digest_text(engine, clock)
    assert "2005-C1" in before and "Escalated 1× and not acknowledged: 2005-F1" in before
    answer("sensitivity 2005-C1 restricted", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    answer("sensitivity 2005-F1 restricted", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    after = digest_text(engine, clock)
    for secret in ("2005-C1", "Enhance policy dialogue", "2005-F1", "Security Council reform", "stalled"):
        assert secret not in after, secret
    assert "Moved: nothing changed this week." in after
    assert "Decide: 3 decisions needed" in after  # 2005-F1's two (overdue, escalated) are not counted either
    # nor in the standing gaps, now or a week ago: 2 fewer items on both sides
    assert "Standing gaps: 105 items with no person assigned (unchanged from last week)" in after


def test_a_channels_areas_filter_every_part_of_its_digest(agenda, engine, clock):
    answer("status 2005-C1 done", ports=agenda, requester=COORDINATOR_IN_CHANNEL)  # Afghanistan
    answer("status 2002-A4 in progress", ports=agenda, requester=COORDINATOR_IN_CHANNEL)  # legal assistance
    answer("schedule symposium 10 Dec 2026 in Tokyo", ports=agenda, requester=COORDINATOR_IN_CHANNEL)  # dialogue
    with session(engine) as db:
        (area,) = [a for a, _n in repository.list_areas(session=db, include_restricted=False) if "legal" in a.name]
    text = digest_text(engine, clock, areas=[area.key])
    assert text.startswith(f"Weekly agenda digest, week of Sun 22 Nov 2026: {area.name}\n")  # named, not keyed
    assert "2002-A4" in section(text, "Changes this week")
    for elsewhere in ("2005-C1", "Symposium", "2005-F1", "Talks between defence authorities"):
        assert elsewhere not in text, elsewhere
    assert "with no status recorded (down from 4 last week)" in text.splitlines()[-1]  # the area's items only


@RENDERING_ONLY
def test_busy_and_quiet_digests_stay_within_slack_and_teams_limits(agenda, engine, clock):
    from bot.slack.render import HEADER_LIMIT, MAX_BLOCKS, SECTION_TEXT_LIMIT
    from bot.slack.render import render as slack
    from bot.teams.render import CARD_BUDGET, _size
    from bot.teams.render import render as teams

    def parts():
        with session(engine) as db:
            timeline = Timeline.load(db, clock.now().date())
            return compose(db, timeline, areas=[], since=clock.now() - timedelta(days=7), now=clock.now())

    quiet = parts()
    for key in [f"1999-{n}" for n in range(1, 32)]:
        answer(f"status {key} in progress a note that is rather long " + "x" * 200, ports=agenda,
               requester=COORDINATOR_IN_CHANNEL)  # fmt: skip
    busy = parts()
    assert len(quiet) == 1 and len(busy) >= 1
    for part in quiet + busy:
        message = slack(part)
        assert 1 <= len(message.blocks) <= MAX_BLOCKS
        for block in message.blocks:
            text = (block.get("text") or {}).get("text", "")
            assert len(text) <= (HEADER_LIMIT if block["type"] == "header" else SECTION_TEXT_LIMIT)
        assert "x" * 50 not in str(message.blocks)  # notes are in `history`, not in the digest
        cards = teams(part).cards
        assert cards and all(_size(card) <= CARD_BUDGET for card in cards)
    assert "Moved: nothing changed" in str(slack(quiet[0]).blocks) and "Decide:" in str(teams(quiet[0]).cards)


# -- the chart (issue 18 item 2) ------------------------------------------------------------


@RENDERING_ONLY
def test_the_chart_counts_only_what_the_channel_may_see_and_says_so_in_words(agenda, engine, clock):
    import base64

    answer("status 2005-C1 done", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    answer("status 2005-F1 stalled", ports=agenda, requester=COORDINATOR_IN_CHANNEL)

    def image(areas=()):
        with session(engine) as db:
            timeline = Timeline.load(db, clock.now().date())
            parts = compose(db, timeline, areas=list(areas), since=clock.now() - timedelta(days=7), now=clock.now())
        assert all(p.image is None for p in parts[1:])
        return parts[0].image

    before = image()
    assert base64.b64decode(before.png_base64).startswith(b"\x89PNG")
    assert len(before.png_base64) < 30_000  # small enough to travel inline in a Teams card
    assert before.alt.startswith("Bar chart of 107 items by area and status: 1 done, 1 stalled, 105 no status.")
    answer("sensitivity 2005-F1 restricted", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    assert image().alt.startswith("Bar chart of 106 items by area and status: 1 done, 105 no status.")
    with session(engine) as db:
        (area,) = [a for a, _n in repository.list_areas(session=db, include_restricted=False) if "legal" in a.name]
    assert image([area.key]).alt.startswith("Bar chart of 4 items by area and status:")
    assert reply_from_data(reply_to_data_of(image())).image == image()  # it waits in the outbox as data


def test_the_charts_drawn_words_are_the_readers_and_never_empty_boxes(monkeypatch):
    """Title, axis and legend in the reader's language; Japanese with a CJK font as fallback when one is installed
    (fonts-noto-cjk here), else drawn in English: a missing glyph would be drawn as an empty box."""
    import warnings

    from handlers.views import chart, i18n

    drawn = []
    draw = chart._draw

    def spy(figure, areas, counts, families):
        drawn.append((i18n.current(), i18n._(chart.OTHER_AREAS), families))
        return draw(figure, areas, counts, families)

    monkeypatch.setattr(chart, "_draw", spy)
    pairs = [("Counter-terrorism", "done"), ("Human security", "unknown")]
    pairs += [(f"Area {n}", "stalled") for n in range(9)]
    with i18n.speaking("ja"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        image = chart.status_by_area(pairs)
    assert image.alt.startswith("分野別・状況別の11項目の棒グラフ")  # the alt text is the reader's, font or not
    if chart.drawing_fonts("ja") is not None:
        assert drawn[-1][:2] == ("ja", "その他の分野") and len(drawn[-1][2]) == 2  # the default, then the CJK font
        assert not [w for w in caught if "missing from" in str(w.message)], [str(w.message) for w in caught]
    monkeypatch.setattr(chart, "drawing_fonts", lambda language: None)  # a machine with no CJK font
    with i18n.speaking("ja"):
        chart.status_by_area(pairs)
    assert drawn[-1][0] == "en"  # the drawn words in English, not boxes
    with i18n.speaking("fr"):
        monkeypatch.setattr(chart, "drawing_fonts", lambda language: ["DejaVu Sans"])
        chart.status_by_area(pairs)
    assert drawn[-1][:2] == ("fr", "Autres domaines")


def reply_to_data_of(image):
    from handlers.views.reply import Reply, reply_to_data

    return reply_to_data(Reply(title="t", image=image))


def test_the_chart_is_inline_in_the_teams_card_and_a_file_after_the_slack_message(agenda, engine, clock):
    import asyncio

    from slack_sdk.web.async_client import AsyncWebClient

    from bot.slack.notifier import SlackNotifier
    from bot.teams.render import card_json
    from bot.teams.render import render as teams
    from handlers.views.reply import reply_to_data
    from scheduling.outbox import Claimed
    from tests.fakes.slack_api import start_fake_slack

    with session(engine) as db:
        timeline = Timeline.load(db, clock.now().date())
        (part,) = compose(db, timeline, areas=[], since=clock.now() - timedelta(days=7), now=clock.now())
    (card,) = teams(part).cards
    images = [e for e in card_json(card)["body"] if e["type"] == "Image"]
    assert len(images) == 1 and images[0]["url"].startswith("data:image/png;base64,")
    assert images[0]["altText"].startswith("Bar chart of 107 items")

    fake = start_fake_slack()
    try:
        notifier = SlackNotifier(AsyncWebClient(token="xoxb-test", base_url=fake.api_url))
        key = "digest:1:2026-W47:1/1"
        claimed = Claimed(1, key, "digest", "slack:CLEADS", clock.now(), reply_to_data(part), 1, False)
        result = asyncio.run(notifier.send(claimed))
        assert result.ok
        (posted,) = fake.calls("chat.postMessage")
        assert "Moved: nothing changed this week." in json.dumps(posted.body, ensure_ascii=False)
        assert "image" not in json.dumps(posted.body)  # the blocks carry no picture: the file does
        (asked,) = fake.calls("files.getUploadURLExternal")
        assert asked.body["alt_txt"].startswith("Bar chart of 107 items") and asked.body["filename"].endswith(".png")
        (done,) = fake.calls("files.completeUploadExternal")
        assert done.body["channel_id"] == "CLEADS"
        assert list(fake.uploads.values())[0].startswith(b"\x89PNG")
        fake.failing["files.completeUploadExternal"] = "missing_scope"  # files:write not granted yet
        assert asyncio.run(notifier.send(claimed)).ok  # the digest went; the chart is only logged as missing
    finally:
        fake.close()


def test_an_item_added_this_week_is_one_line_not_a_dump_of_its_fields(agenda, engine, clock):
    answer("status 2005-C1 in progress", ports=agenda, requester=COORDINATOR_IN_CHANNEL)
    with session(engine) as db:  # as handlers/commands/forms.py records an addition (its fields, from nothing)
        agenda_changed(db)  # as every writer of agenda rows must
        db.add(AuditEntry(at=clock.now() - timedelta(days=2), actor_ref="slack:UCOORD", origin="slack:CLEADS",
                          action="add", target_type="commitment", target_key="2005-C1", before={},
                          after={"title": "t", "text": "x", "status": "unknown",
                                 "areas": ["afghanistan"]}))  # fmt: skip
        db.commit()
    (line,) = [x for x in section(digest_text(engine, clock), "Changes this week").splitlines() if "2005-C1" in x]
    assert line == "• 2005-C1 Enhance policy dialogue on Afghanistan, the MEPP and human security: added, by @UCOORD"
