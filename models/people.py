"""The person rows: what the platforms tell us about people (timezone, name,
address) and their own reminder lead times. Keyword-only functions over an
explicit session; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from models.tables import Owner, OwnerKind, Person


def find_person(*, session: Session, user_ref: str) -> Person | None:
    return session.exec(select(Person).where(Person.user_ref == user_ref)).first()


def person_row(*, session: Session, user_ref: str) -> Person:
    """The stored row for user_ref, or a new one (not added to the session)."""
    return find_person(session=session, user_ref=user_ref) or Person(user_ref=user_ref)


def set_platform_language(*, session: Session, user_ref: str, language: str) -> bool:
    """Keep the language a platform says this person uses; False when it was already known."""
    person = person_row(session=session, user_ref=user_ref)
    if person.platform_language == language:
        return False
    person.platform_language = language
    session.add(person)
    return True


def people_among(*, session: Session, refs: Iterable[str]) -> list[Person]:
    """The person rows of these refs (a linked person's identities), those that exist."""
    return list(session.exec(select(Person).where(col(Person.user_ref).in_(list(refs)))))


def all_people(*, session: Session) -> list[Person]:
    return list(session.exec(select(Person)).all())


def display_names(*, session: Session) -> dict[str, str]:
    """Every known display name, by user ref."""
    named = select(Person.user_ref, Person.display_name).where(col(Person.display_name).is_not(None))
    return dict(session.exec(named).all())


def people_names(*, session: Session, refs: Sequence[str]) -> dict[str, str]:
    """Display names the platforms gave for these user refs (those known; others are absent)."""
    if not refs:
        return {}
    statement = select(Person.user_ref, Person.display_name).where(
        col(Person.user_ref).in_(refs), col(Person.display_name).is_not(None)
    )
    return dict(session.exec(statement).all())


def lead_days_of(*, session: Session, user_ref: str) -> list[int] | None:
    """The reminder lead times this person chose (None: none chosen, or no row)."""
    return session.exec(select(Person.lead_days).where(col(Person.user_ref) == user_ref)).first()


def emails_checked(*, session: Session, refs: Iterable[str]) -> dict[str, datetime | None]:
    """When each ref's address was last asked for (None: never)."""
    refs = list(refs)
    rows = session.exec(select(Person.user_ref, Person.email_checked_at).where(col(Person.user_ref).in_(refs)))
    checked = dict(rows.all())
    return {ref: checked.get(ref) for ref in refs}


def others_with_email(*, session: Session, person: Person) -> list[str]:
    """The other identities with person's address that may still be linked by it."""
    return list(
        session.exec(
            select(Person.user_ref).where(
                Person.email == person.email, Person.link_by_email, Person.user_ref != person.user_ref
            )
        ).all()
    )


def owners_to_refresh(*, session: Session, prefix: str, since: datetime) -> list[str]:
    """People owning something, with refs starting with prefix, whose zone or address was
    last checked before since (or never), sorted."""
    owners = set(
        session.exec(select(Owner.ref).where(Owner.kind == OwnerKind.user, col(Owner.ref).startswith(prefix))).all()
    )
    fresh = {
        p.user_ref
        for p in session.exec(select(Person).where(col(Person.user_ref).in_(owners)))
        # A zone checked before addresses were asked for still needs the address.
        if all(at is not None and at >= since for at in (p.timezone_checked_at, p.email_checked_at))
    }
    return sorted(owners - fresh)
