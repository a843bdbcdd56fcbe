"""`/agenda <words>`: what the words name, in English, French or Japanese.

Order of resolution: a commitment id (2002-A4) → years and document names
("2005", "Indo-Pacific"), which limit everything after them → an area or
mechanism by name, acronym or alias; an alias that names one thing in an area
(CTBT, SHIRBRIG) gives the items that name it, not the whole area → the
agreed texts holding every word (handlers/domain/index.py) → an area or mechanism by
fuzzy match (typos). Nothing found: say so plainly, with at most two nearest
items marked as not a match, or the closest areas.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import lru_cache

from handlers.commands.listings import owned_by, show, typed_area
from handlers.commands.parser import Lookup, OwnedBy, Show
from handlers.domain.context import Context
from handlers.domain.index import STOPWORDS, SubjectIndex, fold, query_tokens, tokens
from handlers.domain.resolve import Target, TargetKind
from handlers.views.i18n import _, and_list, colon, current, gap, ngettext
from handlers.views.reply import Action, ActionKind, Reply, Section, Tone
from models.search import IndexedDocument
from models.splits import split_of

ALSO_MENTIONED_LIMIT = 5


@dataclass(frozen=True)
class Subject:
    """What some words name, as the asker may see it.

    ``target`` is the area or mechanism the words name (None for a full-text
    match); ``ids`` are the commitments about it, best first; ``also`` are other
    commitments whose texts mention the words. Lookups show a subject as a
    list; questions ("who owns …", "when is the next …") answer about it.

    ``named`` is set when the words are an alias naming one thing within an area
    (a treaty, a body: "CTBT", "SHIRBRIG"): ``ids`` are then the items that name
    it, not the whole area. ``documents`` are the documents a year or a
    document's name limited the answer to. When nothing is about the words,
    ``nearest`` holds at most two items that come closest: not a match.
    """

    words: str
    target: Target | None = None
    fuzzy: bool = False
    ids: list[int] = field(default_factory=list)
    also: list[int] = field(default_factory=list)
    named: str | None = None
    documents: tuple[str, ...] = ()
    nearest: list[int] = field(default_factory=list)
    whole_documents: bool = False  # the words named documents only ("2021"): ids are all their items

    @property
    def found(self) -> bool:
        return bool(self.ids)


def find_subject(words: str, ctx: Context, *, meeting: bool = False) -> Subject:
    """Resolve words to a subject: a year or document, then an area or mechanism
    by name, acronym or alias (in English, French or Japanese), the items that
    name a thing, a full-text search, the same by fuzzy match (typos); or, when
    nothing is about them, the nearest items, marked as not a match. When a
    meeting is asked about (``meeting``), part of one meeting's name names it."""
    index, vocabulary = ctx.index, ctx.vocabulary
    english = index.translate(words)
    unseen = _unseen(ctx)  # restricted items the audience may not see: searched as if they were not there
    typed, english, documents = _filters(words, english, index, unseen)
    within = {i for d in documents for i in index.by_document[d.id]} if documents else None
    if unseen:
        within = (within if within is not None else set(index.order)) - unseen
    cited = tuple(ctx.names.document(d.key, d.short_title) for d in documents)
    if not query_tokens(english):
        if documents:  # "2021", "Indo-Pacific": the document's items
            return Subject(words, ids=ctx.visible(index.in_order(within or ())), documents=cited, whole_documents=True)
        return Subject(words)
    kinds = (TargetKind.area, TargetKind.mechanism)
    candidates = (typed, english, index.without_stopwords(typed), index.without_stopwords(english))
    candidates += (index.without_suffixes(typed),)  # テロ対策関連: the area テロ対策, its generic suffix cut
    term, target = next(
        ((t, found) for t in candidates if (found := vocabulary.exact(t, kinds=kinds)) is not None), (None, None)
    )
    if meeting and (target is None or target.kind == TargetKind.area):
        # "when is the next political-military": a meeting is asked about, so the Political-Military
        # Talks, not the defence area that "political-military" is also an alias of.
        in_part = vocabulary.meeting_named_in_part(typed) or vocabulary.meeting_named_in_part(english)
        term, target = (typed, in_part) if in_part is not None else (term, target)
    fuzzy = False
    found_in_texts = index.search(english, within=within)
    if target is None and not found_in_texts:
        term, target = typed, vocabulary.fuzzy(typed, kinds=kinds)
        fuzzy = target is not None
    if target is not None and target.kind == TargetKind.mechanism and not ctx.visible_meetings([target.id]):
        target = None  # a restricted meeting does not exist for who may not see it
    if target is None:
        if found_in_texts:
            return Subject(words, ids=ctx.visible(found_in_texts), documents=cited)
        return Subject(words, documents=cited, nearest=ctx.visible(index.nearest(english, within=within)))
    scope = index.by_area[target.id] if target.kind == TargetKind.area else index.by_mechanism[target.id]
    scope = [i for i in scope if within is None or i in within]
    in_scope = set(scope)
    if target.kind == TargetKind.area and not fuzzy and _names_one_thing(term or "", english, target, ctx):
        named = index.naming([*index.synonyms(english), *index.synonyms(term or "")], within=within)
        if named and 2 * len(in_scope.intersection(named)) < len(scope):
            # Headed by the name as the texts write it, not as it was typed or translated ("ctbt").
            display = index.label(term or "" if index.is_term(term or "") else english, typed=typed,
                                  language=current())  # fmt: skip
            return Subject(words, target=target, ids=ctx.visible(named), named=display, documents=cited)
    also = [i for i in found_in_texts if i not in in_scope]
    return Subject(words, target=target, fuzzy=fuzzy, ids=ctx.visible(scope), also=ctx.visible(also), documents=cited)


def _names_one_thing(term: str, english: str, target: Target, ctx: Context) -> bool:
    """An alias that names a thing the texts name (a treaty, a body: "CTBT", listed in
    seeds/agenda/terms.yaml), not the area itself: not its name, nor words of its name
    ("disarmament"), nor one of its own acronyms ("CT", "NACD", which terms.yaml leaves out)."""
    if ctx.vocabulary.is_name(term) or not (ctx.index.is_term(term) or ctx.index.is_term(english)):
        return False
    name_words = set(query_tokens(target.name))
    return not (set(query_tokens(english)) <= name_words or set(query_tokens(term)) <= name_words)


def _unseen(ctx: Context) -> set[int]:
    restricted = ctx.index.restricted
    return set(restricted) - set(ctx.visible(list(restricted))) if restricted else set()


def _filters(
    words: str, english: str, index: SubjectIndex, unseen: set[int] = frozenset()
) -> tuple[str, str, list[IndexedDocument]]:
    """Years and document names in the words: (the words without them, their English
    without them, the documents). "Afghanistan 2005" → ("afghanistan", …, [the 2005 Agenda]).
    A document whose every item is ``unseen`` is not one (its name would tell that they exist)."""
    documents = [d for d in index.documents_named(english) if not unseen or set(index.by_document[d.id]) - unseen]
    if not documents:
        return words, english, []
    return _without(words, documents, index), _without(english, documents, index), documents


def _without(words: str, documents: list[IndexedDocument], index: SubjectIndex) -> str:
    return " ".join(w for w in index.words_without_documents(words, documents) if w not in STOPWORDS)


def lookup(command: Lookup, ctx: Context) -> Reply:
    typed = command.words.strip()
    if (spaced := _LOOSE_ID.match(typed)) and _an_id_seen(f"{spaced[1]}-{spaced[2]}", ctx):
        typed = f"{spaced[1]}-{spaced[2]}"  # "2002 A4", "2002a4", "2002_A4": the id, as a pasted or hurried id
        return show(Show(typed), ctx)
    if _an_id_seen(typed, ctx) or (_AN_ID.match(typed) and split_of(session=ctx.session, key=typed)):
        return show(Show(command.words), ctx)  # which hides it if the audience may not see it; a retired id: its parts
    if (owner := department_named(typed, ctx)) is not None:  # "MOFA", "外務省", "DND's commitments": what it owns
        return owned_by(OwnedBy(owner, is_user=False, page=command.page), ctx)
    department = ctx.vocabulary.exact(typed, kinds=(TargetKind.department,))  # "Justice": also a word of the texts
    framing = _framing(command.words, ctx)
    subject = find_subject(command.words, ctx)
    if not subject.found and framing:
        return Reply(title=_("“{words}”").format(words=command.words), sections=framing)
    if not subject.found:
        return _each_of(command, ctx) or _nothing_found(command, subject, ctx)
    reply = _topic(command, subject, ctx) if subject.target is not None else _texts(command, subject, ctx)
    if framing and command.page <= 1:
        reply = dataclasses.replace(reply, sections=[*framing, *reply.sections])
    if department is not None:  # the word, looked up; what the department of that name owns is one press away
        owns = Action(ActionKind.run, _("Owned by {name}").format(name=department.name), f"owner {typed}")
        reply = dataclasses.replace(reply, actions=[*reply.actions, owns])
    return reply


def _an_id_seen(typed: str, ctx: Context) -> bool:
    """Whether these words are the id of a commitment the audience may see. A restricted one's id is words like
    any others for whom may not see it: "No commitment with the id" would tell them it exists."""
    item_id = ctx.index.by_key.get(typed.casefold())
    return item_id is not None and bool(ctx.visible([item_id]))


# "landmines and small arms", "terrorisme et Corée du Nord", "テロ対策と北朝鮮": subjects side by side.
_JOINED = re.compile(
    r"\s+(?:and|&|et|ou|or|as well as|ainsi que)\s+|\s*(?:[、,;]|及び|および)\s*"
    r"|(?<=[^\x00-\x7f])[とや](?=[^\x00-\x7f])"  # Japanese "A と B", "A や B", between Japanese words only
)
EACH_AT_MOST = 4  # subjects read side by side; past that, it is a sentence, not a list


def _each_of(command: Lookup, ctx: Context) -> Reply | None:
    """Words joined by "and" that nothing holds together ("landmines and small arms"): each part looked up on
    its own, side by side, when every part names something; None otherwise (then nothing was found)."""
    parts = [part.strip() for part in _JOINED.split(command.words) if part and part.strip()]
    if not 2 <= len(parts) <= EACH_AT_MOST:
        return None
    subjects = [find_subject(part, ctx) for part in parts]
    if not all(subject.found for subject in subjects):
        return None
    sections, actions, heads = [], [], []
    for part, subject in zip(parts, subjects, strict=True):
        name = subject.named or (subject.target.name if subject.target else _("“{words}”").format(words=part))
        head = colon(name, _count(subject.ids))
        heads.append(head)
        shown = subject.ids[: ctx.ports.page_size]
        sections.append(Section(heading=head, items=ctx.items(shown)))
        actions.append(Action(ActionKind.run, name, part))
    return Reply(
        title=" · ".join(heads),  # not "and": area names hold "and" themselves
        summary=_("No commitment holds all of these together: each is looked up on its own."),
        sections=sections,
        actions=[Action(ActionKind.share, _("Share in channel"), command.words), *actions],
    )


# "DND's commitments", "les engagements du MDN", "防衛省の約束": a department's own list, said with its noun.
_ITS_LIST = re.compile(
    r"^(?P<en>.+?)(?:'s|’s|'|’) (?:commitments|items|files|work|portfolio)$"
    r"|^(?:(?:the )?(?:commitments|items|files) (?:of|owned by|led by) (?:the )?)(?P<of>.+)$"
    r"|^(?:les )?(?:engagements|dossiers) (?:de la |du |de l'|de l’|des |de )(?P<fr>.+)$"
    r"|^(?P<ja>.+?)の(?:約束|項目|案件|担当(?:項目|案件)?|合意事項)$",
    re.IGNORECASE,
)


def department_named(typed: str, ctx: Context) -> str | None:
    """The words that name a department, when typed names one (alone or with "'s commitments"), or None."""
    said = _ITS_LIST.match(typed)
    for words in (typed, *(said.groups() if said else ())):
        if words and ctx.vocabulary.exact(words, kinds=(TargetKind.department,)) is not None:
            return None if _a_word_of_the_texts(words, ctx) else words
    return None


def _a_word_of_the_texts(typed: str, ctx: Context) -> bool:
    """A department's short name that is also an ordinary word the agreed texts use ("Justice", "police"):
    looked up as that word, while `owner Justice` lists what the department owns. So is another name for
    something the department runs that the texts name themselves ("Self-Defense Forces", "Forces
    d'autodéfense", "自衛隊": the forces are not the ministry, and the commitments that name them are what
    is asked, in each language alike). An acronym ("DND", which the texts spell out) or the department's own
    name, in any language, still names the department."""
    if typed.isupper() or ctx.vocabulary.is_name(typed):
        return False
    if len(typed.split()) == 1:
        return bool(ctx.index.search(typed))
    return bool(ctx.index.search(ctx.index.translate(typed)))


def _texts(command: Lookup, subject: Subject, ctx: Context) -> Reply:
    ids = subject.ids
    if subject.whole_documents:
        title = and_list(subject.documents)
        summary = _("Every commitment in the document, in its order.")
    else:
        title = _("“{words}”").format(words=command.words)
        summary = _("Agreed texts that hold these words, best first.")
    return ctx.paged(title=colon(title, _count(ids)), summary=summary, ids=ids, query=command.words, page=command.page)


# Words that ask what a document is for: its preamble answers ("the purpose of the 2005 agenda").
PURPOSE_WORDS = frozenset({
    "purpose", "purposes", "preamble", "framing", "aim", "aims", "objective", "objectives", "goal", "goals", "why",
    "intent", "intention", "spirit", "but", "buts", "objectif", "objectifs", "preambule", "raison", "finalite",
})  # fmt: skip
PURPOSE_JAPANESE = ("目的", "前文", "趣旨", "狙い", "ねらい")
_AN_ID = re.compile(r"^\d{4}-[A-Za-z]?\d+[a-z]?$")
_LOOSE_ID = re.compile(r"^((?:19|20)\d\d)[\s_.]*([A-Za-z]?\d{1,2}[a-z]?)$")


def _framing(words: str, ctx: Context) -> list[Section]:
    """Preambles the words ask about: a document's purpose ("what is the purpose of the 2005
    agenda", "2005 préambule", "2005年の目的"), or words of a preamble ("most promising areas").
    Each is quoted, labelled a framing statement: it states why, and commits to nothing itself."""
    index = ctx.index
    english = index.translate(words)
    named = [d for d in index.documents_named(english) if d.preamble]
    folded = fold(words)
    asked = bool(PURPOSE_WORDS & set(re.findall(r"[a-z]+", folded))) or any(w in folded for w in PURPOSE_JAPANESE)
    if named and asked:
        found = named
    else:
        rest = fold(_without(words, named, index) if named else words)
        wanted = set(query_tokens(rest))
        found = []
        if len(wanted) >= 2:  # one word is no quotation of a preamble
            phrase = _words_of(rest)
            for d in named or index.documents:
                if d.preamble:
                    said, said_tokens = _preamble_words(d.preamble)
                    if (phrase in said or len(wanted) >= 3) and wanted <= said_tokens:
                        found.append(d)
    return [
        Section(
            heading=_("Preamble of the {document}: a framing statement, not a commitment").format(
                document=ctx.names.document(d.key, d.short_title)
            ),
            body=f"“{d.preamble}”",
        )
        for d in sorted(found, key=lambda d: d.year)
    ]


def _words_of(folded: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", folded))


@lru_cache(maxsize=256)
def _preamble_words(preamble: str) -> tuple[str, frozenset[str]]:
    """A preamble's words (folded, one space apart) and its index tokens: a pure function of its
    text, worked out once rather than for every document on every lookup."""
    return _words_of(fold(preamble)), frozenset(tokens(preamble))


def _count(ids: list[int]) -> str:
    return ngettext("{n} commitment", "{n} commitments", len(ids)).format(n=len(ids))


def _in_documents(subject: Subject) -> str:
    if not subject.documents:
        return ""
    return gap() + _("In the {documents}.").format(documents=_(" and the ").join(subject.documents))


def _topic(command: Lookup, subject: Subject, ctx: Context) -> Reply:
    target = subject.target
    assert target is not None
    ids = subject.ids
    if subject.named:
        title = colon(f"{subject.named} ({target.name})", _count(ids))
        summary = _("The commitments that name {named}, best first; `/agenda {key}` lists the whole area.").format(
            named=subject.named, key=target.key
        )
    elif target.kind == TargetKind.area:
        title = colon(target.name, _count(ids))
        summary = _("Every commitment in the area {name}, newest document first.").format(name=target.name)
    else:
        title = colon(target.name, _count(ids))
        summary = _("Every commitment in the mechanism {name}, newest document first.").format(name=target.name)
    summary += _in_documents(subject)
    if subject.fuzzy:
        summary = _("Closest match to “{words}”.").format(words=command.words) + " " + summary
    if target.kind == TargetKind.mechanism:
        next_meeting = ctx.timeline.mechanism_next_wording(target.id)
        summary += gap() + _("Next meeting: {when}.").format(when=next_meeting)
    return ctx.paged(
        title=title,
        summary=summary,
        ids=ids,
        query=command.words,
        page=command.page,
        also=subject.also[:ALSO_MENTIONED_LIMIT],
    )


def _nothing_found(command: Lookup, subject: Subject, ctx: Context) -> Reply:
    """Said plainly; at most two nearest items, marked as not a match; else the closest areas."""
    summary = _("Nothing in the agenda is about “{words}”.").format(words=command.words) + _in_documents(subject)
    title = _("Nothing found for “{words}”").format(words=command.words)
    if subject.nearest:
        return Reply(
            title=title,
            summary=summary,
            sections=[
                Section(heading=_("Nearest, not a match"), items=ctx.items(subject.nearest)),
                Section(body=_("`/agenda areas` lists every area; `/agenda help` shows examples.")),
            ],
            tone=Tone.notice,
        )
    suggestions = ctx.vocabulary.closest_areas(command.words)
    typed = {s.key: typed_area(s.key, s.name, ctx) for s in suggestions}  # `lutte contre le terrorisme`
    named = ", ".join(f"`{typed[s.key]}`" + (f" ({s.name})" if typed[s.key] != s.name else "") for s in suggestions)
    body = _("Closest areas: {areas}.").format(areas=named) if suggestions else None
    return Reply(
        title=title,
        summary=summary,
        sections=[
            Section(body=body),
            Section(body=_("`/agenda areas` lists every area; `/agenda help` shows examples.")),
        ],
        actions=[Action(ActionKind.run, s.name, typed[s.key]) for s in suggestions],
        tone=Tone.notice,
    )
