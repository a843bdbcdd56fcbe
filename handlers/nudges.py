"""The buttons on a reminder: Acknowledge, Snooze and Open (Mark done is
the ordinary `status … done`).

A snooze moves only that one message, to 09:00 tomorrow or in a week where
the recipient is; the item's own date never moves. An acknowledgement stops
the escalations of that item. Open shows the item to whoever may see it. Every
press is permission-checked and audited.
"""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from handlers import audit
from handlers.commands import Acknowledge, Lookup, OpenReminder, Show, Snooze
from handlers.context import Context
from handlers.dates import moment
from handlers.listings import show
from handlers.lookup import lookup
from handlers.permissions import at_least, refusal
from handlers.reply import Reply, Tone
from models import repository
from models.tables import Acknowledgement, Mechanism, OutboxMessage, Owner, Person, Role
from scheduling import outbox
from scheduling.outbox import Planned
from scheduling.planner import local_instant

DEFAULT_TIMEZONE = "America/Toronto"  # as AGENDA_DEFAULT_TIMEZONE's default; people's own zone comes first
SNOOZE_UNTIL = time(9, 0)


def _message(ctx: Context, key: str) -> OutboxMessage | None:
    return ctx.session.exec(select(OutboxMessage).where(OutboxMessage.key == key)).first()


def item_ref(key: str) -> str:
    """reminder|date_prompt|escalation:<item>:… → <item>."""
    return key.split(":")[1] if key.count(":") >= 2 else key


def _may_act(ctx: Context, message: OutboxMessage) -> bool:
    """The person it was sent to, an owner of its item, or a coordinator."""
    if at_least(ctx.role, Role.coordinator) or message.target in ctx.identities:
        return True
    return not set(ctx.identities).isdisjoint(_owners_of(ctx, item_ref(message.key)))


def _owners_of(ctx: Context, ref: str) -> list[str]:
    commitment_id = repository.get_commitment_id(session=ctx.session, key=ref)
    if commitment_id is not None:
        return list(ctx.session.exec(select(Owner.ref).where(Owner.commitment_id == commitment_id)).all())
    target = ctx.vocabulary.exact(ref)
    if target is None:
        return []
    return list(ctx.session.exec(select(Owner.ref).where(Owner.mechanism_id == target.id)).all())


def _reminder_to_act_on(ctx: Context, key: str, doing: str) -> OutboxMessage | Reply:
    """The reminder, or the reply that says why this person cannot act on it."""
    message = _message(ctx, key)
    if message is None:
        return Reply(title="That reminder is no longer known.", tone=Tone.notice)
    if not _may_act(ctx, message):
        return refusal(ctx.session, Role.coordinator, f"{doing} someone else's reminder", ctx.ports.admins)
    return message


def acknowledge(command: Acknowledge, ctx: Context) -> Reply:
    message = _reminder_to_act_on(ctx, command.key, "acknowledge")
    if isinstance(message, Reply):
        return message
    ref = item_ref(command.key)
    already = ctx.session.exec(select(Acknowledgement).where(Acknowledgement.item_ref == ref)).first()
    if already:
        return Reply(title=f"Already acknowledged by <@{already.acknowledged_by}>.", tone=Tone.notice)
    now = ctx.ports.clock.now()
    ctx.session.add(
        Acknowledgement(item_ref=ref, message_key=command.key, acknowledged_by=ctx.requester.user_ref, at=now)
    )
    audit.record(
        ctx, action="acknowledge", target_type="reminder", target_key=ref, before={},
        after={"acknowledged": command.key},
    )  # fmt: skip
    return Reply(
        title=f"Acknowledged: {ref}.", summary="No more escalations for it. Record the outcome with `/agenda status`."
    )


def snooze(command: Snooze, ctx: Context) -> Reply:
    message = _reminder_to_act_on(ctx, command.key, "snooze")
    if isinstance(message, Reply):
        return message
    person = ctx.session.exec(select(Person).where(Person.user_ref == ctx.requester.user_ref)).first()
    zone = (person.timezone if person else None) or DEFAULT_TIMEZONE
    now = ctx.ports.clock.now()
    day = now.astimezone(ZoneInfo(zone)).date() + timedelta(days=command.days)
    at = local_instant(day, SNOOZE_UNTIL, zone)
    key = f"{command.key.split(':snoozed:')[0]}:snoozed:{day.isoformat()}"
    if _message(ctx, key) is not None:
        return Reply(title=f"It is already snoozed to {day:%a %-d %b}.", tone=Tone.notice)
    outbox.add(ctx.session, Planned(key, message.kind, message.target, at, message.body), now=now)
    audit.record(
        ctx, action="snooze", target_type="reminder", target_key=item_ref(command.key),
        before={"message": command.key}, after={"message": key, "due_at": at.isoformat()},
    )  # fmt: skip
    when = "tomorrow" if command.days == 1 else "in a week"
    return Reply(
        title=f"Snoozed: it comes back {when} at 09:00 your time: {moment(at, ctx.ports.capitals)}.",
        summary="The item's date is unchanged.",
    )


def open_reminder(command: OpenReminder, ctx: Context) -> Reply:
    """The Open button: the item in full (for whoever may see it), and the press on record."""
    ref = item_ref(command.key)
    is_commitment = repository.get_commitment_id(session=ctx.session, key=ref) is not None
    reply = show(Show(ref), ctx) if is_commitment else lookup(Lookup(_meeting_name(ctx, ref)), ctx)
    if reply.tone == Tone.answer:
        audit.record(
            ctx, action="open", target_type="reminder", target_key=ref, before={}, after={"opened": command.key}
        )
    return reply


def _meeting_name(ctx: Context, key: str) -> str:
    mechanism = ctx.session.exec(select(Mechanism).where(Mechanism.key == key)).first()
    return mechanism.name if mechanism else key
