"""The audit trail: every change, who made it, when, from where, before → after.

Entries are written in the same transaction as the change they describe, so
a change that fails leaves no entry, and an entry always has its change.
"""

from __future__ import annotations

from handlers.context import Context
from handlers.dates import moment
from handlers.reply import Reply, Section, Tone
from models import audit_log, writes
from models.tables import AuditEntry
from scheduling.capitals import DEFAULT_CAPITALS, Capitals

HISTORY_LIMIT = 40
PRESS_LIMIT = 10  # presses of a reminder's buttons shown under the changes: context, not the record
# Presses of a reminder's buttons (acknowledge, snooze, open) are audited with their own
# target type (PRESS). They change no agenda field, so `history` shows them apart, after the
# changes, with a limit of their own: however many there are, they never push a change out.


def record(
    ctx: Context, *, action: str, target_type: str, target_key: str, before: dict, after: dict, note: str = ""
) -> AuditEntry:
    entry = AuditEntry(
        at=ctx.ports.clock.now(),
        actor_ref=ctx.requester.user_ref,
        origin=ctx.requester.origin,
        action=action,
        target_type=target_type,
        target_key=target_key,
        before=before,
        after=after,
        note=note,
    )
    return writes.save(session=ctx.session, row=entry)


def entries_for(ctx: Context, target_key: str, *, presses: bool, limit: int = HISTORY_LIMIT) -> list[AuditEntry]:
    """The newest entries for target_key: its changes, or (presses) the presses of its reminders' buttons."""
    return audit_log.entries_about(session=ctx.session, target_key=target_key, presses=presses, limit=limit)


def count_for(ctx: Context, target_key: str, *, presses: bool) -> int:
    return audit_log.count_about(session=ctx.session, target_key=target_key, presses=presses)


def describe(entry: AuditEntry, capitals: Capitals = DEFAULT_CAPITALS) -> str:
    """One line: when, who, what, before → after, from where."""
    changes = []
    for field in sorted(set(entry.before) | set(entry.after)):
        old, new = entry.before.get(field), entry.after.get(field)
        if old != new:
            changes.append(f"{field}: {_show(old)} → {_show(new)}")
    line = f"{moment(entry.at, capitals, flag=False)} · <@{entry.actor_ref}> · {entry.action}"
    if changes:
        line += " · " + "; ".join(changes)
    if entry.note:
        line += f" · note: {entry.note}"
    return line + f" · from {entry.origin}"


def history_reply(ctx: Context, *, key: str, label: str) -> Reply:
    changes = entries_for(ctx, key, presses=False)
    presses = entries_for(ctx, key, presses=True, limit=PRESS_LIMIT)
    if not changes and not presses:
        return Reply(
            title=f"No changes recorded for {label}",
            summary="It is as loaded from the source documents.",
            tone=Tone.notice,
        )
    lines = "\n".join(describe(e, ctx.ports.capitals) for e in changes)
    sections = [Section(heading="Changes", body=lines or "None: it is as loaded from the source documents.")]
    if presses:
        sections.append(Section(heading=_counted("Reminder presses", presses, count_for(ctx, key, presses=True)),
                                body="\n".join(describe(e, ctx.ports.capitals) for e in presses)))  # fmt: skip
    return Reply(title=f"History of {label}", summary=_summary(ctx, key, changes), sections=sections)


def _summary(ctx: Context, key: str, changes: list[AuditEntry]) -> str:
    if not changes:
        return "No changes recorded, only presses of its reminders' buttons."
    if len(changes) == HISTORY_LIMIT:
        return f"The {HISTORY_LIMIT} most recent of {count_for(ctx, key, presses=False)} changes, newest first."
    return f"{len(changes)} change{'s' if len(changes) != 1 else ''}, newest first."


def _counted(heading: str, shown: list[AuditEntry], total: int) -> str:
    return heading if len(shown) == total else f"{heading} ({len(shown)} most recent of {total})"


def _show(value) -> str:
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
