"""The audit trail: every change, who made it, when, from where, before → after.

Entries are written in the same transaction as the change they describe, so
a change that fails leaves no entry, and an entry always has its change.
"""

from __future__ import annotations

from sqlmodel import col, select

from handlers.context import Context
from handlers.dates import moment
from handlers.reply import Reply, Section, Tone
from models.tables import AuditEntry
from scheduling.capitals import DEFAULT_CAPITALS, Capitals

HISTORY_LIMIT = 40


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
    ctx.session.add(entry)
    return entry


def entries_for(ctx: Context, target_key: str, *, limit: int = HISTORY_LIMIT) -> list[AuditEntry]:
    statement = (
        select(AuditEntry)
        .where(AuditEntry.target_key == target_key)
        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
        .limit(limit)
    )
    return list(ctx.session.exec(statement).all())


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
    entries = entries_for(ctx, key)
    if not entries:
        return Reply(
            title=f"No changes recorded for {label}",
            summary="It is as loaded from the source documents.",
            tone=Tone.notice,
        )
    return Reply(
        title=f"History of {label}",
        summary=f"{len(entries)} most recent change{'s' if len(entries) != 1 else ''}, newest first.",
        sections=[Section(body="\n".join(describe(e, ctx.ports.capitals) for e in entries))],
    )


def _show(value) -> str:
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
