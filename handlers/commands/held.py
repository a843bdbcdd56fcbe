"""What happened at a meeting: `/agenda held` and `/agenda not held`.

A record says a meeting of a mechanism took place (on a day or in a month,
season or year; where, who hosted, its number in the series) or that the
meeting of a cycle did not take place (and why). Projections count from the
last record (scheduling/projection.py); cycles with no record are unknown.

Coordinators and admins record; every record is audited. A record that
repeats one already made, or contradicts one (held and not held in the same
window, two meetings with one number, numbers out of date order), is refused
and says which record stands in the way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.commands import terms
from handlers.commands.parser import ParseError
from handlers.domain import audit
from handlers.domain.context import Context
from handlers.domain.permissions import at_least, refusal
from handlers.domain.resolve import Target, TargetKind
from handlers.domain.timeline import MechanismOutlook, Timeline
from handlers.domain.when import find_when
from handlers.views import i18n
from handlers.views.i18n import N_, _
from handlers.views.reply import Action, ActionKind, Reply, Section, Tone
from models import audit_log, meetings, repository, writes
from models.revision import agenda_changed
from models.tables import Held, Mechanism, Occurrence, Origin, Role
from scheduling import outbox
from scheduling.fuzzy import FuzzyDate
from scheduling.meeting_asks import SUFFIX as UNRECORDED
from scheduling.projection import COUNTRY_NAMES

_NUMBER = re.compile(r"^(\d{1,3})(?:st|nd|rd|th|e|er|re|ème|eme|回目|回)?$", re.IGNORECASE)  # 12, 12th, 12e, 12回
_JAPANESE_NUMBER = re.compile(r"^第(\d{1,3})回(?:目)?$")  # 第12回: the number without a word before it
MAX_ORDINAL = 500
MOVED_WITHIN_DAYS = 90  # a meeting held this close to the date fixed for it is that meeting, moved
HELD_USAGE = N_(
    "For example `/agenda held pol-mil 15 Dec 2022 in Ottawa host Canada number 12`: "
    "a meeting and its date, then optionally `in <place>`, `host Canada|Japan`, `number <n>`."
)
NOT_HELD_USAGE = N_(
    "For example `/agenda not held pol-mil 2024 postponed by both sides`: a meeting, the year (or date) "
    "its meeting did not take place, and why."
)


@dataclass(frozen=True)
class RecordHeld:
    target: str
    when: str  # EDTF
    place: str | None = None
    host: str | None = None  # CA or JP
    number: int | None = None


@dataclass(frozen=True)
class RecordNotHeld:
    target: str
    when: str  # EDTF: a year, a season, a month or a day
    reason: str = ""


# -- words --------------------------------------------------------------------------------


def parse_held(rest: str):
    """`held <meeting> <date> …`, or `held form <meeting> [<window>]`: the Held… form."""
    tokens = rest.split()
    if tokens and terms.means(tokens[0], "form"):  # formulaire, フォーム
        from handlers.commands.held_form import OpenHeldForm

        found = find_when(tokens[1:]) if len(tokens) > 1 else None
        if found and found[0] > 0 and found[1] == len(tokens) - 1:
            return OpenHeldForm(" ".join(tokens[1 : 1 + found[0]]), " ".join(tokens[1 + found[0] :]))
        return OpenHeldForm(" ".join(tokens[1:]))
    tokens = terms.japanese_spaced(rest).split()  # `2022年12月15日場所オタワ`: no spaces in Japanese
    found = find_when(tokens)
    if not found or found[0] == 0:
        return ParseError(N_("`held` needs a meeting and the date it was held."), HELD_USAGE, unfit=True)
    start, end, edtf = found
    # After the date no meeting's name is left to split: `場所オタワ主催カナダ` is read word by word
    tail = terms.japanese_spaced(" ".join(tokens[end:]), "in", "host", anywhere=True).split()
    target = " ".join(tokens[:start])
    place, host, number = None, None, None
    while tail:
        word = terms.term_of(tail[0], "host", "number", "in")  # hôte, numéro, à; 主催, 回, 場所
        if word == "host" and len(tail) >= 2:
            host = terms.country(tail[1])
            if host is None:
                return ParseError(
                    _("The host is Canada or Japan, not {words}.").format(words=repr(tail[1])), HELD_USAGE
                )
            tail = tail[2:]
        elif word == "number" and len(tail) >= 2:
            match = _NUMBER.match(tail[1].rstrip(".,;"))
            if match is None or not 1 <= int(match.group(1)) <= MAX_ORDINAL:
                return ParseError(_("The number is the meeting's place in the series (12, 13th), not {words}.")
                                  .format(words=repr(tail[1])), HELD_USAGE)  # fmt: skip
            number, tail = int(match.group(1)), tail[2:]
        elif japanese := _JAPANESE_NUMBER.match(tail[0].rstrip("、。")):
            if not 1 <= int(japanese.group(1)) <= MAX_ORDINAL:
                return ParseError(_("The number is the meeting's place in the series (12, 13th), not {words}.")
                                  .format(words=repr(tail[0])), HELD_USAGE)  # fmt: skip
            number, tail = int(japanese.group(1)), tail[1:]
        elif word == "in" and len(tail) >= 2:
            stop = next((i for i, t in enumerate(tail[1:], 1) if terms.term_of(t, "host", "number")), len(tail))
            place, tail = " ".join(tail[1:stop]).rstrip(" .,;") or None, tail[stop:]
        else:
            return ParseError(
                _("I don't understand {words} after the date.").format(words=repr(" ".join(tail))), HELD_USAGE
            )
    return RecordHeld(target, edtf, place, host, number)


# `/agenda 未開催 <meeting> <when>`: one word says "not held" in Japanese
NOT_HELD_WORDS = frozenset({"未開催"})


def parse_not_held(rest: str, *, said_whole: bool = False) -> RecordNotHeld | ParseError | None:
    """`not held <meeting> <when> [reason]` (`non tenue …`; `未開催 …`, ``said_whole``: no second word); other
    words after `not` are not this command (a lookup)."""
    if not said_whole:
        head, _, rest = rest.partition(" ")
        if not terms.means(head, "held"):
            return None
    tokens = terms.japanese_spaced(rest).split()  # `政治・軍事対話2024年選挙のため`: no spaces in Japanese
    found = find_when(tokens)
    if not found or found[0] == 0:
        return ParseError(
            N_("`not held` needs a meeting and the year (or date) it did not take place."), NOT_HELD_USAGE
        )
    start, end, edtf = found
    return RecordNotHeld(" ".join(tokens[:start]), edtf, " ".join(tokens[end:]).strip())


# -- helpers shared with the meeting's page ------------------------------------------------


def ordinal(n: int) -> str:
    """12 → '12th', 1 → '1st', 22 → '22nd', 13 → '13th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def nth(n: int) -> str:
    """A meeting's number in the reader's language: 13th; 13e (1re: une réunion); 13 (第13回 around it)."""
    language = i18n.current()
    if language == i18n.FRENCH:
        return "1re" if n == 1 else f"{n}e"
    return str(n) if language == i18n.JAPANESE else ordinal(n)


def find_meeting(ctx: Context, words: str) -> Target | None:
    """The meeting these words name (a name or an alias, typos too), if the audience may see it."""
    target = ctx.vocabulary.exact(words, kinds=(TargetKind.mechanism,)) or ctx.vocabulary.fuzzy(
        words, kinds=(TargetKind.mechanism,)
    )
    if target is None or not ctx.visible_meetings([target.id]):
        return None
    return target


def meeting_outlook(ctx: Context, words: str) -> tuple[Target, MechanismOutlook] | Reply:
    """The meeting these words name and its outlook, or the "unknown meeting" reply a command gives."""
    target = find_meeting(ctx, words)
    if target is None:
        return unknown_meeting(ctx, words)
    return target, ctx.timeline.outlook(target.id)


def unknown_meeting(ctx: Context, words: str) -> Reply:
    return Reply(
        title=_("I don't know a meeting called “{name}”.").format(name=words),
        summary=_("Nothing was changed."),
        sections=[Section(body=_("Meetings: {names}.").format(names=ctx.meeting_names()))],
        tone=Tone.error,
    )


def record_wording(row: Occurrence, ctx: Context) -> str:
    """'the 12th, Thu 15 Dec 2022 in Ottawa, host Canada' / 'not held in 2024 (elections)', in the reader's
    language (the place and the reason as recorded)."""
    when = ctx.timeline.when(row.date_edtf)
    if row.not_held:
        if row.reason:
            return _("not held in {when} ({reason})").format(when=when, reason=row.reason)
        return _("not held in {when}").format(when=when)
    if row.ordinal and row.place:
        words = _("the {nth}, {when} in {place}").format(nth=nth(row.ordinal), when=when, place=row.place)
    elif row.ordinal:
        words = _("the {nth}, {when}").format(nth=nth(row.ordinal), when=when)
    elif row.place:
        words = _("{when} in {place}").format(when=when, place=row.place)
    else:
        words = when
    if row.host:
        words += _(", host {country}").format(country=_(COUNTRY_NAMES.get(row.host, row.host)))
    return words


def _fields(row: Occurrence | None) -> dict:
    if row is None:
        return {}
    fields = {"date": row.date_edtf, "held": row.held, "place": row.place, "host": row.host, "number": row.ordinal}
    if row.reason:
        fields["reason"] = row.reason
    if row.planned_only:
        fields["announced"] = True
    return {k: v for k, v in fields.items() if v is not None}


def _problem(title: str, hint: str, actions: list[Action] | None = None) -> Reply:
    return Reply(title=title, summary=_("Nothing was changed."), sections=[Section(body=hint)], actions=actions or [],
                 tone=Tone.notice)  # fmt: skip


def _unconfirmed(row: Occurrence) -> bool:
    """A date fixed through `/agenda schedule` that nobody has recorded as held or not."""
    return row.held is None and not row.planned_only and row.origin == Origin.bot and row.note.startswith("fixed by")


def _overlaps(a: FuzzyDate, row: Occurrence) -> bool:
    return a.start <= row.ends_on and row.starts_on <= a.end


# -- held -------------------------------------------------------------------------------------


def _meeting_to_record(words: str, ctx: Context) -> Target | Reply:
    """The meeting a coordinator records (held or not), or why not: a refusal, an unknown meeting."""
    if not at_least(ctx.role, Role.coordinator):
        return refusal(ctx.session, Role.coordinator, N_("record meetings"), ctx.ports.admins)
    target = find_meeting(ctx, words)
    return unknown_meeting(ctx, words) if target is None else target


def record_held(command: RecordHeld, ctx: Context) -> Reply:
    target = _meeting_to_record(command.target, ctx)
    if isinstance(target, Reply):
        return target
    window = FuzzyDate.parse(command.when)
    if window.start > ctx.today:
        return _problem(
            _("{when} has not come yet: a meeting is recorded as held once it has met.").format(
                when=ctx.timeline.when(command.when)
            ),
            _("To fix a date ahead: `/agenda schedule {key} {edtf}`.").format(key=target.key, edtf=command.when),
        )
    mechanism = ctx.session.get(Mechanism, target.id)  # read first: the version checked at commit
    rows = meetings.occurrences_of(session=ctx.session, mechanism_id=target.id)
    if (stands := _held_conflict(command, window, rows, ctx, target)) is not None:
        return stands
    same = next((r for r in rows if r.date_edtf == command.when and r.held is None), None)
    # A date fixed through the bot, not yet recorded, close to this one: the same meeting, held on another day.
    moved = [r for r in rows if _unconfirmed(r) and abs((r.starts_on - window.start).days) <= MOVED_WITHIN_DAYS]
    same = same or (moved[0] if moved else None)
    before = _fields(same)
    agenda_changed(ctx.session)
    row = meetings.save_record(
        session=ctx.session, row=same, mechanism_id=target.id, date_edtf=command.when,
        starts_on=window.start, ends_on=window.end, held=Held.held, place=command.place, host=command.host,
        ordinal=command.number, reason="", note=f"recorded by <@{ctx.requester.user_ref}>", origin=Origin.bot,
    )  # fmt: skip
    writes.touch(session=ctx.session, row=mechanism, now=ctx.ports.clock.now())
    audit.record(ctx, action="held", target_type="mechanism", target_key=target.key, before=before,
                 after=_fields(row))  # fmt: skip
    title = _("Recorded: {name}, {record}, held.").format(name=target.name, record=record_wording(row, ctx))
    summary = _("It is now part of the meeting's record.")
    if same is not None:
        summary = _("It confirms the date fixed before.")
        if before.get("date") != command.when:
            summary = _("It replaces the date fixed before ({when}).").format(when=ctx.timeline.when(before["date"]))
    return Reply(title=title, summary=summary, sections=[_next_now(ctx, target)], actions=_page_action(target))


def _held_conflict(command: RecordHeld, window: FuzzyDate, rows: list[Occurrence], ctx: Context, target: Target):
    for row in rows:
        if row.held == Held.held and row.date_edtf == command.when:
            return _problem(
                _("{name}: {record} is already recorded as held.").format(
                    name=target.name, record=record_wording(row, ctx)
                ),
                _("To see who recorded it: `/agenda history {key}`.").format(key=target.key),
            )
        if row.not_held and _overlaps(window, row):
            return _problem(
                _("{name} is recorded as {record}: it cannot also have been held {when}.").format(
                    name=target.name, record=record_wording(row, ctx), when=ctx.timeline.when(command.when)
                ),
                _("If that record is wrong, see who made it: `/agenda history {key}`.").format(key=target.key),
            )
    if command.number is None:
        return None
    numbered = [r for r in rows if r.ordinal is not None and r.held != Held.not_held and r.date_edtf != command.when]
    for row in numbered:
        if row.ordinal == command.number:
            return _problem(
                _("The {nth} {name} is already recorded: {record}.").format(
                    nth=nth(command.number), name=target.name, record=record_wording(row, ctx)
                ),
                _("Two meetings cannot have one number; check the number, or the record that holds it."),
            )
        earlier, later = row.ends_on < window.start, row.starts_on > window.end
        if (earlier and row.ordinal > command.number) or (later and row.ordinal < command.number):
            return _problem(
                _("The {nth} cannot be {when}: the {other} was {other_when}.").format(
                    nth=nth(command.number),
                    when=ctx.timeline.when(command.when),
                    other=nth(row.ordinal),
                    other_when=ctx.timeline.when(row.date_edtf),
                ),  # fmt: skip
                _("Numbers go up with the dates; check the number or the date."),
            )
    return None


# -- not held ---------------------------------------------------------------------------------


def record_not_held(command: RecordNotHeld, ctx: Context) -> Reply:
    target = _meeting_to_record(command.target, ctx)
    if isinstance(target, Reply):
        return target
    window = FuzzyDate.parse(command.when)
    mechanism = ctx.session.get(Mechanism, target.id)
    rows = meetings.occurrences_of(session=ctx.session, mechanism_id=target.id)
    for row in rows:
        if not _overlaps(window, row):
            continue
        if row.not_held:
            return _problem(
                _("{name} is already recorded as {record}.").format(name=target.name, record=record_wording(row, ctx)),
                _("To see who recorded it: `/agenda history {key}`.").format(key=target.key),
            )
        if not row.planned_only and not _unconfirmed(row):  # held, or a date fixed and then recorded
            if row.held == Held.held or row.ends_on < ctx.today:
                title = _("{name} is recorded as held: {record}. It cannot also be not held in {when}.")
            else:
                title = _("{name} is recorded as fixed: {record}. It cannot also be not held in {when}.")
            return _problem(
                title.format(name=target.name, record=record_wording(row, ctx), when=ctx.timeline.when(command.when)),
                _("If that record is wrong, see who made it: `/agenda history {key}`.").format(key=target.key),
            )
    # An announcement in that window (seeded: "announced, never confirmed"), or a date fixed in it and
    # never recorded, is what did not take place.
    announced = next((r for r in rows if (r.planned_only or _unconfirmed(r)) and _overlaps(window, r)), None)
    before = _fields(announced)
    replaced = None if announced is None else ("announcement" if announced.planned_only else announced.date_edtf)
    agenda_changed(ctx.session)
    row = meetings.save_record(
        session=ctx.session, row=announced, mechanism_id=target.id, date_edtf=command.when,
        starts_on=window.start, ends_on=window.end, held=Held.not_held, place=None, host=None, ordinal=None,
        reason=command.reason, note=f"recorded by <@{ctx.requester.user_ref}>", origin=Origin.bot,
    )  # fmt: skip
    writes.touch(session=ctx.session, row=mechanism, now=ctx.ports.clock.now())
    audit.record(ctx, action="not_held", target_type="mechanism", target_key=target.key, before=before,
                 after=_fields(row), note=command.reason)  # fmt: skip
    title = _("Recorded: {name}, {record}.").format(name=target.name, record=record_wording(row, ctx))
    summary = _("It is now part of the meeting's record.")
    if replaced is not None:
        summary = _("It replaces the announcement on record.") if replaced == "announcement" else (
            _("It replaces the date fixed before ({when}).").format(when=ctx.timeline.when(replaced)))  # fmt: skip
    return Reply(title=title, summary=summary, sections=[_next_now(ctx, target)], actions=_page_action(target))


# -- after a record ---------------------------------------------------------------------------


def _next_now(ctx: Context, target: Target) -> Section:
    """The next meeting as the records now make it (the request's timeline predates this change)."""
    ctx.session.flush()
    record = repository.load_mechanism(session=ctx.session, mechanism_id=target.id)
    timeline = Timeline([record], ctx.today, ctx.ports.capitals)
    outlook = timeline.outlook(target.id)
    if outlook is None or outlook.next is None:
        return Section(body=_("No cadence is stated, so nothing is projected from this record."))
    body = _("Next: {when}.").format(when=outlook.next.wording)
    if outlook.projection is not None:
        body += f" {outlook.projection.basis}"
    return Section(body=body)


def _page_action(target: Target) -> list[Action]:
    return [Action(ActionKind.run, _("Meeting page"), f"meeting {target.key}")]


# -- I don't know ---------------------------------------------------------------------------------
# `/agenda unknown <meeting> <window>` is what the "I don't know" button of the question whether a
# meeting met sends (scheduling/meeting_asks.py): it changes no record (the meeting stays unknown,
# and is still listed), but says, in the history, who was asked and did not know.


@dataclass(frozen=True)
class NotKnown:
    target: str
    when: str  # EDTF of the window asked about


def parse_unknown(rest: str) -> NotKnown | ParseError | None:
    """Sent by the I don't know button; other words after `unknown` are a lookup."""
    tokens = rest.split()
    found = find_when(tokens)
    if not found or found[0] == 0 or found[1] != len(tokens):
        return None
    return NotKnown(" ".join(tokens[: found[0]]), found[2])


def _was_asked(ctx: Context, target: Target) -> bool:
    """Whom the question whether it met goes to (scheduling/meeting_asks.py): a coordinator, an owner of
    the meeting, or a person or conversation the question was sent to. Anyone else's "I don't know" would
    only write presses into a meeting's history."""
    if at_least(ctx.role, Role.coordinator):
        return True
    owners = repository.owners_of(session=ctx.session, column="mechanism_id", target_id=target.id)
    if not {o.ref for o in owners}.isdisjoint(ctx.identities):
        return True
    prefix = f"record_prompt:{target.key}.{UNRECORDED}:"  # then <window's first day>:<whom it was sent to>
    sent_to = {key.removeprefix(prefix).partition(":")[2] for key in outbox.keys_of_kind(ctx.session, "record_prompt")
               if key.startswith(prefix)}  # fmt: skip
    return not sent_to.isdisjoint({*ctx.identities, ctx.requester.channel_ref})


def not_known(command: NotKnown, ctx: Context) -> Reply:
    target = find_meeting(ctx, command.target)
    if target is None:
        return unknown_meeting(ctx, command.target)
    if not _was_asked(ctx, target):
        return refusal(ctx.session, Role.coordinator, N_("record meetings"), ctx.ports.admins)
    when = ctx.timeline.when(command.when)
    agenda_changed(ctx.session)  # `history` shows it
    # A press of a question's button, as Acknowledge and Snooze are: shown apart in `history`, not a change.
    audit.record(ctx, action="not_known", target_type=audit_log.PRESS, target_key=target.key, before={},
                 after={"asked": command.when})  # fmt: skip
    return Reply(
        title=_("Noted: you don't know whether the {name} met in {when}.").format(name=target.name, when=when),
        summary=_("It stays unknown, and the digest keeps listing it until someone records it."),
        sections=[
            Section(
                body=_(
                    "Whoever knows: `/agenda held {key} <date> in <place>` or `/agenda not held {key} {edtf} <reason>`."
                ).format(key=target.key, edtf=command.when)
            )
        ],  # fmt: skip
        actions=[Action(ActionKind.run, _("Meeting page"), f"meeting {target.key}")],
    )
