"""The buttons on a reminder: Acknowledge, Snooze and Open (Mark done is
the ordinary `status … done`).

A snooze moves only that one message, to 09:00 tomorrow or in a week where
the recipient is; the item's own date never moves. An acknowledgement stops
the escalations of that item. Open shows the item to whoever may see it. Every
press is permission-checked; what changes something is audited, once: a
repeated press is a no-op and writes nothing.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from handlers.commands.listings import show
from handlers.commands.lookup import lookup
from handlers.commands.parser import Acknowledge, Lookup, OpenReminder, Show, Snooze
from handlers.domain import audit
from handlers.domain.context import Context
from handlers.domain.permissions import at_least, refusal
from handlers.views.dates import moment, short_day
from handlers.views.i18n import N_, _
from handlers.views.reply import Reply, Tone
from models import audit_log, follow_ups, repository, writes
from models.people import find_person
from models.revision import agenda_changed
from models.tables import Acknowledgement, OutboxMessage, Role
from scheduling import outbox
from scheduling.outbox import Planned
from scheduling.planner import local_instant
from scheduling.reminders import snooze_in_time

SNOOZE_UNTIL = time(9, 0)


def unknown_reminder() -> Reply:
    return Reply(
        title=_("That reminder is no longer known."),
        summary=_("Nothing was recorded. `/agenda show <id>` shows any item you may see."),
        tone=Tone.notice,
    )


def not_yours() -> Reply:
    return Reply(
        title=_("That reminder was not sent to you."),
        summary=_(
            "Nothing was recorded. Its buttons work for the person or channel it was sent to; "
            "`/agenda show <id>` shows any item you may see."
        ),
        tone=Tone.notice,
    )


def _message(ctx: Context, key: str) -> OutboxMessage | None:
    return outbox.by_key(ctx.session, key)


def item_ref(key: str) -> str:
    """reminder|date_prompt|escalation:<item>:… → <item>."""
    return key.split(":")[1] if key.count(":") >= 2 else key


def _may_act(ctx: Context, message: OutboxMessage) -> bool:
    """The person it was sent to, an owner of its item, or a coordinator."""
    if at_least(ctx.role, Role.coordinator) or _sent_to_asker(ctx, message):
        return True
    return not set(ctx.identities).isdisjoint(_owners_of(ctx, item_ref(message.key)))


def _sent_to_asker(ctx: Context, message: OutboxMessage) -> bool:
    """Sent to one of the asker's identities, or to the conversation the button was pressed in."""
    return message.target in ctx.identities or message.target == ctx.requester.channel_ref


def _owners_of(ctx: Context, ref: str) -> list[str]:
    commitment_id = repository.get_commitment_id(session=ctx.session, key=ref)
    if commitment_id is not None:
        return _owner_refs(ctx, "commitment_id", commitment_id)
    target = ctx.vocabulary.exact(ref.partition(".")[0])  # a meeting's checklist step: "<meeting>.<step>"
    if target is None:
        return []
    return _owner_refs(ctx, "mechanism_id", target.id)


def _owner_refs(ctx: Context, column: str, target_id: int) -> list[str]:
    return [o.ref for o in repository.owners_of(session=ctx.session, column=column, target_id=target_id)]


def _reminder_to_act_on(ctx: Context, key: str, doing: str) -> OutboxMessage | Reply:
    """The reminder, or the reply that says why this person cannot act on it."""
    message = _message(ctx, key)
    if message is None:
        return unknown_reminder()
    if not _may_act(ctx, message):
        return refusal(ctx.session, Role.coordinator, doing, ctx.ports.admins)
    return message


def acknowledge(command: Acknowledge, ctx: Context) -> Reply:
    message = _reminder_to_act_on(ctx, command.key, N_("acknowledge someone else's reminder"))
    if isinstance(message, Reply):
        return message
    ref = item_ref(command.key)
    mine = Acknowledgement(item_ref=ref, message_key=command.key, acknowledged_by=ctx.requester.user_ref,
                           at=ctx.ports.clock.now())  # fmt: skip
    # The database decides who was first: simultaneous presses record one acknowledgement.
    if not writes.insert_unless_present(session=ctx.session, row=mine, unique=["item_ref"]):
        already = follow_ups.acknowledgement_of(session=ctx.session, item_ref=ref)
        title = _("Already acknowledged by {person}.").format(person=f"<@{already.acknowledged_by}>")
        return Reply(title=title, tone=Tone.notice)
    # Escalations already queued (planned up to days ahead) would otherwise still go out.
    reason = f"acknowledged by {ctx.requester.user_ref}"
    outbox.cancel_pending(ctx.session, key_prefix=f"escalation:{ref}:", reason=reason)
    agenda_changed(ctx.session)  # `history` shows presses
    audit.record(
        ctx, action="acknowledge", target_type="reminder", target_key=ref, before={},
        after={"acknowledged": command.key},
    )  # fmt: skip
    return Reply(
        title=_("Acknowledged: {ref}.").format(ref=ref),
        summary=_("No more escalations for it. Record the outcome with `/agenda status`."),
    )


def snooze(command: Snooze, ctx: Context) -> Reply:
    """Only the reminder's recipient snoozes it: a snooze sends it to them again."""
    message = _message(ctx, command.key)
    if message is None:
        return unknown_reminder()
    if not _sent_to_asker(ctx, message):
        return not_yours()
    person = find_person(session=ctx.session, user_ref=ctx.requester.user_ref)
    zone = (person.timezone if person else None) or ctx.requester.zone
    now = ctx.ports.clock.now()
    day = now.astimezone(ZoneInfo(zone)).date() + timedelta(days=command.days)
    about = _day_of(message)
    if not snooze_in_time(message.kind, about, day):
        return Reply(
            title=_("That would bring it back on {day}, after the day it is about ({about}).").format(
                day=short_day(day), about=short_day(about)
            ),
            summary=_("Nothing was changed. Snooze it for less, or press Acknowledge."),
            tone=Tone.notice,
        )
    at = local_instant(day, SNOOZE_UNTIL, zone)
    key = f"{command.key.split(':snoozed:')[0]}:snoozed:{day.isoformat()}"
    # Planned once per key by the database: two presses at once snooze it once.
    if not outbox.add_once(ctx.session, Planned(key, message.kind, message.target, at, message.body), now=now):
        return Reply(title=_("It is already snoozed to {day}.").format(day=short_day(day)), tone=Tone.notice)
    agenda_changed(ctx.session)  # `history` shows presses
    audit.record(
        ctx, action="snooze", target_type="reminder", target_key=item_ref(command.key),
        before={"message": command.key}, after={"message": key, "due_at": at.isoformat()},
    )  # fmt: skip
    when = _("Snoozed: it comes back tomorrow at 09:00 your time: {moment}.")
    if command.days != 1:
        when = _("Snoozed: it comes back in a week at 09:00 your time: {moment}.")
    return Reply(title=when.format(moment=moment(at, ctx.ports.capitals)), summary=_("The item's date is unchanged."))


def _day_of(message: OutboxMessage) -> date | None:
    """The day a reminder or date prompt is about: reminder|date_prompt:<item>:<day>:…"""
    try:
        return date.fromisoformat(message.key.split(":")[2])
    except (IndexError, ValueError):
        return None


def open_reminder(command: OpenReminder, ctx: Context) -> Reply:
    """The Open button: the item in full (for whoever may see it), and the first press on record.

    Only a reminder that was really sent to the asker opens, and pressing it
    again records nothing more: the item's history is for its changes, and
    nobody can bury them under presses.
    """
    message = _message(ctx, command.key)
    if message is None:
        return unknown_reminder()
    if not _sent_to_asker(ctx, message):
        return not_yours()
    ref = item_ref(command.key)
    is_commitment = repository.get_commitment_id(session=ctx.session, key=ref) is not None
    if is_commitment:
        reply = show(Show(ref), ctx)
    elif "." in ref:  # a step of a meeting's checklist: the meeting's page shows it
        from handlers.commands.meeting_page import MeetingPage, meeting_page

        reply = meeting_page(MeetingPage(ref.partition(".")[0]), ctx)
    else:
        reply = lookup(Lookup(_meeting_name(ctx, ref)), ctx)
    if reply.tone == Tone.answer and not _opened_before(ctx, ref, command.key):
        agenda_changed(ctx.session)  # `history` shows presses
        audit.record(
            ctx, action="open", target_type="reminder", target_key=ref, before={}, after={"opened": command.key}
        )
    return reply


def _opened_before(ctx: Context, ref: str, key: str) -> bool:
    """Whether this person (under any of their identities) already opened this reminder."""
    opened = audit_log.entries_of(session=ctx.session, target_key=ref, action="open", actors=ctx.identities)
    return any(entry.after.get("opened") == key for entry in opened)


def _meeting_name(ctx: Context, key: str) -> str:
    mechanism = repository.mechanism_by_key(session=ctx.session, key=key)
    return ctx.names.of(mechanism) if mechanism else key
