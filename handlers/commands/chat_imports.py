"""Import from chat: a file an admin shares with the bot, previewed, then applied with a Confirm button.

Slack (a file shared in a direct message) and Teams (an attachment in a 1:1 chat) both
download the file and call ``preview`` here; the Confirm button is the pressed command
``import-confirm <token>`` (handlers/commands/subcommands/imports.py), run like any button's. The same
import as the terminal's ``agenda-bot import`` (seeds/imports.py) does the work, so the
preview is the same readable diff, the file is checked as strictly, and applying is one
audited transaction ("imported from <file name> by <person>").

- Only admins import (handlers/domain/permissions.py): anyone else is refused before any download.
- The files are stored as previewed (models/pending_imports.py), with the fingerprint of the
  changes shown: Confirm applies exactly those files, and only if they still make exactly those
  changes. An agenda changed meanwhile gives a fresh preview (and a new button) instead.
- A preview expires after ``PENDING_MINUTES``; it is applied at most once (marked in the
  import's own transaction), and a second press says it was applied already.
- The preview is cut to ``PREVIEW_CHARS`` (whole lines), within a Slack section and a Teams card.
"""

from __future__ import annotations

import hashlib
import secrets
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from handlers.commands.parser import ParseError
from handlers.domain.context import Context
from handlers.domain.identities import identities_of
from handlers.domain.permissions import refusal, role_of
from handlers.domain.ports import Ports, Requester
from handlers.views import i18n
from handlers.views.dates import day
from handlers.views.i18n import N_, _, ngettext
from handlers.views.reply import Action, ActionKind, Reply, Section, Tone
from models import pending_imports
from models.tables import PendingImport, Role

if TYPE_CHECKING:
    from seeds.imports import ImportResult

PENDING_MINUTES = 30
PREVIEW_CHARS = 2800  # a Slack section holds 3000 characters; a Teams card far more
CONFIRM_WORD = "import-confirm"
DOING = N_("import files")


@dataclass(frozen=True)
class SharedFile:
    """A file as the platform gave it: its name and its bytes (already within the size limit)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class ConfirmImport:
    token: str


class _AlreadyApplied(RuntimeError):
    pass


def parse_confirm(rest: str) -> ConfirmImport | ParseError:
    if not rest or " " in rest:
        return ParseError(N_("`import-confirm` needs the import it confirms."), N_("Use the Confirm button."))
    return ConfirmImport(rest)


# -- before a download -------------------------------------------------------------------


def import_refusal(ports: Ports, requester: Requester) -> Reply | None:
    """None when the requester may import (an admin); otherwise the refusal, in their language."""
    with i18n.speaking(_language(ports, requester)), ports.open_session() as session:
        if role_of(session, identities_of(session, requester.user_ref), ports.admins) == Role.admin:
            return None
        return refusal(session, Role.admin, DOING, ports.admins)


def too_large(ports: Ports, requester: Requester, name: str, limit: int) -> Reply:
    with i18n.speaking(_language(ports, requester)):
        return Reply(
            title=_("{file} is too large to import from chat.").format(file=name),
            summary=_("Files up to {size} KB are imported from chat; nothing was changed.").format(
                size=max(1, limit // 1024)
            ),
            sections=[Section(body=_("Import a larger file from the terminal: `agenda-bot import FILE`."))],
            tone=Tone.notice,
        )


def not_downloaded(ports: Ports, requester: Requester, name: str) -> Reply:
    with i18n.speaking(_language(ports, requester)):
        return Reply(
            title=_("{file} could not be downloaded.").format(file=name),
            summary=_("Nothing was changed. Please share the file again in a moment."),
            tone=Tone.error,
        )


# -- the preview ---------------------------------------------------------------------------


def preview(ports: Ports, requester: Requester, files: list[SharedFile]) -> Reply:
    """What importing these files would change, with a Confirm button; nothing is changed."""
    with i18n.speaking(_language(ports, requester)), ports.open_session() as session:
        if role_of(session, identities_of(session, requester.user_ref), ports.admins) != Role.admin:
            return refusal(session, Role.admin, DOING, ports.admins)
        main = _main_file(files)
        if isinstance(main, Reply):
            return main
        try:
            texts = {f.name: f.data.decode("utf-8") for f in files}
        except UnicodeDecodeError:
            return _bad_file(main, [_("The file is not UTF-8 text.")])
        return _preview(session, ports, requester, main, texts, title=None)


def _preview(
    session: Session, ports: Ports, requester: Requester, main: str, texts: dict[str, str], *, title: str | None
) -> Reply:
    from seeds.imports import fingerprint  # the import code loads when a file comes, not for every lookup

    now = ports.clock.now()
    outcome = _run(session, main, texts, actor=requester.user_ref, now=now, origin=requester.origin, apply=False)
    if isinstance(outcome, Reply):
        return outcome
    if not outcome.changes:
        return _nothing_to_change(main)
    if outcome.conflicts:
        return _refused_for_chat_edits(main, outcome)
    token = secrets.token_urlsafe(18)
    pending_imports.add(
        session=session,
        row=PendingImport(
            token_sha256=_digest(token), user_ref=requester.user_ref, origin=requester.origin, file_name=main,
            files=texts, fingerprint=fingerprint(outcome.changes), created_at=now,
            expires_at=now + timedelta(minutes=PENDING_MINUTES),
        ),
        now=now,
    )  # fmt: skip
    session.commit()
    return Reply(
        title=title or _("Preview: importing {file}").format(file=main),
        summary=_("Nothing is changed until you press Confirm. This preview expires in {minutes} minutes.").format(
            minutes=PENDING_MINUTES
        ),
        sections=[Section(body=_shown(outcome))],
        actions=[Action(ActionKind.do, _("Confirm import"), f"{CONFIRM_WORD} {token}")],
    )


# -- the Confirm button --------------------------------------------------------------------


def confirm(command: ConfirmImport, ctx: Context) -> Reply:
    """Apply what was previewed: once, unexpired, by the admin who shared it, if it still changes the same."""
    if ctx.role != Role.admin:
        return refusal(ctx.session, Role.admin, DOING, ctx.ports.admins)
    pending = pending_imports.by_digest(session=ctx.session, token_sha256=_digest(command.token))
    if pending is None:
        return Reply(
            title=_("This import is not known (or no longer kept)."),
            summary=_("Nothing was changed. Share the file with me again for a new preview."),
            tone=Tone.notice,
        )
    name, texts, expected, pending_id = pending.file_name, dict(pending.files), pending.fingerprint, pending.id
    if pending.user_ref not in ctx.identities:
        return Reply(
            title=_("Only the admin who shared {file} can confirm its import.").format(file=name),
            summary=_("Nothing was changed."),
            tone=Tone.notice,
        )
    if pending.applied_at is not None:
        return _already_applied(name, pending.applied_at)
    now = ctx.ports.clock.now()
    if pending.expires_at <= now:
        return Reply(
            title=_("This preview of {file} has expired.").format(file=name),
            summary=_("Nothing was changed. Share the file with me again for a new preview."),
            tone=Tone.notice,
        )

    def mark(db: Session) -> None:
        if not pending_imports.mark_applied(session=db, pending_id=pending_id, now=now):
            raise _AlreadyApplied

    try:
        outcome = _run(
            ctx.session, name, texts, actor=ctx.requester.user_ref, now=now, origin=ctx.requester.origin,
            apply=True, expected=expected, on_apply=mark,
        )  # fmt: skip
    except _AlreadyApplied:
        return _already_applied(name, now)
    if isinstance(outcome, Reply):  # a bad file, or the database refused: perhaps a simultaneous press won
        again = pending_imports.by_digest(session=ctx.session, token_sha256=_digest(command.token))
        return _already_applied(name, again.applied_at) if again and again.applied_at else outcome
    if outcome.stale:
        if not outcome.changes:
            return _nothing_to_change(name, since=True)
        if outcome.conflicts:
            return _refused_for_chat_edits(name, outcome)
        return _preview(
            ctx.session, ctx.ports, ctx.requester, name, texts,
            title=_("The agenda changed since the preview: importing {file} would now do this.").format(file=name),
        )  # fmt: skip
    if outcome.conflicts and not outcome.applied:
        return _refused_for_chat_edits(name, outcome)
    if not outcome.applied:
        return _nothing_to_change(name)
    return Reply(
        title=_("Imported {file}.").format(file=name),
        summary=_("Applied in one transaction, audited as imported from {file} by {person}.").format(
            file=name, person=f"<@{ctx.requester.user_ref}>"
        ),
        sections=[Section(body=_shown(outcome))],
    )


# -- helpers -------------------------------------------------------------------------------


def _run(session: Session, main: str, texts: dict[str, str], **options) -> ImportResult | Reply:
    """The terminal's import of these files, laid out side by side in a directory of their own."""
    from seeds.import_file import ImportFileError
    from seeds.imports import import_path

    with tempfile.TemporaryDirectory(prefix="agenda-import-") as folder:
        for name, text in texts.items():
            (Path(folder) / name).write_text(text, encoding="utf-8")
        try:
            return import_path(session, Path(folder) / main, source=main, **options)
        except ImportFileError as exc:
            return _bad_file(main, [p.replace(folder + "/", "") for p in exc.problems])
        except SQLAlchemyError as exc:
            session.rollback()
            return _bad_file(main, [str(getattr(exc, "orig", None) or exc)], database=True)


def _main_file(files: list[SharedFile]) -> str | Reply:
    """The file to import: the one document (.yaml) or spreadsheet or export; the others are its texts."""
    names = [f.name for f in files]
    unsafe = [n for n in names if not n or PurePath(n).name != n or n.startswith(".")]
    if unsafe or len(set(names)) != len(names):
        return _bad_file(", ".join(names) or "?", [_("File names must be plain and different.")])
    documents = [n for n in names if n.lower().endswith((".yaml", ".yml"))]
    others = [n for n in names if n.lower().endswith((".csv", ".json"))]
    candidates = documents or others
    if len(candidates) != 1:
        return _bad_file(
            ", ".join(names),
            [
                _(
                    "Share one file to import: a document (.yaml, with its text file in the same message), "
                    "a spreadsheet (.csv) or an export (.json)."
                )
            ],
        )
    return candidates[0]


def _bad_file(name: str, problems: list[str], *, database: bool = False) -> Reply:
    title = (
        _("{file} was not imported: the database refused it.")
        if database
        else _("{file} cannot be imported: nothing was changed.")
    )
    return Reply(
        title=title.format(file=name),
        summary=ngettext("{n} problem:", "{n} problems:", len(problems)).format(n=len(problems)),
        sections=[Section(body="\n".join(problems))],
        tone=Tone.error,
    )


def _nothing_to_change(name: str, *, since: bool = False) -> Reply:
    title = (
        _("{file}: nothing to change any more; the agenda already says what it says.")
        if since
        else _("{file}: nothing to change; the agenda already says what it says.")
    )
    return Reply(title=title.format(file=name), tone=Tone.notice)


def _refused_for_chat_edits(name: str, outcome: ImportResult) -> Reply:
    return Reply(
        title=_("{file} was not imported: it would overwrite changes made in chat.").format(file=name),
        summary=_(
            "Nothing was changed. Change those items in chat, or import the file from the terminal with "
            "`agenda-bot import FILE --apply --overwrite-chat-edits`."
        ),
        sections=[Section(body=_shown(outcome))],
        tone=Tone.notice,
    )


def _already_applied(name: str, when) -> Reply:
    return Reply(
        title=_("{file} was already imported, on {date}.").format(file=name, date=day(when.date())),
        summary=_("This press changed nothing."),
        tone=Tone.notice,
    )


# The list of changes in the reader's language. The terminal's (seeds/imports.py `render`) stays English: an operator
# tool, run on the server, which knows no reader and whose output scripts and runbooks read.
_KIND_WORDS = {
    "document": N_("Documents: {counts}"), "area": N_("Areas: {counts}"), "department": N_("Departments: {counts}"),
    "mechanism": N_("Meetings: {counts}"), "commitment": N_("Commitments: {counts}"),
}  # fmt: skip
_SIGN = {"added": "+", "changed": "~", "removed": "-"}
# An import's own fields, beside the history's (handlers/domain/audit.py FIELD_WORDS).
_IMPORT_FIELDS = {
    "short_title": N_("short title"), "date_note": N_("date note"), "issued_by": N_("issued by"),
    "source_file": N_("source file"), "name": N_("name"), "description": N_("description"), "aliases": N_("aliases"),
    "country": N_("country"), "areas": N_("areas"), "alternates_host": N_("hosts alternate"),
    "usual_season": N_("usual season"), "cadences": N_("cadences"), "occurrences": N_("meetings on record"),
    "document": N_("document"), "section": N_("section"), "dates_stated": N_("dates stated"),
    "organisations": N_("organisations"), "related": N_("related"), "lineage": N_("lineage"),
    "mechanism": N_("meeting"),
}  # fmt: skip


def _shown(outcome: ImportResult) -> str:
    """What the import would change (or changed), cut to PREVIEW_CHARS on whole lines."""
    lines, kept, size = _listed(outcome), [], 0
    for line in lines:
        if size + len(line) + 1 > PREVIEW_CHARS:
            break
        kept.append(line)
        size += len(line) + 1
    left = len(lines) - len(kept)
    if left:
        kept.append(
            ngettext(
                "… and {n} more line: `agenda-bot import FILE` in the terminal shows them all.",
                "… and {n} more lines: `agenda-bot import FILE` in the terminal shows them all.",
                left,
            ).format(n=left)
        )
    return "\n".join(kept)


def _listed(outcome: ImportResult) -> list[str]:
    """The terminal's list of changes, worded for the reader: kinds, counts, fields and the chat edits it would
    overwrite are translated; keys, titles and values are the records' own."""
    from seeds.imports import KINDS

    lines = []
    for kind in KINDS:
        of_kind = [c for c in outcome.changes if c.kind == kind]
        if of_kind:
            lines.append(
                _(_KIND_WORDS[kind]).format(counts=_counts({a: sum(c.action == a for c in of_kind) for a in _SIGN}))
            )
            for change in of_kind:
                lines += _change_lines(change)
    owners = {"added": 0, "removed": 0}
    for c in outcome.changes:
        old, new = set((c.before or {}).get("owners") or []), set((c.after or {}).get("owners") or [])
        owners["added"] += len(new - old)
        owners["removed"] += len(old - new)
    if any(owners.values()):
        lines.append(_("Owners: {counts}").format(counts=_counts(owners)))
    if outcome.conflicts:
        lines += ["", _("Changes made in chat that this file would overwrite:")]
        for c in outcome.conflicts:
            lines.append(
                "  ! "
                + _("{key} {field}: set by {person} on {date} ({action}): {now}; the file says {would_be}").format(
                    key=c.key,
                    field=_field(c.field),
                    person=c.by,
                    date=day(c.at.date()),
                    action=_action(c.action),
                    now=_value(c.now),
                    would_be=_value(c.would_be),
                )  # fmt: skip
            )
    return lines


def _counts(counts: dict[str, int]) -> str:
    words = {
        "added": lambda n: ngettext("{n} added", "{n} added", n),
        "changed": lambda n: ngettext("{n} changed", "{n} changed", n),
        "removed": lambda n: ngettext("{n} removed", "{n} removed", n),
    }
    return ", ".join(words[action](n).format(n=n) for action, n in counts.items() if n)


def _change_lines(change) -> list[str]:
    """The terminal's preview lines (seeds.imports.describe), with fields and values in the reader's words."""
    from seeds.imports import describe

    return describe(change, field=_field, value=_value, reordered=_("reordered"))


def _field(name: str) -> str:
    """A field's name: the record's own for an English reader (as the terminal and the history show it)."""
    from handlers.domain.audit import field_words

    if i18n.current() == i18n.ENGLISH:
        return name
    return _(_IMPORT_FIELDS[name]) if name in _IMPORT_FIELDS else field_words(name)


def _action(action: str) -> str:
    from handlers.domain.audit import ACTION_WORDS

    return _(ACTION_WORDS[action]) if action in ACTION_WORDS and i18n.current() != i18n.ENGLISH else action


def _value(value) -> str:
    """A value as recorded; a status or a yes/no in the reader's words."""
    from handlers.commands.listings import KIND_WORDS
    from handlers.domain.audit import VALUE_WORDS

    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    text, words = str(value), VALUE_WORDS | KIND_WORDS
    return _(words[text]) if text in words and i18n.current() != i18n.ENGLISH else text


def _clip(text: str, room: int = 90) -> str:
    return text if len(text) <= room else text[: room - 1] + "…"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _language(ports: Ports, requester: Requester) -> str:
    from handlers import language_of_requester  # handlers/__init__ reads the command table, which reads this

    return language_of_requester(ports, requester)
