"""The weekly digest: when each channel's is due, and what it says (composed when it is sent).

A digest is written for a director: three lines first (what moved, what is due,
what needs a decision), then the decisions needed, one line per item changed
(net of the week's intermediate states), what falls due in the next four weeks,
and the standing gaps as one line with last week's figures; restricted items
left out (it goes to a channel), split into parts when long.

Subscribing a channel and the preview: handlers/commands/digest.py.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from pathlib import PurePath
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.domain import audience
from handlers.domain.audit import field_words
from handlers.domain.provenance import owners_marked
from handlers.domain.timeline import Timeline, stage_wording
from handlers.views import chart, i18n
from handlers.views.dates import day, days_off_wording, fuzzy_wording
from handlers.views.i18n import N_, _, ngettext
from handlers.views.names import NameBook
from handlers.views.reply import Reply, Section, Visibility, reply_to_data
from models import audit_log, follow_ups, repository
from models.provenance import departments as provenance_departments
from models.tables import (
    AuditEntry,
    Delivery,
    DigestSubscription,
    Origin,
    OwnerKind,
    Status,
)
from scheduling import outbox
from scheduling.fuzzy import FuzzyDate
from scheduling.meeting_digest import meeting_sections, with_unknown
from scheduling.outbox import Planned
from scheduling.planner import local_instant
from scheduling.projection import COUNTRY_NAMES

LOOK_AHEAD = timedelta(weeks=4)
LINES_PER_PART = 40  # a Slack message stays readable (and well under its limits)


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
    for row in follow_ups.digest_subscriptions(session=session):
        due = latest_digest(row, now)
        if now - due > catch_up:
            continue
        key = f"digest:{row.id}:{due.astimezone(ZoneInfo(row.timezone)):%G-W%V}"
        if outbox.has_key_starting(session, key):
            continue
        with i18n.speaking(row.language):  # no request: the channel's language, chosen at subscription
            parts = compose(session, timeline, areas=row.area_keys, since=due - timedelta(weeks=1), now=now)
        for n, part in enumerate(parts, start=1):
            planned.append(Planned(f"{key}:{n}/{len(parts)}", "digest", row.channel_ref, due, reply_to_data(part)))
    return planned


# -- content -----------------------------------------------------------------------------
#
# Written for a director who reads it in a minute: three lines first (what moved, what is
# due, what needs a decision), then the decisions, then one line per changed item (net of
# the week's intermediate states), what falls due, and the standing gaps as one line with
# last week's figures beside them. Sections with nothing to say are left out, so a quiet
# week fits on one screen.

STATUS_SHORT = {
    Status.unknown: N_("unknown"),
    Status.not_started: N_("not started"),
    Status.in_progress: N_("in progress"),
    Status.done: N_("done"),
    Status.stalled: N_("stalled"),
    Status.dropped: N_("dropped"),
}
# Which changes a summary line names first: an outcome, then a blocked item, a meeting fixed, any other status.
_WEIGHT = {Status.done: 0, Status.dropped: 0, Status.stalled: 1}


@dataclass
class _Change:
    """One item's net change over the week."""

    key: str
    label: str  # "2005-C1 Title" or the meeting's name
    area: str
    parts: list[str]  # "status unknown → done", "assigned @maria"
    actors: list[str]
    weight: int
    short: str  # for the summary line: "2005-C1 unknown → done"


@dataclass
class _Decision:
    label: str  # what the summary line names
    line: str


def compose(session: Session, timeline: Timeline, *, areas: list[str], since: datetime, now: datetime) -> list[Reply]:
    """The digest as one or more Replies (parts), for a channel: public items only."""
    today = timeline.today
    all_ids = _public_ids(session, areas)
    records = {r.commitment.key: r for r in repository.load_commitments(session=session, ids=all_ids)}
    names = timeline.names  # in the channel's language
    area_of = {key: (names.of(r.areas[0]) if r.areas else "Other") for key, r in records.items()}
    area_names = {a.key: names.of(a) for a, _count in repository.list_areas(session=session, include_restricted=False)}

    hidden = audience.restricted_meetings(session, timeline.outlooks)  # meetings are as restricted as their items
    meetings = {  # the meetings this channel may see, in its areas, by key
        o.record.mechanism.key: o
        for m_id, o in timeline.outlooks.items()
        if m_id not in hidden and (not areas or set(o.record.mechanism.area_keys) & set(areas))
    }

    def meeting_area(outlook) -> str:
        keys = outlook.record.mechanism.area_keys
        return area_names.get(keys[0], "Meetings") if keys else "Meetings"

    entries = [
        e
        for e in audit_log.entries_since(session=session, since=since)
        if (e.target_type == "commitment" and e.target_key in records)
        or (e.target_type == "mechanism" and e.target_key in meetings)
    ]
    changes = _net_changes(entries, records, meetings, area_of, meeting_area, timeline)

    coming, overdue_owned, decisions, later_undated = [], [], [], []
    named = provenance_departments(session=session)
    for key, record in records.items():
        c = record.commitment
        # Owners as `show` gives them: a department the curator inferred is marked "assumed".
        owners = owners_marked(record, named, names)
        if timeline.is_overdue(c):
            due = timeline.when(c.due_edtf)
            if _has_person(record):
                overdue_owned.append((area_of[key], f"{key} {names.of(c)}: {timeline.status(c)}; {owners}"))
            else:
                line = _("Overdue with no person assigned: {key} {title} (due {when})")
                decisions.append(_Decision(key, f"{line.format(key=key, title=names.of(c), when=due)}; {owners}"))
            continue
        nxt = None if c.mechanism_id else timeline.next_date(record)  # meetings are listed once, below
        if nxt and nxt.falls_within(today, today + LOOK_AHEAD):  # not a deadline known only to "2027"
            coming.append((area_of[key], f"{key} {names.of(c)}: {nxt.wording}; {owners}"))
    decisions += _meeting_decisions(session, timeline, meetings, coming, later_undated, meeting_area)
    decisions += _unacknowledged(session, records, meetings, names)

    gaps = with_unknown(_gaps(records, entries, later_undated), meetings)
    summary = [
        _moved_line(changes),
        _due_line(coming, overdue_owned),
        _decide_line(decisions),
    ]
    sections = [Section(body="\n".join(summary))]
    if decisions:
        sections.append(Section(heading=_("Decisions needed"), body="\n".join(f"• {d.line}" for d in decisions)))
    if changes:
        body = "\n".join(
            "• "
            + _("{what}: {changes}, by {who}").format(what=c.label, changes="; ".join(c.parts), who=", ".join(c.actors))
            for c in changes
        )
        sections.append(Section(heading=_("Changes this week"), body=body))
    if coming:
        sections.append(_listed(_("Falls due in the next four weeks"), coming))
    if overdue_owned:
        sections.append(_listed(_("Overdue, with someone assigned"), overdue_owned))
    sections += meeting_sections(session, timeline, meetings, today + LOOK_AHEAD)
    sections.append(Section(body=gaps))
    scope = i18n.and_list(area_names.get(key, key) for key in areas) if areas else _("every area")  # as named
    title = _("Weekly agenda digest, week of {day}: {scope}").format(day=day(today), scope=scope)
    digest = Reply(title=title, sections=sections, visibility=Visibility.channel)
    parts = _split(audience.shared_safe(digest, session))
    # The picture counts what this channel may see: the same public records, in its areas.
    # Areas named in the channel's language, unless no installed font draws it (then all the chart's words are English).
    drawn = area_of if chart.drawing_fonts(i18n.current()) else {
        key: (r.areas[0].name if r.areas else "Other") for key, r in records.items()
    }  # fmt: skip
    image = chart.status_by_area([(drawn[key], r.commitment.status) for key, r in records.items()])
    return [replace(parts[0], image=image), *parts[1:]]


def _net_changes(entries, records, meetings, area_of, meeting_area, timeline: Timeline) -> list[_Change]:
    """Per item, each field as it was before its first change of the week and after its last;
    a field back where it started is no change. Notes and bookkeeping fields are not shown."""
    by_item: dict[str, list[AuditEntry]] = defaultdict(list)
    for e in entries:
        by_item[e.target_key].append(e)
    changes = []
    for key, rows in by_item.items():
        first, last = {}, {}
        for e in rows:
            for field in set(e.before) | set(e.after):
                first.setdefault(field, e.before.get(field))
                last[field] = e.after.get(field)
        net = {f: (first[f], last[f]) for f in first if _plain(first[f]) != _plain(last[f])}
        net.pop("status_note", None)  # the status says it; the note is in `history`
        if not net:
            continue
        actors = list(dict.fromkeys(_changed_by(e) for e in rows))
        if rows[0].action in ("add", "import") and not rows[0].before:  # new this week: what it is now is in `show`
            net = {"added": (None, True)}
        if key in records:
            c = records[key].commitment
            label, area = f"{key} {timeline.names.of(c)}", area_of[key]
        else:
            outlook = meetings[key]
            label, area = timeline.names.of(outlook.record.mechanism), meeting_area(outlook)
        parts, weight, short = [], 5, ""
        if "status" in net:
            old, new = (
                _(STATUS_SHORT[v]) if v in STATUS_SHORT else str(v) if v else _("unknown") for v in net.pop("status")
            )
            parts.append(_("status {old} → {new}").format(old=old, new=new))
            weight, short = _WEIGHT.get(last["status"], 3), f"{key} {old} → {new}"
        if "stage" in net:
            stage = net.pop("stage")[1]
            on = net.pop("stage_date", (None, None))[1]
            parts.append(
                stage_wording(stage, on)
                if stage and on
                else _("stage {stage}").format(stage=_plain(stage) or _("removed"))
            )
        net.pop("stage_date", None)
        if "date" in net:
            old, new = net.pop("date")
            new_words = timeline.when(new) if new else _("none")
            place, host = net.pop("place", (None, None))[1], net.pop("host", (None, None))[1]
            if place:
                new_words = _("{when} in {place}").format(when=new_words, place=place)
            if host:
                country = _(COUNTRY_NAMES[host]) if host in COUNTRY_NAMES else host
                new_words += _(", host {country}").format(country=country)
            parts.append(_("date {old} → {new}").format(old=_date_words(old, timeline), new=new_words))
            weight, short = min(weight, 2), short or _("{what} fixed for {when}").format(what=label, when=new_words)
        if "owners" in net:
            old, new = (set(v or []) for v in net.pop("owners"))
            if new - old:
                parts.append(_("assigned {who}").format(who=", ".join(sorted(new - old))))
            if old - new:
                parts.append(_("unassigned {who}").format(who=", ".join(sorted(old - new))))
            weight, short = min(weight, 4), short or _("{id} assigned").format(id=key)
        net.pop("confirmed_day_off", None)
        if net.pop("added", None):
            parts, weight, short = [_("added")], min(weight, 2), _("{id} added").format(id=key)
        if net:  # anything else (an edit, a host): named, not dumped
            fields = ", ".join(sorted(field_words(f).replace("_", " ") for f in net))
            parts.append(_("{fields} edited").format(fields=fields))
            short = short or _("{id} edited").format(id=key)
        changes.append(_Change(key, label, area, parts, actors, weight, short or label))
    return sorted(changes, key=lambda c: (c.area, c.key))


def _date_words(value, timeline: Timeline) -> str:
    if not value:
        return _("none")
    try:  # an EDTF date (a date fixed before), or the projection's wording the audit kept (in English)
        return timeline.when(value)
    except Exception:  # noqa: BLE001 - a projection's wording is already words
        if "projected" not in str(value):
            return str(value)
        window = str(value).split(",")[0]
        season = re.fullmatch(r"(spring|summer|autumn|winter) (\d{4})", window)
        if season:
            window = fuzzy_wording(FuzzyDate.parse(f"{season[2]}-{_SEASON_CODES[season[1]]}"))
        return _("{when} (projected)").format(when=window)


_SEASON_CODES = {"spring": 21, "summer": 22, "autumn": 23, "winter": 24}


def _plain(value) -> str:
    if value is None or value == [] or value == "":
        return ""
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _meeting_decisions(session, timeline: Timeline, meetings, coming, later_undated, meeting_area) -> list[_Decision]:
    """Meetings: a date to fix (its window has begun or begins within four weeks), a record of one
    that was fixed and has passed, a fixed day that is off in either capital or falls on another meeting."""
    today, horizon = timeline.today, timeline.today + LOOK_AHEAD
    decisions, fixed_days = [], []
    for key, outlook in sorted(meetings.items(), key=lambda kv: kv[1].record.mechanism.name):
        m, nxt = outlook.record.mechanism, outlook.next
        name = timeline.names.of(m)
        for o in outlook.record.occurrences:
            if o.origin == Origin.bot and o.note.startswith("fixed by") and o.ends_on < today:
                asked = _("Needs a record: {name} was fixed for {when}; did it meet?")
                decisions.append(_Decision(name, asked.format(name=name, when=timeline.when(o.date_edtf))))
        if nxt is None:
            continue
        one_day = nxt.fixed and nxt.starts_on is not None and nxt.starts_on == nxt.ends_on
        inside = nxt.falls_within(today, horizon)
        if one_day:
            if inside:
                coming.append((meeting_area(outlook), f"{name}: {nxt.wording}"))
            fixed_days.append((nxt.starts_on, m, key))
        elif nxt.starts_on is None or nxt.starts_on <= horizon:
            decisions.append(_Decision(name, _("Needs a date: {name}, {when}").format(name=name, when=nxt.sometime)))
        else:
            later_undated.append(name)
    for n, (on, m, key) in enumerate(fixed_days):
        if on > horizon:
            continue
        name, off = timeline.names.of(m), timeline.capitals.days_off(on)
        if off and not _confirmed(session, key, on):
            decisions.append(_Decision(name, _("Conflict: {name} is fixed for {day}, {off}").format(
                name=name, day=day(on), off=days_off_wording(off))))  # fmt: skip
        others = [timeline.names.of(o) for d, o, _k in fixed_days[n + 1 :] if d == on]  # each pair once
        if others:
            decisions.append(_Decision(name, _("Conflict: {name} and {others} are both on {day}").format(
                name=name, others=", ".join(others), day=day(on))))  # fmt: skip
    return decisions


def _confirmed(session: Session, key: str, on) -> bool:
    """The coordinator fixed it on that day off after the warning: a choice made, not a decision pending."""
    rows = audit_log.entries_of(session=session, target_key=key, action="schedule")
    return any(r.after.get("confirmed_day_off") and r.after.get("date") == on.isoformat() for r in rows)


def _unacknowledged(session: Session, records, meetings, names: NameBook) -> list[_Decision]:
    """Escalations sent and not acknowledged, for the items this channel may see."""
    acknowledged = follow_ups.acknowledged_items(session=session)
    keys = outbox.keys_of_kind(session, "escalation", status=Delivery.sent)
    sent = Counter(ref for ref, _day in {tuple(k.split(":")[1:3]) for k in keys})  # days, not recipients
    decisions = []
    for ref, times in sorted(sent.items()):
        if ref in acknowledged or not (ref in records or ref in meetings):
            continue
        record = records.get(ref)
        label = f"{ref} {names.of(record.commitment)}" if record else names.of(meetings[ref].record.mechanism)
        line = ngettext(
            "Escalated {n}× and not acknowledged: {label}", "Escalated {n}× and not acknowledged: {label}", times
        )
        decisions.append(_Decision(ref, line.format(n=times, label=label)))
    return decisions


def _gaps(records, entries: list[AuditEntry], later_undated: list[str]) -> str:
    """One line: items with no person, with no status, now and a week ago.

    A week ago is derived, not stored: an item's first change this week says in its `before`
    what its owners or status were then (an item added this week did not exist)."""
    first: dict[str, dict] = {}
    added = set()
    for e in entries:
        if e.target_type != "commitment":
            continue
        if e.action == "add" and not e.before:
            added.add(e.target_key)
        for field in ("owners", "status"):
            if field in e.before and field not in first.setdefault(e.target_key, {}):
                first[e.target_key][field] = e.before[field]
    no_person = no_status = no_person_then = no_status_then = 0
    for key, record in records.items():
        person = _has_person(record)
        status = record.commitment.status
        no_person += not person
        no_status += status == Status.unknown
        if key in added:
            continue
        then = first.get(key, {})
        if "owners" in then:
            person = any(str(name).startswith("<@") for name in then["owners"] or [])
        no_person_then += not person
        no_status_then += then.get("status", status) == Status.unknown
    line = ngettext(
        "Standing gaps: {n} item with no person assigned {trend}, {status} with no status recorded {status_trend}",
        "Standing gaps: {n} items with no person assigned {trend}, {status} with no status recorded {status_trend}",
        no_person,
    ).format(
        n=no_person,
        trend=_trend(no_person, no_person_then),
        status=no_status,
        status_trend=_trend(no_status, no_status_then),
    )
    if later_undated:
        n = len(later_undated)
        line += ngettext("; {n} later meeting with no date yet", "; {n} later meetings with no date yet", n).format(n=n)
    return line + _(". Restricted items are left out.")


def _trend(now: int, then: int) -> str:
    if now == then:
        return _("(unchanged from last week)")
    return (_("(down from {n} last week)") if now < then else _("(up from {n} last week)")).format(n=then)


def _moved_line(changes: list[_Change]) -> str:
    if not changes:
        return _("Moved: nothing changed this week.")
    top = sorted(changes, key=lambda c: (c.weight, c.key))[:2]
    n = len(changes)
    return ngettext(
        "Moved: {n} item changed, among them {top}.", "Moved: {n} items changed, among them {top}.", n
    ).format(n=n, top=i18n.and_list(c.short for c in top))


def _due_line(coming: list[tuple[str, str]], overdue_owned: list) -> str:
    overdue = _("; {n} overdue with someone assigned").format(n=len(overdue_owned)) if overdue_owned else ""
    if not coming:
        return _("Due: nothing in the next four weeks{overdue}.").format(overdue=overdue)
    first = coming[0][1].split(":")[0]
    return _("Due: {n} in the next four weeks, first {first}{overdue}.").format(
        n=len(coming), first=first, overdue=overdue
    )


def _decide_line(decisions: list[_Decision]) -> str:
    if not decisions:
        return _("Decide: nothing needs a decision.")
    n = len(decisions)
    names = list(dict.fromkeys(d.label for d in decisions))[:2]
    return ngettext(
        "Decide: {n} decision needed, starting with {names}.", "Decide: {n} decisions needed, starting with {names}.", n
    ).format(n=n, names=i18n.and_list(names))


def _public_ids(session: Session, areas: list[str]) -> list[int]:
    ids: list[int] = []
    if areas:
        for area, _count in repository.list_areas(session=session, include_restricted=False):
            if area.key in areas:
                ids += [i for i in repository.commitment_ids_in_area(session=session, area_id=area.id) if i not in ids]
    else:
        ids = repository.all_commitment_ids(session=session)
    return sorted(repository.visible_ids(session=session, ids=ids))


def _has_person(record) -> bool:
    return any(o.kind == OwnerKind.user for o in record.owners)


def _changed_by(entry: AuditEntry) -> str:
    """Who made a change, and from where when it was not chat: an import names its file."""
    if entry.action == "import":
        return f"{entry.actor_ref} (imported from {PurePath(entry.origin.removeprefix('import:')).name})"
    return f"<@{entry.actor_ref}>"


def _listed(heading: str, lines: list[tuple[str, str]]) -> Section:
    return Section(heading=heading, body="\n".join(f"• {line}" for _area, line in sorted(lines)))


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
            heading = section.heading if first or not section.heading else f"{section.heading} (continued)"
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
