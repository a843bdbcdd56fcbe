"""What the dashboard page shows: the agenda as one person may see it, for a read-only web page.

Platform-neutral: the page's facts are built here, the HTML in bot/dashboard_http.py.
A dashboard link belongs to a person (handlers/commands/dashboard_links.py). Each visit
builds the page afresh with that person's *current* role and ownerships, as a
private answer to them (Context.visible, Context.visible_meetings): a restricted
item leaves the page as soon as they may no longer see it, and a revoked or
unknown link opens nothing at all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from handlers.commands.listings import KIND_WORDS
from handlers.domain import audit, provenance
from handlers.domain.context import Context
from handlers.domain.languages import language_for
from handlers.domain.ports import Ports, Requester
from handlers.domain.secret_links import token_digest
from handlers.domain.splits import split_from_fact
from handlers.domain.timeline import Timeline
from handlers.pages.export import CSV_COLUMNS, commitment_ids_by_key, commitment_rows
from handlers.views import dates, i18n, present
from handlers.views.chart import ORDER
from handlers.views.i18n import N_, _
from handlers.views.names import EMPTY, NameBook, Official
from models import repository
from models.repository import CommitmentRecord
from models.splits import split_of
from models.tables import AuditEntry, Kind, Origin, Status

WINDOW = timedelta(days=365)  # the timeline: a year back, a year ahead
MENTION = re.compile(r"<@([a-z]+:[A-Za-z0-9._-]+)>")
# A status as the page's filters, bars and counts name it (short: the replies' longer words are in status_words).
WORDS = {
    Status.done: N_("done"), Status.in_progress: N_("in progress"), Status.not_started: N_("not started"),
    Status.stalled: N_("stalled"), Status.dropped: N_("dropped"), Status.unknown: N_("no status"),
}  # fmt: skip
# The timeline's kinds and states: the key stays English (a CSS class), the words are the reader's.
TIMELINE_WORDS = {
    "meeting": N_("meeting"),
    "deadline": N_("deadline"),
    "held": N_("held"),
    "not held": N_("not held"),
    "fixed": N_("fixed"),
    "planned": N_("planned"),
    "projected": N_("projected"),
    "due": N_("due"),
    "overdue": N_("overdue"),
    "past": N_("past"),
}
# Cells a spreadsheet would run as a formula when the download is opened (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Filters:
    """The page's filters, from its query string; a value the page does not offer is dropped."""

    area: str = ""
    owner: str = ""
    document: str = ""
    status: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        return cls(**{name: str(query.get(name, ""))[:100] for name in ("area", "owner", "document", "status")})

    def within(self, choices: Choices) -> Filters:
        return Filters(
            area=self.area if self.area in dict(choices.areas) else "",
            owner=self.owner if self.owner in dict(choices.owners) else "",
            document=self.document if self.document in dict(choices.documents) else "",
            status=self.status if self.status in dict(choices.statuses) else "",
        )

    @property
    def active(self) -> bool:
        return any((self.area, self.owner, self.document, self.status))

    def query(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


@dataclass(frozen=True)
class Choices:
    """What each filter offers: (value, label) pairs drawn from what the viewer may see."""

    areas: list[tuple[str, str]]
    owners: list[tuple[str, str]]
    documents: list[tuple[str, str]]
    statuses: list[tuple[str, str]]


@dataclass(frozen=True)
class AreaSummary:
    key: str
    name: str
    counts: list[tuple[str, str, int]]  # (status, words, count) in a fixed order, zeros left out
    total: int
    done: int

    @property
    def done_words(self) -> str:
        """The progress bar's label: "Counter-terrorism: 2 of 5 done"."""
        return _("{area}: {done} of {total} done").format(area=self.name, done=self.done, total=self.total)

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def segments(self) -> list[tuple[str, float, float]]:
        """(status, start, width) in percent of a bar: the counts drawn side by side."""
        found, start = [], 0.0
        for status, _words, count in self.counts:
            width = 100 * count / self.total
            found.append((status, round(start, 2), round(width, 2)))
            start += width
        return found


@dataclass(frozen=True)
class ItemRow:
    key: str
    title: str
    areas: str
    document: str
    status: str  # the enum value, for styling and filtering
    status_words: str  # as every reply words it ("overdue (due …), not started")
    owners: str
    next: str | None
    overdue: bool


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    when: str
    what: str
    kind: str  # "meeting" or "deadline"
    state: str  # "held", "fixed", "planned", "projected", "due", "overdue", "past"
    key: str | None  # a commitment's id, for its page; None for a meeting

    @property
    def kind_words(self) -> str:
        return _(TIMELINE_WORDS[self.kind])

    @property
    def state_words(self) -> str:
        return _(TIMELINE_WORDS[self.state])


@dataclass(frozen=True)
class Overview:
    as_of: datetime
    viewer: str
    filters: Filters
    choices: Choices
    areas: list[AreaSummary]
    items: list[ItemRow]
    overdue: list[ItemRow]
    timeline: list[TimelineEntry]
    visible_total: int  # before filters
    statuses: list[tuple[str, str]] = field(default_factory=lambda: [(s.value, _(WORDS[s])) for s in ORDER])


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    source: str  # where it comes from, and whether it is assumed


@dataclass(frozen=True)
class ItemPage:
    as_of: datetime
    viewer: str
    row: ItemRow
    text: str
    citation: str
    facts: list[Fact]
    history: list[str]
    related: list[tuple[str, str]]  # (id, title) of related items the viewer may see
    # For a French or Japanese reader: what the source line says of the words shown (the agreed text in
    # English, the title translated by the team), and an official text in their language, if attached.
    note: str = ""
    official: Official | None = None
    official_label: str = ""
    text_label: str = ""  # the agreed text's heading: "Agreed text", "Texte convenu (anglais)"


@dataclass(frozen=True)
class Viewer:
    """A dashboard link's owner, for one visit."""

    user_ref: str


def viewer_for(token: str, *, ports: Ports) -> Viewer | None:
    """Whose dashboard this token opens; None for an unknown, revoked or malformed one.

    One indexed lookup by digest for every token, so all the ways of being
    wrong take the same path to "not found".
    """
    with ports.open_session() as session:
        owner = repository.dashboard_link_owner(session=session, token_sha256=token_digest(token))
    return Viewer(owner) if owner else None


def language_of(viewer: Viewer, *, ports: Ports) -> str:
    """The language to show a viewer their page in: the one they chose in chat (on any linked
    identity), else the one their platform last said, else English (handlers.domain.languages)."""
    with ports.open_session() as session:
        return language_for(session, viewer.user_ref)


def overview(viewer: Viewer, query: Mapping[str, str], *, ports: Ports) -> Overview:
    with ports.open_session() as session:
        ctx = Context(session, ports, Requester(user_ref=viewer.user_ref))
        records = _visible_records(ctx)
        names = _names(ctx, records, extra=[viewer.user_ref])  # the viewer by name in the header, too
        choices = _choices(records, names, ctx.names)
        filters = Filters.from_query(query).within(choices)
        chosen = [r for r in records if _matches(r, filters)]
        rows = [_row(r, ctx.timeline, names) for r in chosen]
        return Overview(
            as_of=ports.clock.now(),
            viewer=names.get(viewer.user_ref, viewer.user_ref),
            filters=filters,
            choices=choices,
            areas=_areas(chosen, ctx.names),
            items=rows,
            overdue=[row for row in rows if row.overdue],
            timeline=_timeline(ctx, chosen, filters),
            visible_total=len(records),
        )


def successor_of(viewer: Viewer, key: str, *, ports: Ports) -> str | None:
    """For a retired id (a record split in parts, handlers/domain/splits.py): its first part the viewer may see."""
    with ports.open_session() as session:
        split = split_of(session=session, key=key)
        if split is None:
            return None
        ctx = Context(session, ports, Requester(user_ref=viewer.user_ref))
        for part in split.successor_keys:
            found = repository.get_commitment_id(session=session, key=part)
            if found is not None and ctx.visible([found]):
                return part
    return None


def item_page(viewer: Viewer, key: str, *, ports: Ports) -> ItemPage | None:
    """One item's page, or None when there is no such item or the viewer may not see it."""
    with ports.open_session() as session:
        ctx = Context(session, ports, Requester(user_ref=viewer.user_ref))
        found = repository.get_commitment_id(session=session, key=key)
        if found is None or not ctx.visible([found]):
            return None
        record = repository.load_commitments(session=session, ids=[found])[0]
        c = record.commitment
        changes = audit.entries_for(ctx, c.key, presses=False)
        refs = [e.actor_ref for e in changes] + [viewer.user_ref]
        names = _names(ctx, [record], extra=refs)
        related_ids = ctx.visible(commitment_ids_by_key(session=session, keys=c.related_keys))
        related = [
            (r.commitment.key, ctx.names.of(r.commitment))
            for r in repository.load_commitments(session=session, ids=related_ids)
        ]
        note, official = present.text_marks(record, ctx.names, full=True)
        return ItemPage(
            as_of=ports.clock.now(),
            viewer=names.get(viewer.user_ref, viewer.user_ref),
            row=_row(record, ctx.timeline, names),
            text=c.text,
            citation=_citation(record),
            facts=_facts(ctx, record, changes, names),
            history=[_said(audit.describe(e, ports.capitals), names) for e in changes],
            related=related,
            note=note,
            official=official,
            official_label=present.official_wording(official) if official else "",
            text_label=_(present.AGREED_IN_ENGLISH) if i18n.current() != i18n.ENGLISH else _("Agreed text"),
        )


def export_rows(viewer: Viewer, query: Mapping[str, str], *, ports: Ports) -> list[dict]:
    """The filtered items as the page lists them, as export rows (handlers/pages/export.py's columns)."""
    with ports.open_session() as session:
        ctx = Context(session, ports, Requester(user_ref=viewer.user_ref))
        records = _visible_records(ctx)
        names = _names(ctx, records)
        filters = Filters.from_query(query).within(_choices(records, names))
        ids = [r.commitment.id for r in records if _matches(r, filters)]
        rows = commitment_rows(session=session, timeline=ctx.timeline, ids=ids)
        seen = {r.commitment.key for r in records}
        for row in rows:
            row["owners"] = [_said(o, names) for o in row["owners"]]
            row["related"] = [key for key in row["related"] if key in seen]  # a restricted item's id is a secret too
        return rows


def spreadsheet_safe(rows: list[dict]) -> list[dict]:
    """Rows whose text cells cannot run as formulas when a spreadsheet opens the CSV."""

    def safe(value):
        if isinstance(value, str) and value.startswith(FORMULA_START):
            return "'" + value
        if isinstance(value, list):
            return [safe(v) for v in value]
        return value

    return [{column: safe(row[column]) for column in CSV_COLUMNS} for row in rows]


# -- building blocks ------------------------------------------------------------------


def _visible_records(ctx: Context) -> list[CommitmentRecord]:
    every = repository.all_commitment_ids(session=ctx.session)
    return repository.load_commitments(session=ctx.session, ids=ctx.visible(every))


def _names(ctx: Context, records: list[CommitmentRecord], *, extra: list[str] = ()) -> dict[str, str]:
    refs = {o.ref for r in records for o in r.owners if ":" in o.ref} | set(extra)
    return repository.people_names(session=ctx.session, refs=sorted(refs))


def _said(text: str, names: Mapping[str, str]) -> str:
    """Mentions (<@slack:U1>) as the names a reader knows, or the bare id when none is known."""
    return MENTION.sub(lambda m: names.get(m.group(1), m.group(1).partition(":")[2]), text)


def _owner_choices(record: CommitmentRecord, names: Mapping[str, str], book: NameBook = EMPTY) -> list[tuple[str, str]]:
    return [(o.ref, _said(book.owner(o), names)) for o in record.owners]


def _choices(records: list[CommitmentRecord], names: Mapping[str, str], book: NameBook = EMPTY) -> Choices:
    areas, owners, documents, statuses = {}, {}, {}, set()
    for r in records:
        for a in r.areas:
            areas[a.key] = book.of(a)
        owners.update(_owner_choices(r, names, book))
        documents[r.document.key] = (r.document.year, book.of(r.document))
        statuses.add(Status(r.commitment.status))
    return Choices(
        areas=sorted(areas.items(), key=lambda pair: pair[1]),
        owners=sorted(owners.items(), key=lambda pair: pair[1].casefold()),
        documents=[(key, title) for key, (_, title) in sorted(documents.items(), key=lambda pair: pair[1])],
        statuses=[(s.value, _(WORDS[s])) for s in ORDER if s in statuses],
    )


def _matches(record: CommitmentRecord, filters: Filters) -> bool:
    c = record.commitment
    return (
        (not filters.area or any(a.key == filters.area for a in record.areas))
        and (not filters.owner or any(o.ref == filters.owner for o in record.owners))
        and (not filters.document or record.document.key == filters.document)
        and (not filters.status or c.status == filters.status)
    )


def _row(record: CommitmentRecord, timeline: Timeline, names: Mapping[str, str]) -> ItemRow:
    c, book = record.commitment, timeline.names
    next_date = timeline.next_date(record)
    return ItemRow(
        key=c.key,
        title=book.of(c),
        areas=", ".join(book.of(a) for a in record.areas),
        document=book.of(record.document),
        status=str(c.status),
        status_words=timeline.status(c),
        owners=_said(present.owners_wording(record, book), names),
        next=next_date.wording if next_date else None,
        overdue=timeline.is_overdue(c),
    )


def _areas(records: list[CommitmentRecord], book: NameBook = EMPTY) -> list[AreaSummary]:
    """Status counts per area (an item filed under two areas counts in both), largest area first."""
    counts: dict[str, Counter] = {}
    named: dict[str, str] = {}
    for r in records:
        for a in r.areas:
            named[a.key] = book.of(a)
            counts.setdefault(a.key, Counter())[Status(r.commitment.status)] += 1
    summaries = [
        AreaSummary(
            key=key,
            name=named[key],
            counts=[(s.value, _(WORDS[s]), counts[key][s]) for s in ORDER if counts[key][s]],
            total=sum(counts[key].values()),
            done=counts[key][Status.done],
        )
        for key in counts
    ]
    return sorted(summaries, key=lambda a: (-a.total, a.name))


def _timeline(ctx: Context, records: list[CommitmentRecord], filters: Filters) -> list[TimelineEntry]:
    """Meetings (held, fixed, projected) and deadlines from a year back to a year ahead."""
    today = ctx.today
    start, end = today - WINDOW, today + WINDOW
    timeline = ctx.timeline
    entries: list[TimelineEntry] = []
    for r in records:
        c = r.commitment
        if c.due_start is None or c.kind == Kind.recurring_mechanism or not (start <= c.due_start <= end):
            continue
        state = "overdue" if timeline.is_overdue(c) else ("due" if c.due_end and c.due_end >= today else "past")
        what = timeline.names.of(c)
        entries.append(TimelineEntry(c.due_start, timeline.when(c.due_edtf), what, "deadline", state, c.key))
    linked = {r.commitment.mechanism_id for r in records if r.commitment.mechanism_id}
    meeting_ids = ctx.visible_meetings(list(timeline.outlooks))
    for mechanism_id in meeting_ids:
        outlook = timeline.outlooks[mechanism_id]
        m = outlook.record.mechanism
        name = timeline.names.of(m)
        if filters.active and mechanism_id not in linked and filters.area not in (m.area_keys if filters.area else ()):
            continue
        for o in outlook.record.occurrences:
            if start <= o.starts_on <= end:
                state = "planned" if o.planned_only else ("held" if o.ends_on < today else "fixed")
                state = "not held" if o.not_held else state
                entries.append(TimelineEntry(o.starts_on, _occurrence_when(ctx, o), name, "meeting", state, None))
        if outlook.projection is not None and outlook.next is not None and outlook.next.starts_on:
            if outlook.next.starts_on <= end:
                entries.append(
                    TimelineEntry(outlook.next.starts_on, outlook.next.wording, name, "meeting", "projected", None)
                )
    return sorted(entries, key=lambda e: (e.on, e.what))


def _occurrence_when(ctx: Context, occurrence) -> str:
    words = ctx.timeline.meeting_when(occurrence)
    if occurrence.place:
        words += f", {occurrence.place}"
    return words


def _citation(record: CommitmentRecord) -> str:
    cited = present.citation(record.document, record.commitment.section)
    return f"{record.document.title} ({cited.date}), {record.commitment.section}"


def _facts(ctx: Context, record: CommitmentRecord, changes: list[AuditEntry], names: Mapping[str, str]) -> list[Fact]:
    """Status, owners and next date, each with where it comes from: the agreed text, the
    curator's reading of it (assumed), or a change in chat (who, when)."""
    c = record.commitment
    timeline = ctx.timeline

    def changed(field_name: str) -> str | None:
        for entry in changes:  # newest first
            if field_name in entry.after:
                who = names.get(entry.actor_ref, entry.actor_ref.partition(":")[2] or entry.actor_ref)
                return _("set by {who} on {day} (from {origin})").format(
                    who=who, day=dates.day(entry.at.date()), origin=entry.origin
                )
        return None

    # Where each owner and the status come from: handlers/domain/provenance.py, as `show` and the exports say it.
    sourced = provenance.facts_of(ctx, record)
    status_source = _said(sourced.status, names)
    owners_source = _said(sourced.owners_wording(), names) if record.owners else _("nobody assigned")
    facts = [
        Fact(_("Status"), timeline.status(c), status_source),
        Fact(_("Owners"), _said(present.owners_wording(record), names), owners_source),
    ]
    next_date = timeline.next_date(record)
    if next_date is not None:
        if next_date.fixed:
            set_in_chat = changed("due") or changed("date")
            source = _("a date set in chat") if set_in_chat else _("a date in the source documents")
        else:
            outlook = timeline.outlook(c.mechanism_id) if c.mechanism_id else None
            basis = outlook.projection.basis if outlook and outlook.projection else ""
            source = _("projected, not fixed: {basis}").format(basis=basis) if basis else _("projected, not fixed")
        facts.append(Fact(_("Next"), next_date.wording, source))
    if c.due_edtf and next_date is None:
        facts.append(Fact(_("Due"), timeline.when(c.due_edtf), _("the date the agreed text gives")))
    kind = _(KIND_WORDS.get(c.kind, c.kind.replace("_", " ")))
    facts.append(Fact(_("Kind"), kind, _("how the curator classified the text")))
    if (split := split_from_fact(ctx, c.key)) is not None:  # an old id people used leads here
        facts.append(Fact(split.label, split.value, _("one record of the agenda split in parts")))
    if c.content_origin == Origin.bot:
        facts.append(Fact(_("Text"), _("edited in chat"), changed("text") or _("see the history below")))
    if c.source_note:
        facts.append(Fact(_("Source note"), c.source_note, _("given when it was added in chat")))
    return facts
