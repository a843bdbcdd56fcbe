"""`/agenda official`: a coordinator attaches (or removes) the official French or Japanese text of a
commitment, with where it is published.

The agreed text stays the one quoted for everyone; a reader of that language then gets the
official text too, marked official with its source, the English beside it (handlers/views/present.py).
Nothing is shown as official that was not attached so: never a translation, never a machine's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.commands import terms
from handlers.commands.listings import unknown_id
from handlers.commands.parser import ParseError
from handlers.domain import audit
from handlers.domain.context import Context
from handlers.domain.permissions import at_least, refusal
from handlers.views import i18n
from handlers.views.i18n import N_, _
from handlers.views.reply import Reply, Tone
from models import repository, translations
from models.tables import Role

_ID = re.compile(r"^\d{4}-[A-Za-z]?\d+[a-z]?$")
LONGEST = 4000  # characters: a commitment's paragraph, not a document
USAGE = N_(
    "`/agenda official <id> fr|ja <source> | <official text>` attaches it; "
    "`/agenda official <id> fr|ja remove` removes it."
)
LANGUAGE_NAMES = {i18n.FRENCH: N_("French"), i18n.JAPANESE: N_("Japanese")}


@dataclass(frozen=True)
class AttachOfficial:
    id: str
    language: str
    source: str
    text: str


@dataclass(frozen=True)
class RemoveOfficial:
    id: str
    language: str


def parse_official(rest: str) -> AttachOfficial | RemoveOfficial | ParseError:
    """`2002-A4 fr Recueil des traités du Canada 2025/12 | Conclure…`, `2002-A4 ja remove`."""
    head, bar, text = rest.partition("|")
    words = head.split()
    if len(words) < 2 or not _ID.match(words[0]):
        return ParseError(N_("`official` needs a commitment id, a language and the text with its source."), USAGE)
    language = i18n.language_of(words[1])
    if language not in LANGUAGE_NAMES:
        return ParseError(N_("An official text is in French (fr) or Japanese (ja): the agreed text is the English."),
                          USAGE)  # fmt: skip
    said = " ".join(words[2:])
    if not bar and terms.means(said, "remove"):  # retirer, supprimer, 削除
        return RemoveOfficial(words[0], language)
    source, text = said.strip(), " ".join(text.split())
    if not bar or not source or not text:
        return ParseError(N_("Give where the official text is published, then `|`, then the text as published."),
                          USAGE)  # fmt: skip
    if len(text) > LONGEST:
        return ParseError(N_("That text is longer than {n} characters: attach one commitment's text."), USAGE,
                          values={"n": LONGEST})  # fmt: skip
    return AttachOfficial(words[0], language, source, text)


def _commitment_key(ctx: Context, key: str, doing: str) -> str | Reply:
    """The commitment's id as recorded, for a coordinator who may see it; else the reply that says why not."""
    if not at_least(ctx.role, Role.coordinator):
        return refusal(ctx.session, Role.coordinator, doing, ctx.ports.admins)
    found = repository.get_commitment_id(session=ctx.session, key=key)
    if found is None or not ctx.visible([found]):
        return unknown_id(key, ctx)
    return repository.load_commitments(session=ctx.session, ids=[found])[0].commitment.key


def attach_official(command: AttachOfficial, ctx: Context) -> Reply:
    key = _commitment_key(ctx, command.id, N_("attach an official text"))
    if isinstance(key, Reply):
        return key
    field = f"official ({command.language})"
    before, row = translations.attach_official(
        session=ctx.session, key=key, language=command.language, text=command.text, source=command.source
    )
    audit.record(
        ctx, action="official", target_type="commitment", target_key=key,
        before={field: before.text, f"source ({command.language})": before.source} if before else {},
        after={field: row.text, f"source ({command.language})": row.source},
    )  # fmt: skip
    language = _(LANGUAGE_NAMES[command.language])
    title = (_("The official {language} text of {key} is replaced.") if before else
             _("The official {language} text of {key} is attached.")).format(language=language, key=key)  # fmt: skip
    summary = _("{language} readers now see it, marked official with its source ({source}), beside the agreed "
                "English text, which stays authoritative.").format(language=language, source=row.source)  # fmt: skip
    return Reply(title=title, summary=summary)


def remove_official(command: RemoveOfficial, ctx: Context) -> Reply:
    key = _commitment_key(ctx, command.id, N_("remove an official text"))
    if isinstance(key, Reply):
        return key
    language = _(LANGUAGE_NAMES[command.language])
    removed = translations.remove_official(session=ctx.session, key=key, language=command.language)
    if removed is None:
        return Reply(
            title=_("{key} has no official {language} text attached.").format(key=key, language=language),
            summary=_(USAGE),
            tone=Tone.notice,
        )
    audit.record(
        ctx, action="official", target_type="commitment", target_key=key,
        before={f"official ({command.language})": removed.text, f"source ({command.language})": removed.source},
        after={},
    )  # fmt: skip
    return Reply(
        title=_("The official {language} text of {key} is removed.").format(language=language, key=key),
        summary=_("{language} readers see the agreed English text again.").format(language=language),
    )
