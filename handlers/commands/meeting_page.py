"""A meeting's page: `/agenda meeting <mechanism or alias>`.

One mechanism on one page: the next occurrence (fixed or projected, host,
place, the opening in both capitals), its series as recorded (numbers where
known, held, not held, and the cycles with no record, said to be unknown), the
last meeting's record, and the buttons for what a coordinator does next. The
preparation checklist joins it when it has one (handlers/commands/milestones.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from handlers.commands.held import find_meeting, nth, record_wording
from handlers.domain.context import Context
from handlers.domain.timeline import MechanismOutlook, is_upcoming, season_code
from handlers.views import i18n, present
from handlers.views.dates import city, fuzzy_wording, moment
from handlers.views.i18n import _, ngettext
from handlers.views.reply import Action, ActionKind, Reply, Section, Tone
from models.tables import Held, Occurrence
from scheduling.fuzzy import FuzzyDate
from scheduling.projection import COUNTRY_NAMES, CadenceRule, unrecorded_between, window_edtf

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
            title=_("I don't know a meeting called “{words}”.").format(words=command.target),
            sections=[Section(body=_("Meetings: {names}.").format(names=ctx.meeting_names()))],
            tone=Tone.notice,
        )
    outlook = ctx.timeline.outlook(target.id)
    record = outlook.record
    m = record.mechanism
    owners = ", ".join(ctx.names.owner(o) for o in record.owners) or _("no owner yet")
    cadence = record.cadences[-1].stated if record.cadences else _("no cadence stated")
    sections = [_next_section(ctx, outlook), _series_section(ctx, outlook)]
    if (last := _last_record(ctx, record.occurrences)) is not None:
        sections.append(last)
    extra, extra_actions = _extra_sections(ctx, outlook)
    actions = _actions(ctx, outlook)
    return Reply(
        title=ctx.names.of(m),
        summary=_("Meets {cadence}. Owners: {owners}.").format(cadence=cadence, owners=owners),
        sections=sections + extra,
        actions=actions[:-1] + extra_actions + actions[-1:],  # History stays last
    )


def _meetings(ctx: Context) -> Reply:
    seen = ctx.visible_meetings(list(ctx.timeline.outlooks))
    outlooks = sorted((ctx.timeline.outlooks[i] for i in seen), key=lambda o: ctx.names.of(o.record.mechanism))
    none = _("no cadence stated")
    lines = [f"• {ctx.names.of(o.record.mechanism)}: {o.next.wording if o.next else none}" for o in outlooks]
    return Reply(
        title=_("Meetings"),
        summary=_("`/agenda meeting <name>` opens one."),
        sections=[Section(body="\n".join(lines))],
        actions=[
            Action(ActionKind.run, ctx.names.of(o.record.mechanism), f"meeting {o.record.mechanism.key}")
            for o in outlooks
        ],  # fmt: skip
    )


# -- next -------------------------------------------------------------------------------------


def _next_section(ctx: Context, outlook: MechanismOutlook) -> Section:
    nxt = outlook.next
    if nxt is None:
        return Section(heading=_next_heading(), body=_("No cadence is stated and no date is fixed."))
    lines = [_("{record}.").format(record=nxt.wording[0].upper() + nxt.wording[1:])]
    if outlook.projection is not None:
        lines.append(outlook.projection.basis)
    else:
        fixed = next((o for o in outlook.record.occurrences if is_upcoming(o, ctx.today)), None)
        if fixed is not None and (opening := opening_wording(ctx, fixed)):
            lines.append(opening)
    return Section(heading=_next_heading(), body="\n".join(lines))


def _next_heading() -> str:
    """'Next', as the page always said it; in French and Japanese the next *meeting* (the catalogue's 'Next' is
    a commitment's next date, and "Prochaine étape" would read as a step)."""
    return "Next" if i18n.current() == i18n.ENGLISH else _("Next meeting")


def opening_wording(ctx: Context, occurrence: Occurrence) -> str | None:
    """'Opening at 09:00 in Tokyo (host): Mon 7 Dec 19:00 Ottawa · Tue 8 Dec 09:00 Tokyo; no time is recorded.'
    None when its time was fixed: the date line above already gives it in both capitals."""
    if occurrence.starts_at is not None or occurrence.starts_on != occurrence.ends_on or occurrence.host is None:
        return None
    capital = next((c for c in ctx.ports.capitals.both if c.country == occurrence.host), None)
    if capital is None:
        return None
    opening = datetime.combine(occurrence.starts_on, OPENING, tzinfo=ZoneInfo(capital.zone))
    both = moment(opening, ctx.ports.capitals, flag=False)
    return _("Opening at 09:00 in {city} (host): {both}; no time is recorded, so 09:00 there is assumed.").format(
        city=city(capital.city), both=both
    )


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
        labels = [window_wording(w, season) for w in projection.unknown_windows]
        lines.append(_unknown_line(len(labels), labels))
    lines += ["• " + _("{date}: fixed").format(date=ctx.timeline.meeting_when(o))
              for o in record.occurrences if is_upcoming(o, ctx.today)]  # fmt: skip
    if not lines:
        return Section(heading=_("Series"), body=_("No meeting is on record."))
    hidden = len(lines) - SERIES_SHOWN
    if hidden > 0:
        earlier = ngettext("… {n} earlier line ({command})", "… {n} earlier lines ({command})", hidden)
        lines = [earlier.format(n=hidden, command=f"`/agenda history {record.mechanism.key}`"),
                 *lines[hidden:]]  # fmt: skip
    return Section(heading=_("Series"), body="\n".join(lines))


def _series_line(ctx: Context, o: Occurrence) -> str:
    if o.not_held:
        when = ctx.timeline.when(o.date_edtf)
        if o.reason:  # the reason is the record's own words
            return _("{date}: not held ({reason})").format(date=when, reason=o.reason)
        return _("{date}: not held").format(date=when)
    text = ctx.timeline.meeting_when(o)
    if o.ordinal:  # "12th: Thu 15 Dec 2022", "12e : …", "第12回：…"
        text = _("{nth}: {date}").format(nth=nth(o.ordinal), date=text)
    if o.place:  # the place is the record's own
        text = _("{date}, {place}").format(date=text, place=o.place)
    if o.host:
        text = _("{meeting} (host {country})").format(meeting=text, country=_(COUNTRY_NAMES.get(o.host, o.host)))
    if o.planned_only:
        return _("{meeting}: announced; no later source confirms it took place").format(meeting=text)
    if o.held is None and o.origin == "bot" and o.note.startswith("fixed by"):
        return _("{meeting}: was fixed; held or not, not yet recorded").format(meeting=text)
    return _("{meeting}: held").format(meeting=text)


def window_wording(window: tuple, season: int | None) -> str:
    """A cycle's window ("autumn 2024") in the reader's language ("automne 2024", "2024年秋")."""
    if i18n.current() == i18n.ENGLISH:
        return window[2]
    return fuzzy_wording(FuzzyDate.parse(window_edtf(window[0], season)))


def _unknown_line(count: int, labels: list[str] | None = None) -> str:
    if not labels:
        return "• " + ngettext("{n} meeting due, no record: unknown", "{n} meetings due, no record: unknown",
                               count).format(n=count)  # fmt: skip
    which = ", ".join(labels) if len(labels) <= 3 else f"{labels[0]} … {labels[-1]}"
    return "• " + ngettext(
        "{n} meeting due ({which}), no record: unknown", "{n} meetings due ({which}), no record: unknown", count
    ).format(n=count, which=which)


def _last_record(ctx: Context, occurrences: list[Occurrence]) -> Section | None:
    held = [o for o in occurrences if o.held == Held.held or (o.held is None and not o.planned_only
                                                                and not is_upcoming(o, ctx.today))]  # fmt: skip
    if not held:
        return None
    last = held[-1]
    wording = record_wording(last, ctx)
    body = _("{record}.").format(record=wording[0].upper() + wording[1:])
    if note := present.meeting_note(last.note).strip().rstrip("."):
        body += f" {note[0].upper()}{note[1:]}."
    return Section(heading=_("Last meeting"), body=body)


def _extra_sections(ctx: Context, outlook: MechanismOutlook) -> tuple[list[Section], list[Action]]:
    """What later parts of the meeting add to its page: its checklist (handlers/commands/milestones.py)."""
    # it reads this module's helpers' module (handlers/commands/held.py)
    from handlers.commands.milestones import page_section
    from handlers.commands.outcomes import delegation_section, record_sections
    from handlers.commands.proposals import page_section as proposals_section

    section, actions = page_section(ctx, outlook)
    proposed = proposals_section(ctx, outlook)
    sections = record_sections(ctx, outlook)  # the last meeting's record of discussion and follow-ups
    sections += [s for s in (section, proposed, delegation_section(ctx, outlook)) if s is not None]
    if proposed is not None:
        actions = [*actions, Action(ActionKind.run, _("Briefing"), f"briefing {outlook.record.mechanism.key}")]
    return sections, actions


# -- buttons ----------------------------------------------------------------------------------


def _actions(ctx: Context, outlook: MechanismOutlook) -> list[Action]:
    key = outlook.record.mechanism.key
    actions = [Action(ActionKind.share, _("Share in channel"), f"meeting {key}")]
    if ctx.sees_everything:  # a coordinator, privately (and cached as such: handlers/__init__.py's viewer)
        actions += record_actions(ctx, outlook)
        if outlook.projection is not None:
            actions.append(Action(ActionKind.run, _("Propose dates"), f"plan {key}"))
    actions.append(Action(ActionKind.run, _("History"), f"history {key}"))
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
        edtf = outlook.projection.unknown_windows[-1][2]  # "2024", "autumn 2024": words `held` reads
        season = season_code(outlook.record.mechanism.usual_season)
        label = window_wording(outlook.projection.unknown_windows[-1], season)
    else:
        return []
    return [
        Action(ActionKind.do, _("Held: {date}").format(date=label), f"held {key} {edtf}"),
        Action(ActionKind.do, _("Not held: {date}").format(date=label), f"not held {key} {edtf}"),
    ]
