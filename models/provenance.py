"""Reads for provenance: the audit entries that say who last set an item's fields, and the
departments whose names its text may use (handlers/domain/provenance.py words them)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlmodel import Session, col, select

from models.tables import AuditEntry, Department


def changes_by_target(*, session: Session, keys: Iterable[str]) -> dict[str, list[AuditEntry]]:
    """The audited changes (not reminder presses) of these commitments and meetings, oldest first."""
    keys = list(set(keys))
    if not keys:
        return {}
    entries = session.exec(
        select(AuditEntry)
        .where(col(AuditEntry.target_key).in_(keys), col(AuditEntry.target_type).in_(["commitment", "mechanism"]))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    found: dict[str, list[AuditEntry]] = defaultdict(list)
    for entry in entries:
        found[entry.target_key].append(entry)
    return found


def departments(*, session: Session) -> dict[str, Department]:
    return {d.key: d for d in session.exec(select(Department))}
