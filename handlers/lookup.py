"""`/agenda <words>`: an area, a mechanism, or a full-text search.

Order of resolution: a commitment id (2002-A4) → an area or mechanism by name,
acronym or alias → the same by fuzzy match (typos) → full-text search over
the agreed texts. Nothing found: say so and suggest the closest areas.
"""

from __future__ import annotations

from sqlmodel import Session

from handlers.commands import Lookup, Show
from handlers.context import Context
from handlers.listings import show
from handlers.reply import Action, ActionKind, Reply, Section, Tone
from handlers.resolve import Target, TargetKind
from models import repository, search

ALSO_MENTIONED_LIMIT = 5


def lookup(command: Lookup, ctx: Context) -> Reply:
    session = ctx.session
    if repository.get_commitment_id(session=session, key=command.words):
        return show(Show(command.words), ctx)  # which hides it if the audience may not see it
    target = ctx.vocabulary.exact(command.words, kinds=(TargetKind.area, TargetKind.mechanism))
    fuzzy = False
    if target is None:
        target = ctx.vocabulary.fuzzy(command.words, kinds=(TargetKind.area, TargetKind.mechanism))
        fuzzy = target is not None
    if target is not None and target.kind == TargetKind.mechanism and not ctx.visible_meetings([target.id]):
        target = None  # a restricted meeting does not exist for who may not see it
    if target is not None:
        return _topic(command, target, fuzzy, ctx)
    ids = ctx.visible(search.search_commitment_ids(session=session, words=command.words))
    if not ids:
        return _nothing_found(command, ctx)
    return ctx.paged(
        title=f"“{command.words}”: {len(ids)} commitment{'s' if len(ids) != 1 else ''}",
        summary="Full-text matches in the agreed texts, best first.",
        ids=ids,
        query=command.words,
        page=command.page,
    )


def _topic(command: Lookup, target: Target, fuzzy: bool, ctx: Context) -> Reply:
    session: Session = ctx.session
    if target.kind == TargetKind.area:
        ids = ctx.visible(repository.commitment_ids_in_area(session=session, area_id=target.id))
        kind_word = "area"
    else:
        ids = ctx.visible(repository.commitment_ids_for_mechanism(session=session, mechanism_id=target.id))
        kind_word = "mechanism"
    summary = f"Every commitment in the {kind_word} {target.name}, newest document first."
    if fuzzy:
        summary = f"Closest match to “{command.words}”. " + summary
    if target.kind == TargetKind.mechanism:
        summary += f" Next meeting: {ctx.timeline.mechanism_next_wording(target.id)}."
    found = ctx.visible(search.search_commitment_ids(session=session, words=command.words))
    extra = [i for i in found if i not in set(ids)]
    return ctx.paged(
        title=f"{target.name}: {len(ids)} commitment{'s' if len(ids) != 1 else ''}",
        summary=summary,
        ids=ids,
        query=command.words,
        page=command.page,
        also=extra[:ALSO_MENTIONED_LIMIT],
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
