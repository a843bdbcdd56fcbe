"""What words name in the agreed texts: an in-memory index, rebuilt on each agenda revision.

Why in memory, not the database's full-text search. The agenda is small (about a
hundred commitments; the benchmark's generated one has 10,000) and changes rarely,
and every change bumps the revision (models/revision.py) that handlers/domain/cache.py
keys on, so the index is built once per revision and each search is a few
dictionary look-ups: no SQL at all, the same answers on SQLite and PostgreSQL.
It also solves Japanese, which neither database's search handles here: FTS5's
``unicode61`` takes a Japanese clause for one token, its ``trigram`` tokenizer misses
two-character words such as 平和, and PostgreSQL's ``pg_trgm`` ignores Japanese
under ``LC_CTYPE=C``. Here Latin-script words are tokens (lightly stemmed: plurals)
and runs of Japanese characters are cut into overlapping character pairs, so 平和
and 平和維持 are both found, whatever the database.

Text is folded before anything is compared (``fold``): NFKC (full-width ＤＰＲＫ is
DPRK, half-width ｶﾀｶﾅ is カタカナ), case-folded, accents stripped (Corée = Coree).

A search is strict. Every meaningful word must be in an item (no "any word will
do" fallback), a word is a prefix of longer ones only when it is not itself a word
of the texts ("Kosov" finds Kosovo; "core" does not find "Corée"), and items that
hold the words as a phrase come first, then by BM25. When nothing holds all the
words, ``nearest`` gives the one or two items that share the rarest of them, for
an answer that says plainly they are not a match.

Translations (French and Japanese names of what the texts name in English) come
from ``seeds/agenda/terms.yaml``; area and meeting names in the three languages are
their aliases in ``seeds/agenda/catalogue.yaml`` (handlers/domain/resolve.py). Each
item is also found by the French and Japanese of its title that the team wrote, and by
an official French or Japanese text where one is attached (``IndexedItem.translated``):
"drogues illicites" and 違法薬物 find the item on illicit drugs though no term names it.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence, Set

from models.search import IndexedDocument, IndexedItem, TermGroup

_ACCENTS = re.compile(r"[\u0300-\u036f]")  # combining diacritics only: Japanese voicing marks stay
_JAPANESE = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u31f0-\u31ff"
_TOKEN = re.compile(rf"[{_JAPANESE}]+|[^\W_{_JAPANESE}]+", re.UNICODE)
_IS_JAPANESE = re.compile(rf"[{_JAPANESE}]")
_HIRAGANA_RUN = re.compile(r"[\u3040-\u309f]+")
_YEAR = re.compile(r"^(19|20)\d\d$")
_YEAR_SUFFIX = re.compile(r"((?:19|20)\d\d)\s*年")

# Words that carry no subject, in English and French. Japanese particles are hiragana
# between the words that matter, and are dropped as such (``query_tokens``).
STOPWORDS = frozenset(
    """
    a an and are as at be by do does did for from has have how i in is it its me of on or our please
    show the their them this to was we were what which who with about any all tell list find us
    agree agreed say said regarding concerning there anything everything
    le la les l de d du des et en sur au aux un une dans pour par avec ce ces qui que quoi quel quelle
    quels quelles est sont nous notre nos
    """.split()
)
# Nouns that only say a document is meant, once a year or a name has said which one.
DOCUMENT_NOUNS = frozenset(
    """
    agenda agendas proposals proposal priorities document documents doc text texts statement declaration
    plan paper programme program propositions priorites ordre jour 文書 アジェンダ 提案 優先事項
    """.split()
)
MIN_PREFIX = 4  # "Kosov" → Kosovo; shorter words are too ambiguous to extend
MAX_PREFIX_EXPANSIONS = 30
FIELD_WEIGHTS = {"title": 3.0, "organisations": 2.0, "text": 1.0, "section": 0.5, "translated": 1.0}
K1 = 1.2
NEAREST = 2
SHORT_NAME = 3  # words: a longer name must appear word for word to be named
RECENT_KEPT = 1024  # translations and documents named, kept for the next ask of the same words


def fold(text: str) -> str:
    """Compare-ready text: NFKC, case-folded, accents stripped."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    return unicodedata.normalize("NFC", _ACCENTS.sub("", decomposed))


def _stem(word: str) -> str:
    """Plurals only: enough for "landmines"/"landmine", "countries"/"country"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Index tokens of a text, in order: stemmed words, and Japanese as character pairs."""
    found: list[str] = []
    for run in _TOKEN.findall(fold(text)):
        if _IS_JAPANESE.match(run):
            found += [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
        else:
            found.append(_stem(run))
    return found


def query_tokens(words: str) -> list[str]:
    """The tokens of what someone typed that carry meaning: no stopwords, no particles."""
    folded = fold(words)
    # Hiragana between kanji or katakana are particles (の, について, に関する): separators.
    folded = _HIRAGANA_RUN.sub(lambda m: " " if _is_between_words(folded, m) else m.group(), folded)
    return [t for t in tokens(folded) if t not in STOPWORDS]


def _unique_phrases(documents: list[IndexedDocument]) -> dict[tuple[str, ...], int]:
    """The words that name one document: its title, its short title (the year aside), and its other
    names ("Indo-Pacific", "行動計画", from terms.yaml); a name two documents share names neither."""
    owners: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for d in documents:
        for name in (d.title, d.short_title, *d.aliases):
            words = tuple(w for w in tokens(name) if w not in STOPWORDS and not _YEAR.match(w))
            if words:
                owners[words].add(d.id)
    return {phrase: ids.pop() for phrase, ids in owners.items() if len(ids) == 1}


# Japanese words that only say what kind of thing a subject is (its law, its treaty, the issue of it,
# cooperation on it): glued to a subject's name they narrow nothing the texts say. Longest first.
JAPANESE_SUFFIXES = ("関連", "関係", "問題", "分野", "政策", "制度", "条約", "協定", "法律", "全般", "情勢", "法", "等")
_SUFFIXED = re.compile(rf"([{_JAPANESE}]*?)(?:{'|'.join(JAPANESE_SUFFIXES)})(?![{_JAPANESE}])")


def _without_suffixes(text: str) -> str:
    """Text with a generic suffix cut from the end of each Japanese run: the run dropped if that is all it was
    (`refugees 法`, the name before it translated), the run's start otherwise (`北朝鮮問題`)."""
    # A one-character start is a word of its own (違法, 不法: "illegal"), not a name with a suffix
    spared = _SUFFIXED.sub(lambda m: f" {m[1]} " if len(m[1]) != 1 else m[0], text)
    return spared if query_tokens(spared) else text  # 法 alone is looked up as typed


def _is_between_words(text: str, match: re.Match) -> bool:
    return match.start() > 0 and len(match.group()) <= 4


class SubjectIndex:
    """Commitments by word, area, meeting and document, in agenda order (newest document first)."""

    def __init__(
        self,
        items: Iterable[IndexedItem],
        documents: Iterable[IndexedDocument],
        terms: Sequence[TermGroup] = (),
    ) -> None:
        ordered = sorted(items, key=lambda i: (-i.year, i.document_id, i.position))
        self.order = {item.id: n for n, item in enumerate(ordered)}
        self.items = {item.id: item for item in ordered}
        self.restricted = frozenset(item.id for item in ordered if item.restricted)
        self.by_key = {item.key.casefold(): item.id for item in ordered}
        self.documents = list(documents)
        # Each item's title, organisations and text tokens, space-separated and -surrounded: for phrases.
        self._words: dict[int, str] = {}
        # token → {item: the token's BM25 term factor in that item}: which items hold it, and what it scores
        # there but for the token's idf (worked out once per revision, not per item a search ranks).
        self._postings: dict[str, dict[int, float]] = defaultdict(dict)
        self.by_area: dict[int, list[int]] = defaultdict(list)
        self.by_mechanism: dict[int, list[int]] = defaultdict(list)
        self.by_document: dict[int, list[int]] = defaultdict(list)
        weighed: list[tuple[int, dict[str, float], float]] = []  # (item, token → weighted frequency, their sum)
        total_length = 0.0
        for item in ordered:
            said = f"{item.title} . {item.organisations} . {item.text} . {item.translated}"
            self._words[item.id] = f" {' '.join(tokens(said))} "
            weights: dict[str, float] = {}
            for name, weight in FIELD_WEIGHTS.items():
                for token in tokens(getattr(item, name)):
                    weights[token] = weights.get(token, 0.0) + weight
            length = sum(weights.values())
            total_length += length
            weighed.append((item.id, weights, length))
            for area_id in item.area_ids:
                self.by_area[area_id].append(item.id)
            if item.mechanism_id is not None:
                self.by_mechanism[item.mechanism_id].append(item.id)
            self.by_document[item.document_id].append(item.id)
        average = total_length / max(1, len(weighed))
        for item_id, weights, length in weighed:
            for token, tf in weights.items():
                self._postings[token][item_id] = tf * (K1 + 1) / (tf + K1 * (0.25 + 0.75 * length / average))
        self._idf: dict[str, float] = {}
        self._recent: dict[tuple[str, str], object] = {}  # (what, words) → what they gave (_remembered)
        self._vocabulary = sorted(self._postings)
        self._document_phrases = _unique_phrases(self.documents)
        self.terms = list(terms)
        self._groups = {tuple(tokens(v)): g for g in reversed(self.terms) for v in (g.canonical, *g.variants)}
        canonical = {fold(variant): group.canonical for group in self.terms for variant in group.variants}
        japanese = sorted((v for v in canonical if _IS_JAPANESE.search(v)), key=len, reverse=True)
        latin = sorted((v for v in canonical if not _IS_JAPANESE.search(v)), key=len, reverse=True)
        self._canonical = canonical
        # Longest names first, in one pass each: Japanese anywhere, other names as whole words.
        self._japanese_names = re.compile("|".join(map(re.escape, japanese))) if japanese else None
        self._latin_names = (
            re.compile(rf"(?<![^\W_])(?:{'|'.join(map(re.escape, latin))})(?![^\W_])") if latin else None
        )

    # -- words ---------------------------------------------------------------------------

    def idf(self, token: str) -> float:
        known = self._idf.get(token)
        if known is None:
            n, df = len(self._words), len(self._postings.get(token, ()))
            known = self._idf[token] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return known

    def _alternatives(self, token: str) -> list[str]:
        """The token, or (when the texts lack it) the words it begins."""
        if token in self._postings or len(token) < MIN_PREFIX or _IS_JAPANESE.match(token):
            return [token]
        start = bisect.bisect_left(self._vocabulary, token)
        longer = []
        for word in self._vocabulary[start : start + MAX_PREFIX_EXPANSIONS]:
            if not word.startswith(token):
                break
            longer.append(word)
        return longer or [token]

    @staticmethod
    def clean(words: str) -> str:
        """Folded, with Japanese particles and the 年 of a year as spaces ("2005年のアフガニスタン")."""
        text = _YEAR_SUFFIX.sub(r"\1 ", fold(words))
        text = _HIRAGANA_RUN.sub(lambda m: " " if _is_between_words(text, m) else m.group(), text)
        return " ".join(text.split())

    def translate(self, words: str) -> str:
        """French and Japanese names of things, replaced by the English the texts use. A generic Japanese
        suffix glued to a name (難民法, 難民問題, 核兵器条約) is dropped: the texts are searched for every word,
        and a lone 法 left over (難民 → refugees) would hold none of them."""
        return self._remembered("translate", words, self._translate)

    def _remembered(self, kind: str, words: str, work):
        """``work(words)``, kept for the next ask: a lookup translates its words, and looks for documents
        named in them, both for its framing and for its subject. Bounded; the index is the revision's."""
        key = (kind, words)
        if (known := self._recent.get(key)) is None:
            if len(self._recent) >= RECENT_KEPT:
                self._recent.clear()
            known = self._recent[key] = work(words)
        return known

    def _translate(self, words: str) -> str:
        text = self._translated(self.clean(words))
        if self._japanese_names is not None and (spared := _without_suffixes(text)) != text:
            text = self._translated(spared)  # 北朝鮮問題 → 北朝鮮, a name once its suffix is gone
        return " ".join(text.split())

    @staticmethod
    def without_suffixes(words: str) -> str:
        """The words with a generic Japanese suffix cut (テロ対策関連 → テロ対策): an area's name said with it."""
        return " ".join(_without_suffixes(SubjectIndex.clean(words)).split())

    def _translated(self, text: str) -> str:
        for names in (self._japanese_names, self._latin_names):
            if names is not None:
                text = names.sub(lambda m: f" {fold(self._canonical[m.group()])} ", text)
        return text

    def is_term(self, phrase: str) -> bool:
        """Whether terms.yaml lists this among the things the texts name (a treaty, a body, a place)."""
        group = self._group(phrase)
        return group is not None and group.names_a_thing

    def _group(self, phrase: str) -> TermGroup | None:
        """The group naming this, compared word by word ("ballistic missiles" = "ballistic missile")."""
        return self._groups.get(tuple(tokens(phrase)))

    def canonical(self, phrase: str) -> str:
        """The name as the texts write it ("ctbt", "包括的核実験禁止条約" → "CTBT"); the phrase when terms.yaml
        does not list it."""
        group = self._group(phrase)
        return group.canonical if group else phrase

    def label(self, phrase: str, *, typed: str, language: str) -> str:
        """A named thing as a reader of ``language`` is shown it: the texts' own name in English; otherwise the
        words the reader typed when they name it ("enlèvements", "拉致問題"), or for a Japanese reader the
        group's Japanese name ("abduction" → "拉致")."""
        group = self._group(phrase)
        if group is None or language == "en":
            return self.canonical(phrase)
        if self._group(typed) is group and (language != "ja" or _IS_JAPANESE.search(typed)):
            return typed.strip()
        if language == "ja":
            return next((v for v in group.variants if _IS_JAPANESE.search(v)), group.canonical)
        return group.canonical

    def synonyms(self, phrase: str) -> list[str]:
        """The phrase and what means the same (CTBT, Comprehensive Nuclear-Test-Ban Treaty)."""
        group = self._group(phrase)
        return [group.canonical, *group.variants] if group else [phrase]

    # -- documents -----------------------------------------------------------------------

    def documents_named(self, words: str) -> list[IndexedDocument]:
        """The documents a year ("2005", "in 2005") or a document's name ("Indo-Pacific",
        "Action Agenda", "2002 Proposals for Collaboration") in the words stands for."""
        return list(self._remembered("documents_named", words, self._documents_named))

    def _documents_named(self, words: str) -> tuple[IndexedDocument, ...]:
        by_year, by_name = self._named(words)
        if by_year and by_name:
            return tuple(d for d in self.documents if d.id in by_year and d.id in by_name)
        if not (by_year or by_name):
            return ()
        return tuple(d for d in self.documents if d.id in (by_year or by_name))

    def without_stopwords(self, words: str) -> str:
        return " ".join(w for w in _TOKEN.findall(self.clean(words)) if w not in STOPWORDS)

    def words_without_documents(self, words: str, documents: list[IndexedDocument]) -> list[str]:
        """The words, without the years and names that stand for these documents, and without the
        nouns that only say a document is meant ("the 2002 proposals", "the Indo-Pacific document")."""
        raw = _TOKEN.findall(fold(words))
        spent = self._spent(raw, {d.id for d in documents})
        return [w for n, w in enumerate(raw) if n not in spent and not (documents and w in DOCUMENT_NOUNS)]

    def _named(self, words: str) -> tuple[set[int], set[int]]:
        raw = _TOKEN.findall(fold(words))
        years = {int(w) for w in raw if _YEAR.match(w)}
        by_year = {d.id for d in self.documents if d.year in years}
        by_name: set[int] = set()
        for _start, _end, document_id in self._phrases_in(raw):
            by_name.add(document_id)
        return by_year, by_name

    def _spent(self, raw: list[str], document_ids: set[int]) -> set[int]:
        years = {d.year for d in self.documents if d.id in document_ids}
        spent = {n for n, w in enumerate(raw) if _YEAR.match(w) and int(w) in years}
        for start, end, document_id in self._phrases_in(raw):
            if document_id in document_ids:
                spent |= set(range(start, end))
        return spent

    def _phrases_in(self, raw: list[str]) -> list[tuple[int, int, int]]:
        """(start, end, document) for each longest run of words naming one document."""
        stems = [_stem(w) for w in raw]
        found, n = [], 0
        while n < len(stems):
            for end in range(len(stems), n, -1):  # longest first
                content = tuple(w for w in stems[n:end] if w not in STOPWORDS)
                if content and stems[n] not in STOPWORDS and content in self._document_phrases:
                    found.append((n, end, self._document_phrases[content]))
                    n = end
                    break
            else:
                n += 1
        return found

    # -- searching -----------------------------------------------------------------------

    def search(self, words: str, *, within: set[int] | None = None) -> list[int]:
        """Items holding every meaningful word, phrase matches first, then by BM25."""
        wanted = query_tokens(words)
        if not wanted:
            return []
        choices = [self._alternatives(t) for t in wanted]
        postings = self._postings
        # Rarest word first, then each other word checked on what is left: the work follows the
        # rarest word's items, not every item holding a common one ("security" on a large agenda).
        by_rarity = sorted(choices, key=lambda alternatives: sum(len(postings.get(t, ())) for t in alternatives))
        found: Set[int] | None = None  # a word's own postings while nothing narrowed them: no copy of them made
        for alternatives in by_rarity:
            held = [postings[t].keys() for t in alternatives if t in postings]
            if found is None:
                found = held[0] if len(held) == 1 else set().union(*held)
            else:  # a set of the views' common keys, made by walking the smaller of each pair
                found = found & held[0] if len(held) == 1 else set().union(*(found & keys for keys in held))
            if not found:
                return []
        if within is not None:
            found &= within
        ranked = self._ranked(self._scores(found, choices))
        if len(choices) > 1 and all(len(c) == 1 for c in choices):
            phrase, words = f" {' '.join(c[0] for c in choices)} ", self._words
            holding = [i for i in ranked if phrase in words[i]]  # the words as a phrase: first
            if holding and len(holding) < len(ranked):
                return [*holding, *(i for i in ranked if phrase not in words[i])]
        return ranked

    def _ranked(self, scores: dict[int, float]) -> list[int]:
        """The items scored, best first, then in agenda order: the key (-score, order), sorted in two
        stable passes (a reversed sort keeps equals in their order) whose keys are dictionary look-ups
        rather than a function called per item."""
        ranked = sorted(scores, key=self.order.__getitem__)
        ranked.sort(key=scores.__getitem__, reverse=True)
        return ranked

    def naming(self, phrases: Iterable[str], *, within: set[int] | None = None) -> list[int]:
        """Items that name one of these: hold its words (in any order, "reform of the Security
        Council"; a long name, word for word), best first."""
        found: dict[int, float] = {}
        for phrase in phrases:
            wanted = tokens(phrase)
            if not wanted:
                continue
            short = len(wanted) <= SHORT_NAME
            hits = [i for i in self.search(phrase, within=within) if short or self._has_phrase(i, wanted)]
            scores = self._scores(hits, [[t] for t in wanted])
            for i in hits:
                found[i] = max(found.get(i, 0.0), scores[i])
        return sorted(found, key=lambda i: (-found[i], self.order[i]))

    def nearest(self, words: str, *, within: set[int] | None = None, limit: int = NEAREST) -> list[int]:
        """When nothing holds all the words: the items that share the rarest of them."""
        # Only words some item in ``within`` holds: the rarest word of all may be held only outside it.
        wanted = [t for t in query_tokens(words)
                  if t in self._postings and (within is None or not within.isdisjoint(self._postings[t]))]  # fmt: skip
        if not wanted:
            return []
        rarest = max(wanted, key=self.idf)
        if self.idf(rarest) < 1.0:  # a word most items hold ("security") says nothing
            return []
        holding = self._postings[rarest].keys()
        holding = holding & within if within is not None else holding
        scores = self._scores(holding, [[t] for t in wanted])
        ranked = self._ranked(scores)
        return [i for i in ranked[:limit] if scores[i] >= scores[ranked[0]] / 2] if ranked else []

    def in_order(self, ids: Iterable[int]) -> list[int]:
        return sorted(set(ids), key=lambda i: self.order.get(i, len(self.order)))

    def _has_phrase(self, item_id: int, phrase: list[str]) -> bool:
        return f" {' '.join(phrase)} " in self._words[item_id]

    def _scores(self, ids: Iterable[int], choices: list[list[str]]) -> dict[int, float]:
        """BM25 of each of these items for these words. Each word's idf is looked up once for a search,
        and its term factor in each item was worked out with the index; every item's score is the same
        sum, in the same order (word by word, as ``choices`` lists them), as term by term."""
        scores = dict.fromkeys(ids, 0.0)
        for alternatives in choices:
            for token in alternatives:
                factors = self._postings.get(token)
                if not factors:
                    continue
                idf = self.idf(token)
                if len(factors) < len(scores):
                    for i, factor in factors.items():
                        if i in scores:
                            scores[i] += idf * factor
                else:
                    for i in scores:
                        if (factor := factors.get(i)) is not None:
                            scores[i] += idf * factor
        return scores
