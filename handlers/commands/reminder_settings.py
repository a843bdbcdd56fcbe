"""`/agenda remind`: lead times per person, per commitment and per meeting.

A person's own lead times win for the reminders they receive (it is their
inbox); otherwise the item's, otherwise AGENDA_REMINDER_LEAD_DAYS.
"""

from __future__ import annotations

from handlers.commands.listings import unknown_id
from handlers.commands.parser import Remind
from handlers.domain import audit
from handlers.domain.context import Context
from handlers.domain.permissions import at_least, refusal
from handlers.domain.resolve import TargetKind
from handlers.views.i18n import N_, _, ngettext
from handlers.views.reply import Reply, Tone
from models import repository, writes
from models.people import person_row
from models.revision import agenda_changed
from models.tables import Commitment, Mechanism, Role


def remind(command: Remind, ctx: Context) -> Reply:
    wording = _("the default lead times") if command.days is None else _days(command.days)
    if command.target.lower() == "me":
        # A linked person's lead times hold on every platform their reminders reach.
        replies = []
        for ref in ctx.identities:
            person = person_row(session=ctx.session, user_ref=ref)
            replies.append(
                _save(
                    ctx, person, command, key=ref, kind="person", title=_("You will get {what}.").format(what=wording)
                )
            )
        return next((r for r in replies if r.tone != Tone.notice), replies[0])  # "nothing to change": nowhere
    if not at_least(ctx.role, Role.coordinator):
        return refusal(ctx.session, Role.coordinator, N_("set an item's reminder lead times"), ctx.ports.admins)
    commitment_id = repository.get_commitment_id(session=ctx.session, key=command.target)
    if commitment_id is not None and ctx.visible([commitment_id]):
        row = ctx.session.get(Commitment, commitment_id)
        return _save(
            ctx,
            row,
            command,
            key=row.key,
            kind="commitment",
            title=_("{name}: owners get {what}.").format(name=row.key, what=wording),
        )
    target = ctx.vocabulary.exact(command.target, kinds=(TargetKind.mechanism,)) or ctx.vocabulary.fuzzy(
        command.target, kinds=(TargetKind.mechanism,)
    )
    if target is None:
        return unknown_id(command.target, ctx)
    row = ctx.session.get(Mechanism, target.id)
    return _save(
        ctx,
        row,
        command,
        key=row.key,
        kind="mechanism",
        title=_("{name}: owners get {what}.").format(name=ctx.names.of(row), what=wording),
    )


def _save(ctx: Context, row, command: Remind, *, key: str, kind: str, title: str) -> Reply:
    field = "lead_days" if kind == "person" else "reminder_lead_days"
    before = getattr(row, field)
    after = list(command.days) if command.days else None
    if before == after:
        return Reply(title=_("Nothing to change: those are already the lead times."), tone=Tone.notice)
    if kind != "person":  # an item's lead times are part of it (and its history); a person's own are not
        agenda_changed(ctx.session)
    setattr(row, field, after)
    writes.save(session=ctx.session, row=row)
    audit.record(
        ctx, action="remind", target_type=kind, target_key=key, before={"lead_days": before}, after={"lead_days": after}
    )
    return Reply(title=title, summary=_("Reminders are planned with the new lead times from now on."))


def _days(days: tuple[int, ...]) -> str:
    spoken = [_("on the day") if d == 0 else ngettext("{n} day before", "{n} days before", d).format(n=d) for d in days]
    return _("reminders {when}").format(when=", ".join(spoken))
