"""Which identities are one person (handlers/domain/identities.py decides when to link them).

Keyword-only functions over an explicit session; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from models.people import person_row
from models.revision import agenda_changed
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


def make_person(*, session: Session, refs: Sequence[str], how: str, by: str, now: datetime) -> LinkedPerson:
    """One person with these identities (none linked yet). Nothing is committed."""
    agenda_changed(session)  # one person: what either identity owns and may do, both do
    person = LinkedPerson(created_at=now)
    session.add(person)
    session.flush()  # its id, for the links
    session.add_all(
        IdentityLink(user_ref=ref, person_id=person.id, how=how, linked_by=by, linked_at=now) for ref in refs
    )
    session.flush()
    return person


def dissolve(*, session: Session, refs: Sequence[str]) -> None:
    """Undo the link between refs, all the identities of one person: the person goes, and
    their addresses no longer link them. Nothing is committed."""
    rows = links_of(session=session, user_refs=refs)
    agenda_changed(session)
    person_id = rows[0].person_id
    for row in rows:  # one identity left would not be a link: the person dissolves
        session.delete(row)
    for ref in refs:
        stored = person_row(session=session, user_ref=ref)
        stored.link_by_email = False
        session.add(stored)
    session.flush()  # the links go before the person they point at
    session.delete(session.get(LinkedPerson, person_id))
    session.flush()
