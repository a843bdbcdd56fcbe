"""The weekly digest: subscribe a channel, preview it, and compose it.

A digest says what changed since the last one, what falls due in the next
four weeks, what is overdue, which meetings still need a date, and how much
has no person assigned or no recorded status; grouped by area, restricted
items left out (it goes to a channel), split into parts when long.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, col, select

from handlers import audience, audit
from handlers.commands import Digest
from handlers.context import Context
from handlers.dates import day, moment
from handlers.permissions import at_least, refusal
from handlers.reply import Reply, Section, Tone, Visibility, reply_to_data
from handlers.resolve import TargetKind
from handlers.timeline import Timeline
from models import repository
from models.tables import AuditEntry, Commitment, DigestSubscription, OutboxMessage, OwnerKind, Role, Status
from scheduling.outbox import Planned
from scheduling.planner import local_instant

LOOK_AHEAD = timedelta(weeks=4)
LINES_PER_PART = 40  # a Slack message stays readable (and well under its limits)
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


# -- commands ---------------------------------------------------------------------------


def digest(command: Digest, ctx: Context) -> Reply:
    if command.action == "preview":
        return _preview(ctx)
    if not at_least(ctx.role, Role.coordinator):
        return refusal(ctx.session, Role.coordinator, "subscribe channels to the digest", ctx.ports.admins)
    channel = ctx.requester.channel_ref
    if not channel or not ctx.requester.in_channel:
        return Reply(title="Run this in the channel that should get the digest.", tone=Tone.error)
    existing = ctx.session.exec(select(DigestSubscription).where(DigestSubscription.channel_ref == channel)).first()
    if command.action == "unsubscribe":
        if existing is None:
            return Reply(title="This channel has no digest.", tone=Tone.notice)
        before = _fields(existing)
        ctx.session.delete(existing)
        audit.record(ctx, action="digest", target_type="channel", target_key=channel, before=before, after={})
        return Reply(title="This channel will no longer get the weekly digest.")
    return _subscribe(command, ctx, channel, existing)


def _subscribe(command: Digest, ctx: Context, channel: str, existing: DigestSubscription | None) -> Reply:
    areas, unknown = [], []
    for words in command.area_words:
        target = ctx.vocabulary.exact(words, kinds=(TargetKind.area,)) or ctx.vocabulary.fuzzy(
            words, kinds=(TargetKind.area,)
        )
        (areas.append(target.key) if target else unknown.append(words))
    if unknown:
        return Reply(
            title=f"I don't know the area{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}.",
            sections=[Section(body="`/agenda areas` lists them; separate several with commas.")],
            tone=Tone.error,
        )
    zone = command.timezone or (existing.timezone if existing else None) or ctx.ports.default_timezone
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return Reply(title=f"Unknown timezone {zone!r}: use an IANA name such as Asia/Tokyo.", tone=Tone.error)
    row = existing or DigestSubscription(
        channel_ref=channel, created_by=ctx.requester.user_ref, created_at=ctx.ports.clock.now()
    )
    before = _fields(existing) if existing else {}
    row.area_keys = sorted(set(areas)) if command.area_words else (row.area_keys if existing else [])
    row.weekday = command.weekday if command.weekday is not None else row.weekday
    row.at = command.at or row.at
    row.timezone = zone
    if before == _fields(row):  # subscribing again as it is: nothing to write, nothing to record
        return Reply(
            title=f"Nothing to change: this channel already gets the digest every {WEEKDAY_NAMES[row.weekday]} "
            f"at {row.at} {row.timezone}.",
            tone=Tone.notice,
        )
    ctx.session.add(row)
    audit.record(ctx, action="digest", target_type="channel", target_key=channel, before=before, after=_fields(row))
    following = next_digest(row, ctx.ports.clock.now())
    scope = ", ".join(row.area_keys) if row.area_keys else "every area"
    return Reply(
        title=f"This channel gets the digest every {WEEKDAY_NAMES[row.weekday]} at {row.at} {row.timezone}.",
        summary=f"About {scope}. The first: {moment(following, ctx.ports.capitals)}.",
    )


def _fields(row: DigestSubscription) -> dict:
    return {"areas": row.area_keys, "weekday": WEEKDAY_NAMES[row.weekday], "at": row.at, "timezone": row.timezone}


def _preview(ctx: Context) -> Reply:
    channel = ctx.requester.channel_ref
    subscription = ctx.session.exec(
        select(DigestSubscription).where(DigestSubscription.channel_ref == channel)
    ).first() if channel else None  # fmt: skip
    areas = subscription.area_keys if subscription else []
    now = ctx.ports.clock.now()
    parts = compose(ctx.session, ctx.timeline, areas=areas, since=now - timedelta(weeks=1), now=now)
    note = "Preview, shown only to you" + ("" if subscription else " (this channel has no digest yet)") + "."
    first = parts[0]
    sections = [s for part in parts for s in part.sections]
    return Reply(title=first.title, summary=f"{note} {first.summary}", sections=sections, tone=Tone.answer)


# -- schedule ----------------------------------------------------------------------------


def next_digest(row: DigestSubscription, now: datetime) -> datetime:
    latest = latest_digest(row, now)
    return latest if latest >= now else latest + timedelta(weeks=1)


def latest_digest(row: DigestSubscription, now: datetime) -> datetime:
    """The most recent scheduled send at or before now, as UTC."""
    zone = ZoneInfo(row.timezone)
    hour, minute = (int(p) for p in row.at.split(":"))
    local_today = now.astimezone(zone).date()
    day = local_today - timedelta(days=(local_today.weekday() - row.weekday) % 7)
    at = local_instant(day, time(hour, minute), row.timezone)
    return at if at <= now else local_instant(day - timedelta(weeks=1), time(hour, minute), row.timezone)


def due_digests(session: Session, timeline: Timeline, now: datetime, catch_up: timedelta) -> list[Planned]:
    """Digests whose time has come (composed now, so they are fresh) and are not in the outbox yet."""
    planned = []
    for row in session.exec(select(DigestSubscription)):
        due = latest_digest(row, now)
        if now - due > catch_up:
            continue
        key = f"digest:{row.id}:{due.astimezone(ZoneInfo(row.timezone)):%G-W%V}"
        if session.exec(select(OutboxMessage.id).where(col(OutboxMessage.key).startswith(key))).first():
            continue
        parts = compose(session, timeline, areas=row.area_keys, since=due - timedelta(weeks=1), now=now)
        for n, part in enumerate(parts, start=1):
            planned.append(Planned(f"{key}:{n}/{len(parts)}", "digest", row.channel_ref, due, reply_to_data(part)))
    return planned


# -- content -----------------------------------------------------------------------------


def compose(session: Session, timeline: Timeline, *, areas: list[str], since: datetime, now: datetime) -> list[Reply]:
    """The digest as one or more Replies (parts), for a channel: public items only."""
    today = timeline.today
    all_ids = _public_ids(session, areas)
    records = {r.commitment.key: r for r in repository.load_commitments(session=session, ids=all_ids)}
    area_of = {key: (r.areas[0].name if r.areas else "Other") for key, r in records.items()}

    hidden = audience.restricted_meetings(session, timeline.outlooks)  # meetings are as restricted as their items
    hidden_keys = {timeline.outlooks[m].record.mechanism.key for m in hidden}
    changed = [
        (area_of.get(e.target_key, "Meetings"), f"{e.target_key}: {audit.describe(e, timeline.capitals)}")
        for e in session.exec(select(AuditEntry).where(AuditEntry.at >= since).order_by(AuditEntry.at))
        if e.target_type in {"commitment", "mechanism"}
        and (e.target_key in records or (e.target_type == "mechanism" and e.target_key not in hidden_keys))
    ]
    coming, overdue = [], []
    for key, record in records.items():
        c = record.commitment
        if timeline.is_overdue(c):
            overdue.append((area_of[key], f"{key} {c.title}: {timeline.status(c)}"))
            continue
        nxt = None if c.mechanism_id else timeline.next_date(record)  # meetings are listed once, below
        if nxt and nxt.falls_within(today, today + LOOK_AHEAD):  # not a deadline known only to "2027"
            coming.append((area_of[key], f"{key} {c.title}: {nxt.wording}"))
    need_date = []
    area_names = {a.key: a.name for a, _count in repository.list_areas(session=session, include_restricted=False)}
    for outlook in timeline.outlooks.values():
        m, nxt = outlook.record.mechanism, outlook.next
        if m.id in hidden or (areas and not set(m.area_keys) & set(areas)):
            continue
        area = area_names.get(m.area_keys[0], "Meetings") if m.area_keys else "Meetings"
        inside = nxt.falls_within(today, today + LOOK_AHEAD) if nxt else None
        if nxt and nxt.fixed and inside:
            coming.append((area, f"{m.name}: {nxt.wording}"))
        elif nxt and not nxt.fixed:
            need_date.append((area, f"{m.name}: {nxt.wording}"))
        elif nxt and inside is False:  # fixed to a month or season reaching past the four weeks: it needs its day
            need_date.append((area, f"{m.name}: {nxt.sometime}"))
    unassigned = Counter(area_of[k] for k in records if not _has_person(session, records[k]))
    unknown = Counter(area_of[k] for k, r in records.items() if r.commitment.status == Status.unknown)

    sections = [
        _grouped("What changed in the last week", changed, empty="No changes recorded."),
        _grouped("Falls due in the next four weeks", coming, empty="Nothing falls due."),
        _grouped("Overdue: the deadline passed and no outcome is on record", overdue, empty="Nothing overdue."),
        _grouped("Meetings that still need a date", need_date, empty="Every projected meeting has a date."),
        Section(heading="No person assigned yet", body=_counts(unassigned) or "Every item has a person."),
        Section(heading="No status recorded yet", body=_counts(unknown) or "Every item has a status."),
    ]
    scope = ", ".join(areas) if areas else "every area"
    title = f"Weekly agenda digest, week of {day(today)}"
    summary = f"About {scope}; restricted items are left out."
    digest = Reply(title=title, summary=summary, sections=sections, visibility=Visibility.channel)
    return _split(audience.shared_safe(digest, session))


def _public_ids(session: Session, areas: list[str]) -> list[int]:
    ids: list[int] = []
    if areas:
        for area, _count in repository.list_areas(session=session, include_restricted=False):
            if area.key in areas:
                ids += [i for i in repository.commitment_ids_in_area(session=session, area_id=area.id) if i not in ids]
    else:
        ids = list(session.exec(select(Commitment.id)).all())
    return sorted(repository.visible_ids(session=session, ids=ids))


def _has_person(session: Session, record) -> bool:
    return any(o.kind == OwnerKind.user for o in record.owners)


def _grouped(heading: str, lines: list[tuple[str, str]], *, empty: str) -> Section:
    if not lines:
        return Section(heading=heading, body=empty)
    by_area: dict[str, list[str]] = defaultdict(list)
    for area, line in lines:
        by_area[area].append(line)
    body = "\n".join(f"{area}\n" + "\n".join(f"• {line}" for line in items) for area, items in sorted(by_area.items()))
    return Section(heading=heading, body=body)


def _counts(counter: Counter) -> str:
    total = sum(counter.values())
    if not total:
        return ""
    return f"{total} in all: " + ", ".join(f"{area} {n}" for area, n in counter.most_common())


def _split(reply: Reply) -> list[Reply]:
    """Parts of at most LINES_PER_PART lines, cut between sections (or inside a long one)."""
    parts: list[list[Section]] = [[]]
    used = 0
    for section in reply.sections:
        lines, first = (section.body or "").splitlines(), True
        while lines:
            room = LINES_PER_PART - used
            if room <= 0:
                parts.append([])
                used, room = 0, LINES_PER_PART
            chunk, lines = lines[:room], lines[room:]
            heading = section.heading if first else f"{section.heading} (continued)"
            parts[-1].append(Section(heading=heading, body="\n".join(chunk)))
            used, first = used + len(chunk), False
    total = len(parts)
    return [
        Reply(
            title=reply.title + (f" (part {n} of {total})" if total > 1 else ""),
            summary=reply.summary,
            sections=sections,
            visibility=reply.visibility,
        )
        for n, sections in enumerate(parts, start=1)
    ]
