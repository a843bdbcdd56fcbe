"""Whose language: the one a person chose, else their platform's, else English.

A person chooses with `/agenda language fr|ja|en` (kept on each of their linked identities, so it
follows them to the other platform); otherwise the platform says: Teams on every message
(``activity.locale``, in the Requester), Slack in ``users.info`` (``include_locale``, kept in
``Person.platform_language`` by the weekly refresh, bot/slack/people.py). Unknown locales are English.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from handlers.domain import audit
from handlers.domain.context import Context
from handlers.domain.identities import identities_of
from handlers.domain.ports import Requester
from handlers.views import i18n
from handlers.views.i18n import _, language_of
from handlers.views.reply import Reply, Section, Tone
from models import writes
from models.people import people_among, person_row


def language_for(session: Session, user_ref: str, platform_locale: str | None = None) -> str:
    """The language to write to this person in: chosen (on any linked identity, theirs first), else the
    locale their platform gives with this request, else the one it gave last, else English."""
    refs = identities_of(session, user_ref)
    people = {p.user_ref: p for p in people_among(session=session, refs=refs)}
    rows = [people[ref] for ref in refs if ref in people]
    chosen = next((p.language for p in rows if p.language in i18n.LANGUAGES), None)
    said = language_of(platform_locale)
    known = next((p.platform_language for p in rows if p.platform_language in i18n.LANGUAGES), None)
    return chosen or said or known or i18n.DEFAULT


def languages_of(session: Session, refs: list[str]) -> dict[str, str]:
    """Each recipient's language, for work with no request (reminders, escalations)."""
    return {ref: language_for(session, ref) for ref in refs}


def requester_language(ports, session: Session, requester: Requester) -> str:
    """The asker's language, from memory when it was read less than a minute ago (i18n.LanguageBook)."""
    key = (requester.user_ref, requester.locale)
    language = ports.languages.get(key)
    if language is None:
        language = language_for(session, requester.user_ref, requester.locale)
        ports.languages.put(key, language)
    return language


@dataclass(frozen=True)
class SetLanguage:
    """`/agenda language [fr|ja|en|auto]`: show or choose the bot's language for oneself."""

    choice: str | None  # a language code, "auto" (the platform's again), or None: show it


AUTO = "auto"
_AUTO_WORDS = {"auto", "default", "platform", "défaut", "par défaut", "automatique", "自動", "既定"}


def parse_language(rest: str):
    from handlers.commands.parser import ParseError

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


def describe(language: str) -> str:
    """'français (fr)'."""
    return f"{i18n.NAMES.get(language, language)} ({language})"


def status_line(session: Session, requester: Requester) -> str:
    """One line for `/agenda link` and the Home tab: the language and where it comes from."""
    refs = identities_of(session, requester.user_ref)
    rows = people_among(session=session, refs=refs)
    chosen = next((p.language for p in rows if p.language in i18n.LANGUAGES), None)
    language = language_for(session, requester.user_ref, requester.locale)
    if chosen:
        return _("Language: {language}, your choice (`/agenda language auto` to follow your platform).").format(
            language=describe(language)
        )
    return _("Language: {language}, from your platform (`/agenda language fr|ja|en` to choose).").format(
        language=describe(language)
    )


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
