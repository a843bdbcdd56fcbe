"""`/agenda <words>`: an area, a mechanism, or a full-text search.

Order of resolution: a commitment id (2002-A4) → an area or mechanism by name,
acronym or alias → the same by fuzzy match (typos) → full-text search over
the agreed texts. Nothing found: say so and suggest the closest areas.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.commands import Lookup, Show
from handlers.context import Context
from handlers.listings import show
from handlers.reply import Action, ActionKind, Reply, Section, Tone
from handlers.resolve import Target, TargetKind
from models import repository, search

ALSO_MENTIONED_LIMIT = 5


@dataclass(frozen=True)
class Subject:
    """What some words name, as the asker may see it.

    ``target`` is the area or mechanism the words name (None for a full-text
    match); ``ids`` are the commitments about it, best first; ``also`` are other
    commitments whose texts mention the words. Lookups show a subject as a
    list; questions ("who owns …", "when is the next …") answer about it.
    """

    words: str
    target: Target | None = None
    fuzzy: bool = False
    ids: list[int] = field(default_factory=list)
    also: list[int] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.ids)


def find_subject(words: str, ctx: Context) -> Subject:
    """Resolve words to a subject: an area or mechanism by name, acronym or
    alias, the same by fuzzy match (typos), or a full-text search."""
    session = ctx.session
    target = ctx.vocabulary.exact(words, kinds=(TargetKind.area, TargetKind.mechanism))
    fuzzy = False
    if target is None:
        target = ctx.vocabulary.fuzzy(words, kinds=(TargetKind.area, TargetKind.mechanism))
        fuzzy = target is not None
    if target is not None and target.kind == TargetKind.mechanism and not ctx.visible_meetings([target.id]):
        target = None  # a restricted meeting does not exist for who may not see it
    found = ctx.visible(search.search_commitment_ids(session=session, words=words))
    if target is None:
        return Subject(words, ids=found)
    if target.kind == TargetKind.area:
        ids = ctx.visible(repository.commitment_ids_in_area(session=session, area_id=target.id))
    else:
        ids = ctx.visible(repository.commitment_ids_for_mechanism(session=session, mechanism_id=target.id))
    named = set(ids)
    return Subject(words, target=target, fuzzy=fuzzy, ids=ids, also=[i for i in found if i not in named])


def lookup(command: Lookup, ctx: Context) -> Reply:
    if repository.get_commitment_id(session=ctx.session, key=command.words):
        return show(Show(command.words), ctx)  # which hides it if the audience may not see it
    subject = find_subject(command.words, ctx)
    if not subject.found:
        return _nothing_found(command, ctx)
    if subject.target is not None:
        return _topic(command, subject, ctx)
    ids = subject.ids
    return ctx.paged(
        title=f"“{command.words}”: {len(ids)} commitment{'s' if len(ids) != 1 else ''}",
        summary="Full-text matches in the agreed texts, best first.",
        ids=ids,
        query=command.words,
        page=command.page,
    )


def _topic(command: Lookup, subject: Subject, ctx: Context) -> Reply:
    target = subject.target
    assert target is not None
    ids = subject.ids
    kind_word = "area" if target.kind == TargetKind.area else "mechanism"
    summary = f"Every commitment in the {kind_word} {target.name}, newest document first."
    if subject.fuzzy:
        summary = f"Closest match to “{command.words}”. " + summary
    if target.kind == TargetKind.mechanism:
        summary += f" Next meeting: {ctx.timeline.mechanism_next_wording(target.id)}."
    return ctx.paged(
        title=f"{target.name}: {len(ids)} commitment{'s' if len(ids) != 1 else ''}",
        summary=summary,
        ids=ids,
        query=command.words,
        page=command.page,
        also=subject.also[:ALSO_MENTIONED_LIMIT],
    )


def _nothing_found(command: Lookup, ctx: Context) -> Reply:
    suggestions = ctx.vocabulary.closest_areas(command.words)
    body = "Closest areas: " + ", ".join(f"`{s.key}` ({s.name})" for s in suggestions) + "." if suggestions else None
    return Reply(
        title=f"Nothing found for “{command.words}”",
        summary="No area, mechanism or agreed text matches those words.",
        sections=[Section(body=body), Section(body="`/agenda areas` lists every area; `/agenda help` shows examples.")],
        actions=[Action(ActionKind.run, s.name, s.key) for s in suggestions],
        tone=Tone.notice,
    )
