"""Reads for lineage across documents (handlers/domain/lineage.py): which commitments carry on,
change or replace which."""

from __future__ import annotations

from sqlmodel import Session, select

from models.tables import Commitment


def lineages(*, session: Session) -> list[tuple[int, str, dict]]:
    """(id, key, lineage) of every commitment; few rows, read whole."""
    rows = session.exec(select(Commitment.id, Commitment.key, Commitment.lineage))
    return [(i, k, dict(v or {})) for i, k, v in rows]
