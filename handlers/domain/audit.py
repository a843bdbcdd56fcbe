"""The audit trail: every change, who made it, when, from where, before → after.

Entries are written in the same transaction as the change they describe, so
a change that fails leaves no entry, and an entry always has its change.
"""

from __future__ import annotations

from handlers.domain.context import Context
from handlers.domain.timeline import stage_note_wording
from handlers.views import i18n
from handlers.views.dates import moment
from handlers.views.i18n import N_, _, ngettext
from handlers.views.reply import Reply, Section, Tone
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


# What a change did and which field it set, as a reader of another language reads them (English readers
# see the record's own words: the command and the field names).
ACTION_WORDS = {
    "acknowledge": N_("acknowledged"), "add": N_("added"), "calendar link": N_("calendar link"),
    "calendar revoke": N_("calendar link revoked"), "dashboard link": N_("dashboard link"),
    "dashboard revoke": N_("dashboard link revoked"), "digest": N_("digest"), "edit": N_("edited"),
    "held": N_("held"), "import": N_("imported"), "language": N_("language"), "link": N_("accounts linked"),
    "link-failed": N_("link refused"), "milestone": N_("milestone"), "not_held": N_("not held"),
    "not_known": N_("not known"), "open": N_("opened"), "propose": N_("proposed"), "remind": N_("reminders"),
    "role": N_("role"), "schedule": N_("scheduled"), "sensitivity": N_("who may see it"), "snooze": N_("snoozed"),
    "stage": N_("stage"), "status": N_("status"), "unlink": N_("accounts unlinked"), "assign": N_("assigned"),
    "unassign": N_("unassigned"), "not held": N_("not held"), "not known": N_("not known"),
    "outcome": N_("outcome recorded"), "action": N_("follow-up action"), "delegation": N_("delegation"),
    "official": N_("official text"),
}  # fmt: skip
FIELD_WORDS = {
    "status": N_("status"), "stage": N_("stage"), "note": N_("note"), "owners": N_("owners"),
    "people": N_("owners (people)"), "departments": N_("owners (departments)"), "due": N_("date"),
    "title": N_("title"), "text": N_("agreed text"), "area": N_("area"), "kind": N_("kind"),
    "cadence": N_("cadence"), "source": N_("source"), "sensitivity": N_("who may see it"),
    "lead_days": N_("reminder lead days"), "role": N_("role"), "date": N_("date"), "place": N_("place"),
    "host": N_("host"), "reason": N_("reason"), "proposed": N_("proposed"), "language": N_("language"),
    "held": N_("held"), "number": N_("number"), "stage_date": N_("stage date"), "status_note": N_("status note"),
    "follow-up action": N_("follow-up action"), "outcome": N_("outcome"), "delegation": N_("delegation"),
    "meeting": N_("meeting"), "official": N_("official text"), "time": N_("time"),
}  # fmt: skip
# Notes the bot writes itself, as "<word> <value>": the word is translated, the value is the record's.
NOTE_WORDS = {"meeting": N_("meeting of {value}"), "split from": N_("split from {value}")}
VALUE_WORDS = {
    "unknown": N_("unknown"), "not_started": N_("not started"), "in_progress": N_("in progress"),
    "done": N_("done"), "stalled": N_("stalled"), "dropped": N_("dropped"), "public": N_("everyone"),
    "restricted": N_("owners and coordinators only"), "member": N_("member"), "coordinator": N_("coordinator"),
    "admin": N_("admin"), "True": N_("yes"), "False": N_("no"),
    "negotiations_launched": N_("negotiations launched"), "concluded": N_("concluded"), "signed": N_("signed"),
    "in_force": N_("in force"), "held": N_("held"), "not_held": N_("not held"),
}  # fmt: skip


def field_words(field: str) -> str:
    """A field's name for the reader: "status", or one named by its first word ("outcome 2002-A4")."""
    if field in FIELD_WORDS:
        return _(FIELD_WORDS[field])
    head, _space, rest = field.partition(" ")
    return f"{_(FIELD_WORDS[head])} {rest}" if head in FIELD_WORDS and rest else field


def _note_words(note: str) -> str:
    for prefix, words in NOTE_WORDS.items():
        if note.startswith(prefix + " "):
            return _(words).format(value=note.removeprefix(prefix + " "))
    return stage_note_wording(note)  # `signed (Mon 24 May 2010): …`, the bot's own note on a stage


def describe(entry: AuditEntry, capitals: Capitals = DEFAULT_CAPITALS) -> str:
    """One line: when, who, what, before → after, from where (in English, the record's own words)."""
    english = i18n.current() == i18n.ENGLISH
    changes = []
    for field in sorted(set(entry.before) | set(entry.after)):
        old, new = entry.before.get(field), entry.after.get(field)
        if old != new:
            if field == "status_note" and not english:  # the bot's own note on a stage, in the reader's words
                old, new = (stage_note_wording(v) if isinstance(v, str) else v for v in (old, new))
            changes.append(f"{field if english else field_words(field)}: {_show(old)} → {_show(new)}")
    action = entry.action if english or entry.action not in ACTION_WORDS else _(ACTION_WORDS[entry.action])
    line = f"{moment(entry.at, capitals, flag=False)} · <@{entry.actor_ref}> · {action}"
    if changes:
        line += " · " + "; ".join(changes)
    if entry.note:
        line += " · " + _("note: {note}").format(note=entry.note if english else _note_words(entry.note))
    return line + " · " + _("from {origin}").format(origin=entry.origin)


def history_reply(ctx: Context, *, key: str, label: str) -> Reply:
    changes = entries_for(ctx, key, presses=False)
    presses = entries_for(ctx, key, presses=True, limit=PRESS_LIMIT)
    if not changes and not presses:
        return Reply(
            title=_("No changes recorded for {what}").format(what=label),
            summary=_("It is as loaded from the source documents."),
            tone=Tone.notice,
        )
    lines = "\n".join(describe(e, ctx.ports.capitals) for e in changes)
    sections = [Section(heading=_("Changes"), body=lines or _("None: it is as loaded from the source documents."))]
    if presses:
        sections.append(Section(heading=_counted(_("Reminder presses"), presses, count_for(ctx, key, presses=True)),
                                body="\n".join(describe(e, ctx.ports.capitals) for e in presses)))  # fmt: skip
    return Reply(
        title=_("History of {what}").format(what=label), summary=_summary(ctx, key, changes), sections=sections
    )


def _summary(ctx: Context, key: str, changes: list[AuditEntry]) -> str:
    if not changes:
        return _("No changes recorded, only presses of its reminders' buttons.")
    if len(changes) == HISTORY_LIMIT:
        return _("The {n} most recent of {total} changes, newest first.").format(
            n=HISTORY_LIMIT, total=count_for(ctx, key, presses=False)
        )
    return ngettext("{n} change, newest first.", "{n} changes, newest first.", len(changes)).format(n=len(changes))


def _counted(heading: str, shown: list[AuditEntry], total: int) -> str:
    if len(shown) == total:
        return heading
    return _("{heading} ({n} most recent of {total})").format(heading=heading, n=len(shown), total=total)


def _show(value) -> str:
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value)
    if i18n.current() != i18n.ENGLISH and text in VALUE_WORDS:
        return _(VALUE_WORDS[text])
    return text
