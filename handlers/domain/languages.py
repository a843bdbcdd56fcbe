"""Whose language: the one a person chose, else their platform's, else English.

A person chooses with `/agenda language fr|ja|en` (kept on each of their linked identities, so it
follows them to the other platform); otherwise the platform says: Teams on every message
(``activity.locale``, in the Requester), Slack in ``users.info`` (``include_locale``, kept in
``Person.platform_language`` by the weekly refresh, bot/slack/people.py). Unknown locales are English.
The command itself: handlers/commands/language.py.
"""

from __future__ import annotations

from sqlmodel import Session

from handlers.domain.identities import identities_of
from handlers.domain.ports import Requester
from handlers.views import i18n
from handlers.views.i18n import _, language_of
from models.people import people_among


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


def known_language(ports, requester: Requester) -> str | None:
    """The asker's language if it was read less than a minute ago (i18n.LanguageBook), else None: no read,
    so a front end may ask on its event loop, and a cached answer needs nothing more."""
    return ports.languages.get((requester.user_ref, requester.locale))


def requester_language(ports, session: Session, requester: Requester) -> str:
    """The asker's language, from memory when it was read less than a minute ago (i18n.LanguageBook)."""
    language = known_language(ports, requester)
    if language is None:
        language = language_for(session, requester.user_ref, requester.locale)
        ports.languages.put((requester.user_ref, requester.locale), language)
    return language


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
