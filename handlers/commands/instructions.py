"""A change said in words: "mark the MLAT as done", "move the symposium to 14 Oct 2027", "reporter le colloque
au 14 octobre 2027", "刑事共助条約を完了にする".

Read as the command it is (`status 2002-A4 done`, `schedule peace-security-symposium 14 Oct 2027`) and
answered with that command and a button that runs it: free words may name more than one thing, so nothing
changes until the person confirms what was understood. The command the button runs is the ordinary one, with
its own permission check; the reply shows it in the reader's words so the next time it can be typed.
"""

from __future__ import annotations

from handlers.commands.errors import error_reply
from handlers.commands.held import RecordHeld
from handlers.commands.lookup import find_subject
from handlers.commands.parser import ParseError, Schedule, SetStatus, parse
from handlers.commands.questions import Intent, Question
from handlers.commands.registry import in_reader_words
from handlers.domain.context import Context
from handlers.domain.permissions import Role, at_least, refusal
from handlers.domain.resolve import TargetKind
from handlers.views.i18n import N_, _, gap, ngettext
from handlers.views.reply import Action, ActionKind, Reply, Section, Tone
from models import repository

CHOICES = 5  # when the words name several commitments: the ones offered, each its own button


def instruction(question: Question, ctx: Context) -> Reply:
    if question.intent == Intent.reschedule:
        return _reschedule(question, ctx)
    if question.intent == Intent.record_held:
        return _record_held(question, ctx)
    return _set_status(question, ctx)


def _set_status(question: Question, ctx: Context) -> Reply:
    ids = _commitments_named(question.words, ctx)
    if not ids:
        return _not_found(question, _("I don't know a commitment called “{words}”."))
    owned = repository.commitment_ids_owned_directly(session=ctx.session, refs=ctx.identities, among=ids)
    coordinator = at_least(ctx.role, Role.coordinator)  # the role is read from the database: once
    if not coordinator and not owned:
        doing = N_("change a status (an item's owners can too)")
        return refusal(ctx.session, Role.coordinator, doing, ctx.ports.admins)
    keys = [ctx.index.items[i].key for i in (ids if coordinator else owned)]
    commands = [f"status {key} {question.to}" for key in keys[:CHOICES]]
    if (problem := _unreadable(commands[0], SetStatus)) is not None:
        return problem
    if len(commands) == 1:
        title = _("Set the status of {key} to “{status}”?").format(key=keys[0], status=question.to)
        return _confirm(commands[0], title)
    which = ngettext(
        "“{words}” names {n} commitment: which one is “{status}”?",
        "“{words}” names {n} commitments: which one is “{status}”?",
        len(keys),
    ).format(words=question.words, n=len(keys), status=question.to)
    return _choose(which, commands, keys, ctx)


def _reschedule(question: Question, ctx: Context) -> Reply:
    return _meeting_change(
        question, ctx, verb="schedule", when=question.to, kind=Schedule, doing=N_("fix meeting dates"),
        title=N_("Fix the next {name} for {when}?"),
    )  # fmt: skip


# "assign the MLAT to @maria", "assigner le colloque à DND": the word between the target and the new owners
_TO = frozenset({"to", "for", "à", "a", "au", "aux", "pour", "に"})


def assign_in_words(words: str, users: tuple[str, ...], remove: bool, ctx: Context) -> Reply | None:
    """`assign the MLAT to @maria DND`: the target said in words, not as an id or a meeting's name (the command
    found neither). The commitment or meeting the words name, offered with the command to confirm; None when
    they name nothing, so the command says what it needs."""
    tokens = words.split()
    cut = max((i for i, token in enumerate(tokens) if token.casefold() in _TO), default=len(tokens))
    said, departments = " ".join(tokens[:cut]), " ".join(tokens[cut + 1 :])
    meeting = _meeting_named(said, ctx) if said else None
    keys = [meeting.key] if meeting is not None else [ctx.index.items[i].key for i in _commitments_named(said, ctx)]
    if not said or not keys:
        return None
    verb = "unassign" if remove else "assign"
    owners = " ".join([*(f"<@{ref}>" for ref in users), departments]).strip()
    commands = [f"{verb} {key} {owners}".strip() for key in keys[:CHOICES]]
    if len(commands) == 1:
        title = (_("Remove {owners} from the owners of {key}?") if remove else _("Make {owners} an owner of {key}?"))
        return _confirm(commands[0], title.format(owners=owners or "…", key=meeting.name if meeting else keys[0]))
    which = _("“{words}” names {n} commitments: which one?").format(words=said, n=len(keys))
    return _choose(which, commands, keys, ctx)


def _record_held(question: Question, ctx: Context) -> Reply:
    said = question.to.split()
    when = " ".join(said[1:]) if said[0].casefold() in _ON else question.to  # "on 8 Dec 2026": the date
    return _meeting_change(
        question, ctx, verb="held", when=when, kind=RecordHeld, doing=N_("record meetings"),
        title=N_("Record the {name} as held {when}?"),
    )  # fmt: skip


def _meeting_change(question: Question, ctx: Context, *, verb: str, when: str, kind: type, doing: str, title: str):
    """A meeting's command (`schedule`, `held`) for the meeting the words name, to confirm."""
    meeting = _meeting_named(question.words, ctx)
    if meeting is None:
        return _not_found(question, _("I don't know a meeting called “{words}”."))
    if not at_least(ctx.role, Role.coordinator):
        return refusal(ctx.session, Role.coordinator, doing, ctx.ports.admins)
    command = f"{verb} {meeting.key} {when}"
    if (problem := _unreadable(command, kind)) is not None:
        return problem
    return _confirm(command, _(title).format(name=meeting.name, when=when))


_ON = frozenset({"on", "in", "le", "en", "a", "à", "au"})  # "on 8 Dec 2026", "le 8 déc. 2026": the date after it


def _commitments_named(words: str, ctx: Context) -> list[int]:
    """The commitments the words name, as the asker may see them: an id, or the items a lookup finds first."""
    if (found := ctx.index.by_key.get(words.casefold())) is not None:
        return ctx.visible([found])
    return find_subject(words, ctx).ids  # "MLAT": the one item that names it; "counter-terrorism": its area's


def _meeting_named(words: str, ctx: Context):
    kinds = (TargetKind.mechanism,)
    vocabulary = ctx.vocabulary
    target = (
        vocabulary.exact(words, kinds=kinds)
        or vocabulary.meeting_named_in_part(words)
        or vocabulary.fuzzy(words, kinds=kinds)
    )
    return target if target is not None and ctx.visible_meetings([target.id]) else None


def _unreadable(command: str, kind: type) -> Reply | None:
    """The command's own complaint when the status or date said cannot be read ("as finished-ish")."""
    parsed = parse(command)
    if isinstance(parsed, ParseError):
        return error_reply(parsed)
    return None if isinstance(parsed, kind) else Reply(title=_("I can't read that as a change."), tone=Tone.error)


def _confirm(command: str, title: str) -> Reply:
    typed = in_reader_words(f"/agenda {command}").removeprefix("/agenda ")
    return Reply(
        title=title,
        summary=_("Nothing has changed yet: confirm, or type `/agenda {command}`.").format(command=typed),
        actions=[Action(ActionKind.do, _("Confirm"), command)],
        tone=Tone.notice,
    )


def _choose(title: str, commands: list[str], keys: list[str], ctx: Context) -> Reply:
    """Words that name several commitments: the first CHOICES offered, a button each."""
    lines = [f"• {key}  {ctx.names.of(record.commitment)}" for key, record in _records(keys, ctx)]
    more = gap() + _("The first {n} are shown; name one by its id.").format(n=CHOICES) if len(keys) > CHOICES else ""
    return Reply(
        title=title,
        summary=_("Nothing has changed yet: press the one you mean.") + more,
        sections=[Section(body="\n".join(lines))],
        actions=[Action(ActionKind.do, key, command) for key, command in zip(keys[:CHOICES], commands, strict=True)],
        tone=Tone.notice,
    )


def _records(keys: list[str], ctx: Context):
    ids = [ctx.index.by_key[key.casefold()] for key in keys[:CHOICES]]
    records = {r.commitment.key: r for r in repository.load_commitments(session=ctx.session, ids=ids)}
    return [(key, records[key]) for key in keys[:CHOICES] if key in records]


def _not_found(question: Question, title: str) -> Reply:
    return Reply(
        title=title.format(words=question.words),
        summary=_("Nothing was changed."),
        tone=Tone.notice,
    )
