"""Match what people type to areas, mechanisms and departments.

Exact first (names, acronyms and aliases, in English, French and Japanese, in
any case and width, with or without accents, ignoring spaces and punctuation:
"counter terrorism" = "Counter-Terrorism" = "CT" = "テロ対策", "Corée du Nord" =
"coree du nord" = "ＤＰＲＫ"), then fuzzy
for typos ("counter-terorism") with rapidfuzz. Short words are never matched
fuzzily: "CT" must not become "ICC".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from handlers.domain.index import fold
from handlers.views import i18n
from handlers.views.names import EMPTY, NameBook
from models.tables import Area, Department, Mechanism

FUZZY_CUTOFF = 85.0
MIN_FUZZY_LENGTH = 5
_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_LATIN_WORD = re.compile(r"[a-z0-9]+")


class TargetKind(StrEnum):
    area = "area"
    mechanism = "mechanism"
    department = "department"


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    id: int
    key: str
    english: str  # its name as the agenda has it
    local: tuple[tuple[str, str], ...] = ()  # (language, name): the team's French and Japanese names

    @property
    def name(self) -> str:
        """Its name in the reader's language (handlers/views/names.py); the English where none is written."""
        return dict(self.local).get(i18n.current(), self.english)


def normalise(words: str) -> str:
    return _NON_ALNUM.sub("", fold(words))


def _words(text: str) -> frozenset[str]:
    """Latin words, folded, a plural's s dropped: "politico-militaires" → {politico, militaire}."""
    return frozenset(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in _LATIN_WORD.findall(fold(text)))


class Vocabulary:
    def __init__(
        self, areas: list[Area], mechanisms: list[Mechanism], departments: list[Department], names: NameBook = EMPTY
    ) -> None:
        """``names``: the team's French and Japanese names, found as the English ones are and shown in
        the reader's language (``Target.name``)."""
        self.terms: dict[str, Target] = {}
        self.names: set[str] = set()  # the terms that are a name or key, not an alias
        targets: dict[tuple[TargetKind, int], Target] = {}
        # Later kinds never overwrite earlier ones: an area wins a shared word.
        for kind, rows in (
            (TargetKind.area, areas),
            (TargetKind.mechanism, mechanisms),
            (TargetKind.department, departments),
        ):
            for row in rows:
                local = tuple(
                    (language, text)
                    for language in (i18n.FRENCH, i18n.JAPANESE)
                    if (text := names.translated(kind.value, row.key, "name", language))
                )
                target = targets[(kind, row.id)] = Target(kind, row.id, row.key, row.name, local)
                for term in (row.name, *(text for _language, text in local), row.key, *row.aliases):
                    self.terms.setdefault(normalise(term), target)
                self.names |= {normalise(row.name), normalise(row.key), *(normalise(t) for _l, t in local)}
        self.areas = [targets[(TargetKind.area, a.id)] for a in areas]
        self._meeting_words = [
            (_words(term), target)
            for m in mechanisms
            for target in [targets[(TargetKind.mechanism, m.id)]]
            for term in (m.name, *(text for _language, text in target.local), *m.aliases)
        ]
        # The fuzzy matcher's choices per kinds asked for: built once, not on every question.
        self._choices: dict[tuple[TargetKind, ...], tuple[dict[str, Target], list[str]]] = {}

    def exact(self, words: str, *, kinds: tuple[TargetKind, ...] = tuple(TargetKind)) -> Target | None:
        target = self.terms.get(normalise(words))
        return target if target and target.kind in kinds else None

    def is_name(self, words: str) -> bool:
        """Whether the words are a name or key (not an alias) of what they match."""
        return normalise(words) in self.names

    def meeting_named_in_part(self, words: str) -> Target | None:
        """The one meeting whose name, or one of its names, holds every word: "political-military"
        (the Political-Military Talks), "politico-militaire" (dialogue politico-militaire). For when a
        meeting is asked about ("when is the next …"); words two meetings share name neither."""
        wanted = _words(words)
        if not wanted:
            return None
        found = {target for names, target in self._meeting_words if wanted <= names}
        return found.pop() if len(found) == 1 else None

    def fuzzy(self, words: str, *, kinds: tuple[TargetKind, ...] = tuple(TargetKind)) -> Target | None:
        """A typo of a whole name ("counter-terorism"), or, for departments,
        part of one ("national defence" for the Department of National Defence)."""
        wanted = normalise(words)
        if len(wanted) < MIN_FUZZY_LENGTH:
            return None
        if (known := self._choices.get(kinds)) is None:
            choices = {term: t for term, t in self.terms.items() if t.kind in kinds and len(term) >= MIN_FUZZY_LENGTH}
            known = self._choices[kinds] = (choices, list(choices))
        choices, terms = known
        # Imported on the first fuzzy match, not with this module: a lookup of an exact name or of a short word
        # (`ask MLAT`) never needs it.
        from rapidfuzz import fuzz, process

        scorer = fuzz.partial_ratio if kinds == (TargetKind.department,) else fuzz.ratio
        best = process.extractOne(wanted, terms, scorer=scorer, score_cutoff=FUZZY_CUTOFF)
        return choices[best[0]] if best else None

    def closest_areas(self, words: str, *, limit: int = 3) -> list[Target]:
        """Areas to suggest when nothing matched: best guesses, however weak."""
        from rapidfuzz import fuzz, process  # imported here, as in fuzzy()

        wanted = normalise(words) or words
        area_terms = {term: t for term, t in self.terms.items() if t.kind == TargetKind.area}
        ranked = process.extract(wanted, list(area_terms), scorer=fuzz.WRatio, limit=limit * 6)
        suggestions: list[Target] = []
        for term, _score, _index in ranked:
            if area_terms[term] not in suggestions:
                suggestions.append(area_terms[term])
        return suggestions[:limit]
