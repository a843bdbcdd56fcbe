"""`/agenda language [fr|ja|en|auto]`: show or choose the bot's language for oneself.

Whose language it is otherwise (chosen, the platform's, English): handlers/domain/languages.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.commands.parser import ParseError
from handlers.domain import audit
from handlers.domain.context import Context
from handlers.domain.languages import describe, language_for, status_line
from handlers.views import i18n
from handlers.views.i18n import _, language_of
from handlers.views.reply import Reply, Section, Tone
from models import writes
from models.people import person_row


@dataclass(frozen=True)
class SetLanguage:
    """`/agenda language [fr|ja|en|auto]`: show or choose the bot's language for oneself."""

    choice: str | None  # a language code, "auto" (the platform's again), or None: show it


AUTO = "auto"


_AUTO_WORDS = {"auto", "default", "platform", "défaut", "par défaut", "automatique", "自動", "既定"}


def parse_language(rest: str):
    words = rest.strip()
    if not words:
        return SetLanguage(None)
    if words.casefold() in _AUTO_WORDS:
        return SetLanguage(AUTO)
    language = language_of(words)
    if language is None:
        return ParseError(
            _("“{words}” is not a language the bot speaks.").format(words=words),
            _("Choose one: `/agenda language en`, `/agenda language fr` or `/agenda language ja`."),
        )
    return SetLanguage(language)


def set_language(command: SetLanguage, ctx: Context) -> Reply:
    if command.choice is None:
        return Reply(
            title=status_line(ctx.session, ctx.requester),
            sections=[Section(body=_("The bot speaks English, French and Japanese: `/agenda language en|fr|ja`."))],
            tone=Tone.notice,
        )
    chosen = None if command.choice == AUTO else command.choice
    changed = False
    for ref in ctx.identities:  # one person: the choice holds on every platform they use
        person = person_row(session=ctx.session, user_ref=ref)
        if person.language != chosen:
            audit.record(
                ctx,
                action="language",
                target_type="person",
                target_key=ref,
                before={"language": person.language},
                after={"language": chosen},
            )
            person.language = chosen
            writes.save(session=ctx.session, row=person)
            changed = True
    ctx.session.flush()
    ctx.ports.languages.forget(ctx.identities)
    language = language_for(ctx.session, ctx.requester.user_ref, ctx.requester.locale)
    with i18n.speaking(language):  # the answer is already in the new language
        if not changed:
            return Reply(title=_("Nothing to change: that is already your language."), tone=Tone.notice)
        if chosen is None:
            title = _("The bot now follows your platform's language: {language}.")
        else:
            title = _("The bot now answers you in {language}.")
        return Reply(
            title=title.format(language=describe(language)),
            summary=_("Reminders and the Home tab follow too, on Slack and Teams."),
        )
