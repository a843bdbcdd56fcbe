"""After a meeting, and who attends one: `/agenda outcome`, `/agenda action`, `/agenda delegation`.

- **Outcomes** (the record of discussion): `/agenda outcome pol-mil 2002-A4 "agreed to exchange drafts"`
  records what was said of one agenda item at the meeting's last meeting held; a later outcome for the
  same item and meeting replaces it. The meeting's page shows them under its last meeting, the briefing
  of the next one too.
- **Follow-up actions**: `/agenda action pol-mil "exchange lists of PKO trainers" owner @maria due 1 Mar 2027`
  adds a commitment of its own (a deadline, ids `<year of the meeting>-M<n>`: `2026-M1`), whose source
  cites the meeting held (its name, number, day and place). Being a commitment, it is reminded and
  escalated as any deadline (scheduling/reminders.py), shown by `show`, found by lookups and listed in the
  digest; it is as restricted as its meeting (or `restricted` when asked).
- **Delegations**: `/agenda delegation pol-mil Canada @maria "Global Affairs Canada"` names who attends
  for one side (people, departments of the catalogue, or other bodies as typed) of the next meeting
  fixed, or of the last one held when none is fixed; `… Canada remove @maria` takes one off.

Coordinators (and admins) change these; every change is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from handlers.commands import terms
from handlers.commands.held import find_meeting, ordinal, unknown_meeting
from handlers.commands.listings import unknown_id
from handlers.commands.parser import _COMMITMENT_ID, MENTION, ParseError
from handlers.domain import audience, audit
from handlers.domain.context import Context
from handlers.domain.permissions import at_least, refusal
from handlers.domain.resolve import Target, TargetKind
from handlers.domain.timeline import MechanismOutlook, is_upcoming
from handlers.domain.when import WhenError, find_when
from handlers.views import i18n
from handlers.views.i18n import N_, _, and_list, colon, ngettext
from handlers.views.reply import Action, ActionKind, Reply, Section, Tone
from models import meetings, repository, writes
from models.revision import agenda_changed
from models.tables import (
    Commitment,
    CommitmentArea,
    Delegate,
    Document,
    Held,
    Kind,
    Mechanism,
    MeetingAction,
    MeetingOutcome,
    Occurrence,
    Origin,
    Owner,
    OwnerKind,
    Role,
    Sensitivity,
)
from scheduling.fuzzy import FuzzyDate
from scheduling.projection import COUNTRY_NAMES

FOLLOW_UPS_DOCUMENT = "meeting-follow-ups"
FOLLOW_UPS_SHORT_TITLE = N_("Meeting follow-ups")  # its short title; French and Japanese: the catalogue's
MAX_TEXT = 1000
_QUOTED = re.compile(r"[\"“”«»「]\s*(.+?)\s*[\"“”«»」]")
_JAPANESE_SIDE = re.compile(r"(カナダ|日本)側?")
_SEPARATORS = re.compile(r"\s*(?:,|、|;|\band\b)\s*", re.IGNORECASE)
SIDES = ("CA", "JP")
# What a refusal says people cannot do (the refusal translates them).
_DOING_OUTCOMES = N_("record outcomes of meetings")
_DOING_ACTIONS = N_("add follow-up actions")
_DOING_DELEGATIONS = N_("name delegations")


@dataclass(frozen=True)
class RecordOutcome:
    target: str
    id: str
    text: str


@dataclass(frozen=True)
class AddAction:
    target: str
    text: str
    users: tuple[str, ...] = ()
    departments: str = ""  # other owners, as typed (departments)
    due: str | None = None  # EDTF
    restricted: bool = False


@dataclass(frozen=True)
class SetDelegation:
    target: str
    country: str  # CA or JP
    users: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()  # departments or other bodies, as typed
    remove: bool = False


# -- words --------------------------------------------------------------------------------


def outcome_usage() -> str:
    return _('For example `/agenda outcome pol-mil 2002-A4 "agreed to exchange drafts"`: a meeting, an item '
             "discussed at its last meeting, and what was said or agreed.")  # fmt: skip


def action_usage() -> str:
    return _('For example `/agenda action pol-mil "exchange lists of PKO trainers" owner @maria due 1 Mar 2027`: '
             "a meeting, the action in quotes, then `owner` (people or departments) and `due` (a date).")  # fmt: skip


def delegation_usage() -> str:
    return _('For example `/agenda delegation pol-mil Canada @maria "Global Affairs Canada"`: a meeting, the '
             "side (Canada or Japan), then people (@mentions) and departments; `remove` before them takes them "
             "off.")  # fmt: skip


def parse_outcome(rest: str) -> RecordOutcome | ParseError | None:
    """`outcome <meeting> <id> <text>`; other words after `outcome` (no id among them) are a lookup."""
    tokens = rest.split()
    at = next((i for i, t in enumerate(tokens) if _COMMITMENT_ID.match(t)), None)
    if at is None:
        return None
    if at == 0:
        return ParseError(_("`outcome` needs a meeting, a commitment id and what was said."), outcome_usage())
    text = _unquote(" ".join(tokens[at + 1 :]))
    if not text:
        return ParseError(_("`outcome` needs the outcome itself, after the id."), outcome_usage())
    if len(text) > MAX_TEXT:
        return ParseError(_("An outcome is at most {n} characters.").format(n=MAX_TEXT), outcome_usage())
    return RecordOutcome(" ".join(tokens[:at]), tokens[at], text)


def parse_action(rest: str) -> AddAction | ParseError | None:
    """`action <meeting> "<text>" owner … due …`; with no quotes, the words are a lookup ("action agenda")."""
    quoted = _QUOTED.search(rest)
    if quoted is None:
        return None
    target, text = rest[: quoted.start()].strip(), quoted.group(1).strip()
    # `」担当防衛省期限2027年3月1日まで`: no spaces in Japanese; the words after the action are read word by word
    tail = terms.japanese_spaced(rest[quoted.end() :], "owner", "due", "restricted", anywhere=True).split()
    if not target or not text:
        return ParseError(_("`action` needs a meeting and the action in quotes."), action_usage())
    if len(text) > MAX_TEXT:
        return ParseError(_("An action is at most {n} characters.").format(n=MAX_TEXT), action_usage())
    users: list[str] = []
    departments: list[str] = []
    due, restricted = None, False
    i = 0
    while i < len(tail):
        word = terms.term_of(tail[i], "owner", "due", "restricted")  # responsable, échéance, restreint; 担当…
        if word == "owner" and i + 1 < len(tail):
            stop = next((j for j in range(i + 1, len(tail)) if terms.term_of(tail[j], "due", "restricted")), len(tail))
            owners = " ".join(tail[i + 1 : stop])
            users += MENTION.findall(owners)
            departments += [d for d in _SEPARATORS.split(MENTION.sub(" ", owners)) if d.strip()]
            i = stop
        elif word == "due" and i + 1 < len(tail):
            stop = next((j for j in range(i + 1, len(tail)) if terms.term_of(tail[j], "owner", "restricted")),
                        len(tail))  # fmt: skip
            words = tail[i + 1 : stop]
            try:
                found = find_when(words)
            except WhenError as exc:
                return ParseError(exc.worded(), action_usage())
            if not found or found[0] != 0 or found[1] != len(words):
                return ParseError(
                    _("I can't read the due date “{words}”: write it as 1 Mar 2027, Mar 2027 or 2027.").format(
                        words=" ".join(words)
                    ),
                    action_usage(),
                )
            due, i = found[2], stop
        elif word == "restricted":
            restricted, i = True, i + 1
        else:
            return ParseError(_("I don't understand “{words}” after the action.").format(words=" ".join(tail[i:])),
                              action_usage())  # fmt: skip
    if due is None:
        return ParseError(_("An action needs a due date: `due 1 Mar 2027`."), action_usage())
    return AddAction(target, text, tuple(dict.fromkeys(users)), "; ".join(d.strip() for d in departments), due,
                     restricted)  # fmt: skip


def parse_delegation(rest: str) -> SetDelegation | ParseError | None:
    """`delegation <meeting> <side> …`; with no side named, the words are a lookup."""
    # `政治・軍事対話日本側削除外務省`: no spaces in Japanese. Only the first side is split out, as a department
    # named after it (日本国大使館) keeps its name; `削除` right after it is split from what it starts.
    tokens = terms.japanese_spaced(_JAPANESE_SIDE.sub(r" \1 ", rest, count=1), "remove").split()
    at = next((i for i, t in enumerate(tokens) if terms.country(t)), None)  # Canada, Japon, 日本
    if at is None:
        return None
    if at == 0:
        return ParseError(_("`delegation` needs a meeting and a side: Canada or Japan."), delegation_usage())
    country = terms.country(tokens[at])
    first, _sep, rest = " ".join(tokens[at + 1 :]).partition(" ")
    remove = bool(rest) and terms.means(first, "remove")  # retirer, 削除
    tail = rest if remove else " ".join(tokens[at + 1 :])
    users = tuple(dict.fromkeys(MENTION.findall(tail)))
    tail = MENTION.sub(" ", tail)
    bodies = [m.strip() for m in _QUOTED.findall(tail)]
    tail = _QUOTED.sub(" ", tail)
    bodies += [b.strip() for b in _SEPARATORS.split(tail) if b.strip()]
    if not users and not bodies:
        return ParseError(_("`delegation` needs people (@mentions) or departments after the side."),
                          delegation_usage())  # fmt: skip
    return SetDelegation(" ".join(tokens[:at]), country, users, tuple(dict.fromkeys(bodies)), remove)


def _unquote(text: str) -> str:
    text = text.strip()
    found = _QUOTED.fullmatch(text)
    return " ".join((found.group(1) if found else text).split())


# -- which meeting ----------------------------------------------------------------------------


def last_held(occurrences: list[Occurrence], today: date) -> Occurrence | None:
    """The last meeting known to have been held: recorded held, or seeded history (not an announcement,
    nor a day fixed through the bot that nobody has recorded as held)."""
    held = [
        o
        for o in occurrences
        if o.held == Held.held
        or (o.held is None and not o.planned_only and o.ends_on < today and not _fixed_unrecorded(o))
    ]
    return held[-1] if held else None


def _fixed_unrecorded(o: Occurrence) -> bool:
    return o.origin == Origin.bot and o.note.startswith("fixed by")


def delegation_occurrence(occurrences: list[Occurrence], today: date) -> Occurrence | None:
    """The meeting a delegation is for: the next one fixed, else the last one held."""
    upcoming = next((o for o in occurrences if is_upcoming(o, today)), None)
    return upcoming or last_held(occurrences, today)


def meeting_label(row: Occurrence, ctx: Context) -> str:
    """'the 13th, Tue 8 Dec 2026 in Tokyo' in the reader's language."""
    when = ctx.timeline.when(row.date_edtf)
    if row.ordinal and row.place:
        return _("the {nth}, {when} in {place}").format(nth=_ordinal(row.ordinal), when=when, place=row.place)
    if row.ordinal:
        return _("the {nth}, {when}").format(nth=_ordinal(row.ordinal), when=when)
    if row.place:
        return _("{when} in {place}").format(when=when, place=row.place)
    return when


def _ordinal(n: int) -> str:
    """A meeting's number in the reader's language: 13th; 13e (1re: une réunion); 13 (第13回 around it)."""
    language = i18n.current()
    if language == "fr":
        return "1re" if n == 1 else f"{n}e"
    return str(n) if language == "ja" else ordinal(n)


def _source(mechanism: Mechanism, row: Occurrence) -> str:
    """The action's source as stored (the agenda's own language, English, as the documents' sections are)."""
    day = FuzzyDate.parse(row.date_edtf)
    when = f"{day.start.day} {day.start:%b %Y}" if day.start == day.end else row.date_edtf
    words = f"Follow-up of the {mechanism.name}"
    words += f", the {ordinal(row.ordinal)}" if row.ordinal else ""
    words += f", held {when}"
    words += f" in {row.place}" if row.place else ""
    return words


def _last_meeting_held(ctx: Context, words: str, doing: str) -> tuple[Target, Occurrence] | Reply:
    """The meeting a coordinator names and its last occurrence held: what outcomes and actions follow up."""
    target = _coordinator_meeting(ctx, words, doing)
    if isinstance(target, Reply):
        return target
    held = last_held(ctx.timeline.outlook(target.id).record.occurrences, ctx.today)
    return _not_held_yet(ctx, target) if held is None else (target, held)


def _coordinator_meeting(ctx: Context, words: str, doing: str) -> Target | Reply:
    if not at_least(ctx.role, Role.coordinator):
        return refusal(ctx.session, Role.coordinator, doing, ctx.ports.admins)
    target = find_meeting(ctx, words)
    return unknown_meeting(ctx, words) if target is None else target


def _not_held_yet(ctx: Context, target: Target) -> Reply:
    return Reply(
        title=_("No {name} is on record as held yet.").format(name=target.name),
        summary=_("Nothing was changed."),
        sections=[
            Section(
                body=_(
                    "Outcomes and actions belong to a meeting held: record it first, "
                    "`/agenda held {key} <date> in <place>`."
                ).format(key=target.key)  # fmt: skip
            )
        ],
        tone=Tone.notice,
    )


def _problem(title: str, hint: str) -> Reply:
    return Reply(title=title, summary=_("Nothing was changed."), sections=[Section(body=hint)], tone=Tone.notice)


# -- outcome -----------------------------------------------------------------------------------


def record_outcome(command: RecordOutcome, ctx: Context) -> Reply:
    found = _last_meeting_held(ctx, command.target, _DOING_OUTCOMES)
    if isinstance(found, Reply):
        return found
    target, held = found
    commitment_id = repository.get_commitment_id(session=ctx.session, key=command.id)
    if commitment_id is None or not ctx.visible([commitment_id]):
        return unknown_id(command.id, ctx)
    key = ctx.session.get(Commitment, commitment_id).key
    mechanism = ctx.session.get(Mechanism, target.id)
    existing = meetings.outcomes_of(session=ctx.session, occurrence_id=held.id).get(commitment_id)
    if existing is not None and existing.text == command.text:
        return Reply(title=_("Nothing to change: that outcome is already on record."), summary=command.text,
                     tone=Tone.notice)  # fmt: skip
    field = f"outcome {key}"  # one field per item: the digest names it, `history` shows before and after
    before = {field: existing.text} if existing else {}
    agenda_changed(ctx.session)
    now = ctx.ports.clock.now()
    row = existing or MeetingOutcome(occurrence_id=held.id, commitment_id=commitment_id, text="", recorded_by="",
                                     recorded_at=now)  # fmt: skip
    row.text, row.recorded_by, row.recorded_at = command.text, ctx.requester.user_ref, now
    writes.save(session=ctx.session, row=row, flush=True)
    writes.touch(session=ctx.session, row=mechanism, now=now)
    audit.record(ctx, action="outcome", target_type="mechanism", target_key=target.key, before=before,
                 after={field: command.text}, note=f"meeting {held.date_edtf}")  # fmt: skip
    label = meeting_label(held, ctx)
    return Reply(
        title=_("Outcome recorded for {id} at the {name} ({meeting}).").format(
            id=key, name=target.name, meeting=label
        ),  # fmt: skip
        summary=(
            _("It replaces: “{text}”.").format(text=existing_text)
            if (existing_text := before.get(field))
            else _("It is part of the meeting's record of discussion.")
        ),  # fmt: skip
        sections=[Section(body=colon(key, command.text))],
        actions=[Action(ActionKind.run, _("Meeting page"), f"meeting {target.key}")],
    )


# -- action ------------------------------------------------------------------------------------


def add_action(command: AddAction, ctx: Context) -> Reply:
    found = _last_meeting_held(ctx, command.target, _DOING_ACTIONS)
    if isinstance(found, Reply):
        return found
    target, held = found
    due = FuzzyDate.parse(command.due)
    if due.end < ctx.today:
        return _problem(
            _("{when} has passed: a follow-up action is due on a day to come.").format(
                when=ctx.timeline.when(command.due)
            ),
            action_usage(),
        )
    departments, unknown = _departments(command.departments, ctx)
    if unknown:
        names = ", ".join(ctx.names.of(d) for d in repository.list_departments(session=ctx.session))
        return _problem(
            _("I don't know the owner {names}: mention people (@ and pick the person) or name a department.").format(
                names=", ".join(f"“{u}”" for u in unknown)
            ),
            _("Departments: {names}.").format(names=names),
        )
    mechanism = ctx.session.get(Mechanism, target.id)
    restricted = command.restricted or bool(audience.restricted_meetings(ctx.session, [target.id]))
    agenda_changed(ctx.session)
    now = ctx.ports.clock.now()
    document = _follow_ups_document(ctx)
    year = held.starts_on.year
    taken = repository.commitment_keys_starting(session=ctx.session, prefix=f"{year}-M")
    number = next(n for n in range(1, len(taken) + 2) if f"{year}-M{n}" not in taken)
    source = _source(mechanism, held)
    title = command.text[0].upper() + command.text[1:]
    row = Commitment(
        key=f"{year}-M{number}",
        position=10_000 * (year - 1900) + number,  # stable order within the follow-ups' document
        document_id=document.id,
        section=source,
        title=title if len(title) <= 120 else title[:119].rstrip() + "…",
        text=command.text,
        kind=Kind.deadline,
        due_edtf=command.due,
        due_start=due.start,
        due_end=due.end,
        dates_stated=[command.due],
        source_note=source,
        sensitivity=Sensitivity.restricted if restricted else Sensitivity.public,
        # Not in any seed file: set in the bot, so the seed loader keeps it (seeds/loader.py).
        status_origin=Origin.bot,
        owners_origin=Origin.bot,
        content_origin=Origin.bot,
        updated_at=now,
    )
    writes.save(session=ctx.session, row=row, flush=True)
    if mechanism.area_keys:
        area = next((a for a, _n in repository.list_areas(session=ctx.session, include_restricted=True)
                     if a.key == mechanism.area_keys[0]), None)  # fmt: skip
        if area is not None:
            writes.save(session=ctx.session, row=CommitmentArea(commitment_id=row.id, area_id=area.id, is_primary=True))
    people = [Owner(commitment_id=row.id, kind=OwnerKind.user, ref=ref, display_name=f"<@{ref}>", origin=Origin.bot)
              for ref in command.users]  # fmt: skip
    offices = [Owner(commitment_id=row.id, kind=OwnerKind.department, ref=d.key, display_name=d.name, origin=Origin.bot)
               for d in departments]  # fmt: skip
    writes.save_all(session=ctx.session, rows=people + offices)
    writes.save(session=ctx.session, row=MeetingAction(occurrence_id=held.id, commitment_id=row.id), flush=True)
    writes.touch(session=ctx.session, row=mechanism, now=now)
    owners = [f"<@{ref}>" for ref in command.users] + [d.name for d in departments]
    after = {"title": row.title, "due": command.due, "owners": owners, "source": source,
             "sensitivity": str(row.sensitivity), "meeting": target.key}  # fmt: skip
    audit.record(ctx, action="add", target_type="commitment", target_key=row.key, before={}, after=after)
    audit.record(ctx, action="action", target_type="mechanism", target_key=target.key, before={},
                 after={"follow-up action": row.key}, note=f"meeting {held.date_edtf}")  # fmt: skip
    summary = _("Due {when}; owners: {owners}. Reminded and escalated as any deadline.").format(
        when=ctx.timeline.when(command.due), owners=", ".join(owners) or _("nobody yet")
    )
    return Reply(
        title=_("Follow-up action {id} added for the {name} ({meeting}): {text}").format(
            id=row.key, name=target.name, meeting=meeting_label(held, ctx), text=command.text
        ),
        summary=summary,
        actions=[
            Action(ActionKind.run, _("Show"), f"show {row.key}"),
            Action(ActionKind.run, _("Meeting page"), f"meeting {target.key}"),
        ],
    )


def _follow_ups_document(ctx: Context) -> Document:
    return writes.document_for_the_bot(
        session=ctx.session,
        key=FOLLOW_UPS_DOCUMENT,
        title="Follow-up actions agreed at meetings",
        short_title=FOLLOW_UPS_SHORT_TITLE,
        short_titles=i18n.in_other_languages(FOLLOW_UPS_SHORT_TITLE),
        note="Actions recorded by coordinators after meetings; each cites the meeting it came from.",
        year=ctx.ports.clock.now().year,
    )


def _departments(text: str, ctx: Context) -> tuple[list[Target], list[str]]:
    found, unknown = [], []
    for name in (n.strip() for n in _SEPARATORS.split(text) if n.strip()):
        target = ctx.vocabulary.exact(name, kinds=(TargetKind.department,)) or ctx.vocabulary.fuzzy(
            name, kinds=(TargetKind.department,)
        )
        (found.append(target) if target else unknown.append(name))
    return found, unknown


# -- delegation -----------------------------------------------------------------------------------


def set_delegation(command: SetDelegation, ctx: Context) -> Reply:
    target = _coordinator_meeting(ctx, command.target, _DOING_DELEGATIONS)
    if isinstance(target, Reply):
        return target
    outlook = ctx.timeline.outlook(target.id)
    row = delegation_occurrence(outlook.record.occurrences, ctx.today)
    if row is None:
        return _problem(
            _("The {name} has no meeting fixed or held to name a delegation for.").format(name=target.name),
            _("Fix its date first: `/agenda schedule {key} <date> in <place>`.").format(key=target.key),
        )
    mechanism = ctx.session.get(Mechanism, target.id)
    current = meetings.delegates_of(session=ctx.session, occurrence_id=row.id)
    side = [d for d in current if d.country == command.country]
    wanted = [(OwnerKind.user.value, ref, f"<@{ref}>") for ref in command.users]
    for body in command.bodies:
        department = ctx.vocabulary.exact(body, kinds=(TargetKind.department,))
        wanted.append(("department", department.key, department.name) if department else ("name", body, body))
    before = [d.display_name for d in side]
    now = ctx.ports.clock.now()
    if command.remove:
        gone = [d for d in side if (d.kind, d.ref) in {(k, r) for k, r, _n in wanted}
                or d.display_name.casefold() in {n.casefold() for _k, _r, n in wanted}]  # fmt: skip
        for d in gone:
            agenda_changed(ctx.session)
            writes.remove(session=ctx.session, row=d, flush=True)
    else:
        have = {(d.kind, d.ref) for d in side}
        for kind, ref, name in wanted:
            if (kind, ref) not in have:
                agenda_changed(ctx.session)
                writes.save(session=ctx.session, flush=True, row=Delegate(
                    occurrence_id=row.id, country=command.country, kind=kind, ref=ref, display_name=name,
                    added_by=ctx.requester.user_ref, added_at=now))  # fmt: skip
                have.add((kind, ref))
    after = [d.display_name for d in meetings.delegates_of(session=ctx.session, occurrence_id=row.id)
             if d.country == command.country]  # fmt: skip
    country = _(COUNTRY_NAMES.get(command.country, command.country))
    if after == before:
        return Reply(title=_("Nothing to change: the delegation is already as asked."),
                     summary=_named(country, after), tone=Tone.notice)  # fmt: skip
    writes.touch(session=ctx.session, row=mechanism, now=now)
    audit.record(ctx, action="delegation", target_type="mechanism", target_key=target.key,
                 before={f"delegation {command.country}": before}, after={f"delegation {command.country}": after},
                 note=f"meeting {row.date_edtf}")  # fmt: skip
    return Reply(
        title=_("{country}'s delegation to the {name} ({meeting}): {people}").format(
            country=country, name=target.name, meeting=meeting_label(row, ctx), people=", ".join(after) or _("nobody")
        ),
        summary=_("Before: {people}.").format(people=", ".join(before) or _("nobody")),
        actions=[Action(ActionKind.run, _("Meeting page"), f"meeting {target.key}")],
    )


# -- on the meeting's page and in the briefing ------------------------------------------------------


def _named(country: str, names: list[str]) -> str:
    """'Canada: <@slack:UMARIA>, Global Affairs Canada', or 'Japan: nobody named yet'."""
    return colon(country, and_list(names)) if names else _("{country}: nobody named yet").format(country=country)


def delegation_section(ctx: Context, outlook: MechanismOutlook) -> Section | None:
    row = delegation_occurrence(outlook.record.occurrences, ctx.today)
    if row is None:
        return None
    delegates = meetings.delegates_of(session=ctx.session, occurrence_id=row.id)
    if not delegates:
        return None
    lines = []
    for side in SIDES:
        names = [d.display_name for d in delegates if d.country == side]
        lines.append("• " + _named(_(COUNTRY_NAMES.get(side, side)), names))
    return Section(heading=_("Delegations ({meeting})").format(meeting=meeting_label(row, ctx)),
                   body="\n".join(lines))  # fmt: skip


def record_sections(ctx: Context, outlook: MechanismOutlook) -> list[Section]:
    """The last meeting's record of discussion and its follow-up actions (as the audience may see them)."""
    held = last_held(outlook.record.occurrences, ctx.today)
    if held is None:
        return []
    sections = []
    outcomes = meetings.outcomes_of(session=ctx.session, occurrence_id=held.id)
    if outcomes:
        shown = ctx.visible(list(outcomes))
        keys = {r.commitment.id: r.commitment for r in repository.load_commitments(session=ctx.session, ids=shown)}
        lines = [f"• {keys[i].key} {ctx.names.of(keys[i]).rstrip('.')}: {outcomes[i].text}" for i in shown if i in keys]
        if hidden := len(outcomes) - len(shown):
            lines.append("• " + ngettext("{n} restricted item, not shown here.",
                                         "{n} restricted items, not shown here.", hidden).format(n=hidden))  # fmt: skip
        sections.append(Section(heading=_("Record of discussion ({meeting})").format(meeting=meeting_label(held, ctx)),
                                body="\n".join(lines)))  # fmt: skip
    actions = meetings.actions_of(session=ctx.session, occurrence_ids=[held.id])[held.id]
    if actions:
        shown = ctx.visible(actions)
        hidden = len(actions) - len(shown)
        body = ngettext("{n} restricted action, not shown here.", "{n} restricted actions, not shown here.",
                        hidden).format(n=hidden) if hidden else None  # fmt: skip
        sections.append(Section(heading=_("Follow-up actions ({meeting})").format(meeting=meeting_label(held, ctx)),
                                body=body, items=ctx.items(shown)))  # fmt: skip
    return sections
