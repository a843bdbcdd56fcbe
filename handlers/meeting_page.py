"""A meeting's page: `/agenda meeting <mechanism or alias>`.

One mechanism on one page: the next occurrence (fixed or projected, host,
place, the opening in both capitals), its series as recorded (numbers where
known, held, not held, and the cycles with no record, said to be unknown), the
last meeting's record, and the buttons for what a coordinator does next. The
preparation checklist joins it when it has one (handlers/milestones.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from handlers.context import Context
from handlers.dates import moment
from handlers.meetings import find_meeting, ordinal, record_wording
from handlers.reply import Action, ActionKind, Reply, Section, Tone
from handlers.timeline import MechanismOutlook, is_upcoming, season_code
from models.tables import Held, Occurrence
from scheduling.projection import COUNTRY_NAMES, CadenceRule, unrecorded_between

OPENING = time(9, 0)  # no time is recorded for a meeting: its opening is shown at 09:00 in the host's capital
SERIES_SHOWN = 12  # the newest lines of the series; older ones are counted


@dataclass(frozen=True)
class MeetingPage:
    target: str  # a mechanism's name, alias or key; empty: the list of meetings


def parse_meeting(rest: str) -> MeetingPage:
    return MeetingPage(rest.strip())


def meeting_page(command: MeetingPage, ctx: Context) -> Reply:
    if not command.target:
        return _meetings(ctx)
    target = find_meeting(ctx, command.target)
    if target is None:
        return Reply(
            title=f"I don't know a meeting called “{command.target}”.",
            sections=[Section(body=f"Meetings: {ctx.meeting_names()}.")],
            tone=Tone.notice,
        )
    outlook = ctx.timeline.outlook(target.id)
    record = outlook.record
    m = record.mechanism
    owners = ", ".join(o.display_name for o in record.owners) or "no owner yet"
    cadence = record.cadences[-1].stated if record.cadences else "no cadence stated"
    sections = [_next_section(ctx, outlook), _series_section(ctx, outlook)]
    if (last := _last_record(ctx, record.occurrences)) is not None:
        sections.append(last)
    extra, extra_actions = _extra_sections(ctx, outlook)
    actions = _actions(ctx, outlook)
    return Reply(
        title=f"{m.name}",
        summary=f"Meets {cadence}. Owners: {owners}.",
        sections=sections + extra,
        actions=actions[:-1] + extra_actions + actions[-1:],  # History stays last
    )


def _meetings(ctx: Context) -> Reply:
    seen = ctx.visible_meetings(list(ctx.timeline.outlooks))
    outlooks = sorted((ctx.timeline.outlooks[i] for i in seen), key=lambda o: o.record.mechanism.name)
    lines = [f"• {o.record.mechanism.name}: {o.next.wording if o.next else 'no cadence stated'}" for o in outlooks]
    return Reply(
        title="Meetings",
        summary="`/agenda meeting <name>` opens one.",
        sections=[Section(body="\n".join(lines))],
        actions=[
            Action(ActionKind.run, o.record.mechanism.name, f"meeting {o.record.mechanism.key}") for o in outlooks
        ],  # fmt: skip
    )


# -- next -------------------------------------------------------------------------------------


def _next_section(ctx: Context, outlook: MechanismOutlook) -> Section:
    nxt = outlook.next
    if nxt is None:
        return Section(heading="Next", body="No cadence is stated and no date is fixed.")
    lines = [nxt.wording[0].upper() + nxt.wording[1:] + "."]
    if outlook.projection is not None:
        lines.append(outlook.projection.basis)
    else:
        fixed = next((o for o in outlook.record.occurrences if is_upcoming(o, ctx.today)), None)
        if fixed is not None and (opening := opening_wording(ctx, fixed)):
            lines.append(opening)
    return Section(heading="Next", body="\n".join(lines))


def opening_wording(ctx: Context, occurrence: Occurrence) -> str | None:
    """'Opening at 09:00 in Tokyo (host): Mon 7 Dec 19:00 Ottawa · Tue 8 Dec 09:00 Tokyo; no time is recorded.'"""
    if occurrence.starts_on != occurrence.ends_on or occurrence.host is None:
        return None
    capital = next((c for c in ctx.ports.capitals.both if c.country == occurrence.host), None)
    if capital is None:
        return None
    opening = datetime.combine(occurrence.starts_on, OPENING, tzinfo=ZoneInfo(capital.zone))
    both = moment(opening, ctx.ports.capitals, flag=False)
    return f"Opening at 09:00 in {capital.city} (host): {both}; no time is recorded, so 09:00 there is assumed."


# -- series -----------------------------------------------------------------------------------


def _series_section(ctx: Context, outlook: MechanismOutlook) -> Section:
    record = outlook.record
    cadences = [CadenceRule(c.rrule, c.stated, c.effective_on) for c in record.cadences]
    lines: list[str] = []
    past = [o for o in record.occurrences if not is_upcoming(o, ctx.today)]
    season = season_code(record.mechanism.usual_season)
    for before, occurrence in zip([None, *past], past, strict=False):
        if before is not None and (gap := unrecorded_between(cadences, before.starts_on, occurrence.starts_on, season)):
            lines.append(_unknown_line(gap))
        lines.append("• " + _series_line(ctx, occurrence))
    projection = outlook.projection
    if projection is not None and projection.unknown_windows:
        labels = [w[2] for w in projection.unknown_windows]
        lines.append(_unknown_line(len(labels), labels))
    lines += [f"• {ctx.timeline.when(o.date_edtf)}: fixed" for o in record.occurrences if is_upcoming(o, ctx.today)]
    if not lines:
        return Section(heading="Series", body="No meeting is on record.")
    hidden = len(lines) - SERIES_SHOWN
    if hidden > 0:
        lines = [f"… {hidden} earlier line{'s' if hidden > 1 else ''} (`/agenda history {record.mechanism.key}`)",
                 *lines[hidden:]]  # fmt: skip
    return Section(heading="Series", body="\n".join(lines))


def _series_line(ctx: Context, o: Occurrence) -> str:
    if o.not_held:
        return f"{ctx.timeline.when(o.date_edtf)}: not held" + (f" ({o.reason})" if o.reason else "")
    text = (f"{ordinal(o.ordinal)}: " if o.ordinal else "") + ctx.timeline.when(o.date_edtf)
    text += f", {o.place}" if o.place else ""
    text += f" (host {COUNTRY_NAMES.get(o.host, o.host)})" if o.host else ""
    if o.planned_only:
        return text + ": announced; no later source confirms it took place"
    if o.held is None and o.origin == "bot" and o.note.startswith("fixed by"):
        return text + ": was fixed; held or not, not yet recorded"
    return text + ": held"


def _unknown_line(count: int, labels: list[str] | None = None) -> str:
    what = f"{count} meeting{'s' if count > 1 else ''} due"
    if labels:
        what += f" ({', '.join(labels)})" if len(labels) <= 3 else f" ({labels[0]} … {labels[-1]})"
    return f"• {what}, no record: unknown"


def _last_record(ctx: Context, occurrences: list[Occurrence]) -> Section | None:
    held = [o for o in occurrences if o.held == Held.held or (o.held is None and not o.planned_only
                                                                and not is_upcoming(o, ctx.today))]  # fmt: skip
    if not held:
        return None
    last = held[-1]
    body = f"{record_wording(last, ctx)[0].upper()}{record_wording(last, ctx)[1:]}."
    if note := last.note.strip().rstrip("."):
        body += f" {note[0].upper()}{note[1:]}."
    return Section(heading="Last meeting", body=body)


def _extra_sections(ctx: Context, outlook: MechanismOutlook) -> tuple[list[Section], list[Action]]:
    """What later parts of the meeting add to its page: its checklist (handlers/milestones.py)."""
    from handlers.milestones import page_section  # it reads this module's helpers' module (handlers/meetings.py)
    from handlers.outcomes import delegation_section, record_sections
    from handlers.proposals import page_section as proposals_section

    section, actions = page_section(ctx, outlook)
    proposed = proposals_section(ctx, outlook)
    sections = record_sections(ctx, outlook)  # the last meeting's record of discussion and follow-ups
    sections += [s for s in (section, proposed, delegation_section(ctx, outlook)) if s is not None]
    if proposed is not None:
        actions = [*actions, Action(ActionKind.run, "Briefing", f"briefing {outlook.record.mechanism.key}")]
    return sections, actions


# -- buttons ----------------------------------------------------------------------------------


def _actions(ctx: Context, outlook: MechanismOutlook) -> list[Action]:
    key = outlook.record.mechanism.key
    actions = [Action(ActionKind.share, "Share in channel", f"meeting {key}")]
    if ctx.sees_everything:  # a coordinator, privately (and cached as such: handlers/__init__.py's viewer)
        actions += record_actions(ctx, outlook)
        if outlook.projection is not None:
            actions.append(Action(ActionKind.run, "Propose dates", f"plan {key}"))
    actions.append(Action(ActionKind.run, "History", f"history {key}"))
    return actions


def record_actions(ctx: Context, outlook: MechanismOutlook) -> list[Action]:
    """Held / Not held for the meeting that most needs a record: a fixed day that has passed,
    else the latest cycle whose window passed with no record."""
    key = outlook.record.mechanism.key
    passed = [
        o
        for o in outlook.record.occurrences
        if o.held is None and o.origin == "bot" and o.note.startswith("fixed by") and o.ends_on < ctx.today
    ]
    if passed:
        edtf, label = passed[-1].date_edtf, ctx.timeline.when(passed[-1].date_edtf)
    elif outlook.projection is not None and outlook.projection.unknown_windows:
        edtf = label = outlook.projection.unknown_windows[-1][2]  # "2024", "autumn 2024": words `held` reads
    else:
        return []
    return [
        Action(ActionKind.do, f"Held: {label}", f"held {key} {edtf}"),
        Action(ActionKind.do, f"Not held: {label}", f"not held {key} {edtf}"),
    ]
