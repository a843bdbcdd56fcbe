"""The agenda as replies show it: commitments and meetings with their documents, areas,
owners, cadences and occurrences, loaded in a fixed number of queries whatever their length (owners,
areas and documents are fetched for all rows at once), so a page of results costs the same on the
seeded agenda and on ten thousand commitments.

Keyword-only read functions over an explicit session (re-exported by models.repository).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models.tables import (
    Area,
    Cadence,
    Commitment,
    CommitmentArea,
    CommitmentStage,
    Document,
    Mechanism,
    Occurrence,
    Owner,
    OwnerKind,
    Stage,
)


@dataclass(frozen=True)
class CommitmentRecord:
    """A commitment with everything a reply shows about it."""

    commitment: Commitment
    document: Document
    areas: list[Area]  # primary first
    owners: list[Owner]
    mechanism: Mechanism | None


@dataclass(frozen=True)
class MechanismRecord:
    mechanism: Mechanism
    cadences: list[Cadence]
    occurrences: list[Occurrence]
    owners: list[Owner]


def load_commitments(*, session: Session, ids: Sequence[int]) -> list[CommitmentRecord]:
    """Full records for the given ids, in the order given."""
    if not ids:
        return []
    commitments = {c.id: c for c in session.exec(select(Commitment).where(col(Commitment.id).in_(ids)))}
    document_ids = {c.document_id for c in commitments.values()}
    documents = {d.id: d for d in session.exec(select(Document).where(col(Document.id).in_(document_ids)))}
    mechanism_ids = {c.mechanism_id for c in commitments.values() if c.mechanism_id}
    mechanisms = {m.id: m for m in session.exec(select(Mechanism).where(col(Mechanism.id).in_(mechanism_ids)))}
    areas_by_commitment: dict[int, list[tuple[bool, Area]]] = defaultdict(list)
    area_rows = session.exec(
        select(CommitmentArea, Area)
        .join(Area, Area.id == CommitmentArea.area_id)
        .where(col(CommitmentArea.commitment_id).in_(ids))
    )
    for link, area in area_rows:
        areas_by_commitment[link.commitment_id].append((link.is_primary, area))
    owners = owners_for(session=session, commitment_ids=list(commitments), mechanism_ids=list(mechanism_ids))
    records = []
    for commitment_id in ids:
        c = commitments.get(commitment_id)
        if c is None:
            continue
        areas = [a for _, a in sorted(areas_by_commitment[c.id], key=lambda pair: (not pair[0], pair[1].name))]
        own = owners[("commitment", c.id)] or (owners[("mechanism", c.mechanism_id)] if c.mechanism_id else [])
        records.append(
            CommitmentRecord(
                commitment=c,
                document=documents[c.document_id],
                areas=areas,
                owners=own,
                mechanism=mechanisms.get(c.mechanism_id) if c.mechanism_id else None,
            )
        )
    return records


def owners_for(
    *, session: Session, commitment_ids: Sequence[int], mechanism_ids: Sequence[int]
) -> dict[tuple[str, int | None], list[Owner]]:
    result: dict[tuple[str, int | None], list[Owner]] = defaultdict(list)
    statement = select(Owner).where(
        col(Owner.commitment_id).in_(commitment_ids) | col(Owner.mechanism_id).in_(mechanism_ids)
    )
    # People before departments: a named person is the one to ask.
    for owner in sorted(session.exec(statement), key=lambda o: (o.kind != OwnerKind.user, o.display_name)):
        if owner.commitment_id is not None:
            result[("commitment", owner.commitment_id)].append(owner)
        else:
            result[("mechanism", owner.mechanism_id)].append(owner)
    return result


def load_mechanism(*, session: Session, mechanism_id: int) -> MechanismRecord:
    return load_mechanisms(session=session, ids=[mechanism_id])[0]


def load_mechanisms(*, session: Session, ids: Sequence[int] | None = None) -> list[MechanismRecord]:
    statement = select(Mechanism).order_by(Mechanism.name)
    if ids is not None:
        statement = statement.where(col(Mechanism.id).in_(ids))
    mechanisms = list(session.exec(statement))
    wanted = [m.id for m in mechanisms]
    cadences: dict[int, list[Cadence]] = defaultdict(list)
    for cadence in session.exec(select(Cadence).where(col(Cadence.mechanism_id).in_(wanted))):
        cadences[cadence.mechanism_id].append(cadence)
    occurrences: dict[int, list[Occurrence]] = defaultdict(list)
    occurrence_rows = session.exec(
        select(Occurrence).where(col(Occurrence.mechanism_id).in_(wanted)).order_by(Occurrence.starts_on)
    )
    for occurrence in occurrence_rows:
        occurrences[occurrence.mechanism_id].append(occurrence)
    owners = owners_for(session=session, commitment_ids=[], mechanism_ids=wanted)
    return [
        MechanismRecord(
            mechanism=m,
            cadences=sorted(cadences[m.id], key=lambda c: c.effective_on),
            occurrences=occurrences[m.id],
            owners=owners[("mechanism", m.id)],
        )
        for m in mechanisms
    ]


def stages_by_commitment(*, session: Session) -> dict[int, list[tuple[str, str]]]:
    """Every recorded treaty stage as (stage, EDTF date), per commitment, in the order stages come.

    One query for the whole agenda: few commitments are treaties, each with a handful of stages."""
    order = list(Stage)
    result: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = session.exec(select(CommitmentStage.commitment_id, CommitmentStage.stage, CommitmentStage.on_edtf))
    for commitment_id, stage, on_edtf in rows:
        result[commitment_id].append((Stage(stage).value, on_edtf))
    return {key: sorted(value, key=lambda pair: order.index(Stage(pair[0]))) for key, value in result.items()}
