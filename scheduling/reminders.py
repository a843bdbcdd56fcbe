"""From the agenda to outbox messages: what is due, for whom, saying what.

``due_items`` reads the agenda as the planner needs it (dates, people who
own them); ``planned_messages`` runs the planner and words each message as a
neutral Reply, ready for the outbox.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.domain import audience, identities
from handlers.domain.checklists import checklists, step_of
from handlers.domain.languages import language_for
from handlers.domain.timeline import Timeline, is_upcoming
from handlers.views import i18n, present
from handlers.views.dates import moment
from handlers.views.i18n import N_, _, ngettext
from handlers.views.reply import Action, ActionKind, Item, Reply, Section, reply_to_data
from models import follow_ups, repository
from models.people import all_people
from models.tables import CLOSED, Kind, Sensitivity
from scheduling import outbox
from scheduling.capitals import DEFAULT_CAPITALS, Capitals
from scheduling.outbox import Planned
from scheduling.planner import Due, DueItem, Policy, Recipient, plan


@dataclass(frozen=True)
class AgendaItem:
    """A DueItem plus what the wording and the visibility rules need."""

    due: DueItem
    when: str  # "by 31 Dec 2027", "14 Oct 2027", "autumn 2026"
    restricted: bool
    detail: Item  # the commitment or meeting, as every answer shows it


def due_items(session: Session, timeline: Timeline, links: identities.Links | None = None) -> list[AgendaItem]:
    """Each dated item, with the identities its owners' messages go to (a linked person's
    reminders reach Slack, Teams or both, as they chose: handlers/domain/identities.py)."""
    items: list[AgendaItem] = []
    links = links or identities.load(session)
    people = _people_owners(session, links)
    dated = repository.commitment_ids_with_due_dates(session=session)
    records = repository.load_commitments(session=session, ids=dated)
    keys = [r.commitment.key for r in records] + [o.record.mechanism.key for o in timeline.outlooks.values()]
    set_at = repository.dates_set_at(session=session, keys=keys)
    for record in records:
        c = record.commitment
        if c.status in CLOSED or c.mechanism_id:
            continue
        overdue = timeline.is_overdue(c)
        if not overdue and (c.due_end is None or c.due_end < timeline.today):
            continue  # a past event: nothing to remind
        kind = "deadline" if c.kind == Kind.deadline else "event"
        due = DueItem(
            ref=c.key,
            title=timeline.names.of(c),
            kind=kind,
            starts_on=c.due_start if c.kind != Kind.deadline else None,
            ends_on=c.due_end,
            owners=tuple(people.get(("commitment", c.id), ())),
            overdue=overdue,
            lead_days=tuple(c.reminder_lead_days) if c.reminder_lead_days else None,
            dated_at=set_at.get((c.key, c.due_edtf)),
        )
        when = timeline.when(c.due_edtf)
        items.append(AgendaItem(due, when, c.sensitivity == Sensitivity.restricted, present.item(record, timeline)))
    hidden = audience.restricted_meetings(session, timeline.outlooks)  # as restricted as their commitments
    for outlook in timeline.outlooks.values():
        mechanism, nxt = outlook.record.mechanism, outlook.next
        if nxt is None:
            continue
        due = DueItem(
            ref=mechanism.key,
            title=timeline.names.of(mechanism),
            kind="meeting" if nxt.fixed else "projected",
            starts_on=nxt.starts_on,
            ends_on=nxt.ends_on,
            owners=tuple(people.get(("mechanism", mechanism.id), ())),
            lead_days=tuple(mechanism.reminder_lead_days) if mechanism.reminder_lead_days else None,
            dated_at=set_at.get((mechanism.key, _fixed_edtf(outlook, timeline))) if nxt.fixed else None,
            starts_at=nxt.at if nxt.fixed else None,
        )
        detail = Item(
            id=mechanism.key, title=timeline.names.of(mechanism), text=nxt.wording, citation=None, quoted=False
        )
        fixed = _fixed_edtf(outlook, timeline) if nxt.fixed else None
        # a fixed date, in the reader's language; a fixed time, in both capitals
        label = timeline.when(fixed) if fixed and nxt.at is None else nxt.label
        items.append(AgendaItem(due, label, mechanism.id in hidden, detail))
    from scheduling.meeting_asks import unrecorded_items

    return items + step_items(session, timeline, people, links, hidden) + unrecorded_items(timeline, people, hidden)


def step_items(session, timeline, people: dict, links, hidden: set[int]) -> list:
    """Each open step of each current checklist as a dated item for the planner (above):
    reminded at the usual lead times, to its owner (or the meeting's people), like any other date."""
    items = []
    records = [o.record for o in timeline.outlooks.values()]
    for m_id, found in checklists(session, records, timeline.today).items():
        mechanism = timeline.outlooks[m_id].record.mechanism
        name = timeline.names.of(mechanism)
        meeting_day = timeline.meeting_when(found.occurrence)
        for step in found.steps:
            if step.done_at or step.due < timeline.today:
                continue
            owners = [r for ref in step.owners for r in links.deliver_to(ref)] if step.owner_named else \
                people.get(("mechanism", m_id), [])  # fmt: skip
            due = DueItem(
                ref=f"{mechanism.key}.{step.kind.key}", title=f"{name}: {step.kind.name}",
                kind="milestone", starts_on=step.due, ends_on=step.due, owners=tuple(dict.fromkeys(owners)),
            )  # fmt: skip
            text = _("For the {name}, {date} ({relative}).").format(name=name, date=meeting_day, relative=step.relative)
            detail = Item(id=due.ref, title=due.title, text=text, citation=None, quoted=False)
            items.append(AgendaItem(due, timeline.when(step.due.isoformat()), m_id in hidden, detail))
    return items


def _fixed_edtf(outlook, timeline: Timeline) -> str | None:
    """The date as it was fixed (EDTF) of a meeting's next occurrence, as the timeline chose it."""
    upcoming = (o for o in outlook.record.occurrences if is_upcoming(o, timeline.today))
    return next((o.date_edtf for o in upcoming), None)


def _people_owners(session: Session, links: identities.Links) -> dict[tuple[str, int], list[str]]:
    """Where each item's owners are messaged; a person assigned under both identities once per identity."""
    owners: dict[tuple[str, int], dict[str, None]] = {}
    for owner in repository.user_owners(session=session):
        key = ("commitment", owner.commitment_id) if owner.commitment_id else ("mechanism", owner.mechanism_id)
        owners.setdefault(key, {}).update(dict.fromkeys(links.deliver_to(owner.ref)))
    return {key: list(refs) for key, refs in owners.items()}


def people(session: Session, links: identities.Links | None = None) -> dict[str, Recipient]:
    """Timezones and lead times the bot knows, by user ref.

    A linked identity the platform gave no timezone (or no lead times) takes
    its person's from another identity: it is the same person, in the same place.
    """
    links = links or identities.load(session)
    rows = {p.user_ref: p for p in all_people(session=session)}
    found = {}
    for ref in set(rows) | set(links.groups):
        mine = [rows[r] for r in links.of(ref) if r in rows]
        mine.sort(key=lambda row: row.user_ref != ref)  # its own settings first
        zone = next((row.timezone for row in mine if row.timezone), None)
        lead = next((tuple(row.lead_days) for row in mine if row.lead_days), None)
        found[ref] = Recipient(ref, zone, lead)
    return found


def planned_messages(session: Session, timeline: Timeline, policy: Policy, now) -> list[Planned]:
    """Each message due, worded in its recipient's language (no request here: the language is theirs, explicitly)."""
    links = identities.load(session)
    agendas = {i18n.DEFAULT: {a.due.ref: a for a in due_items(session, timeline, links)}}
    sent = _escalations_so_far(session)
    acknowledged = frozenset(follow_ups.acknowledged_items(session=session))
    planned = []
    items = [a.due for a in agendas[i18n.DEFAULT].values()]
    spoken: dict[str, str] = {}
    for due in plan(items, people(session, links), policy, now, escalations_sent=sent, acknowledged=acknowledged):
        item = agendas[i18n.DEFAULT][due.item.ref]
        if item.restricted and due.target == policy.coordinators_channel:
            continue  # restricted items never reach a channel; their owners (and the lead) still get DMs
        # Owners were expanded before planning; the lead is one setting, expanded here the same way.
        targets = links.deliver_to(due.target) if due.target == policy.lead else (due.target,)
        for target in targets:
            key = due.key if target == due.target else due.key.removesuffix(due.target) + target
            language = spoken.get(target) or spoken.setdefault(target, language_for(session, target))
            with i18n.speaking(language):
                if language not in agendas:  # the items as listed, in this language (their dates, their facts)
                    agendas[language] = {a.due.ref: a for a in due_items(session, timeline, links)}
                body = reply_to_data(wording(due, agendas[language][due.item.ref], policy.capitals))
            planned.append(Planned(key, due.kind, target, due.at, body))
    return planned


def _escalations_so_far(session: Session) -> Counter[str]:
    keys = outbox.keys_of_kind(session, "escalation")
    # escalation:<ref>:<day>:<target>: count distinct days per item, not per recipient
    return Counter(ref for ref, _day in {tuple(k.split(":")[1:3]) for k in keys})


def wording(due: Due, item: AgendaItem, capitals: Capitals = DEFAULT_CAPITALS) -> Reply:
    item_due, when = due.item, item.when
    item_due = replace(item_due, title=item.due.title)  # the title as listed in the reader's language
    late = None
    if due.kind in ("reminder", "milestone"):
        # Counted from the day it is sent: a weekend moves it earlier, a late date later.
        day = item_due.starts_on or item_due.ends_on
        if item_due.starts_at is not None:  # a meeting's time: its day where the recipient is
            day = item_due.starts_at.astimezone(ZoneInfo(due.zone)).date()
        days = (day - due.at.astimezone(ZoneInfo(due.zone)).date()).days
        title = ngettext(
            "Reminder: {title}, {when} (in {days} day)", "Reminder: {title}, {when} (in {days} days)", days
        ).format(title=item_due.title, when=when, days=days)
        hint = (
            _("Details: `/agenda show {ref}`.").format(ref=item_due.ref)
            if item_due.kind not in ("meeting", "milestone")
            else ""
        )
        if due.fixed_late:
            late = Section(
                body=ngettext(
                    "Later than usual: the date was set {moment}, after this reminder's usual time ({lead} day "
                    "before).",
                    "Later than usual: the date was set {moment}, after this reminder's usual time ({lead} days "
                    "before).",
                    due.lead,
                ).format(moment=moment(due.at, capitals), lead=due.lead)
            )
    elif due.kind == "record_prompt":
        from scheduling.meeting_asks import prompt_wording

        title, hint, actions = prompt_wording(item.detail.id, when, item_due.title)
        sections = [Section(items=[item.detail]), Section(body=hint)]
        return Reply(
            title=title, sections=sections, actions=[*actions, Action(ActionKind.do, _("Open"), f"open {due.key}")]
        )
    elif due.kind == "date_prompt":
        title = _("Please fix a date: {title} is expected in {when}, and no date is set yet.").format(
            title=item_due.title, when=when
        )
        hint = _(
            "`/agenda plan {ref}` proposes three dates clear of holidays on both sides. "
            "When it is agreed: `/agenda schedule {ref} <date> in <city> host Canada|Japan`."
        ).format(ref=item_due.ref)
    else:
        title = _("Overdue: {title} was due {when}; no outcome is on record.").format(title=item_due.title, when=when)
        hint = _("Record what happened: `/agenda status {ref} <status> <note>`.").format(ref=item_due.ref)
    sections = [Section(items=[item.detail]), Section(body=hint or None)]
    return Reply(title=title, sections=[late, *sections] if late else sections, actions=buttons(due))


SNOOZES = ((1, "tomorrow"), (7, "next week"))  # typed in the button's command: English, as the parser reads it
SNOOZE_LABELS = {"tomorrow": N_("Snooze: tomorrow"), "next week": N_("Snooze: next week")}


def buttons(due: Due) -> list[Action]:
    """Acknowledge, Snooze (tomorrow, next week: those that come back before the item's day), Mark done, Open."""
    ref, is_commitment = due.item.ref, due.item.kind in {"deadline", "event"}  # meetings have no "done"
    actions = [Action(ActionKind.do, _("Acknowledge"), f"ack {due.key}")]
    sent_on = due.at.astimezone(ZoneInfo(due.zone)).date()
    for days, words in SNOOZES:
        if snooze_in_time(due.kind, due.item.starts_on or due.item.ends_on, sent_on + timedelta(days=days)):
            actions.append(Action(ActionKind.do, _(SNOOZE_LABELS[words]), f"snooze {due.key} {words}"))
    if is_commitment:
        actions.append(Action(ActionKind.do, _("Mark done"), f"status {ref} done"))
    elif due.item.kind == "milestone" and (step := step_of(ref)):
        actions.append(Action(ActionKind.do, _("Mark done"), f"milestone {step[0]} {step[1]} done"))
    actions.append(Action(ActionKind.do, _("Open"), f"open {due.key}"))  # shows the item; the press is audited
    return actions


def snooze_in_time(kind: str, day: date | None, back_on: date) -> bool:
    """Whether a snooze that brings a message back on ``back_on`` still comes before the day it is about.

    A reminder or a date prompt is worth nothing once its day has come; an
    escalation is about a day long past, and may be snoozed as its recipient likes.
    """
    return kind not in {"reminder", "milestone", "date_prompt"} or day is None or back_on < day
