"""The agenda's headings: areas, departments and source documents.

Keyword-only read functions over an explicit session (re-exported by models.repository).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.tables import Area, Commitment, CommitmentArea, Department, Document, Sensitivity


def list_areas(*, session: Session, include_restricted: bool) -> list[tuple[Area, int]]:
    """Every area with the number of commitments filed under it."""
    statement = select(CommitmentArea.area_id, func.count()).group_by(CommitmentArea.area_id)
    if not include_restricted:
        statement = statement.join(Commitment, Commitment.id == CommitmentArea.commitment_id).where(
            Commitment.sensitivity == Sensitivity.public
        )
    counts = dict(session.exec(statement).all())
    areas = session.exec(select(Area).order_by(Area.name)).all()
    return [(area, counts.get(area.id, 0)) for area in areas]


def area_by_key(*, session: Session, key: str) -> Area | None:
    return session.exec(select(Area).where(Area.key == key)).first()


def area_names(*, session: Session, keys: Sequence[str]) -> dict[str, str]:
    """Area key → name, for the keys that exist."""
    return dict(session.exec(select(Area.key, Area.name).where(col(Area.key).in_(keys))).all())


def primary_area_id(*, session: Session, commitment_id: int) -> int | None:
    statement = select(CommitmentArea.area_id).where(
        CommitmentArea.commitment_id == commitment_id, CommitmentArea.is_primary
    )
    return session.exec(statement).first()


def area_links_of(*, session: Session, commitment_id: int) -> list[CommitmentArea]:
    return list(session.exec(select(CommitmentArea).where(CommitmentArea.commitment_id == commitment_id)).all())


def list_departments(*, session: Session) -> list[Department]:
    return list(session.exec(select(Department).order_by(Department.name)).all())


def list_documents(*, session: Session) -> list[Document]:
    """The source documents, oldest first."""
    return list(session.exec(select(Document).order_by(Document.year, Document.id)).all())


def document_by_key(*, session: Session, key: str) -> Document | None:
    return session.exec(select(Document).where(Document.key == key)).first()
