"""The bot's three languages: English, French and Japanese.

Every sentence the bot writes is a message of the gettext catalogues in ``handlers/locale/``
(``<language>/LC_MESSAGES/messages.po``), written in the code as ``_("…")`` (or ``ngettext`` for
counts, whose plural forms each catalogue defines) and found there by ``pybabel extract``
(``babel.cfg``). Text declared at import time (a command's help, a city's name) is marked with
``N_("…")`` and translated where it is shown.

The language is the reader's, held in a context variable for the request being answered
(``speaking(language)``, set by ``handlers.handle``): never process-global, so two requests in two
languages running at once in threads or tasks each read their own. Work with no request (reminders,
digests, escalations) says whose language it writes in, ``with speaking(recipient_language):``.

The catalogues are compiled from the ``.po`` files in memory on first use (Babel's own compiler,
fuzzy entries left out): the install needs no build step, no compiled file can drift from its
source, and a read-only install directory is enough.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from gettext import GNUTranslations, NullTranslations
from io import BytesIO
from pathlib import Path

ENGLISH, FRENCH, JAPANESE = "en", "fr", "ja"
LANGUAGES = (ENGLISH, FRENCH, JAPANESE)
DEFAULT = ENGLISH
LOCALE_DIR = Path(__file__).parents[1] / "locale"  # handlers/locale/
DOMAIN = "messages"

# A language's own name, as a person would type it after `/agenda language`.
NAMES = {ENGLISH: "English", FRENCH: "français", JAPANESE: "日本語"}
TYPED_NAMES = {
    "english": ENGLISH,
    "anglais": ENGLISH,
    "英語": ENGLISH,
    "french": FRENCH,
    "francais": FRENCH,
    "français": FRENCH,
    "フランス語": FRENCH,
    "仏語": FRENCH,
    "japanese": JAPANESE,
    "japonais": JAPANESE,
    "日本語": JAPANESE,
}
_TAG = re.compile(r"[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*")

_current: ContextVar[str] = ContextVar("agenda_language", default=DEFAULT)


def language_of(tag: str | None) -> str | None:
    """A platform's locale (BCP 47 "fr-CA", Slack's "ja-JP", POSIX "fr_FR") or a language's
    name ("français", "日本語") → "en", "fr" or "ja"; None for anything else (then English)."""
    if not tag:
        return None
    folded = tag.strip().casefold()
    if folded in TYPED_NAMES:
        return TYPED_NAMES[folded]
    if not _TAG.fullmatch(folded):
        return None
    primary = re.split(r"[-_]", folded, maxsplit=1)[0]
    return primary if primary in LANGUAGES else None


def current() -> str:
    """The language of the request (or the recipient) being written for."""
    return _current.get()


@contextmanager
def speaking(language: str | None) -> Iterator[str]:
    """Write in ``language`` (English when unknown) inside the block; the outer language after it."""
    chosen = language if language in LANGUAGES else DEFAULT
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalogue of one language (English is its own, so a missing entry shows its msgid)."""
    if language not in LANGUAGES:
        return NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return GNUTranslations(compiled)


# How the commands a sentence names are typed in a language (`/agenda history …` → `/agenda historique …`): the
# command table's (handlers/commands/registry.py sets it when it is imported; until then, as written).
_command_words: Callable[[str, str], str] | None = None


def set_command_words(words: Callable[[str, str], str]) -> None:
    global _command_words
    _command_words = words
    _commands_in.cache_clear()


@lru_cache(maxsize=8192)
def _commands_in(text: str, language: str) -> str:
    return _command_words(text, language) if _command_words is not None else text


def commands_in(text: str) -> str:
    """``text`` with each command it names (`/agenda show 2002-A4`) as a reader of the current language types it
    (`/agenda voir 2002-A4`, `/agenda 表示 2002-A4`): what every message of the catalogue gets, and what a command
    written outside it (a button's, a feed's) is given."""
    language = current()
    if language == ENGLISH or "/agenda " not in text:
        return text
    return _commands_in(text, language)


def _(message: str) -> str:
    """``message`` in the current language, the commands it names in that language's words."""
    language = current()
    if language == ENGLISH:  # the messages are written in English (the English catalogue says so: a test)
        return message
    return commands_in(translations(language).gettext(message))


def gettext(message: str) -> str:
    return _(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` in the current language (French counts 0 and 1 as singular; Japanese has one form)."""
    language = current()
    if language == ENGLISH:
        return singular if n == 1 else plural
    return commands_in(translations(language).ngettext(singular, plural, n))


def in_other_languages(message: str) -> dict[str, str]:
    """``message`` in French and in Japanese, whoever is being answered: what the team's French and Japanese of a
    name written by the bot are (models: the translation table)."""
    return {language: translations(language).gettext(message) for language in LANGUAGES if language != ENGLISH}


def N_(message: str) -> str:
    """Marks text declared at import time for extraction; translate it with ``_()`` where it is shown."""
    return message


def colon(label: str, value: str) -> str:
    """"label: value" as the reader's language writes it: "Échéance : …" (a no-break space), "期限：…"."""
    return _("{label}: {value}").format(label=label, value=value)


def gap() -> str:
    """What goes between two sentences: a space, except in Japanese, which puts none after 。 nor before （."""
    return "" if current() == JAPANESE else " "


# Lists as Canada's style guides write them in English, without a comma before "and" ("A, B and C"; CLDR's
# plain English has one); French and Japanese as CLDR has them ("A, B et C", "A、B、C").
_LIST_LOCALES = {ENGLISH: "en_CA"}


def and_list(items: Iterable[str], language: str | None = None) -> str:
    """Names joined as the reader's language joins them (Babel's format_list): "A, B and C", "A, B et C", "A、B、C"."""
    from babel.lists import format_list

    items = list(items)
    if not items:
        return ""
    locale = babel_locale(language)
    return format_list(items, locale=_LIST_LOCALES.get(locale, locale))


def babel_locale(language: str | None = None) -> str:
    """The Babel (CLDR) locale that formats dates and numbers for a language."""
    return language if language in LANGUAGES else current()


class LanguageBook:
    """Who speaks what, kept a minute in memory: a cached answer needs the asker's language
    without a database read, and a choice made on another replica shows within a minute.
    Keyed by (user ref, the locale their platform sent with the request)."""

    def __init__(self, ttl: float = 60.0, monotonic=time.monotonic) -> None:
        self._ttl, self._monotonic = ttl, monotonic
        self._known: dict[tuple[str, str | None], tuple[str, float]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str | None]) -> str | None:
        with self._lock:
            found = self._known.get(key)
        if found is None or self._monotonic() - found[1] > self._ttl:
            return None
        return found[0]

    def put(self, key: tuple[str, str | None], language: str) -> None:
        with self._lock:
            if len(self._known) > 10_000:
                self._known.clear()
            self._known[key] = (language, self._monotonic())

    def forget(self, user_refs: tuple[str, ...]) -> None:
        with self._lock:
            for key in [key for key in self._known if key[0] in user_refs]:
                del self._known[key]


# Names the bot shows that are not sentences: the default capitals, the two countries.
N_("Ottawa")
N_("Tokyo")
N_("Canada")
N_("Japan")

__all__ = ["LANGUAGES", "N_", "_", "current", "language_of", "ngettext", "speaking", "translations"]
