"""Names and titles in French and Japanese, and official texts of commitments (models.tables.Translation).

Read whole once per agenda revision (``all_translations``: a few hundred rows); an official text
is attached and removed one at a time by a coordinator (``official_text``, ``attach_official``,
``remove_official``), each write saying it changes the agenda.
"""

from __future__ import annotations

from sqlmodel import Session, select

from models.revision import agenda_changed
from models.tables import Origin, Translation

OFFICIAL = "text"  # the attribute of an official text: the only one that is ever agreed wording


def all_translations(*, session: Session) -> list[Translation]:
    return list(session.exec(select(Translation).order_by(Translation.id)))


def of_commitments(*, session: Session, keys: list[str]) -> dict[str, dict[tuple[str, str], Translation]]:
    """Key → (attribute, language) → row: the team's titles and the official texts of these commitments."""
    found: dict[str, dict[tuple[str, str], Translation]] = {}
    if not keys:
        return found
    rows = session.exec(select(Translation).where(Translation.subject == "commitment", Translation.key.in_(keys)))
    for row in rows:
        found.setdefault(row.key, {})[(row.attribute, row.language)] = row
    return found


def translated_names(*, session: Session, subject: str, keys: list[str]) -> list[str]:
    """Every French and Japanese name or title, and official text, of these rows of a subject (what would
    name a restricted item in another language: handlers/domain/audience.py)."""
    if not keys:
        return []
    rows = session.exec(select(Translation.text).where(Translation.subject == subject, Translation.key.in_(keys)))
    return list(rows)


def official_text(*, session: Session, key: str, language: str) -> Translation | None:
    """The official text attached to commitment ``key`` in ``language``, if any."""
    return session.exec(
        select(Translation).where(
            Translation.subject == "commitment",
            Translation.key == key,
            Translation.attribute == OFFICIAL,
            Translation.language == language,
        )
    ).first()


def attach_official(
    *, session: Session, key: str, language: str, text: str, source: str, origin: Origin = Origin.bot
) -> tuple[Translation | None, Translation]:
    """Attach (or replace) the official ``language`` text of commitment ``key``: what it replaced (a copy,
    None when there was none), and the row."""
    agenda_changed(session)
    row = official_text(session=session, key=key, language=language)
    before = None
    if row is None:
        row = Translation(subject="commitment", key=key, attribute=OFFICIAL, language=language, text=text)
    else:
        before = Translation(**row.model_dump(exclude={"id"}))
    row.text, row.source, row.origin = text, source, origin
    session.add(row)
    session.flush()
    return before, row


def forget_titles(*, session: Session, key: str) -> int:
    """A commitment's title was changed in the bot: the team's French and Japanese of the old one go
    (readers get the new English title until the team writes new ones); how many went."""
    rows = session.exec(
        select(Translation).where(
            Translation.subject == "commitment", Translation.key == key, Translation.attribute == "title"
        )
    ).all()
    if rows:
        agenda_changed(session)
    for row in rows:
        session.delete(row)
    session.flush()
    return len(rows)


def remove_official(*, session: Session, key: str, language: str) -> Translation | None:
    """Remove the official ``language`` text of commitment ``key``; the row removed (None: there was none)."""
    row = official_text(session=session, key=key, language=language)
    if row is None:
        return None
    agenda_changed(session)
    session.delete(row)
    session.flush()
    return row
