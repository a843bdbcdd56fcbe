"""The agenda's names and titles in the reader's language, and official texts of commitments.

What the team wrote in English (an area's, a department's, a meeting's name, a document's short
title, a commitment's title) may have a French and a Japanese version written by the team
(``seeds/agenda``: ``names``, ``short_titles``, ``titles``; the ``translation`` table). A reader
gets the one in their language, and the English where there is none. A commitment's title so
shown is the team's translation, and is marked so where it is shown (``title_translated``).

The agreed text is never translated here: it is shown as written, labelled as the agreed text in
English for French and Japanese readers. Where an official French or Japanese text has been
attached (with its source, by a coordinator or the seeds), readers of that language get it as the
official text, the English beside it (``official``). Nothing is ever shown as official that was not
attached so.

One ``NameBook`` is read per agenda revision (with the timeline: ``Timeline.names``); its methods
answer in the current language (``handlers.views.i18n.current()``) unless told another.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from handlers.views import i18n

# What each kind of row is called in the translation table, and which of its fields is its name.
SUBJECTS = {
    "Area": ("area", "name"),
    "Department": ("department", "name"),
    "Mechanism": ("mechanism", "name"),
    "Document": ("document", "short_title"),
    "Commitment": ("commitment", "title"),
}
OFFICIAL = "text"  # models.translations.OFFICIAL: the attribute of an official text


@dataclass(frozen=True)
class Official:
    """An official text of a commitment in one language, attached with where it is published."""

    language: str
    text: str
    source: str


class NameBook:
    def __init__(self, rows: Iterable[Any] = ()) -> None:
        """``rows``: models.tables.Translation rows (or anything with their fields)."""
        self._text: dict[tuple[str, str, str, str], str] = {}
        self._official: dict[tuple[str, str], Official] = {}
        for row in rows:
            if row.subject == "commitment" and row.attribute == OFFICIAL:
                self._official[(row.key, row.language)] = Official(row.language, row.text, row.source)
            else:
                self._text[(row.subject, row.key, row.attribute, row.language)] = row.text

    def __bool__(self) -> bool:
        return bool(self._text or self._official)

    def translated(self, subject: str, key: str, attribute: str, language: str | None = None) -> str | None:
        """The team's ``language`` version of a subject's name or title (the reader's by default); None: none."""
        language = language or i18n.current()
        if language == i18n.ENGLISH:
            return None
        return self._text.get((subject, key, attribute, language))

    def of(self, row: Any, language: str | None = None) -> str:
        """A row's name in the reader's language: an Area, Department, Mechanism, Document (its short
        title) or Commitment (its title); its English one where the team wrote none."""
        subject, attribute = SUBJECTS[type(row).__name__]
        english = getattr(row, attribute)
        return self.translated(subject, row.key, attribute, language) or english

    def department(self, key: str, english: str, language: str | None = None) -> str:
        """A department by key (an owner row keeps only the key and the English name)."""
        return self.translated("department", key, "name", language) or english

    def title(self, key: str, english: str, language: str | None = None) -> str:
        """A commitment's title by key (a row read for a date keeps only the key and the English)."""
        return self.translated("commitment", key, "title", language) or english

    def document(self, key: str, english: str, language: str | None = None) -> str:
        """A document's short title by key (the lookup index keeps only the key and the English)."""
        return self.translated("document", key, "short_title", language) or english

    def owner(self, owner: Any) -> str:
        """An owner row as shown: a department in the reader's language, a person as named."""
        if getattr(owner, "kind", None) == "department":
            return self.department(owner.ref, owner.display_name)
        return owner.display_name

    def title_translated(self, commitment: Any, language: str | None = None) -> bool:
        """Whether ``of(commitment)`` is the team's translation (to be marked so)."""
        return self.translated("commitment", commitment.key, "title", language) is not None

    def official(self, key: str, language: str | None = None) -> Official | None:
        """The official text attached to commitment ``key`` in the reader's language, if any."""
        language = language or i18n.current()
        if language == i18n.ENGLISH:
            return None
        return self._official.get((key, language))

    def officials_besides(self, key: str, language: str | None = None) -> list[Official]:
        """The official texts of commitment ``key`` in languages other than the reader's (French, then
        Japanese): a reader is told they exist, whichever language they read."""
        language = language or i18n.current()
        return [o for (k, lang), o in sorted(self._official.items()) if k == key and lang != language]

    def names_of(self, subject: str, key: str) -> list[str]:
        """Every language's name of a subject the team wrote (for lookups: typed names are found)."""
        return [text for (s, k, _a, _l), text in self._text.items() if s == subject and k == key]

    def every_name(self, subject: str) -> dict[str, list[str]]:
        """Key → the team's French and Japanese names, of every row of a subject."""
        found: dict[str, list[str]] = {}
        for (s, key, _attribute, _language), text in self._text.items():
            if s == subject:
                found.setdefault(key, []).append(text)
        return found


EMPTY = NameBook()
