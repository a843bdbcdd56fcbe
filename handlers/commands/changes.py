"""Changes from chat: roles, owners, status and treaty stages, meeting dates,
sensitivity, and the history of each.

Every handler validates first and changes last; the change and its audit
entry are committed together by ``handlers.handle`` once the handler returns,
so a refusal or a failure leaves nothing behind.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from handlers.commands import terms
from handlers.commands.instructions import assign_in_words
from handlers.commands.listings import KIND_WORDS, unknown_id
from handlers.commands.parser import Assign, History, Schedule, SetRole, SetSensitivity, SetStatus
from handlers.domain import audit
from handlers.domain.context import Context
from handlers.domain.permissions import at_least, refusal
from handlers.domain.resolve import Target, TargetKind
from handlers.domain.splits import retired
from handlers.domain.timeline import STATUS_WORDS, stage_note, stage_wording
from handlers.views import i18n, present
from handlers.views.dates import city, day, days_off_wording, moment
from handlers.views.i18n import N_, _, colon, gap, ngettext
from handlers.views.reply import Action, ActionKind, Reply, Section, Tone
from models import members, repository, writes
from models.revision import agenda_changed
from models.tables import (
    Commitment,
    CommitmentStage,
    Kind,
    Mechanism,
    Occurrence,
    Origin,
    Owner,
    OwnerKind,
    Role,
    Sensitivity,
    Stage,
    Status,
)
from scheduling.capitals import DayOff
from scheduling.fuzzy import FuzzyDate
from scheduling.projection import COUNTRY_NAMES

_LIST_SEPARATORS = re.compile(r"\s*(?:,|;|\band\b)\s*", re.IGNORECASE)
# What a treaty's stage says about the commitment's status.
STAGE_STATUS = {
    Stage.negotiations_launched: Status.in_progress,
    Stage.concluded: Status.in_progress,
    Stage.signed: Status.in_progress,
    Stage.in_force: Status.done,
}


SENSITIVITY_WORDS = (N_("public"), N_("restricted"))  # as a reader reads them


def _problem(title: str, hint: str) -> Reply:
    return Reply(title=title, summary=_("Nothing was changed."), sections=[Section(body=hint)], tone=Tone.error)


def _commitment(ctx: Context, key: str) -> Commitment | None:
    commitment_id = repository.get_commitment_id(session=ctx.session, key=key)
    if commitment_id is None or not ctx.visible([commitment_id]):
        return None
    return ctx.session.get(Commitment, commitment_id)


def _confirmation(ctx: Context, title: str, commitment: Commitment) -> Reply:
    ctx.session.flush()
    record = repository.load_commitments(session=ctx.session, ids=[commitment.id])[0]
    return Reply(title=title, sections=[Section(items=[present.item(record, ctx.timeline)])])


# -- roles ----------------------------------------------------------------------------


def set_role(command: SetRole, ctx: Context) -> Reply:
    if not at_least(ctx.role, Role.admin):
        return refusal(ctx.session, Role.admin, N_("grant roles"), ctx.ports.admins)
    if command.user in ctx.ports.admins:
        return _problem(
            _("<@{user}> is an admin by configuration.").format(user=command.user),
            _("Admins named in AGENDA_ADMINS stay admins; change that setting to change their role."),
        )
    member = members.member_of(session=ctx.session, user_ref=command.user)
    before = member.role if member else Role.member.value
    if before == command.role:
        already = {
            "admin": _("{person} is already an admin."),
            "coordinator": _("{person} is already a coordinator."),
            "member": _("{person} is already a member."),
        }.get(command.role, "{person}: " + command.role)
        return Reply(title=already.format(person=f"<@{command.user}>"), tone=Tone.notice)
    members.grant(
        session=ctx.session,
        member=member,
        user_ref=command.user,
        role=command.role,
        by=ctx.requester.user_ref,
        now=ctx.ports.clock.now(),
    )
    audit.record(
        ctx,
        action="role",
        target_type="member",
        target_key=command.user,
        before={"role": before},
        after={"role": command.role},
    )
    title = {
        "admin": _("{person} is now an admin."),
        "coordinator": _("{person} is now a coordinator."),
        "member": _("{person} is now a member."),
    }.get(command.role, "{person}: " + command.role)
    summary = _("Before: {role}.").format(role=_(ROLE_NAMES[before]) if before in ROLE_NAMES else before)
    return Reply(title=title.format(person=f"<@{command.user}>"), summary=summary)


ROLE_NAMES = {"admin": N_("admin"), "coordinator": N_("coordinator"), "member": N_("member")}


# -- owners ---------------------------------------------------------------------------


def assign(command: Assign, ctx: Context) -> Reply:
    verb = "unassign" if command.remove else "assign"
    if not at_least(ctx.role, Role.coordinator):
        return refusal(ctx.session, Role.coordinator, N_("change owners"), ctx.ports.admins)
    target, rest = _split_target(command.words, ctx)
    if target is None and command.words.split() and (split := retired(command.words.split()[0], ctx)) is not None:
        return split  # a retired id: what it became, to assign each
    if target is None and (understood := assign_in_words(command.words, command.users, command.remove, ctx)):
        return understood  # "assign the MLAT to @maria": the command it is, to confirm
    if target is None:
        return _problem(
            _("I can't find a commitment or meeting called “{words}”.").format(words=command.words),
            _("Use a commitment id (`2002-A4`) or a meeting's name (`symposium`, `Pol-Mil Talks`)."),
        )
    departments, unknown = _departments(rest, ctx)
    if unknown:
        names = ", ".join(ctx.names.of(d) for d in repository.list_departments(session=ctx.session))
        title = ngettext("I don't know the department {names}.", "I don't know the departments {names}.", len(unknown))
        return _problem(title.format(names=", ".join(unknown)), names)
    wanted = [(OwnerKind.user, ref, f"<@{ref}>") for ref in command.users]
    wanted += [(OwnerKind.department, d.key, d.name) for d in departments]
    if not wanted:
        return _problem(
            _("`{verb}` needs people (@mentions) or departments.").format(verb=verb), f"`/agenda {verb} 2002-A4 @maria`"
        )
    column = "commitment_id" if isinstance(target, Commitment) else "mechanism_id"
    current = repository.owners_of(session=ctx.session, column=column, target_id=target.id)
    before = sorted(o.display_name for o in current)
    shown_before = _owners_shown(current, ctx)  # (read now: a removed row is gone after the flush)
    if command.remove:
        for owner in current:
            if (owner.kind, owner.ref) in {(k, r) for k, r, _ in wanted}:
                agenda_changed(ctx.session)
                writes.remove(session=ctx.session, row=owner)
    else:
        have = {(o.kind, o.ref) for o in current}
        for kind, ref, name in wanted:
            if (kind, ref) not in have:
                agenda_changed(ctx.session)
                owner = Owner(**{column: target.id}, kind=kind, ref=ref, display_name=name, origin=Origin.bot)
                writes.save(session=ctx.session, row=owner)
    ctx.session.flush()
    owners = repository.owners_of(session=ctx.session, column=column, target_id=target.id)
    after = sorted(o.display_name for o in owners)
    if after == before:
        return Reply(
            title=_("Nothing to change: the owners are already as asked."),
            summary=_owners_shown(owners, ctx),
            tone=Tone.notice,
        )
    target.owners_origin = Origin.bot  # the seed loader leaves these owners alone from now on
    # Its version was read before the owners were: someone else's assignment since then refuses this one.
    writes.touch(session=ctx.session, row=target, now=ctx.ports.clock.now())
    key = target.key
    audit.record(
        ctx,
        action=verb,
        target_type="commitment" if isinstance(target, Commitment) else "mechanism",
        target_key=key,
        before={"owners": before},
        after={"owners": after},
    )
    label = key if isinstance(target, Commitment) else ctx.names.of(target)
    return Reply(
        title=_("Owners of {label}: {owners}").format(label=label, owners=_owners_shown(owners, ctx) or _("none")),
        summary=_("Before: {owners}.").format(owners=shown_before or _("none")),
    )


def _owners_shown(owners, ctx: Context) -> str:
    """Owners as the reader reads them: a department by its name in their language, a person as named (the
    audit keeps the record's own names)."""
    return ", ".join(ctx.names.owner(o) for o in sorted(owners, key=lambda o: o.display_name))


def _split_target(words: str, ctx: Context) -> tuple[Commitment | Mechanism | None, str]:
    """A commitment id, or the longest run of leading words naming a meeting."""
    tokens = words.split()
    commitment = _commitment(ctx, tokens[0])
    if commitment is not None:
        return commitment, " ".join(tokens[1:])
    for n in range(len(tokens), 0, -1):
        target = ctx.vocabulary.exact(" ".join(tokens[:n]), kinds=(TargetKind.mechanism,))
        if target and ctx.visible_meetings([target.id]):  # as _commitment: only what the audience may see
            return ctx.session.get(Mechanism, target.id), " ".join(tokens[n:])
    return None, words


def _departments(text: str, ctx: Context) -> tuple[list[Target], list[str]]:
    found, unknown = [], []
    for name in (n for n in _LIST_SEPARATORS.split(text) if n.strip()):
        target = ctx.vocabulary.exact(name, kinds=(TargetKind.department,)) or ctx.vocabulary.fuzzy(
            name, kinds=(TargetKind.department,)
        )
        (found.append(target) if target else unknown.append(f"“{name}”"))
    return found, unknown


# -- status and stages --------------------------------------------------------------


def set_status(command: SetStatus, ctx: Context) -> Reply:
    commitment = _commitment(ctx, command.id)
    if commitment is None:
        return unknown_id(command.id, ctx)
    owns = repository.commitment_ids_owned_directly(session=ctx.session, refs=ctx.identities, among=[commitment.id])
    if command.stage:
        if not at_least(ctx.role, Role.coordinator):
            return refusal(ctx.session, Role.coordinator, N_("record a treaty's stages"), ctx.ports.admins)
        if commitment.kind != Kind.deadline:
            return _problem(
                _("Stages are for treaties and agreements with a deadline; {key} is {kind}.").format(
                    key=commitment.key, kind=_(KIND_WORDS[str(commitment.kind)])
                ),
                _("Use a status instead: {statuses}.").format(
                    statuses=", ".join(f"`{_(STATUS_WORDS[s])}`" for s in Status if s != Status.unknown)
                ),
            )
        return _record_stage(command, commitment, ctx)
    if not (at_least(ctx.role, Role.coordinator) or owns):
        return refusal(
            ctx.session,
            Role.coordinator,
            N_("change the status of {key} (its owners can too)"),
            ctx.ports.admins,
            values={"key": commitment.key},
        )
    before = {"status": commitment.status, "status_note": commitment.status_note}
    agenda_changed(ctx.session)
    commitment.status, commitment.status_note = command.status, command.note
    return _save_status(commitment, before, ctx, action="status")


def _record_stage(command: SetStatus, commitment: Commitment, ctx: Context) -> Reply:
    on = command.on or ctx.today.isoformat()
    happened = FuzzyDate.parse(on)
    if happened.start and happened.start > ctx.today:
        return _problem(
            _("A stage is recorded once it has happened; {on} is in the future.").format(on=on),
            _("Leave out `on …` for today."),
        )
    stage = repository.commitment_stage(session=ctx.session, commitment_id=commitment.id, stage=command.stage)
    before = {
        "status": commitment.status,
        "status_note": commitment.status_note,
        "stage": _latest_stage(ctx, commitment),
        "stage_date": stage.on_edtf if stage else None,
    }
    agenda_changed(ctx.session)
    stage = stage or CommitmentStage(commitment_id=commitment.id, stage=command.stage)
    stage.on_edtf, stage.source_note = on, command.note
    stage.recorded_by, stage.recorded_at = ctx.requester.user_ref, ctx.ports.clock.now()
    writes.save(session=ctx.session, row=stage)
    commitment.status = STAGE_STATUS[Stage(command.stage)]
    commitment.status_note = stage_note(command.stage, on, command.note)  # the record's words; shown in the reader's
    return _save_status(commitment, before, ctx, action="stage", stage=(command.stage, on))


def _latest_stage(ctx: Context, commitment: Commitment) -> str | None:
    order = list(Stage)
    stages = repository.stages_of(session=ctx.session, commitment_id=commitment.id)
    return max(stages, key=lambda s: order.index(Stage(s))) if stages else None


def _save_status(
    commitment: Commitment, before: dict, ctx: Context, *, action: str, stage: tuple | None = None
) -> Reply:
    commitment.status_origin = Origin.bot
    commitment.updated_at = ctx.ports.clock.now()
    writes.save(session=ctx.session, row=commitment)
    after = {"status": commitment.status, "status_note": commitment.status_note}
    if stage:
        after |= {"stage": stage[0], "stage_date": stage[1]}
    audit.record(
        ctx, action=action, target_type="commitment", target_key=commitment.key, before=before, after=after,
        note=commitment.status_note,
    )  # fmt: skip
    words = _(STATUS_WORDS[Status(commitment.status)])
    if stage:  # the stage and its date are what the coordinator recorded: "2002-A4: signed on Mon 24 May 2010"
        return _confirmation(
            ctx,
            _("{key}: {stage} (status: {status}).").format(
                key=commitment.key, stage=stage_wording(*stage), status=words
            ),
            commitment,
        )
    return _confirmation(ctx, _("{key} is now {status}.").format(key=commitment.key, status=words), commitment)


# -- meeting dates ------------------------------------------------------------------------


def schedule(command: Schedule, ctx: Context) -> Reply:
    if not at_least(ctx.role, Role.coordinator):
        return refusal(ctx.session, Role.coordinator, N_("fix meeting dates"), ctx.ports.admins)
    target = ctx.vocabulary.exact(command.target, kinds=(TargetKind.mechanism,)) or ctx.vocabulary.fuzzy(
        command.target, kinds=(TargetKind.mechanism,)
    )
    if target is None or not ctx.visible_meetings([target.id]):  # a restricted meeting, for who may not see it
        return _problem(
            _("I don't know a meeting called “{words}”.").format(words=command.target),
            _("Meetings: {names}.").format(names=ctx.meeting_names()),
        )
    window = FuzzyDate.parse(command.when)
    past = window.end is not None and window.end < ctx.today
    outlook = ctx.timeline.outlook(target.id)
    host, host_note = command.host, ""
    if host is None and not past and outlook and outlook.projection and outlook.projection.host:
        host, host_note = outlook.projection.host, N_(" (by alternation; add `host Canada` or `host Japan` to change)")
    timed = _instant(command, window, host, ctx) if command.at else (None, None)
    if isinstance(timed, Reply):
        return timed
    starts_at, zone = timed
    if starts_at is not None:  # each side's own day: 09:00 Tokyo on a Monday is Sunday evening in Ottawa
        days_off = [] if past else _days_off_at(starts_at, ctx)
    else:
        days_off = ctx.ports.capitals.days_off(window.start) if window.is_day and not past else []
    if days_off and not command.confirmed:
        return _day_off_warning(command, target, window.start, days_off, starts_at, zone, ctx)
    # Read before the dates, and touched below: a date fixed by someone else in
    # between makes this change fail its version check instead of adding a second date.
    mechanism = ctx.session.get(Mechanism, target.id)
    occurrences = repository.occurrences_of(session=ctx.session, mechanism_id=target.id)
    same_date = next((o for o in occurrences if o.date_edtf == command.when), None)
    upcoming = next((o for o in occurrences if o.ends_on >= ctx.today and not o.planned_only and o.held is None), None)
    row = same_date or (None if past else upcoming)
    before = (
        _occurrence_fields(row)
        if row
        else {"date": None if past else (outlook.next.wording if outlook and outlook.next else None)}
    )
    replaced = _what_it_replaces(row, outlook, past, command.when, ctx)
    agenda_changed(ctx.session)
    row = row or Occurrence(mechanism_id=target.id, date_edtf=command.when, starts_on=window.start, ends_on=window.end)
    row.date_edtf, row.starts_on, row.ends_on = command.when, window.start or window.end, window.end or window.start
    row.place, row.host, row.planned_only, row.origin = command.place, host, False, Origin.bot
    row.starts_at, row.timezone = starts_at, zone  # none given: a date only, even where a time was fixed before
    row.note = f"{'recorded' if past else 'fixed'} by <@{ctx.requester.user_ref}>"
    row.source_commitment_key = None
    writes.save(session=ctx.session, row=row)
    writes.touch(session=ctx.session, row=mechanism, now=ctx.ports.clock.now())
    after = _occurrence_fields(row)
    if days_off:  # the coordinator saw the warning and confirmed
        with i18n.speaking(i18n.DEFAULT):  # the audit records it in one language, whoever confirmed
            after["confirmed_day_off"] = days_off_wording(days_off)
    audit.record(
        ctx, action="schedule", target_type="mechanism", target_key=target.key, before=before, after=after,
    )  # fmt: skip
    when = ctx.timeline.meeting_when(row)  # with a time: in both capitals, each side's day flagged
    if command.place:
        when = _("{when} in {place}").format(when=when, place=command.place)
    if host:
        when += _("; host {country}").format(country=_(COUNTRY_NAMES[host])) + (_(host_note) if host_note else "")
    verb = _("Recorded a past meeting of {name}: {when}.") if past else _("Fixed the next {name}: {when}.")
    summary = replaced
    if days_off:
        summary += gap() + _("Fixed although it is {off}, as you confirmed.").format(off=_off(days_off))
    return Reply(title=verb.format(name=target.name, when=when), summary=summary)


def _what_it_replaces(row: Occurrence | None, outlook, past: bool, when: str, ctx: Context) -> str:
    """What the audit's `before` was, in words: the date fixed before, or the projection (read before the change)."""
    if past:
        return _("It is now part of the meeting history.")
    if row is not None and row.date_edtf == when:
        return _("The same date was fixed before; this replaces its details ({before}).").format(
            before=_fixed_wording(row, ctx)
        )
    if row is not None and not row.planned_only:
        return _("It replaces the date fixed before: {before}.").format(before=_fixed_wording(row, ctx))
    if row is not None:
        return _("It replaces the date announced before: {before}.").format(before=_fixed_wording(row, ctx))
    if outlook and outlook.projection:
        return _("It replaces the projection ({when}).").format(when=outlook.next.label)
    return _("No date was fixed or projected before.")


def _fixed_wording(row: Occurrence, ctx: Context) -> str:
    wording = ctx.timeline.meeting_when(row)
    if row.place:
        wording = _("{when} in {place}").format(when=wording, place=row.place)
    if row.host:
        country = _(COUNTRY_NAMES[row.host]) if row.host in COUNTRY_NAMES else row.host
        wording += _(", host {country}").format(country=country)
    return wording


def _instant(command: Schedule, window: FuzzyDate, host: str | None, ctx: Context) -> tuple[datetime, str] | Reply:
    """The instant a meeting's time of day stands for, UTC, and the zone it was given in: the city typed, else the
    place's city (`14:00 in Tokyo`), else the host's capital (given, or projected by alternation). No zone to
    take, a date that is not one day, or a time the clocks skip there: said, and nothing is changed."""
    capitals = ctx.ports.capitals
    if not window.is_day:
        return _problem(
            _("A time needs a day: “{when}” is not one.").format(when=command.when),
            _("Give the day, then the time and its city: `14 Oct 2027 09:30 Tokyo`."),
        )
    capital = {"CA": capitals.canada, "JP": capitals.japan}.get(host or "")
    zone = command.zone or (terms.zone_of(command.place) if command.place else None) or (capital and capital.zone)
    if zone is None:
        from babel.lists import format_list  # not at import: `ask` at the terminal loads no Babel (tests/test_cli.py)

        cities = format_list([city(c.city) for c in capitals.both], style="or", locale=i18n.babel_locale())
        return _problem(
            _("Which city is {time} in?").format(time=command.at),
            _("Add the city after the time (`{time} {city}`), or the host (`host Canada`, `host Japan`): the time "
              "is then in its capital. Cities: {cities}.").format(time=command.at, city=city(capitals.canada.city),
                                                                   cities=cities),
        )  # fmt: skip
    hour, minute = (int(part) for part in command.at.split(":"))
    local = datetime.combine(window.start, time(hour, minute), tzinfo=ZoneInfo(zone))
    instant = local.astimezone(UTC)
    if instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None) != local.replace(tzinfo=None):
        return _problem(
            _("{time} does not exist in {zone} on {day}: the clocks go forward then.").format(
                time=command.at, zone=zone, day=day(window.start)
            ),
            _("Give a time an hour later or earlier."),
        )
    return instant, zone


def _days_off_at(starts_at: datetime, ctx: Context) -> list[DayOff]:
    """Each side's weekend or holiday on its own day of the meeting (Ottawa's day and Tokyo's may differ)."""
    capitals = ctx.ports.capitals
    return [
        off
        for capital in capitals.both
        for off in capitals.days_off(capital.local(starts_at).date())
        if off.country == capital.country
    ]


def _day_off_warning(
    command: Schedule,
    target: Target,
    on: date,
    days_off: list[DayOff],
    starts_at: datetime | None,
    zone: str | None,
    ctx: Context,
) -> Reply:
    """A weekend or holiday on either side: say so before anything changes, and offer to go ahead."""
    words = [f"schedule {target.key} {command.when}"]
    words += [f"{command.at} {zone}"] if starts_at else []
    words += [f"in {command.place}"] if command.place else []
    words += [f"host {COUNTRY_NAMES[command.host]}"] if command.host else []
    if starts_at is not None:  # "Sun 7 Nov 2027 19:00 Ottawa · Mon 8 Nov 2027 09:00 Tokyo ⚠ Sunday in Ottawa"
        title = _("Check the day: {when}.").format(when=moment(starts_at, ctx.ports.capitals, year=True))
    else:
        title = _("{day} is {off}.").format(day=day(on), off=_off(days_off))
    return Reply(
        title=title,
        summary=_("Nothing was changed."),
        sections=[
            Section(
                body=_(
                    "Pick another day (`/agenda plan {key}` suggests some), "
                    "or fix it anyway: `/agenda {command} confirm`."
                ).format(key=target.key, command=" ".join(words))
            )
        ],
        actions=[Action(ActionKind.do, _("Fix it anyway"), " ".join([*words, "confirm"]))],
        tone=Tone.notice,
    )


def _off(days_off: list[DayOff]) -> str:
    wording = days_off_wording(days_off)
    return _("a weekend") if wording == _("weekend") else wording


def _occurrence_fields(row: Occurrence) -> dict:
    return {"date": row.date_edtf, "time": time_field(row), "place": row.place, "host": row.host}


def time_field(row: Occurrence) -> str | None:
    """A meeting's time as the audit records it: the time where it was fixed, its zone, and the instant in UTC
    (`09:30 Asia/Tokyo (2027-10-14 00:30 UTC)`); None for a date only."""
    if row.starts_at is None or row.timezone is None:
        return None
    local = row.starts_at.astimezone(ZoneInfo(row.timezone))
    return f"{local:%H:%M} {row.timezone} ({row.starts_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC)"


# -- sensitivity -----------------------------------------------------------------------


def set_sensitivity(command: SetSensitivity, ctx: Context) -> Reply:
    if not at_least(ctx.role, Role.coordinator):
        return refusal(ctx.session, Role.coordinator, N_("change who may see a commitment"), ctx.ports.admins)
    commitment = _commitment(ctx, command.id)
    if commitment is None:
        return unknown_id(command.id, ctx)
    if commitment.sensitivity == command.sensitivity:
        title = _("{key} is already {sensitivity}.").format(key=commitment.key, sensitivity=_(command.sensitivity))
        return Reply(title=title, tone=Tone.notice)
    before = {"sensitivity": commitment.sensitivity}
    agenda_changed(ctx.session)
    commitment.sensitivity = Sensitivity(command.sensitivity)
    commitment.updated_at = ctx.ports.clock.now()
    writes.save(session=ctx.session, row=commitment)
    audit.record(
        ctx, action="sensitivity", target_type="commitment", target_key=commitment.key, before=before,
        after={"sensitivity": command.sensitivity},
    )  # fmt: skip
    explain = (
        _("It no longer appears in anything a channel can see; its owners and coordinators still see it privately.")
        if command.sensitivity == Sensitivity.restricted
        else _("Everyone can see it again.")
    )
    title = _("{key} is now {sensitivity}.").format(key=commitment.key, sensitivity=_(command.sensitivity))
    return Reply(title=title, summary=explain)


# -- history ---------------------------------------------------------------------------


def history(command: History, ctx: Context) -> Reply:
    commitment = _commitment(ctx, command.target.split()[0])
    if commitment is not None:
        return audit.history_reply(ctx, key=commitment.key, label=colon(commitment.key, ctx.names.of(commitment)))
    target = ctx.vocabulary.exact(command.target, kinds=(TargetKind.mechanism,)) or ctx.vocabulary.fuzzy(
        command.target, kinds=(TargetKind.mechanism,)
    )
    if target is not None and ctx.visible_meetings([target.id]):
        return audit.history_reply(ctx, key=target.key, label=target.name)
    return unknown_id(command.target, ctx)
