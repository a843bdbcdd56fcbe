"""Which identities are one person (handlers/identities.py decides when to link them).

Keyword-only functions over an explicit session; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from models.tables import IdentityLink, LinkedPerson


def all_links(*, session: Session) -> list[tuple[str, int, str]]:
    """(user ref, person id, where their reminders go) for every linked identity, by person then ref."""
    statement = (
        select(IdentityLink.user_ref, IdentityLink.person_id, LinkedPerson.reminders_via)
        .join(LinkedPerson, LinkedPerson.id == IdentityLink.person_id)
        .order_by(IdentityLink.person_id, IdentityLink.user_ref)
    )
    return list(session.exec(statement).all())


def linked_refs(*, session: Session, user_ref: str) -> list[str]:
    """Every identity of user_ref's person, user_ref included, sorted (empty: not linked). One indexed query."""
    person_id = select(IdentityLink.person_id).where(IdentityLink.user_ref == user_ref).scalar_subquery()
    statement = select(IdentityLink.user_ref).where(IdentityLink.person_id == person_id).order_by(IdentityLink.user_ref)
    return list(session.exec(statement).all())


def linked_person(*, session: Session, user_ref: str) -> LinkedPerson | None:
    return session.exec(
        select(LinkedPerson)
        .join(IdentityLink, IdentityLink.person_id == LinkedPerson.id)
        .where(IdentityLink.user_ref == user_ref)
    ).first()


def links_of(*, session: Session, user_refs: Sequence[str]) -> list[IdentityLink]:
    return list(session.exec(select(IdentityLink).where(col(IdentityLink.user_ref).in_(user_refs))).all())


def how_linked(*, session: Session, user_ref: str) -> str:
    """How user_ref was linked ("email" or "code"); it must be linked."""
    return session.exec(select(IdentityLink.how).where(IdentityLink.user_ref == user_ref)).one()
