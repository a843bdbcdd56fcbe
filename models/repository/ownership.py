"""Who owns what, and so who may see a restricted commitment: its owners, directly or
through the meeting it belongs to.

Keyword-only read functions over an explicit session (re-exported by models.repository).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from models.repository.commitments import _in_agenda_order
from models.tables import Commitment, Owner, OwnerKind, Sensitivity


def owners_of(*, session: Session, column: str, target_id: int) -> list[Owner]:
    """The owners of a commitment (column "commitment_id") or a meeting ("mechanism_id")."""
    return list(session.exec(select(Owner).where(getattr(Owner, column) == target_id)).all())


def user_owners(*, session: Session) -> list[Owner]:
    """Every owner who is a person (not a department)."""
    return list(session.exec(select(Owner).where(Owner.kind == OwnerKind.user)).all())


def commitment_ids_owned_by(*, session: Session, refs: Sequence[str]) -> list[int]:
    """Commitments owned directly, or through the mechanism they belong to."""
    return _in_agenda_order(session, _owned_among(session, refs))


def commitment_ids_owned_directly(*, session: Session, refs: Sequence[str], among: Sequence[int]) -> set[int]:
    """Of among, the commitments refs own themselves (owning their meeting is not enough)."""
    direct = select(Owner.commitment_id).where(col(Owner.ref).in_(refs), col(Owner.commitment_id).in_(among))
    return set(session.exec(direct).all())


def mechanism_ids_owned_by(*, session: Session, refs: Sequence[str]) -> set[int]:
    """The meetings refs own."""
    return set(session.exec(select(Owner.mechanism_id).where(col(Owner.ref).in_(refs))).all())


def visible_ids(*, session: Session, ids: Sequence[int], owner_refs: Sequence[str] = ()) -> set[int]:
    """Of these commitments, the public ones, plus restricted ones owned (directly
    or through their meeting) by one of owner_refs: one person's identities."""
    public = select(Commitment.id).where(col(Commitment.id).in_(ids), Commitment.sensitivity == Sensitivity.public)
    allowed = set(session.exec(public).all())
    if owner_refs:
        allowed |= set(_owned_among(session, owner_refs, ids))
    return allowed


def _owned_among(session: Session, refs: Sequence[str], ids: Sequence[int] | None = None) -> set[int]:
    """Commitments owned by refs directly or through the meeting they belong to (of ids, if given)."""
    direct = select(Owner.commitment_id).where(col(Owner.ref).in_(refs), col(Owner.commitment_id).is_not(None))
    via_mechanism = (
        select(Commitment.id).join(Owner, Owner.mechanism_id == Commitment.mechanism_id).where(col(Owner.ref).in_(refs))
    )
    if ids is not None:
        direct = direct.where(col(Owner.commitment_id).in_(ids))
        via_mechanism = via_mechanism.where(col(Commitment.id).in_(ids))
    return set(session.exec(direct).all()) | set(session.exec(via_mechanism).all())


def restricted_ids_owned_by(*, session: Session, owner_refs: Sequence[str]) -> tuple[int, ...]:
    """The restricted commitments these identities may see as owners (as ``visible_ids`` decides)."""
    restricted = select(Commitment.id).where(Commitment.sensitivity == Sensitivity.restricted)
    return tuple(sorted(_owned_among(session, owner_refs, list(session.exec(restricted).all()))))


def restricted_names(*, session: Session) -> list[tuple[int | None, str, str]]:
    """(meeting id, id, title) of every restricted commitment: what would identify one."""
    statement = select(Commitment.mechanism_id, Commitment.key, Commitment.title).where(
        Commitment.sensitivity == Sensitivity.restricted
    )
    return list(session.exec(statement).all())


def commitment_owner_kinds(*, session: Session, ids: Sequence[int]) -> dict[int, set[OwnerKind]]:
    """For each of these commitments, the kinds of owner it has, its own or its meeting's (empty: nobody)."""
    found: dict[int, set[OwnerKind]] = {i: set() for i in ids}
    if not ids:
        return found
    direct = select(Owner.commitment_id, Owner.kind).where(col(Owner.commitment_id).in_(ids))
    via_mechanism = (
        select(Commitment.id, Owner.kind)
        .join(Owner, Owner.mechanism_id == Commitment.mechanism_id)
        .where(col(Commitment.id).in_(ids))
    )
    for commitment_id, kind in [*session.exec(direct), *session.exec(via_mechanism)]:
        found[commitment_id].add(kind)
    return found
