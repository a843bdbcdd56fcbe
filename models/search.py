"""What the lookup index (handlers/domain/index.py) reads of the agenda: three queries.

Searching itself happens in memory, per agenda revision (handlers/domain/cache.py):
see handlers/domain/index.py for why. The database's full-text indexes (migration
0002) are still kept up to date by their triggers, but nothing queries them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, select

from models.tables import Commitment, CommitmentArea, Document, SearchTerm, Sensitivity, Translation


@dataclass(frozen=True)
class IndexedItem:
    """What the index needs of one commitment (models/search.py reads them)."""

    id: int
    key: str
    title: str
    text: str
    section: str
    organisations: str
    document_id: int
    year: int
    position: int
    area_ids: tuple[int, ...]
    mechanism_id: int | None
    restricted: bool = False  # seen only by some (handlers/domain/audience.py)
    due_edtf: str | None = None
    # Its title in French and Japanese as the team wrote them, and any official French or Japanese
    # text: words it is found by ("drogues illicites", "違法薬物"), never what an answer shows.
    translated: str = ""


@dataclass(frozen=True)
class IndexedDocument:
    id: int
    key: str
    title: str
    short_title: str
    year: int
    date_edtf: str = ""
    aliases: tuple[str, ...] = ()  # other names: "Indo-Pacific", "行動計画"
    preamble: str = ""  # its framing statement, verbatim: cited by lookups, never a commitment


@dataclass(frozen=True)
class TermGroup:
    """A name and what else means the same (seeds/agenda/terms.yaml, stored by the seed loader)."""

    canonical: str  # as the texts write it
    variants: tuple[str, ...]  # acronyms, other spellings, French, Japanese
    names_a_thing: bool = True  # a treaty, a body, a place, an issue; False: a topic word


def index_rows(*, session: Session) -> tuple[list[IndexedItem], list[IndexedDocument]]:
    """Every commitment (restricted ones too: answers filter by audience) and every document."""
    documents = {d.id: d for d in session.exec(select(Document)).all()}
    areas: dict[int, list[int]] = defaultdict(list)
    for commitment_id, area_id in session.exec(select(CommitmentArea.commitment_id, CommitmentArea.area_id)):
        areas[commitment_id].append(area_id)
    translated: dict[str, list[str]] = defaultdict(list)
    for key, text in session.exec(
        select(Translation.key, Translation.text)
        .where(Translation.subject == "commitment", Translation.attribute.in_(("title", "text")))
        .order_by(Translation.id)
    ):
        translated[key].append(text)
    columns = (
        Commitment.id, Commitment.key, Commitment.title, Commitment.text, Commitment.section,
        Commitment.organisations, Commitment.document_id, Commitment.position, Commitment.mechanism_id,
        Commitment.sensitivity,
        Commitment.due_edtf,
    )  # fmt: skip
    items = [
        IndexedItem(
            id=row.id,
            key=row.key,
            title=row.title,
            text=row.text,
            section=row.section,
            organisations=row.organisations,
            document_id=row.document_id,
            year=documents[row.document_id].year,
            position=row.position,
            area_ids=tuple(areas[row.id]),
            mechanism_id=row.mechanism_id,
            restricted=row.sensitivity != Sensitivity.public,
            due_edtf=row.due_edtf,
            translated=" . ".join(translated[row.key]),
        )  # fmt: skip
        for row in session.exec(select(*columns))
    ]
    docs = [
        IndexedDocument(d.id, d.key, d.title, d.short_title, d.year, d.date_edtf, tuple(d.aliases), d.preamble)
        for d in documents.values()
    ]
    return items, docs


def index_terms(*, session: Session) -> tuple[TermGroup, ...]:
    """The names of things and topic words, in the order the seeds list them."""
    rows = session.exec(select(SearchTerm).order_by(SearchTerm.id))
    return tuple(TermGroup(row.canonical, tuple(row.variants), row.names_a_thing) for row in rows)
