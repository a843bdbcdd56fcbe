"""A meeting's preparation and follow-up: its checklist, relative to the meeting's day.

The defaults are what a coordinator of a bilateral meeting expects: agenda
proposals exchanged 30 days before, briefing notes ready 14 days before, the
delegation list sent 7 days before, the record of discussion agreed 14 days
after. Each has an owner (the meeting's owners until someone is named) and is
done, late or due. A meeting's checklist starts once its day is fixed; a
`Milestone` row keeps what was changed for that meeting (its day, owner, done).

`/agenda milestone <meeting> <step> done | owner @person | <n> days before|after`
changes one step: done by its owners or a coordinator, the rest by coordinators;
audited. The reminders go through the planner like any dated item
(scheduling/reminders.py), the page and the digest show done and late. What a checklist is
(its steps, their days and owners): handlers/domain/checklists.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from handlers.commands import registry, terms
from handlers.commands.held import meeting_outlook
from handlers.commands.parser import MENTION, ParseError
from handlers.domain import audit
from handlers.domain.checklists import DEFAULTS, Step, StepKind, checklist, checklist_occurrence
from handlers.domain.context import Context
from handlers.domain.permissions import at_least, refusal
from handlers.domain.timeline import MechanismOutlook
from handlers.views import i18n
from handlers.views.dates import day
from handlers.views.i18n import N_, _, colon
from handlers.views.reply import Action, ActionKind, Reply, Section, Tone
from models import meetings, writes
from models.repository import MechanismRecord
from models.revision import agenda_changed
from models.tables import Mechanism, Milestone, OwnerKind, Role
from scheduling import outbox

_BY_WORD = {terms.folded(word): kind for kind in DEFAULTS for word in kind.words}
_JAPANESE_DAYS = re.compile(r"^(\d{1,3})\s*日\s*(前|後)$")  # 21日前, 14日後
MAX_DAYS = 365
USAGE = N_(
    "For example `/agenda milestone pol-mil briefing done`, `/agenda milestone pol-mil briefing owner @maria`, "
    "`/agenda milestone pol-mil briefing 21 days before`. Steps: agenda, briefing, delegation, record."
)


@dataclass(frozen=True)
class ChangeMilestone:
    target: str
    step: str  # a StepKind key
    done: bool | None = None
    owner: str | None = None  # "<platform>:<id>"
    days: int | None = None


# -- words --------------------------------------------------------------------------------------


def parse_milestone(rest: str) -> ChangeMilestone | ParseError:
    # `pol-mil議題案完了`, `ブリーフィング担当<@…>`: no spaces in Japanese. A step's word and what follows it are
    # split wherever they are: no meeting's name holds them.
    tokens = terms.japanese_spaced(rest, "done", "not done", "owner", anywhere=True, words=_BY_WORD).split()
    lowered = [terms.folded(t) for t in tokens]  # `procès-verbal`, `proces-verbal`
    found = None
    for i in range(1, len(tokens)):
        for size in (3, 2, 1):  # "record of discussion" before "record"
            if (kind := _BY_WORD.get(" ".join(lowered[i : i + size]))) is not None:
                found = (i, i + size, kind)
                break
        if found:
            break
    if found is None:
        return ParseError(N_("`milestone` needs a meeting, a step and what to change."), USAGE, unfit=True)
    start, end, kind = found
    target, tail = " ".join(tokens[:start]), lowered[end:]
    if tail and terms.means(" ".join(tail), "done"):  # fait, 完了
        return ChangeMilestone(target, kind.key, done=True)
    if tail and terms.means(" ".join(tail), "not done"):  # pas fait, 未完了
        return ChangeMilestone(target, kind.key, done=False)
    if len(tail) == 2 and terms.means(tail[0], "owner") and (mention := MENTION.fullmatch(tokens[end + 1])):
        return ChangeMilestone(target, kind.key, owner=mention.group(1))
    if japanese := _JAPANESE_DAYS.match(" ".join(tail)):  # 21日前
        tail = [japanese.group(1), "days", "before" if japanese.group(2) == "前" else "after"]
    side = terms.term_of(tail[2], "before", "after") if len(tail) == 3 else None  # avant, après; 前, 後
    if side and tail[0].isdigit() and terms.means(tail[1], "days"):
        tail[2] = side
        n = int(tail[0])
        if n > MAX_DAYS:
            return ParseError(
                _("A step is at most {most} days from its meeting, not {n}.").format(most=MAX_DAYS, n=n), USAGE
            )
        return ChangeMilestone(target, kind.key, days=-n if tail[2] == "before" else n)
    words = repr(" ".join(tokens[end:]) or _("nothing"))
    return ParseError(_("I don't understand {words} after the step.").format(words=words), USAGE)


# -- the checklist --------------------------------------------------------------------------------


def owners_wording(step: Step, record: MechanismRecord) -> str:
    if step.owners:
        return ", ".join(f"<@{ref}>" for ref in step.owners)
    return _("the meeting's owners") if record.owners else _("no owner yet")


def step_line(ctx: Context, step: Step, record: MechanismRecord) -> str:
    state = step.state(ctx.today)
    due = ctx.timeline.when(step.due.isoformat())
    line = _("{step}: due {due} ({relative}), owner {owners}").format(
        step=step.kind.name, due=due, relative=step.relative, owners=owners_wording(step, record)
    )
    if state == "done":
        done_on = day(step.done_at.date())
        if step.done_by:
            by = f"<@{step.done_by}>"
            return "✓ " + _("{line}: done {day} by {person}").format(line=line, day=done_on, person=by)
        return "✓ " + _("{line}: done {day}").format(line=line, day=done_on)
    return "✗ " + _("{line}: late").format(line=line) if state == "late" else f"○ {line}"


def page_section(ctx: Context, outlook: MechanismOutlook) -> tuple[Section | None, list[Action]]:
    """The checklist on a meeting's page, and (for a coordinator) a button for the first step not done."""
    record = outlook.record
    occurrence = checklist_occurrence(record, ctx.today)
    if occurrence is None:
        if outlook.projection is not None:
            return Section(heading=_("Preparation"), body=_("The checklist starts when a date is fixed.")), []
        return None, []
    rows = meetings.milestones_of(session=ctx.session, occurrence_ids=[occurrence.id])[occurrence.id]
    steps = checklist(record, occurrence, rows).steps
    heading = _("Preparation and follow-up, for {date}").format(date=ctx.timeline.when(occurrence.date_edtf))
    section = Section(heading=heading, body="\n".join(step_line(ctx, s, record) for s in steps))
    open_steps = [s for s in steps if not s.done_at]
    actions = []
    if ctx.sees_everything and open_steps:
        first = open_steps[0]
        actions.append(Action(ActionKind.do, _("Done: {step}").format(step=first.kind.name),
                              f"milestone {record.mechanism.key} {first.kind.key} done"))  # fmt: skip
    return section, actions


# -- changing a step ---------------------------------------------------------------------------


def change_milestone(command: ChangeMilestone, ctx: Context) -> Reply:
    found = meeting_outlook(ctx, command.target)
    if isinstance(found, Reply):
        return found
    target, outlook = found
    record = outlook.record
    owners = {o.ref for o in record.owners if o.kind == OwnerKind.user}
    occurrence = checklist_occurrence(record, ctx.today)
    rows = meetings.milestones_of(session=ctx.session, occurrence_ids=[occurrence.id])[occurrence.id] if occurrence \
        else []  # fmt: skip
    row = next((r for r in rows if r.key == command.step), None)
    step_owner = {row.owner_ref} if row and row.owner_ref else set()
    may = at_least(ctx.role, Role.coordinator) or (
        command.done is not None and not set(ctx.identities).isdisjoint(owners | step_owner)
    )
    if not may:
        doing = N_("mark a meeting's steps done") if command.done is not None else N_("change a meeting's checklist")
        return refusal(ctx.session, Role.coordinator, doing, ctx.ports.admins)
    if occurrence is None:
        return Reply(
            title=_("{name} has no date fixed, so no checklist yet.").format(name=target.name),
            summary=_("Nothing was changed."),
            sections=[Section(body=_("Fix one first: `/agenda schedule {key} <date>`.").format(key=target.key))],
            tone=Tone.notice,
        )
    kind = next(k for k in DEFAULTS if k.key == command.step)
    before, before_days = _fields(row, kind), (row.days if row else kind.days)
    if command.done is not None and bool(row and row.done_at) == command.done:
        already = _("{step} is already done.") if command.done else _("{step} is already not done.")
        return Reply(title=already.format(step=kind.name), tone=Tone.notice)
    mechanism = ctx.session.get(Mechanism, target.id)
    agenda_changed(ctx.session)
    row = row or Milestone(occurrence_id=occurrence.id, key=kind.key, days=kind.days)
    if command.done is not None:
        row.done_at, row.done_by = (ctx.ports.clock.now(), ctx.requester.user_ref) if command.done else (None, None)
    if command.owner is not None:
        row.owner_ref = command.owner
    if command.days is not None:
        row.days = command.days
    meetings.save_milestone(session=ctx.session, row=row)
    ref = f"milestone:{target.key}.{kind.key}:"
    if command.done:  # its reminders not yet sent are not wanted any more
        outbox.cancel_pending(ctx.session, key_prefix=ref, reason="the step was marked done")
    elif command.days is not None and command.days != before_days:  # those for its old day neither
        old_day = occurrence.starts_on + timedelta(days=before_days)
        outbox.cancel_pending(ctx.session, key_prefix=f"{ref}{old_day}:", reason="the step moved")
    writes.touch(session=ctx.session, row=mechanism, now=ctx.ports.clock.now())
    after = _fields(row, kind)
    audit.record(ctx, action="milestone", target_type="mechanism", target_key=target.key, before=before, after=after)
    steps = checklist(record, occurrence, [r for r in rows if r.key != row.key] + [row]).steps
    step = next(s for s in steps if s.kind.key == kind.key)
    return Reply(
        title=_("{name}, {date}: {step}.").format(
            name=target.name, date=ctx.timeline.when(occurrence.date_edtf), step=step_line(ctx, step, record)
        ),
        actions=[Action(ActionKind.run, _("Meeting page"), f"meeting {target.key}")],
    )


def _fields(row: Milestone | None, kind: StepKind) -> dict:
    """One field per step, in words, so `history` and the digest's changes read it as it is
    (kept in the audit log, so in English: the record's own words)."""
    days = row.days if row else kind.days
    words = f"{abs(days)} days {'before' if days < 0 else 'after'}"
    if row and row.owner_ref:
        words += f", owner <@{row.owner_ref}>"
    if row and row.done_at:
        words += f", done {day_words(row.done_at.date())}"
    return {f"milestone_{kind.key}": words}


def day_words(value: date) -> str:
    """A day in English, as the audit log keeps it (shown: handlers.views.dates.day, in the reader's language)."""
    return f"{value:%a} {value.day} {value:%b %Y}"


def feed_events(ctx: Context, record: MechanismRecord, leads) -> list:
    """The steps of a meeting's current checklist as calendar events (handlers/pages/calendar/meetings.py):
    all-day, free time, with alarms at the subscriber's lead times while the step is open."""
    from scheduling.ics import UID_DOMAIN, FeedEvent

    occurrence = checklist_occurrence(record, ctx.today)
    if occurrence is None:
        return []
    rows = meetings.milestones_of(session=ctx.session, occurrence_ids=[occurrence.id])[occurrence.id]
    m, meeting_day = record.mechanism, ctx.timeline.when(occurrence.date_edtf)
    name = ctx.names.of(m)
    events = []
    for step in checklist(record, occurrence, rows).steps:
        state = step.state(ctx.today)
        events.append(
            FeedEvent(
                uid=f"milestone-{m.key}-{occurrence.id}-{step.kind.key}@{UID_DOMAIN}",
                summary=colon(name, step.kind.name) + (_(" (done)") if state == "done" else ""),
                description=_("For the {name}, {date} ({relative}).").format(
                    name=name, date=meeting_day, relative=step.relative
                )
                + "\n"
                + _("In chat: {command}").format(command=_typed_done(m.key, step.kind.key)),
                starts_on=step.due,
                ends_on=step.due,
                categories=(_("Meeting preparation"),),
                transparent=True,
                lead_days=leads.for_item(m.reminder_lead_days) if state == "due" else (),
            )
        )
    return events


def _typed_done(meeting: str, step: str) -> str:
    """`/agenda milestone <meeting> <step> done` as the reader types it (`/agenda étape … fait`, `/agenda
    チェックリスト … 完了`)."""
    done = terms.words_of("done", i18n.current())[0]
    return registry.in_reader_words(f"/agenda milestone {meeting} {step} {done}")
