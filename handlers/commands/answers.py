"""Answers to questions (handlers/commands/questions.py): the fact first, cited, then the items.

Each answer is one sentence with what was asked (who owns it, when it meets
next, where it stands, what was agreed, what falls in a period, what changed)
as the title, its source in the summary, and the commitments it rests on
below, as every list shows them. Only what the audience may see counts:
subjects come from ``find_subject`` (already filtered), every other id goes
through ``ctx.visible`` / ``ctx.visible_meetings``. When the words name
nothing, the answer says so.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from rapidfuzz import fuzz, process

from handlers.commands.instructions import instruction
from handlers.commands.listings import DONE_COUNTS, area_lines, mechanism_section, owned_by, period
from handlers.commands.lookup import Subject, department_named, find_subject, lookup
from handlers.commands.meeting_page import MeetingPage, meeting_page
from handlers.commands.parser import DEFAULT_NEXT_DAYS, MAX_NEXT, Lookup, OwnedBy
from handlers.commands.questions import OPEN, Intent, Question, SinceError, fold, recognise, since_date
from handlers.domain.audit import ACTION_WORDS, describe
from handlers.domain.context import Context
from handlers.domain.resolve import TargetKind
from handlers.domain.timeline import STAGE_WORDS, STATUS_WORDS
from handlers.views import i18n, present
from handlers.views.dates import day, fuzzy_wording
from handlers.views.dates import month as month_words
from handlers.views.i18n import N_, _, colon, gap, ngettext
from handlers.views.names import EMPTY, NameBook
from handlers.views.reply import Action, ActionKind, Reply, Section, Tone
from models import meetings, repository
from models.repository import CommitmentRecord
from models.splits import split_of
from models.tables import CLOSED, Document, OwnerKind, Stage, Status
from scheduling.fuzzy import FuzzyDate
from scheduling.projection import COUNTRY_NAMES, CadenceRule, cadence_in_force

SUMMED_AT_MOST = 500  # commitments read to count owners or statuses; an area holds a few dozen
CHANGES_SHOWN = 40
DOCUMENT_MATCH = 70.0  # rapidfuzz token_set_ratio: "2002 proposals" names the 2002 Proposals for Collaboration


def answer_question(question: Question, ctx: Context) -> Reply:
    if question.unfinished and question.intent == Intent.last:  # "when did we last meet": each meeting's last
        return _latest_meetings(question, ctx)
    if question.unfinished:
        return _how_to_ask(question)
    return _ANSWERS[question.intent](question, ctx)


# What to add to a question asked about nothing ("who owns"): a title, and examples that work.
_HOW_TO_ASK = {
    Intent.owner: (
        N_("Who owns what?"),
        N_(
            "Name an area, a meeting, a commitment or a topic, for example `/agenda who owns the symposium` "
            "or `/agenda who owns 2002-A4`."
        ),
    ),
    Intent.next: (
        N_("When is the next what?"),
        N_(
            "Name a meeting, an area or a commitment, for example `/agenda when is the next Pol-Mil`; "
            "`/agenda next 30 days` lists everything ahead."
        ),
    ),
    Intent.status: (
        N_("The status of what?"),
        N_("Name an area, a meeting or a commitment, for example `/agenda what is the status of the MLAT`."),
    ),
    Intent.about: (
        N_("Anything on what?"),
        N_("Name an area, a meeting or a topic, for example `/agenda is there anything on North Korea`."),
    ),
    Intent.owned_by: (
        N_("Owned by whom?"),
        N_("Name a person or a department, for example `/agenda what does DND own` or `/agenda owner @maria`."),
    ),
    Intent.agreed: (
        N_("Agreed on what?"),
        N_("Name a topic, a year or a document, for example `/agenda what did we agree on Afghanistan in 2005`."),
    ),
}


def _how_to_ask(question: Question) -> Reply:
    title, how = _HOW_TO_ASK[question.intent]
    return Reply(
        title=_(title),
        summary=_(how),
        sections=[Section(body=_("`/agenda areas` lists every area; `/agenda help` shows what I can answer."))],
        tone=Tone.notice,
    )


# -- who owns X, when is the next X, where does X stand ----------------------------------------------


@dataclasses.dataclass(frozen=True)
class _About:
    """A subject as a question names it: its name in a sentence, and what cites it."""

    subject: Subject
    name: str  # "the Canada-Japan Peace and Security Symposium", "Counter-terrorism", "2002-A4"
    records: list[CommitmentRecord]  # its commitments (the first SUMMED_AT_MOST), best first
    names: NameBook = EMPTY  # names and titles in the reader's language

    @property
    def cite(self) -> str:
        return _cite(self.records[0], self.names) if self.records else ""

    @property
    def mechanism_id(self) -> int | None:
        target = self.subject.target
        return target.id if target is not None and target.kind == TargetKind.mechanism else None


def _about(question: Question, ctx: Context) -> _About | None:
    """What the question's words name, as the asker may see it; None when nothing."""
    key = repository.get_commitment_id(session=ctx.session, key=question.words)
    split = split_of(session=ctx.session, key=question.words) if key is None else None
    if key is not None:
        subject = Subject(question.words, ids=ctx.visible([key]))
    elif split is not None:  # a retired id ("status of 2005-D1"): the commitments it was split into
        parts = [repository.get_commitment_id(session=ctx.session, key=k) for k in split.successor_keys]
        subject = Subject(question.words, ids=ctx.visible([i for i in parts if i is not None]))
    else:
        subject = find_subject(question.words, ctx, meeting=question.intent in (Intent.next, Intent.last,
                                                                                Intent.follow_ups))
    if not subject.found:
        return None
    records = repository.load_commitments(session=ctx.session, ids=subject.ids[:SUMMED_AT_MOST])
    if subject.named:  # "CTBT": the thing named, not its whole area
        name = subject.named
    elif subject.target is not None:
        article = "the " if subject.target.kind == TargetKind.mechanism and i18n.current() == i18n.ENGLISH else ""
        name = article + subject.target.name
    elif split is not None:
        name = _("{id} (split into {ids})").format(id=split.key, ids=", ".join(r.commitment.key for r in records))
    elif len(records) == 1:
        name = f"{records[0].commitment.key} “{ctx.names.of(records[0].commitment)}”"
    else:
        name = _("“{words}”").format(words=question.words)
    return _About(subject, name, records, ctx.names)


def _cite(record: CommitmentRecord, names: NameBook) -> str:
    return _("{document}, {id}").format(document=names.of(record.document), id=record.commitment.key)


def _nothing(question: Question, ctx: Context, what: str) -> Reply:
    hint = _("`/agenda areas` lists every area; `/agenda documents` the source documents.")
    if question.intent == Intent.next:  # "next fortnight"-like words that are no period: what is coming
        hint += gap() + _("`/agenda next 30 days` lists the meetings and deadlines ahead.")
    return Reply(
        title=_("Nothing in the agenda on “{words}”").format(words=question.words),
        summary=_(
            "No area, meeting or agreed text I may show here is about those words, so I can't say {what}."
        ).format(what=_(what)),
        sections=[Section(body=hint)],
        tone=Tone.notice,
    )


def _with_items(question: Question, ctx: Context, title: str, summary: str, ids: list[int], **kwargs) -> Reply:
    """The sentence, then the commitments it rests on, a page at a time (More runs the question again)."""
    return ctx.paged(title=title, summary=summary, ids=ids, query=question.asked, page=question.page, **kwargs)


_SIDES = {"JP": N_("Japan's side"), "CA": N_("Canada's side")}


def _owners(question: Question, ctx: Context) -> Reply:
    about = _about(question, ctx)
    if about is None:
        return _nothing(question, ctx, N_("who owns it"))
    ids = about.subject.ids
    on_side, people_left_out = _sided(question, ctx)
    if about.mechanism_id is not None:
        meeting = repository.load_mechanism(session=ctx.session, mechanism_id=about.mechanism_id)
        # The meeting's own owners; else who owns the commitments it comes from.
        owners = [ctx.names.owner(o) for o in on_side(meeting.owners)] or list(
            dict.fromkeys(ctx.names.owner(o) for r in about.records for o in on_side(r.owners))
        )
        title = (
            _("{name} is owned by {owners}.").format(name=_capital(about.name), owners=_and(owners))
            if owners
            else _("Nobody is assigned to {name}.").format(name=about.name)
        )
        summary = _("Source: {cite}. Next: {when}.").format(
            cite=about.cite, when=ctx.timeline.mechanism_next_wording(about.mechanism_id)
        )
    elif len(about.records) == 1:
        record = about.records[0]
        owners = [ctx.names.owner(o) for o in on_side(record.owners)]
        title = (
            _("{name} is owned by {owners}.").format(name=record.commitment.key, owners=_and(owners))
            if owners
            else _("Nobody is assigned to {name}.").format(name=record.commitment.key)
        )
        summary = f"{ctx.names.of(record.commitment)} ({about.cite})."
    else:
        counts = Counter(ctx.names.owner(o) for r in about.records for o in on_side(r.owners))
        nobody = sum(1 for r in about.records if not on_side(r.owners))
        total = len(ids)
        if counts:
            owners = [f"{name} ({n})" for name, n in counts.most_common(6)]
            more = len(counts) - 6
            if more > 0:
                owners.append(_("{n} more").format(n=more))
            title = _("{name}: {count}, owned by {owners}").format(
                name=_capital(about.name), count=_count(total), owners=_and(owners)
            )
            title += _("; nobody is assigned to {n}.").format(n=nobody) if nobody else "."
        else:
            title = _("Nobody is assigned to any of the {count} on {name}.").format(
                count=_count(total), name=about.name
            )
        summary = _("Owners of each commitment, counted; the first: {cite}.").format(cite=about.cite)
    if question.side:
        title = _("{side}: {answer}").format(side=_(_SIDES[question.side]), answer=title)
        if people_left_out():
            summary += gap() + _("People assigned are not counted here: the agenda does not record their side.")
    return _with_items(question, ctx, title, summary, ids, also=None)


def _sided(question: Question, ctx: Context) -> tuple[Callable[[list], list], Callable[[], bool]]:
    """The owners of the side asked for ("the Japanese lead"): that country's departments. A person's side is
    not on record, so people are left out of a sided answer (and the answer says so)."""
    if question.side is None:
        return (lambda owners: owners), (lambda: False)
    countries = {d.key: d.country for d in repository.list_departments(session=ctx.session)}
    dropped: list = []

    def on_side(owners: list) -> list:
        kept = [o for o in owners if o.kind == OwnerKind.department and countries.get(o.ref) == question.side]
        dropped.extend(o for o in owners if o.kind == OwnerKind.user)
        return kept

    return on_side, lambda: bool(dropped)


def _next(question: Question, ctx: Context) -> Reply:
    about = _about(question, ctx)
    if about is None:
        return _nothing(question, ctx, N_("when it meets next"))
    if about.mechanism_id is not None:
        outlook = ctx.timeline.outlook(about.mechanism_id)
        if outlook is None or outlook.next is None:
            title = _("No next date for {name}: no cadence is stated and no date is on record.").format(name=about.name)
        else:
            title = _("Next {name}: {when}.").format(name=about.name.removeprefix("the "), when=outlook.next.wording)
            if question.where and not (outlook.next.host or outlook.next.place):  # "who hosts the next Pol-Mil"
                title += gap() + _("Where it meets and who hosts are not fixed yet.")
        summary = _("Source: {cite}.").format(cite=about.cite) + _last_held(outlook, ctx)
        reply = _with_items(question, ctx, title, summary, about.subject.ids)
        if outlook is not None and question.page == 1:
            reply = dataclasses.replace(reply, sections=[mechanism_section(outlook, ctx), *reply.sections])
        return reply
    dated = sorted(
        ((nxt, r) for r in about.records if (nxt := ctx.timeline.next_date(r)) is not None),
        key=lambda pair: pair[0].sort_key,
    )
    single = about.records[0] if len(about.subject.ids) == 1 else None
    if single is not None:  # one commitment: its own next date, or where it stands
        c = single.commitment
        title = (
            _("{key} next: {when}.").format(key=c.key, when=dated[0][0].wording)
            if dated
            else _("Nothing ahead for {key}: it is {status}.").format(key=c.key, status=ctx.timeline.status(c))
        )
        return _with_items(question, ctx, title, f"{ctx.names.of(c)} ({about.cite}).", about.subject.ids)
    if not dated:
        title = _("Nothing on {name} has a date ahead.").format(name=about.name)
        summary = _("{count}, none with a meeting or deadline still to come.").format(
            count=_capital(_count(len(about.subject.ids)))
        )
        return _with_items(question, ctx, title, summary, about.subject.ids)
    nxt, record = dated[0]
    title = _("Next on {name}: {title}, {when}.").format(
        name=about.name, title=ctx.names.of(record.commitment), when=nxt.wording
    )
    summary = _("Source: {cite}. Dated items first, soonest first.").format(cite=_cite(record, ctx.names))
    first = [r.commitment.id for _n, r in dated]
    ids = first + [i for i in about.subject.ids if i not in set(first)]
    return _with_items(question, ctx, title, summary, ids)


def _last(question: Question, ctx: Context) -> Reply:
    """When X last met: the latest past occurrence on record, said as the record has it."""
    about = _about(question, ctx)
    if about is None:
        return _nothing(question, ctx, N_("when it last met"))
    if about.mechanism_id is None:
        title = _("{name} is not a meeting, so it has no last meeting; its commitments follow.").format(
            name=_capital(about.name)
        )
        return _with_items(question, ctx, title, _("Source: {cite}.").format(cite=about.cite), about.subject.ids)
    outlook = ctx.timeline.outlook(about.mechanism_id)
    # A meeting recorded as not held is no last meeting; an announced one is, said as such.
    occurrences = outlook.record.occurrences if outlook is not None else []
    past = [o for o in occurrences if o.ends_on < ctx.today and not o.not_held]
    name = about.name.removeprefix("the ")
    if not past:
        title = _("No meeting of the {name} is on record.").format(name=name)
    else:
        last = past[-1]
        said = _("Last {name} on record: {when}{where}{host}").format(
            name=name, when=ctx.timeline.when(last.date_edtf), **_where_and_host(last)
        )
        if last.planned_only:
            title = said + _(", announced; no later source confirms it took place.")
        else:
            title = said + "."
    summary = _("Source: {cite}. Next: {when}.").format(
        cite=about.cite, when=ctx.timeline.mechanism_next_wording(about.mechanism_id)
    )
    reply = _with_items(question, ctx, title, summary, about.subject.ids)
    if outlook is not None and question.page == 1:
        reply = dataclasses.replace(reply, sections=[mechanism_section(outlook, ctx), *reply.sections])
    return reply


def _topic(question: Question, ctx: Context) -> Reply:
    """What `/agenda X` answers, asked as "is there anything on X" or "tell me about X"."""
    return lookup(Lookup(question.words, page=question.page), ctx)


def _cadence(question: Question, ctx: Context) -> Reply:
    """How often X meets: the cadence in force as the documents state it (and its source), then the next date;
    the meeting's section shows any cadence it superseded and the meetings on record."""
    about = _about(question, ctx)
    if about is None:
        return _nothing(question, ctx, N_("how often it meets"))
    name = about.name.removeprefix("the ")
    if about.mechanism_id is None:
        title = _("{name} is not a meeting, so it has no cadence; its commitments follow.").format(name=_capital(name))
        return _with_items(question, ctx, title, _("Source: {cite}.").format(cite=about.cite), about.subject.ids)
    outlook = ctx.timeline.outlook(about.mechanism_id)
    cadences = outlook.record.cadences if outlook is not None else []
    rules = [CadenceRule(c.rrule, c.stated, c.effective_on) for c in cadences]
    current = cadence_in_force(rules, ctx.today)
    if current is None:
        title = _("The documents state no cadence for the {name}.").format(name=name)
        summary = _("Source: {cite}.").format(cite=about.cite)
    else:
        stated = next(c for c, rule in zip(cadences, rules, strict=True) if rule == current)
        title = _("Cadence of the {name}: {every} (“{cadence}”, {id}).").format(
            name=name, every=_every(current.rrule), cadence=stated.stated, id=stated.source_commitment_key
        )
        summary = _("Next: {when}.").format(when=outlook.next.wording) if outlook.next else ""
    summary = (summary + _last_held(outlook, ctx)).strip()
    reply = _with_items(question, ctx, title, summary, about.subject.ids)
    if outlook is not None and question.page == 1:
        reply = dataclasses.replace(reply, sections=[mechanism_section(outlook, ctx), *reply.sections])
    return reply


def _every(rrule: str) -> str:
    """How often, in the reader's words ("FREQ=YEARLY;INTERVAL=2" → "every 2 years"), the rule read as iCalendar
    defines it; the documents' own words are quoted beside it."""
    from icalendar import vRecur  # the calendar library, loaded only when a cadence is asked about

    rule = vRecur.from_ical(rrule)
    n = int(rule.get("INTERVAL", [1])[0])
    frequency = rule["FREQ"][0]
    if frequency == "YEARLY":
        return ngettext("once a year", "every {n} years", n).format(n=n)
    if frequency == "MONTHLY":
        return ngettext("once a month", "every {n} months", n).format(n=n)
    if frequency == "WEEKLY":
        return ngettext("once a week", "every {n} weeks", n).format(n=n)
    return rrule


def _last_on_record(outlook, today: date):
    """The meeting's last occurrence on record that took place (not one only planned, nor one not held)."""
    held = [o for o in outlook.record.occurrences if not o.planned_only and not o.not_held and o.ends_on < today]
    return held[-1] if held else None


def _last_held(outlook, ctx: Context) -> str:
    if outlook is None:
        return ""
    last = _last_on_record(outlook, ctx.today)
    if last is None:
        return gap() + _("No meeting is on record.")
    return gap() + _("Last held: {when}{where}{host}.").format(
        when=ctx.timeline.when(last.date_edtf), **_where_and_host(last)
    )


def _where_and_host(occurrence) -> dict[str, str]:
    """A meeting's place and host as they follow its date: ", Vancouver", " (host Canada)"; empty when unknown."""
    country = _(COUNTRY_NAMES.get(occurrence.host, occurrence.host)) if occurrence.host else None
    return {
        "where": _(", {place}").format(place=occurrence.place) if occurrence.place else "",
        "host": gap() + _("(host {country})").format(country=country) if country else "",
    }


def _status(question: Question, ctx: Context) -> Reply:
    about = _about(question, ctx)
    if about is None:
        return _nothing(question, ctx, N_("where it stands"))
    ids = about.subject.ids
    if len(about.records) == 1 and about.mechanism_id is None:
        record = about.records[0]
        title = _("{key} is {status}.").format(key=record.commitment.key, status=ctx.timeline.status(record.commitment))
        return _with_items(question, ctx, title, f"{ctx.names.of(record.commitment)} ({about.cite}).", ids)
    counts = Counter(_state(r, ctx) for r in about.records)
    states = ", ".join(f"{n} {_(state)}" for state, n in counts.most_common())  # English keys, read in the reader's
    title = _("{name}: {count}; {states}.").format(name=_capital(about.name), count=_count(len(ids)), states=states)
    summary = _("The first: {cite}.").format(cite=about.cite)
    if about.mechanism_id is not None:
        upcoming = ctx.timeline.mechanism_next_wording(about.mechanism_id)
        summary += gap() + _("Next meeting: {when}.").format(when=upcoming)
    states = {r.commitment.id: _state(r, ctx) for r in about.records}
    overdue_first = sorted(ids[: len(about.records)], key=lambda i: states.get(i) != "overdue")
    return _with_items(question, ctx, title, summary, overdue_first + ids[len(about.records) :])


_SHORT_STATUS = {**STATUS_WORDS, Status.unknown: N_("with no outcome on record")}


def _state(record: CommitmentRecord, ctx: Context) -> str:
    c = record.commitment
    if ctx.timeline.is_overdue(c):
        return N_("overdue")
    if stages := ctx.timeline.stages.get(c.id):  # the latest stage, without its date
        return STAGE_WORDS[Stage(stages[-1][0])]
    return _SHORT_STATUS[Status(c.status)]


# -- what did we agree on X (in YEAR / in DOCUMENT) ---------------------------------------------------


def _agreed(question: Question, ctx: Context) -> Reply:
    document = None
    if question.document:
        document = _document(question.document, ctx)
        if document is None:
            return _no_such_document(question, ctx)
    where = _years_words(question)
    if document is not None:
        where += _(" in the {document}").format(document=ctx.names.of(document))
    filters = {"year": question.year, "years": question.years, "document_id": document.id if document else None}
    if not any(filters.values()) and (owner := department_named(question.words, ctx)) is not None:
        return owned_by(OwnedBy(owner, is_user=False, page=question.page), ctx)  # "commitments of DND": its list
    if not question.words:
        ids = ctx.visible(repository.commitment_ids_from(session=ctx.session, **filters))
        if not ids:
            return Reply(title=_("Nothing was agreed{where}, as far as the agenda holds.").format(where=where),
                         tone=Tone.notice,
                         summary=_("`/agenda documents` lists the documents and their years."))  # fmt: skip
        title = _("We made {count}{where}.").format(count=_count(len(ids)), where=where)
        return _with_items(question, ctx, title, _sources(ids, ctx), ids)
    about = _about(question, ctx)
    if about is None:
        return _nothing(question, ctx, N_("what was agreed on it"))
    ids = repository.commitment_ids_from(session=ctx.session, among=about.subject.ids, **filters)
    if not ids:
        years = sorted({r.document.year for r in about.records})
        return Reply(
            title=_("Nothing was agreed on {name}{where}.").format(name=about.name, where=where),
            summary=_("Its {count} come from {years}.").format(
                count=_count(len(about.subject.ids)), years=_and([str(y) for y in years])
            ),
            actions=[
                Action(
                    ActionKind.run,
                    _("In {year}").format(year=y),
                    _("what did we agree on {words} in {year}").format(words=question.words, year=y),  # as typed
                )
                for y in years
            ],
            tone=Tone.notice,
        )
    records = repository.load_commitments(session=ctx.session, ids=ids[:3])
    cited = ", ".join(r.commitment.key for r in records) + (", …" if len(ids) > 3 else "")
    title = _("On {name}{where}, we made {count} ({cited}).").format(
        name=about.name, where=where, count=_count(len(ids)), cited=cited
    )
    also = repository.commitment_ids_from(session=ctx.session, among=about.subject.also, **filters)
    return _with_items(question, ctx, title, _sources(ids, ctx), ids, also=also[:5])


def _years_words(question: Question) -> str:
    """" in 2005", " before 2005", " since 2002", " from 1999 to 2005": the years a question names."""
    if question.year is not None:
        return _(" in {year}").format(year=question.year)
    if question.years is None:
        return ""
    first, last = question.years
    if first is None:
        return _(" before {year}").format(year=last + 1)
    if last is None:
        return _(" since {year}").format(year=first)
    return _(" from {first} to {last}").format(first=first, last=last)


def _sources(ids: list[int], ctx: Context) -> str:
    documents = {}
    for record in repository.load_commitments(session=ctx.session, ids=ids[:SUMMED_AT_MOST]):
        documents[record.document.id] = record.document
    dated = [_dated(d, ctx.names) for d in sorted(documents.values(), key=lambda d: d.year)]
    return _("From {documents}.").format(documents=_and(dated))


def _document(words: str, ctx: Context) -> Document | None:
    documents = repository.list_documents(session=ctx.session)
    if year := re.search(r"\b\d{4}\b", words):  # "the 1998 agenda" is no other year's agenda
        documents = [d for d in documents if d.year == int(year.group())]
        if len(documents) == 1:  # "l'ordre du jour de 2005": the one document of 2005
            return documents[0]
    names = {
        index: fold(f"{d.short_title} {' '.join(ctx.names.names_of('document', d.key))} {d.title} {d.key}")[0]
        for index, d in enumerate(documents)
    }
    best = process.extractOne(fold(words)[0], names, scorer=fuzz.token_set_ratio, score_cutoff=DOCUMENT_MATCH)
    return documents[best[2]] if best else None


def _no_such_document(question: Question, ctx: Context) -> Reply:
    documents = repository.list_documents(session=ctx.session)
    return Reply(
        title=_("No document called “{words}”").format(words=question.document),
        summary=_("The source documents are: {documents}.").format(
            documents="; ".join(_dated(d, ctx.names) for d in documents)
        ),
        tone=Tone.notice,
    )


def _dated(document: Document, names: NameBook) -> str:
    return _("the {document} ({date})").format(
        document=names.of(document), date=fuzzy_wording(FuzzyDate.parse(document.date_edtf))
    )


# -- periods: overdue, upcoming, this month, next year --------------------------------------------------


def _overdue(question: Question, ctx: Context) -> Reply:
    keep, about = _narrowing(question, ctx)
    if question.words and about is None:
        return _nothing(question, ctx, N_("what is overdue on it"))
    ids = [i for i in ctx.visible(repository.overdue_deadline_ids(session=ctx.session, today=ctx.today)) if keep(i)]
    on = _(" on {name}").format(name=about.name) if about else ""
    if not ids:
        return Reply(title=_("Nothing is overdue{on}.").format(on=on),
                     summary=_("No deadline has passed without an outcome on record."), tone=Tone.notice)  # fmt: skip
    oldest = repository.load_commitments(session=ctx.session, ids=ids[:1])[0]
    due = ctx.timeline.when(oldest.commitment.due_edtf)
    title = ngettext(
        "{n} commitment{on} is overdue: the deadline passed with no outcome on record.",
        "{n} commitments{on} are overdue: the deadline passed with no outcome on record.",
        len(ids),
    ).format(n=len(ids), on=on)
    summary = _("The oldest: {title} ({cite}), due {when}.").format(
        title=ctx.names.of(oldest.commitment), cite=_cite(oldest, ctx.names), when=due
    )
    return _with_items(question, ctx, title, summary, ids)


def _next_deadline(question: Question, ctx: Context) -> Reply:
    """"What's the next deadline (on X)": the soonest deadline ahead, however far off; when none lies ahead,
    said so, with those already past and still without an outcome."""
    keep, about = _narrowing(question, ctx)
    if question.words and about is None:
        return _nothing(question, ctx, N_("its next deadline"))
    on = _(" on {name}").format(name=about.name) if about else ""
    ahead = [i for i in ctx.visible(repository.upcoming_deadline_ids(session=ctx.session, today=ctx.today)) if keep(i)]
    late = [i for i in ctx.visible(repository.overdue_deadline_ids(session=ctx.session, today=ctx.today)) if keep(i)]
    actions = [Action(ActionKind.run, _("What is coming"), _("upcoming"))]
    if late:
        actions.insert(0, Action(ActionKind.run, _("What is overdue"), _("what is overdue")))
        passed = ngettext(
            "{n} deadline has passed with no outcome on record.",
            "{n} deadlines have passed with no outcome on record.",
            len(late),
        ).format(n=len(late))
    else:
        passed = ""
    if not ahead:
        meetings = _("Meetings are not deadlines: `/agenda upcoming` lists them.")
        reply = Reply(title=_("No deadline{on} lies ahead.").format(on=on),
                      summary=(passed + gap() + meetings).strip(), tone=Tone.notice, actions=actions)  # fmt: skip
        return dataclasses.replace(reply, sections=[Section(items=ctx.items(late))]) if late else reply
    [first] = repository.load_commitments(session=ctx.session, ids=ahead[:1])
    title = _("The next deadline{on}: {title} ({cite}), due {when}.").format(
        on=on, title=ctx.names.of(first.commitment), cite=_cite(first, ctx.names),
        when=ctx.timeline.when(first.commitment.due_edtf),
    )  # fmt: skip
    summary = ngettext("{n} deadline lies ahead.", "{n} deadlines lie ahead.", len(ahead)).format(n=len(ahead))
    return _with_items(question, ctx, title, f"{summary} {passed}".strip(), ahead)


def _window(question: Question, ctx: Context) -> Reply:
    span = _span(question, ctx.today)
    if span is None:
        return Reply(
            title=_("I look ahead between 1 day and 3 years."),
            summary=_("Try `/agenda next 6 months`."),
            tone=Tone.error,
        )
    start, end, label = span
    keep, about = _narrowing(question, ctx)
    if question.words and about is None:
        return _nothing(question, ctx, _("what falls {period} on it").format(period=label))
    meetings = None
    if about is not None:
        sources = repository.commitment_ids_by_mechanism(session=ctx.session, mechanism_ids=list(ctx.timeline.outlooks))
        wanted = set(about.subject.ids)
        meetings = lambda m: m == about.mechanism_id or bool(wanted.intersection(sources.get(m, ())))  # noqa: E731
    on = _(" on {name}").format(name=about.name) if about else ""
    heading = _("{period}: {start} to {end}").format(period=_capital(label), start=day(start), end=day(end))
    found = period(ctx, start, end, heading, meetings=meetings, commitments=keep)
    if found.first is not None:
        title = ngettext(
            "{n} item{on} falls {period}; first: {first}, {when}.",
            "{n} items{on} fall {period}; first: {first}, {when}.",
            found.falling,
        ).format(n=found.falling, on=on, period=label, first=found.first.title, when=_when_fact(found.first))
    else:
        title = _("Nothing{on} is due or projected {period}.").format(on=on, period=label)
    summary = _("From {start} to {end}. Meetings are projected from their cadence until a date is fixed.").format(
        start=day(start), end=day(end)
    )
    if found.may_fall:
        summary += gap() + ngettext(
            "{n} item may fall in it or after it (listed apart).",
            "{n} items may fall in it or after it (listed apart).",
            found.may_fall,
        ).format(n=found.may_fall)
    actions = [Action(ActionKind.share, _("Share in channel"), question.asked)]
    if start <= ctx.today <= end and not question.words:  # a look ahead from today: what is already late too
        overdue = len(ctx.visible(repository.overdue_deadline_ids(session=ctx.session, today=ctx.today)))
        if overdue:
            summary += gap() + ngettext(
                "Besides, {n} commitment is overdue.", "Besides, {n} commitments are overdue.", overdue
            ).format(n=overdue)
            actions.append(Action(ActionKind.run, _("What is overdue"), _("what is overdue")))
    return Reply(
        title=title,
        summary=summary,
        sections=found.sections,
        actions=actions,
        tone=Tone.answer if found.first or found.may_fall else Tone.notice,
    )


def _within_words(unit: str, n: int) -> str:
    """"in the next 3 weeks": the period in the reader's words, a phrase that fits "{n} items fall {period}"."""
    if unit == "days":
        return ngettext("in the next {n} day", "in the next {n} days", n).format(n=n)
    if unit == "weeks":
        return ngettext("in the next {n} week", "in the next {n} weeks", n).format(n=n)
    if unit == "months":
        return ngettext("in the next {n} month", "in the next {n} months", n).format(n=n)
    return ngettext("in the next {n} year", "in the next {n} years", n).format(n=n)



def _span(question: Question, today: date) -> tuple[date, date, str] | None:
    """The days a window question covers, and its name; None for a look ahead beyond three years."""
    intent = question.intent
    if intent == Intent.within:
        if not 1 <= (question.count or 0) <= MAX_NEXT[question.unit]:
            return None
        label = _within_words(question.unit, question.count)
        return today, today + relativedelta(**{question.unit: question.count}), label
    if intent in (Intent.month, Intent.before, Intent.by_end):
        first = _named_month(question, today)
        last = first + relativedelta(day=31)
        if intent == Intent.month:
            return first, last, _("in {month}").format(month=month_words(first))
        if intent == Intent.before:
            until = max(today, first - relativedelta(days=1))
            return today, until, _("before {month}").format(month=month_words(first))
        return today, max(today, last), _("by the end of {month}").format(month=month_words(first))
    if intent == Intent.this_month:
        return today, today + relativedelta(day=31), _("this month")
    if intent == Intent.next_month:
        first = today + relativedelta(months=1, day=1)
        return first, first + relativedelta(day=31), _("next month")
    if intent == Intent.this_week:  # weeks run Monday to Sunday, as both capitals' calendars print them
        return today, today + timedelta(days=6 - today.weekday()), _("this week")
    if intent == Intent.next_week:
        monday = today + timedelta(days=7 - today.weekday())
        return monday, monday + timedelta(days=6), _("next week")
    if intent == Intent.this_quarter:
        return today, _quarter_start(today) + relativedelta(months=3, days=-1), _("this quarter")
    if intent == Intent.next_quarter:
        first = _quarter_start(today) + relativedelta(months=3)
        return first, first + relativedelta(months=3, days=-1), _("next quarter")
    if intent == Intent.quarter:
        # The quarter of the year given, else the next one to end from today (this one included).
        year = question.year or (today.year if question.month + 2 >= today.month else today.year + 1)
        first = date(year, question.month, 1)
        label = _("in Q{quarter} {year}").format(quarter=(question.month - 1) // 3 + 1, year=year)
        return first, first + relativedelta(months=3, days=-1), label
    if intent == Intent.in_year:  # this year from today; any other, whole
        start = today if question.year == today.year else date(question.year, 1, 1)
        return start, date(question.year, 12, 31), _("in {year}").format(year=question.year)
    if intent == Intent.by_year_end:
        return today, max(today, date(question.year, 12, 31)), _("by the end of {year}").format(year=question.year)
    if intent == Intent.this_year:
        return today, date(today.year, 12, 31), _("this year")
    if intent == Intent.through_next_year:
        label = _("by the end of next year ({year})").format(year=today.year + 1)
        return today, date(today.year + 1, 12, 31), label
    if intent == Intent.next_year:
        label = _("next year ({year})").format(year=today.year + 1)
        return date(today.year + 1, 1, 1), date(today.year + 1, 12, 31), label
    return today, today + relativedelta(days=DEFAULT_NEXT_DAYS), _("in the next {n} days").format(n=DEFAULT_NEXT_DAYS)


def _quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def _named_month(question: Question, today: date) -> date:
    """The first day of the month a question names: of the year it gives, else the next such month
    from today (this one included: "in December", asked on 3 December, is this December)."""
    year = question.year or (today.year if question.month >= today.month else today.year + 1)
    return date(year, question.month, 1)


def _narrowing(question: Question, ctx: Context) -> tuple[Callable[[int], bool], _About | None]:
    """A period narrowed to a subject ("what is overdue on counter-terrorism"): which commitments to keep."""
    if not question.words:
        return (lambda _i: True), None
    about = _about(question, ctx)
    wanted = set(about.subject.ids) if about else set()
    return wanted.__contains__, about


def _things(n: int) -> str:
    return ngettext("{n} item", "{n} items", n).format(n=n)


def _when_fact(item) -> str:
    return next((f.value for f in item.facts if f.label in (_("When"), _("Next"))), _("date to be fixed"))


# -- where the whole agenda stands ----------------------------------------------------------------------

# Statuses in the order a reader scans them: what is moving, what is stuck, then the rest.
_OVERVIEW_ORDER = (Status.in_progress, Status.stalled, Status.not_started, Status.unknown, Status.done, Status.dropped)


def _overview(question: Question, ctx: Context) -> Reply:
    """"Where do things stand": how many commitments by status and how many are overdue, then each area."""
    recorded = repository.statuses(session=ctx.session)
    seen = ctx.visible(list(recorded))
    if not seen:
        return Reply(title=_("The agenda holds no commitment I may show here."), tone=Tone.notice)
    by_status = Counter(recorded[i] for i in seen)
    counts = [
        _("{n} {status}").format(n=by_status[status], status=_(_SHORT_STATUS[status]))
        for status in _OVERVIEW_ORDER
        if by_status[status]
    ]
    overdue = len(ctx.visible(repository.overdue_deadline_ids(session=ctx.session, today=ctx.today)))
    title = ngettext(
        "Where the agenda stands: {n} commitment, {overdue} overdue.",
        "Where the agenda stands: {n} commitments, {overdue} overdue.",
        len(seen),
    ).format(n=len(seen), overdue=overdue)
    from babel.lists import format_list  # here, not at the top: `ask` about one subject never lists counts

    listed = format_list(counts, locale=i18n.babel_locale())  # "…, … and …", "… et …", "…、…"
    summary = _("By status: {counts}.").format(counts=listed) + gap() + _(DONE_COUNTS)
    actions = [Action(ActionKind.share, _("Share in channel"), question.asked)]
    if overdue:
        actions.append(Action(ActionKind.run, _("What is overdue"), _("what is overdue")))
    actions.append(Action(ActionKind.run, _("What comes next"), "next"))
    return Reply(
        title=title,
        summary=summary,
        sections=[Section(heading=_("By area"), body="\n".join(area_lines(ctx)))],
        actions=actions,
    )


def _in_year(question: Question, ctx: Context) -> Reply:
    """What falls in a year to come ("what's planned for 2027"); a year gone by is what we agreed in it (a bare
    year is looked up as before: its documents, "2005")."""
    if question.year < ctx.today.year:  # looked back: what we agreed then (a look ahead lists only what is to come)
        if question.asked.strip() == str(question.year):
            return lookup(Lookup(question.asked, page=question.page), ctx)
        return _agreed(dataclasses.replace(question, intent=Intent.agreed), ctx)
    return _window(question, ctx)


def _by_year_end(question: Question, ctx: Context) -> Reply:
    """From today to the end of a year; a year already over has nothing left to come."""
    if question.year < ctx.today.year:
        return Reply(
            title=_("{year} is over: nothing is left to come in it.").format(year=question.year),
            summary=_("`/agenda overdue` lists the deadlines that passed with no outcome on record."),
            actions=[Action(ActionKind.run, _("What is overdue"), _("what is overdue"))],
            tone=Tone.notice,
        )
    return _window(question, ctx)


def _with_status(question: Question, ctx: Context) -> Reply:
    """"What is stalled", "which items are done", "everything from 1999 that is still open": the commitments
    recorded in that status (open: any but done or dropped), of a year, a document or a subject when one is
    named, as the audience may see them, newest document first."""
    narrowed = _narrowed(question, ctx)
    if isinstance(narrowed, Reply):
        return narrowed
    keep, where = narrowed
    recorded = repository.statuses(session=ctx.session)
    still_open = question.status == OPEN
    wanted = {s for s in Status if s not in CLOSED} if still_open else {Status(question.status)}
    ids = ctx.index.in_order(ctx.visible([i for i, s in recorded.items() if s in wanted and keep(i)]))
    words = "" if still_open else _(STATUS_WORDS[Status(question.status)])
    if not ids:
        title = (
            _("Nothing{where} is still open: every commitment is recorded as done or dropped.")
            if still_open
            else _("No commitment{where} is recorded as {status}.")
        )
        return Reply(
            title=title.format(where=where, status=words),
            summary=_("`/agenda where do things stand` counts the commitments by status."),
            tone=Tone.notice,
            actions=[Action(ActionKind.run, _("Where things stand"), _("where do things stand"))],
        )
    if still_open:
        title = ngettext(
            "{n} commitment{where} is still open: not recorded as done or dropped.",
            "{n} commitments{where} are still open: none recorded as done or dropped.",
            len(ids),
        )
        by_status = Counter(recorded[i] for i in ids)
        recorded_as = [s for s in _OVERVIEW_ORDER if by_status[s]]
        counts = [_("{n} {status}").format(n=by_status[s], status=_(_SHORT_STATUS[s])) for s in recorded_as]
        from babel.lists import format_list  # here, not at the top: see _overview

        summary = _("By status: {counts}.").format(counts=format_list(counts, locale=i18n.babel_locale())) + " "
    else:
        title = ngettext(
            "{n} commitment{where} is recorded as {status}.",
            "{n} commitments{where} are recorded as {status}.",
            len(ids),
        )
        summary = ""
    summary += _("As recorded by coordinators and owners; `/agenda history <id>` shows who set each and when.")
    return ctx.paged(
        title=title.format(n=len(ids), where=where, status=words),
        summary=summary,
        ids=ids,
        query=question.asked,
        page=question.page,
    )


def _oldest(question: Question, ctx: Context) -> Reply:
    """"The oldest open commitment": the commitments (open ones when asked so) of a year, a document or a subject
    when one is named, oldest document first and in each document's order, the oldest named in the title."""
    narrowed = _narrowed(question, ctx)
    if isinstance(narrowed, Reply):
        return narrowed
    keep, where = narrowed
    still_open = question.status == OPEN
    closed = set()
    if still_open:
        closed = {i for i, s in repository.statuses(session=ctx.session).items() if s in CLOSED}
    items = ctx.index.items
    seen = ctx.visible([i for i in ctx.index.order if keep(i) and i not in closed])
    ids = sorted(seen, key=lambda i: (items[i].year, items[i].document_id, items[i].position))
    if not ids:
        title = _("No commitment{where} is still open.") if still_open else _("No commitment{where} is on record.")
        return Reply(title=title.format(where=where), tone=Tone.notice,
                     summary=_("`/agenda where do things stand` counts the commitments by status."))  # fmt: skip
    # One a later commitment carries on or replaces is history, not the oldest thing still to do: it comes after.
    shown = ctx.lineage_shown(ctx.lineage.keys_among(ids))
    current = [i for i in ids if ctx.lineage.is_current(ctx.lineage.key_of.get(i, ""), shown)]
    [first] = repository.load_commitments(session=ctx.session, ids=(current or ids)[:1])
    said = {"id": first.commitment.key, "title": ctx.names.of(first.commitment), "where": where,
            "document": _dated(first.document, ctx.names)}  # fmt: skip
    title = (
        _("The oldest commitment{where} still open is {id}, {title}, from {document}.")
        if still_open
        else _("The oldest commitment{where} is {id}, {title}, from {document}.")
    ).format(**said)
    summary = (
        ngettext("{n} is still open; oldest first.", "{n} are still open; oldest first.", len(ids))
        if still_open
        else ngettext("{n} commitment; oldest first.", "{n} commitments; oldest first.", len(ids))
    ).format(n=len(ids))
    if current and len(current) < len(ids):
        summary += gap() + ngettext(
            "{n} older one has been carried on or replaced by a later commitment: it comes after the rest.",
            "{n} older ones have been carried on or replaced by later commitments: they come after the rest.",
            len(ids) - len(current),
        ).format(n=len(ids) - len(current))
    return ctx.paged(title=title, summary=summary, ids=ids, query=question.asked, page=question.page)


def _briefing(question: Question, ctx: Context) -> Reply:
    """"What's on the agenda for the next Pol-Mil": that meeting's briefing (what is proposed, its checklist, its
    last record). Words that name no meeting are looked up, as any other words."""
    from handlers.commands.held import find_meeting
    from handlers.commands.proposals import Briefing, briefing

    if find_meeting(ctx, question.words) is None:
        # "what's on the agenda for 2027": a question of its own, else words to look up
        inner = recognise(question.words, page=question.page)
        if inner is not None and inner.intent != Intent.briefing and not inner.unfinished:
            return answer_question(dataclasses.replace(inner, asked=question.asked), ctx)
        return _topic(question, ctx)
    return briefing(Briefing(question.words), ctx)


def _unowned(question: Question, ctx: Context) -> Reply:
    """"Which items have no owner": the commitments nobody answers for (neither themselves nor through their
    meeting); when every one has an owner, those still held by a department alone, with no person assigned."""
    narrowed = _narrowed(question, ctx)
    if isinstance(narrowed, Reply):
        return narrowed
    keep, where = narrowed
    seen = ctx.visible(ctx.index.in_order(i for i in ctx.index.order if keep(i)))  # every commitment, indexed
    owned = repository.commitment_owner_kinds(session=ctx.session, ids=seen)
    nobody = [i for i in seen if not owned.get(i)]
    actions = [Action(ActionKind.share, _("Share in channel"), question.asked)]
    assign = _("`/agenda assign <id or meeting> <@people…>` names an owner.")
    if nobody:
        title = ngettext(
            "{n} commitment{where} has no owner.", "{n} commitments{where} have no owner.", len(nobody)
        ).format(n=len(nobody), where=where)
        return ctx.paged(title=title, summary=assign, ids=nobody, query=question.asked, page=question.page)
    no_person = [i for i in seen if OwnerKind.user not in owned[i]]
    if not no_person:
        title = _("Every commitment{where} has an owner and a person assigned.").format(where=where)
        return Reply(title=title, tone=Tone.notice, actions=actions)
    title = ngettext(
        "Every commitment{where} has an owner; {n} has a department only, with no person assigned yet.",
        "Every commitment{where} has an owner; {n} have a department only, with no person assigned yet.",
        len(no_person),
    ).format(n=len(no_person), where=where)
    return ctx.paged(title=title, summary=assign, ids=no_person, query=question.asked, page=question.page)


def _narrowed(question: Question, ctx: Context) -> tuple[Callable[[int], bool], str] | Reply:
    """Which commitments a list question keeps (of the year, the document and the subject it names) and the
    words that say so (" in 1999", " in the 2005 Agenda", " on counter-terrorism"), or why it can keep none."""
    document = None
    if question.document:
        document = _document(question.document, ctx)
        if document is None:
            return _no_such_document(question, ctx)
    keep, about = _narrowing(question, ctx)
    if question.words and about is None:
        return _nothing(question, ctx, N_("which of its commitments these are"))
    where = ""
    if question.year is not None or question.years is not None or document is not None:
        among = repository.commitment_ids_from(
            session=ctx.session, year=question.year, years=question.years, document_id=document.id if document else None
        )
        keep = {i for i in among if keep(i)}.__contains__
        where += _years_words(question)
        if document is not None:
            where += _(" in the {document}").format(document=ctx.names.of(document))
    if about is not None:
        where += _(" on {name}").format(name=about.name)
    return keep, where


# -- which documents, what changed since -------------------------------------------------------------


def _documents(question: Question, ctx: Context) -> Reply:
    documents = repository.list_documents(session=ctx.session)
    by_document = repository.commitment_ids_by_document(session=ctx.session)
    seen = set(ctx.visible([i for ids in by_document.values() for i in ids]))
    counts = {d.id: sum(1 for i in by_document.get(d.id, ()) if i in seen) for d in documents}
    # A document none of whose commitments the audience may see is not theirs to know of either.
    documents = [d for d in documents if counts[d.id]]
    lines, actions = [], []
    for document in documents:
        count = counts[document.id]
        place = _(", {place}").format(place=document.place) if document.place else ""
        date_words = fuzzy_wording(FuzzyDate.parse(document.date_edtf))
        lines.append("• " + colon(ctx.names.of(document), f"{document.title} ({date_words}{place}); {_count(count)}"))
        asked = _("what did we agree in {year}").format(year=document.year)  # in the reader's words, as typed
        actions.append(Action(ActionKind.run, ctx.names.of(document), asked))
    if not documents:
        return Reply(title=_("No source documents are loaded."), tone=Tone.notice)
    total = len(seen)
    title = ngettext(
        "{n} source document, from the {first} to the {last}: {count}.",
        "{n} source documents, from the {first} to the {last}: {count}.",
        len(documents),
    ).format(n=len(documents), first=ctx.names.of(documents[0]), last=ctx.names.of(documents[-1]), count=_count(total))
    return Reply(
        title=title,
        summary=_("Every commitment quotes one of them; ask what we agreed in a year or a document."),
        sections=[Section(body="\n".join(lines))],
        actions=[Action(ActionKind.share, _("Share in channel"), question.asked), *actions],
    )


def _changes(question: Question, ctx: Context) -> Reply:
    try:
        since = since_date(question.since or "", ctx.today)
    except SinceError as exc:
        return Reply(
            title=_(exc.message).format(**exc.values),
            summary=_("For example `/agenda what changed since 1 November`."),
            tone=Tone.error,
        )
    if since > ctx.today:
        ahead = _("{day} is still ahead: nothing has changed since.").format(day=day(since))
        return Reply(title=ahead, tone=Tone.notice)
    entries = repository.agenda_changes_since(
        session=ctx.session, since=datetime.combine(since, time(), UTC), limit=CHANGES_SHOWN * 5,
        actors=ctx.identities if question.by_me else None,
    )
    keys = repository.ids_for_keys(
        session=ctx.session,
        commitment_keys=sorted({e.target_key for e in entries if e.target_type == "commitment"}),
        mechanism_keys=sorted({e.target_key for e in entries if e.target_type == "mechanism"}),
    )
    commitments = set(ctx.visible(sorted(i for (kind, _k), i in keys.items() if kind == "commitment")))
    meetings = set(ctx.visible_meetings(sorted(i for (kind, _k), i in keys.items() if kind == "mechanism")))
    allowed = {key for key, i in keys.items() if i in (commitments if key[0] == "commitment" else meetings)}
    shown = [e for e in entries if (e.target_type, e.target_key) in allowed]
    if not shown and question.by_me:
        return Reply(
            title=_("You have changed nothing since {day}.").format(day=day(since)),
            summary=_("`/agenda what changed since {day}` shows everyone's changes.").format(day=day(since)),
            tone=Tone.notice,
        )
    if not shown:
        return Reply(
            title=_("Nothing has changed since {day}.").format(day=day(since)),
            summary=_("The agenda is as it was; `/agenda history <id or meeting>` shows an item's changes."),
            tone=Tone.notice,
        )
    targets = list(dict.fromkeys((e.target_type, e.target_key) for e in shown))
    if question.by_me:
        changes = ngettext("You made {n} change since {day}", "You made {n} changes since {day}", len(shown))
    else:
        changes = ngettext("{n} change since {day}", "{n} changes since {day}", len(shown))
    changes = changes.format(n=len(shown), day=day(since))
    items = ngettext("to {n} item", "to {n} items", len(targets)).format(n=len(targets))
    latest = (
        shown[0].action if i18n.current() == i18n.ENGLISH else _(ACTION_WORDS.get(shown[0].action, shown[0].action))
    )
    title = _("{changes}, {items}; the latest: {action} of {id}.").format(
        changes=changes, items=items, action=latest, id=shown[0].target_key
    )
    lines = "\n".join(describe(e, ctx.ports.capitals) for e in shown[:CHANGES_SHOWN])
    if len(shown) > CHANGES_SHOWN:
        lines += "\n" + _("…and {n} more: `/agenda history <id or meeting>` shows each item's.").format(
            n=len(shown) - CHANGES_SHOWN
        )
    changed = [keys[t] for t in targets if t[0] == "commitment"][: ctx.ports.page_size]
    items = [present.item(r, ctx.timeline) for r in repository.load_commitments(session=ctx.session, ids=changed)]
    sections = [Section(heading=_("Changes, newest first"), body=lines)]
    if items:
        sections.append(Section(heading=_("The commitments changed, as they stand"), items=items))
    return Reply(
        title=title,
        summary=_("Who changed what, when, and from where."),
        sections=sections,
        actions=[Action(ActionKind.share, _("Share in channel"), question.asked)],
    )


QUIET_YEARS = 2  # a meeting with no record for longer has not met "lately"


def _dormant(question: Question, ctx: Context) -> Reply:
    """"Which meetings haven't been held for years": each meeting the audience may see with its last meeting on
    record, the longest silent first (none on record before any); those silent for over two years counted."""
    seen = ctx.visible_meetings(list(ctx.timeline.outlooks))
    last = {mechanism_id: _last_on_record(ctx.timeline.outlooks[mechanism_id], ctx.today) for mechanism_id in seen}
    order = sorted(seen, key=lambda i: (last[i] is not None, last[i].ends_on if last[i] else date.min))
    cutoff = ctx.today - relativedelta(years=QUIET_YEARS)
    quiet = [i for i in order if last[i] is None or last[i].ends_on < cutoff]
    if not seen:
        return Reply(title=_("No meetings are on the agenda."), tone=Tone.notice)
    title = ngettext(
        "{n} of {total} meetings has no meeting on record in the last {years} years.",
        "{n} of {total} meetings have no meeting on record in the last {years} years.",
        len(quiet),
    ).format(n=len(quiet), total=len(seen), years=QUIET_YEARS)
    return Reply(
        title=title,
        summary=_("The last meeting on record of each, the longest silent first; `/agenda held <meeting> <date>` "
                  "records one."),  # fmt: skip
        sections=[Section(body=_meeting_lines(order, last, ctx))],
        actions=_meeting_actions(question, quiet, ctx),
    )


def _latest_meetings(question: Question, ctx: Context) -> Reply:
    """"When did we last meet", no meeting named: the meetings the audience may see, the one met most recently
    first (those with none on record last), each with its last meeting and its next."""
    seen = ctx.visible_meetings(list(ctx.timeline.outlooks))
    if not seen:
        return Reply(title=_("No meetings are on the agenda."), tone=Tone.notice)
    last = {mechanism_id: _last_on_record(ctx.timeline.outlooks[mechanism_id], ctx.today) for mechanism_id in seen}
    met = sorted((i for i in seen if last[i] is not None), key=lambda i: last[i].ends_on, reverse=True)
    order = met + [i for i in seen if last[i] is None]
    if met:
        latest = last[met[0]]
        title = _("The last meeting on record: {name}, {when}.").format(
            name=ctx.names.of(ctx.timeline.outlooks[met[0]].record.mechanism),
            when=ctx.timeline.when(latest.date_edtf),
        )
    else:
        title = _("No meeting is on record.")
    return Reply(
        title=title,
        summary=_("The last meeting on record of each, the most recent first; `/agenda when was the last <meeting>` "
                  "tells one in full."),  # fmt: skip
        sections=[Section(body=_meeting_lines(order, last, ctx))],
        actions=_meeting_actions(question, met[:5], ctx),
    )


def _meeting_lines(order: list[int], last: dict, ctx: Context) -> str:
    """A line per meeting: its last meeting on record and its next."""
    lines = []
    for mechanism_id in order:
        outlook = ctx.timeline.outlooks[mechanism_id]
        on_record = last[mechanism_id]
        said = (
            _("last met {when}").format(when=ctx.timeline.when(on_record.date_edtf))
            if on_record
            else _("no meeting on record")
        )
        nxt = outlook.next.wording if outlook.next else _("no cadence stated")
        lines.append(_("• {name}: {last}; next: {next}").format(name=ctx.names.of(outlook.record.mechanism),
                                                                  last=said, next=nxt))  # fmt: skip
    return "\n".join(lines)


def _meeting_actions(question: Question, mechanism_ids: list[int], ctx: Context) -> list[Action]:
    meetings = [ctx.timeline.outlooks[i].record.mechanism for i in mechanism_ids]
    return [Action(ActionKind.share, _("Share in channel"), question.asked)] + [
        Action(ActionKind.run, ctx.names.of(m), f"meeting {m.key}") for m in meetings
    ]


def _follow_ups(question: Question, ctx: Context) -> Reply:
    """"What are the open action items", "follow-ups from the last Pol-Mil": the follow-up actions decided at
    meetings held (`/agenda action`), the open ones first, soonest due first; one meeting's when one is named.
    Words that name no meeting ("next steps on the MLAT") are their lookup."""
    mechanism_id, of = None, ""
    if question.words:
        about = _about(question, ctx)
        if about is None or about.mechanism_id is None:
            return _topic(question, ctx)
        mechanism_id, of = about.mechanism_id, _(" for the {name}").format(name=about.name.removeprefix("the "))
    ids = ctx.visible(meetings.follow_up_ids(session=ctx.session, mechanism_id=mechanism_id))
    if not ids:
        return Reply(
            title=_("No follow-up action is on record{of}.").format(of=of),
            summary=_('`/agenda action <meeting> "<action>" owner <@person or department> due <date>` records one '
                      "after a meeting held."),  # fmt: skip
            tone=Tone.notice,
        )
    records = repository.load_commitments(session=ctx.session, ids=ids)
    still_open = sorted((r for r in records if r.commitment.status not in CLOSED),
                        key=lambda r: r.commitment.due_start or date.max)  # fmt: skip
    closed = [r for r in records if r.commitment.status in CLOSED]
    title = ngettext(
        "{n} follow-up action is open{of}.", "{n} follow-up actions are open{of}.", len(still_open)
    ).format(n=len(still_open), of=of)
    summary = _("Soonest due first.")
    if closed:
        summary += gap() + _("Then those done or dropped: {n}.").format(n=len(closed))
    return _with_items(question, ctx, title, summary, [r.commitment.id for r in [*still_open, *closed]])


def _meetings(question: Question, ctx: Context) -> Reply:
    """"Which meetings are there": the `meeting` command's list."""
    return meeting_page(MeetingPage(""), ctx)


# -- words ---------------------------------------------------------------------------------------------


def _count(n: int) -> str:
    return ngettext("{n} commitment", "{n} commitments", n).format(n=n)


def _and(names: list[str]) -> str:
    return i18n.and_list(names)  # "A, B and C", "A, B et C", "A、B、C"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


_ANSWERS: dict[Intent, Callable[[Question, Context], Reply]] = {
    Intent.owner: _owners,
    Intent.next: _next,
    Intent.last: _last,
    Intent.held: _last,
    Intent.cadence: _cadence,
    Intent.about: _topic,
    Intent.status: _status,
    Intent.agreed: _agreed,
    Intent.overdue: _overdue,
    Intent.upcoming: _window,
    Intent.this_month: _window,
    Intent.next_month: _window,
    Intent.this_week: _window,
    Intent.next_week: _window,
    Intent.this_quarter: _window,
    Intent.next_quarter: _window,
    Intent.quarter: _window,
    Intent.in_year: _in_year,
    Intent.by_year_end: _by_year_end,
    Intent.this_year: _window,
    Intent.next_year: _window,
    Intent.within: _window,
    Intent.month: _window,
    Intent.before: _window,
    Intent.by_end: _window,
    Intent.documents: _documents,
    Intent.changes: _changes,
    Intent.overview: _overview,
    Intent.with_status: _with_status,
    Intent.unowned: _unowned,
    Intent.oldest: _oldest,
    Intent.briefing: _briefing,
    Intent.next_deadline: _next_deadline,
    Intent.dormant: _dormant,
    Intent.follow_ups: _follow_ups,
    Intent.everything: _agreed,  # no subject, no year: every commitment
    Intent.set_status: instruction,
    Intent.reschedule: instruction,
    Intent.record_held: instruction,
    Intent.through_next_year: _window,
    Intent.meetings: _meetings,
}
