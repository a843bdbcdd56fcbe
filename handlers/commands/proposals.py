"""A meeting's agenda: `/agenda propose <id> for <meeting>`, and `/agenda briefing <meeting>`.

A proposal puts a commitment on the agenda of a mechanism's next meeting: the
first one after the last meeting held. Coordinators and the meeting's owners
propose; it is audited; proposing the same item twice for one meeting is
refused. The meeting's page lists the proposals (a restricted one, in a
channel, only as "1 restricted item"), and the briefing is one page to print:
the meeting, its last record, its checklist, and each proposed item's agreed
text, status, owners and last change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from handlers.commands.held import meeting_outlook
from handlers.commands.listings import unknown_id
from handlers.commands.parser import ParseError
from handlers.domain import audit
from handlers.domain.audit import ACTION_WORDS
from handlers.domain.context import Context
from handlers.domain.permissions import at_least, refusal
from handlers.domain.timeline import MechanismOutlook, is_upcoming
from handlers.views import i18n
from handlers.views.dates import moment
from handlers.views.i18n import N_, _, ngettext
from handlers.views.reply import Action, ActionKind, Fact, Item, Reply, Section, Tone
from models import meetings, repository, writes
from models.revision import agenda_changed
from models.tables import Held, Mechanism, Occurrence, OwnerKind, Proposal, Role

_ID = re.compile(r"^\d{4}-[A-Za-z]?\d+[a-z]?$")
USAGE = N_("For example `/agenda propose 2002-A4 for pol-mil`.")


@dataclass(frozen=True)
class Propose:
    id: str
    target: str


@dataclass(frozen=True)
class Briefing:
    target: str


def parse_propose(rest: str) -> Propose | ParseError:
    head, _, tail = rest.partition(" ")
    tail = tail.strip()
    for joining in ("for ", "pour "):  # `propose 2002-A4 for pol-mil`, `proposer 2002-A4 pour pol-mil`
        if tail.lower().startswith(joining):
            tail = tail[len(joining) :].strip()
    if not _ID.match(head) or not tail:
        return ParseError(N_("`propose` needs a commitment id and a meeting."), USAGE)
    return Propose(head, tail)


def parse_briefing(rest: str) -> Briefing | ParseError:
    if not rest.strip():
        return ParseError(N_("`briefing` needs a meeting."), N_("For example `/agenda briefing pol-mil`."))
    return Briefing(rest.strip())


def since_last_held(occurrences: list[Occurrence], today: date) -> date | None:
    """The day after the last meeting held: proposals from then on are for the next one."""
    held = [o for o in occurrences if o.held == Held.held
            or (o.held is None and not o.planned_only and o.ends_on < today)]  # fmt: skip
    return held[-1].ends_on + timedelta(days=1) if held else None


def proposed_ids(ctx: Context, outlook: MechanismOutlook) -> list[int]:
    """The commitments proposed for this meeting's next occurrence, in the order proposed (unfiltered)."""
    since = since_last_held(outlook.record.occurrences, ctx.today)
    rows = meetings.proposals_of(session=ctx.session, mechanism_id=outlook.record.mechanism.id, since=since)
    return list(dict.fromkeys(row.commitment_id for row in rows))


def page_section(ctx: Context, outlook: MechanismOutlook) -> Section | None:
    ids = proposed_ids(ctx, outlook)
    if not ids:
        return None
    shown = ctx.visible(ids)
    hidden = len(ids) - len(shown)
    body = _restricted(hidden) if hidden else None
    return Section(heading=_("Proposed for its agenda"), body=body, items=ctx.items(shown))


def _restricted(hidden: int) -> str:
    return ngettext("{n} restricted item, not shown here.", "{n} restricted items, not shown here.", hidden).format(
        n=hidden
    )


def propose(command: Propose, ctx: Context) -> Reply:
    found = meeting_outlook(ctx, command.target)
    if isinstance(found, Reply):
        return found
    target, outlook = found
    owners = {o.ref for o in outlook.record.owners if o.kind == OwnerKind.user}
    if not at_least(ctx.role, Role.coordinator) and set(ctx.identities).isdisjoint(owners):
        return refusal(ctx.session, Role.coordinator, N_("propose items for a meeting"), ctx.ports.admins)
    commitment_id = repository.get_commitment_id(session=ctx.session, key=command.id)
    if commitment_id is None or not ctx.visible([commitment_id]):
        return unknown_id(command.id, ctx)
    next_wording = outlook.next.wording if outlook.next else _("its next meeting")
    if commitment_id in proposed_ids(ctx, outlook):
        return Reply(title=_("{id} is already proposed for the {name} ({next}).").format(
                         id=command.id, name=target.name, next=next_wording),
                     summary=_("Nothing was changed."), tone=Tone.notice)  # fmt: skip
    mechanism = ctx.session.get(Mechanism, target.id)
    agenda_changed(ctx.session)
    now = ctx.ports.clock.now()
    row = Proposal(mechanism_id=target.id, commitment_id=commitment_id, proposed_on=ctx.today,
                   proposed_by=ctx.requester.user_ref, proposed_at=now)  # fmt: skip
    meetings.save_proposal(session=ctx.session, row=row)
    writes.touch(session=ctx.session, row=mechanism, now=now)
    audit.record(ctx, action="propose", target_type="mechanism", target_key=target.key, before={},
                 after={"proposed": command.id})  # fmt: skip
    [record] = repository.load_commitments(session=ctx.session, ids=[commitment_id])
    return (
        Reply(
            title=_("Proposed {id} for the {name} ({next}).").format(
                id=command.id, name=target.name, next=next_wording
            ),
            sections=[Section(items=ctx.items([commitment_id]))],
            actions=[
                Action(ActionKind.run, _("Meeting page"), f"meeting {target.key}"),
                Action(ActionKind.run, _("Briefing"), f"briefing {target.key}"),
            ],  # fmt: skip
        )
        if record
        else unknown_id(command.id, ctx)
    )


# -- the briefing ----------------------------------------------------------------------------------


def briefing(command: Briefing, ctx: Context) -> Reply:
    from handlers.commands.meeting_page import opening_wording
    from handlers.commands.milestones import page_section as checklist_section
    from handlers.commands.outcomes import delegation_section, record_sections

    found = meeting_outlook(ctx, command.target)
    if isinstance(found, Reply):
        return found
    target, outlook = found
    record = outlook.record
    lines = [_("Next: {date}.").format(date=outlook.next.wording) if outlook.next else
             _("No date is fixed or projected.")]  # fmt: skip
    fixed = next((o for o in record.occurrences if is_upcoming(o, ctx.today)), None)
    if fixed is not None and (opening := opening_wording(ctx, fixed)):
        lines.append(opening)
    people = [ctx.names.owner(o) for o in record.owners]
    lines.append(_("Owners: {owners}.").format(owners=", ".join(people) or _("no owner yet")))
    sections = [Section(heading=_("The meeting"), body="\n".join(lines))]
    checklist, _actions = checklist_section(ctx, outlook)
    if checklist is not None:
        sections.append(checklist)
    if (delegations := delegation_section(ctx, outlook)) is not None:
        sections.append(delegations)
    ids = proposed_ids(ctx, outlook)
    shown = ctx.visible(ids)
    changes = meetings.last_changes(session=ctx.session, keys=[r.commitment.key for r in
                                    repository.load_commitments(session=ctx.session, ids=shown)])  # fmt: skip
    items = [_with_last_change(item, changes.get(item.id), ctx) for item in ctx.items(shown)]
    hidden = len(ids) - len(shown)
    body = _("Nothing is proposed yet: `/agenda propose <id> for {key}`.").format(key=target.key) \
        if not ids else (_restricted(hidden) if hidden else None)  # fmt: skip
    sections.append(Section(heading=_("For discussion"), body=body, items=items))
    # The last meeting's record of discussion and its follow-up actions: where the next one starts from.
    sections += [Section(heading=s.heading, body=s.body, items=[_printed(i, ctx) for i in s.items])
                 for s in record_sections(ctx, outlook)]  # fmt: skip
    return Reply(
        title=_("Briefing: {name}").format(name=ctx.names.of(record.mechanism)),
        summary=_("Prepared {moment}.").format(moment=moment(ctx.ports.clock.now(), ctx.ports.capitals, flag=False)),
        sections=sections,
        actions=[Action(ActionKind.share, _("Share in channel"), f"briefing {target.key}")],
    )


def _with_last_change(item: Item, entry, ctx: Context) -> Item:
    if entry is None:
        fact = Fact(_("Last change"), _("none through the bot (as in its source document)"))
    else:
        fact = Fact(_("Last change"), _("{action}, {moment}, by {person}").format(
            action=entry.action if i18n.current() == i18n.ENGLISH else _(ACTION_WORDS.get(entry.action, entry.action)),
            moment=moment(entry.at, ctx.ports.capitals, flag=False),
            person=f"<@{entry.actor_ref}>"))  # fmt: skip
    return Item(**{**item.__dict__, "facts": [*item.facts, fact], "trimmed": False, "text": _full_text(item, ctx)})


def _printed(item: Item, ctx: Context) -> Item:
    return Item(**{**item.__dict__, "trimmed": False, "text": _full_text(item, ctx)})


def _full_text(item: Item, ctx: Context) -> str:
    """The agreed text in full: a briefing is read on paper, not clicked through."""
    if not item.trimmed:
        return item.text
    commitment_id = repository.get_commitment_id(session=ctx.session, key=item.id)
    [record] = repository.load_commitments(session=ctx.session, ids=[commitment_id])
    return record.commitment.text
