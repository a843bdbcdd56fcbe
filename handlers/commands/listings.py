"""help, areas, show, next, mine and owner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from handlers.commands import registry
from handlers.commands.parser import Areas, Help, Mine, Next, OwnedBy, Show
from handlers.domain.context import Context
from handlers.domain.provenance import facts as provenance_facts
from handlers.domain.resolve import TargetKind
from handlers.domain.splits import retired, split_from_fact, step_facts
from handlers.domain.timeline import MechanismOutlook
from handlers.views import i18n, present
from handlers.views.dates import day, fuzzy_wording
from handlers.views.i18n import N_, _, colon, gap, ngettext
from handlers.views.reply import Action, ActionKind, Fact, Item, Reply, Section, Tone
from models import repository
from models.splits import area_progress
from scheduling.fuzzy import FuzzyDate
from scheduling.projection import COUNTRY_NAMES, CadenceRule, cadence_in_force

KIND_WORDS = {  # a commitment's kind, as `show` names it
    "recurring_mechanism": N_("recurring mechanism"),
    "deadline": N_("deadline"),
    "one_time_event": N_("one time event"),
    "ongoing_cooperation": N_("ongoing cooperation"),
    "position": N_("position"),
}


def help_reply(command: Help, _ctx: Context) -> Reply:
    if command.topic and (spec := registry.spec_named(command.topic)) is not None and spec.name != "help":
        return _one_command(spec)
    return Reply(
        title=_("agenda-bot: the Canada–Japan peace and security agenda"),
        summary=_("Look up what Canada and Japan agreed, who owns it and what is next."),
        sections=[
            Section(body=registry.help_text()),
            Section(heading=_("For coordinators and admins"), body=registry.coordinators_help()),
            *_local_keywords(),
        ],
        tone=Tone.notice,
    )


def _one_command(spec: registry.CommandSpec) -> Reply:
    """`help schedule`: that command's lines and its examples, in the reader's words."""
    examples = [registry.in_reader_words(f"/agenda {example}").join("``") for example in _examples_for_reader(spec)]
    return Reply(
        title=_("Help: {command}").format(command=registry.local_keyword(spec.name, i18n.current())),
        summary=_("`/agenda help` lists every command."),
        sections=[
            Section(body=registry.spec_help(spec) or None),
            Section(heading=_("Examples"), body="\n".join(examples[:6])),
        ],
        tone=Tone.notice,
    )


def _examples_for_reader(spec: registry.CommandSpec) -> list[str]:
    """A command's examples as its reader would type them: those written in their language when the spec has
    some (`responsable MDN`), else the English ones, whose command word help then shows in theirs."""
    language = i18n.current()
    own = {word: lang for by in spec.local.values() for lang, words in by.items() for word in registry.said_as(words)}
    typed = [example for example in spec.examples if example]
    theirs = [example for example in typed if own.get(example.split()[0]) == language]
    return theirs or [example for example in typed if example.split()[0] not in own]


def _local_keywords() -> list[Section]:
    """For a French or Japanese reader: the commands' words in their language, each read as the English one."""
    pairs = registry.local_keywords()
    if not pairs:
        return []
    body = _("Each command also reads in your language: {words}.").format(
        words=", ".join(f"`/agenda {local}` (`{english}`)" for local, english in pairs)
    )
    return [Section(heading=_("Commands in your language"), body=body)]


def area_lines(ctx: Context) -> list[str]:
    """One line per area the audience may see: its name and acronyms, how many commitments, how many done."""
    lines = []
    progress = area_progress(session=ctx.session, include_restricted=ctx.sees_everything)
    for area, count in repository.list_areas(session=ctx.session, include_restricted=ctx.sees_everything):
        short = [a for a in area.aliases if a.isupper() and len(a) <= 6][:2]
        name = ctx.names.of(area)
        label = f"{name} ({', '.join(short)})" if short else name
        counted = ngettext("{n} commitment", "{n} commitments", count).format(n=count)
        done, total = progress.get(area.id, (0, 0))
        counted += ", " + _("{done}/{total} done").format(done=done, total=total) if total else ""
        lines.append(colon(label, f"{counted} · `/agenda {typed_area(area.key, name, ctx)}`"))
    return lines


def typed_area(key: str, name: str, ctx: Context) -> str:
    """An area as its reader types it: its name in their language (`lutte contre le terrorisme`, `テロ対策`) where
    that name finds it alone; else, and in English, its key (`counter-terrorism`)."""
    if i18n.current() == i18n.ENGLISH:
        return key
    found = ctx.vocabulary.exact(name, kinds=(TargetKind.area,))
    return name if found is not None and found.key == key else key


DONE_COUNTS = N_("Done/total counts what can be done: every commitment but positions (views both governments state).")


def areas(_command: Areas, ctx: Context) -> Reply:
    return Reply(
        title=_("Areas of the agenda"),
        summary=_("Type an area's name, acronym or any alias after /agenda.") + gap() + _(DONE_COUNTS),
        sections=[Section(body="\n".join(area_lines(ctx)))],
        actions=[Action(ActionKind.share, _("Share in channel"), "areas")],
    )


def show(command: Show, ctx: Context) -> Reply:
    commitment_id = repository.get_commitment_id(session=ctx.session, key=command.id.strip())
    if commitment_id is None or not ctx.visible([commitment_id]):
        # A restricted item the audience may not see does not exist for them.
        return unknown_id(command.id, ctx)
    record = repository.load_commitments(session=ctx.session, ids=[commitment_id])[0]
    c = record.commitment
    details = [
        Fact(_("Document"), f"{record.document.title} ({fuzzy_wording(FuzzyDate.parse(record.document.date_edtf))})"),
        Fact(_("Areas"), ", ".join(ctx.names.of(a) for a in record.areas)),
        Fact(_("Kind"), _(KIND_WORDS.get(c.kind, c.kind.replace("_", " ")))),
    ]
    if i18n.current() != i18n.ENGLISH and not ctx.names.official(c.key):  # the quoted text is the agreed one
        details.insert(0, Fact(_("Agreed text"), _("in English, as the two governments agreed it (authoritative)")))
    if record.document.date_edtf.endswith("?"):
        details.append(Fact(_("Date note"), record.document.date_note))
    if c.dates_stated:
        details.append(Fact(_("Dates as stated"), "; ".join(f"“{d}”" for d in c.dates_stated)))
    if c.organisation_list:
        details.append(Fact(_("Organisations named"), ", ".join(c.organisation_list)))
    if (came_from := split_from_fact(ctx, c.key)) is not None:
        details.append(came_from)
    details += step_facts(c, ctx.timeline.stages.get(c.id, []))
    details += provenance_facts(ctx, record)
    main = ctx.lineage.item(present.item(record, ctx.timeline, full=True), ctx.lineage_shown([c.key]))
    sections = [Section(items=[Item(**{**main.__dict__, "facts": main.facts + details})])]
    if record.mechanism:
        sections.append(mechanism_section(ctx.timeline.outlook(record.mechanism.id), ctx))
    related_ids = ctx.visible(
        [i for key in c.related_keys if (i := repository.get_commitment_id(session=ctx.session, key=key))]
    )
    if related_ids:
        related = repository.load_commitments(session=ctx.session, ids=related_ids)
        sections.append(
            Section(
                heading=_("Related commitments in other documents"),
                items=[present.item(r, ctx.timeline) for r in related],
            )
        )
    return Reply(
        title=colon(c.key, ctx.names.of(c)),
        sections=sections,
        actions=[Action(ActionKind.share, _("Share in channel"), f"show {c.key}")],
    )


def mechanism_section(outlook: MechanismOutlook | None, ctx: Context) -> Section:
    record = outlook.record
    lines = []
    rules = {c.id: CadenceRule(c.rrule, c.stated, c.effective_on) for c in record.cadences}
    current = cadence_in_force(list(rules.values()), ctx.today)
    cited = _citable(ctx, [c.source_commitment_key for c in record.cadences] + [
        o.source_commitment_key for o in record.occurrences
    ])  # fmt: skip
    for cadence in reversed(record.cadences):
        if cadence.source_commitment_key in cited:
            line = _("Cadence “{cadence}” ({rule}), stated in {id}").format(
                cadence=cadence.stated, rule=cadence.rrule, id=cadence.source_commitment_key
            )
        else:
            line = _("Cadence “{cadence}” ({rule})").format(cadence=cadence.stated, rule=cadence.rrule)
        in_force = rules[cadence.id] == current
        lines.append((_("{cadence}: in force.") if in_force else _("{cadence}: superseded.")).format(cadence=line))
    if not record.cadences:
        lines.append(_("No cadence is stated in the documents."))
    if record.occurrences:
        lines.append(_("History:"))
        for occurrence in record.occurrences:
            line = f"• {ctx.timeline.meeting_when(occurrence)}"
            if occurrence.place:
                line += f", {occurrence.place}"
            if occurrence.host:
                country = occurrence.host
                country = _(COUNTRY_NAMES[country]) if country in COUNTRY_NAMES else country
                line += _(" (host {country})").format(country=country)
            if occurrence.not_held:
                line += _(": not held") + (f" ({occurrence.reason})" if occurrence.reason else "")
            elif occurrence.planned_only:
                line += _(": announced; no later source confirms it took place")
            elif occurrence.note:
                line += f": {present.meeting_note(occurrence.note)}"
            if occurrence.source_commitment_key in cited:
                line += f" [{occurrence.source_commitment_key}]"
            lines.append(line)
    else:
        lines.append(_("No meeting is on record."))
    lines.append(_("Next: {when}.").format(when=ctx.timeline.mechanism_next_wording(record.mechanism.id)))
    if outlook.projection:
        lines.append(outlook.projection.basis)
    return Section(heading=_("Mechanism: {name}").format(name=ctx.names.of(record.mechanism)), body="\n".join(lines))


def _citable(ctx: Context, keys: list[str | None]) -> set[str]:
    """Of these commitment ids, those the audience may see named (a restricted source is not cited)."""
    found = {key: repository.get_commitment_id(session=ctx.session, key=key) for key in set(filter(None, keys))}
    ids = {i: key for key, i in found.items() if i is not None}
    return {ids[i] for i in ctx.visible(sorted(ids))}


def unknown_id(wanted: str, ctx: Context) -> Reply:
    """No such id: a retired one says what it became (handlers/domain/splits.py); else the closest ids."""
    if (split := retired(wanted.strip(), ctx)) is not None:
        return split
    rows = repository.commitment_keys(session=ctx.session)
    allowed = set(ctx.visible([commitment_id for commitment_id, _key in rows]))
    keys = [key for commitment_id, key in rows if commitment_id in allowed]
    from rapidfuzz import process  # imported here: only an unknown id needs it (handlers/domain/resolve.py)

    close = [k for k, _s, _i in process.extract(wanted.upper(), keys, limit=3)] if keys else []
    hint = _("Did you mean {ids}?").format(ids=", ".join(f"`{k}`" for k in close)) if close else None
    return Reply(
        title=_("No commitment with the id “{id}”").format(id=wanted),
        summary=_("Ids are the document year, the section letter if any, and the position: `2002-A4`, `1999-12`."),
        sections=[Section(body=hint)] if hint else [],
        actions=[Action(ActionKind.show, k, f"show {k}") for k in close],
        tone=Tone.notice,
    )


NEXT_SHOWN = 10  # items per section: one Slack message stays readable and under its limits
OVERDUE_SHOWN = 5


@dataclass(frozen=True)
class Period:
    """What falls in a period (meetings and commitments), and apart what may."""

    sections: list[Section]
    falling: int  # how many fall in it
    may_fall: int  # how many may fall in it or after it
    first: Item | None  # the soonest of those that fall in it


def period(
    ctx: Context,
    start: date,
    end: date,
    heading: str,
    *,
    meetings: Callable[[int], bool] | None = None,
    commitments: Callable[[int], bool] | None = None,
) -> Period:
    """What falls from start to end, and apart from it what may: a meeting projected to
    "2027" (or a deadline known to a season) is listed in the period only when every
    day it may still fall on lies inside it (``NextDate.falls_within``). ``meetings``
    and ``commitments`` keep only the meetings and commitments they accept (a subject)."""
    # Candidates first, items (with their queries) only for what is shown, so
    # `next` costs about the same on ten thousand commitments as on a hundred.
    coming: list[tuple] = []
    maybe: list[tuple] = []
    outlooks = ctx.timeline.outlooks
    for outlook in (outlooks[m] for m in ctx.visible_meetings(list(outlooks)) if meetings is None or meetings(m)):
        if outlook.next and (inside := outlook.next.falls_within(start, end)) is not None:
            (coming if inside else maybe).append((outlook.next.sort_key, 0, outlook))
    hidden = _due(ctx, start, end, whole=True, into=coming, keep=commitments)
    hidden_maybe = _due(ctx, start, end, whole=False, into=maybe, keep=commitments)
    falling, may_fall = len(coming) + hidden, len(maybe) + hidden_maybe
    sections = []
    first = None
    if coming:
        sections += _listed(heading, coming, hidden, ctx, apart=False)
        first = sections[0].items[0]
    if maybe:
        heading = _("Not yet fixed to a day: may fall in this period or after it")
        sections += _listed(heading, maybe, hidden_maybe, ctx, apart=True)
    return Period(sections, falling, may_fall, first)


def upcoming(command: Next, ctx: Context) -> Reply:
    """What falls in the period, and apart from it what may (see ``period``); overdue items after."""
    today, horizon = ctx.today, command.horizon(ctx.today)
    label = command.label
    found = period(ctx, today, horizon, _("In the next {period}").format(period=label))
    sections = list(found.sections)
    if not found.falling:
        nothing = _("Nothing is due or projected in the next {period}. Try `/agenda next 1 year`.").format(period=label)
        sections.insert(0, Section(body=nothing))
    overdue_ids = ctx.visible(repository.overdue_deadline_ids(session=ctx.session, today=today))
    overdue = [
        present.item(r, ctx.timeline)
        for r in repository.load_commitments(session=ctx.session, ids=overdue_ids[:OVERDUE_SHOWN])
    ]
    if overdue:
        heading = _("Overdue: the deadline passed and no outcome is on record")
        sections.append(Section(heading=heading, items=overdue))
        if len(overdue_ids) > OVERDUE_SHOWN:
            more = len(overdue_ids) - OVERDUE_SHOWN
            sections.append(Section(body=_("…and {n} more overdue: the weekly digest lists them all.").format(n=more)))
    return Reply(
        title=_("What comes next: {start} to {end}").format(start=_plain_day(today), end=_plain_day(horizon)),
        summary=_("Recurring meetings are projected from their cadence and history until a date is fixed."),
        sections=sections,
        actions=[Action(ActionKind.share, _("Share in channel"), f"next {label}")],
    )


def _plain_day(value: date) -> str:
    """'22 Nov 2026' (no weekday), as `next` has always said it; the reader's own wording in French and Japanese."""
    return f"{value:%-d %b %Y}" if i18n.current() == i18n.ENGLISH else day(value)


def _due(ctx: Context, today, horizon, *, whole: bool, into: list[tuple], keep: Callable[[int], bool] | None) -> int:
    """Commitments due in the period (whole) or reaching past it, added to ``into``; returns how many were left out."""
    due = ctx.visible(repository.commitment_ids_due_within(session=ctx.session, start=today, end=horizon, whole=whole))
    due = due if keep is None else [i for i in due if keep(i)]
    for record in repository.load_commitments(session=ctx.session, ids=due[:NEXT_SHOWN]):
        if (nxt := ctx.timeline.next_date(record)) is not None:
            into.append((nxt.sort_key, 1, record))
    return max(0, len(due) - NEXT_SHOWN)


def _listed(heading: str, entries: list[tuple], unloaded: int, ctx: Context, *, apart: bool) -> list[Section]:
    entries.sort(key=lambda entry: (entry[0], entry[1]))
    hidden = len(entries) - min(len(entries), NEXT_SHOWN) + unloaded
    shown = [
        _mechanism_item(thing, ctx, apart=apart) if kind == 0 else _commitment_item(thing, ctx, apart=apart)
        for _key, kind, thing in entries[:NEXT_SHOWN]
    ]
    sections = [Section(heading=heading, items=shown)]
    if hidden > 0:
        sections.append(
            Section(body=_("…and {n} more: ask for a shorter period, or `/agenda <area>`.").format(n=hidden))
        )
    return sections


def _commitment_item(record, ctx: Context, *, apart: bool) -> Item:
    item = present.item(record, ctx.timeline)
    if not apart:
        return item
    nxt = ctx.timeline.next_date(record)
    facts = [Fact(_("Next"), nxt.sometime) if f.label == _("Next") else f for f in item.facts]
    return Item(**{**item.__dict__, "facts": facts})


def _mechanism_item(outlook: MechanismOutlook, ctx: Context, *, apart: bool = False) -> Item:
    record = outlook.record
    when = outlook.next.wording
    if apart:  # "sometime in 2027, date not yet fixed; expected host Japan"
        when = outlook.next.sometime + outlook.next.host_words
    facts = [Fact(_("When"), when)]
    owners = ", ".join(ctx.names.owner(o) for o in record.owners) or _("no owner yet")
    facts.append(Fact(_("Owners"), owners))
    source = None
    if outlook.projection:
        cadence = next(c for c in record.cadences if c.stated == outlook.projection.cadence.stated)
        source = repository.get_commitment_id(session=ctx.session, key=cadence.source_commitment_key)
    cited = repository.load_commitments(session=ctx.session, ids=ctx.visible([source])) if source else []
    citation = present.citation(cited[0].document, cited[0].commitment.section, ctx.names) if cited else None
    text = outlook.projection.basis if outlook.projection else _("Date fixed.")
    return Item(
        id=record.mechanism.key,
        title=ctx.names.of(record.mechanism),
        text=text,
        citation=citation,
        facts=facts,
        action=Action(ActionKind.run, _("Commitments"), record.mechanism.name),
        quoted=False,
    )


def mine(command: Mine, ctx: Context) -> Reply:
    return _owned(
        refs=list(ctx.identities),
        who=None,
        query="mine",
        page=command.page,
        ctx=ctx,
        empty=_(
            "You own nothing on the agenda yet. Until people are assigned, departments own the commitments: "
            "try `/agenda owner GAC` or `/agenda owner DND`."
        ),
    )


def owned_by(command: OwnedBy, ctx: Context) -> Reply:
    if command.is_user:
        return _owned(
            refs=[command.who],
            who=f"<@{command.who}>",
            query=f"owner <@{command.who}>",
            page=command.page,
            ctx=ctx,
            empty=_("They own nothing on the agenda yet."),
        )
    target = ctx.vocabulary.exact(command.who, kinds=(TargetKind.department,)) or ctx.vocabulary.fuzzy(
        command.who, kinds=(TargetKind.department,)
    )
    if target is None:
        departments = repository.list_departments(session=ctx.session)
        listing = "\n".join(
            ctx.names.of(d) + (f" ({', '.join(d.aliases[:2])})" if d.aliases else "") for d in departments
        )
        return Reply(
            title=_("No person or department called “{name}”").format(name=command.who),
            summary=_("Mention a person (`/agenda owner @maria`) or name a department:"),
            sections=[Section(body=listing)],
            tone=Tone.notice,
        )
    return _owned(
        refs=[target.key],
        who=target.name,
        query=f"owner {command.who}",
        page=command.page,
        ctx=ctx,
        empty=_("{name} owns nothing on the agenda.").format(name=target.name),
    )


def _owned(*, refs: list[str], who: str | None, query: str, page: int, ctx: Context, empty: str) -> Reply:
    """``who``: whose (None: the asker's own)."""
    ids = ctx.visible(repository.commitment_ids_owned_by(session=ctx.session, refs=refs))
    if not ids:
        title = _("Nothing owned by you") if who is None else _("Nothing owned by {who}").format(who=who)
        return Reply(title=title, summary=empty, tone=Tone.notice)
    if who is None:
        title = ngettext("Owned by you: {n} commitment", "Owned by you: {n} commitments", len(ids))
    else:
        title = ngettext("Owned by {who}: {n} commitment", "Owned by {who}: {n} commitments", len(ids))
    return ctx.paged(
        title=title.format(who=who, n=len(ids)),
        summary=_("Directly, or through the meetings they run; newest document first."),
        ids=ids,
        query=query,
        page=page,
    )
