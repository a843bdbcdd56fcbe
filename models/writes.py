"""Writes: every change above models/ goes through a named function here (tests/test_layering.py
checks that handlers/ and bot/ never call ``session.add``, ``delete`` or ``merge`` themselves).

- ``save``: keep a new or changed row in this transaction (``flush=True``: write it now, so its id is known).
- ``remove``: delete a row in this transaction.

Nothing here commits: the caller's transaction decides.

Some writes must hold when several requests (or replicas) make them at once.
Reading "is it there yet?" and then adding it is a race: two requests both
read "no" and both add. These helpers let the database decide instead:

- ``insert_unless_present``: one INSERT … ON CONFLICT DO NOTHING against a
  unique constraint. On PostgreSQL the loser waits for the winner's
  transaction and then inserts nothing; it is told so, and can say so.
- ``serialize``: a named lock held until the transaction ends, for a count
  that must not be read by two requests at once (wrong link codes).
- ``touch``: bump a versioned row (``version_id_col``) even when none of its
  own fields change, so that a change made *under* it (a meeting's dates,
  its owners) is refused when someone else changed them since it was read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, SQLModel, select

from models.tables import Document, Translation

Row = TypeVar("Row", bound=SQLModel)


def save(*, session: Session, row: Row, flush: bool = False) -> Row:
    """Keep row (new, or changed) in this transaction; flush: write it now, so its id is known."""
    session.add(row)
    if flush:
        session.flush()
    return row


def save_all(*, session: Session, rows: Iterable[SQLModel]) -> None:
    """Keep each of rows in this transaction."""
    session.add_all(list(rows))


def remove(*, session: Session, row: SQLModel, flush: bool = False) -> None:
    """Delete row in this transaction; flush: delete it now, so later reads in it no longer see it."""
    session.delete(row)
    if flush:
        session.flush()


def dialect_insert(session: Session):
    """The session's database's own INSERT, which has ON CONFLICT. Imported when first used:
    PostgreSQL's dialect is a twentieth of a second to import, which a SQLite start need not pay."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def insert_unless_present(*, session: Session, row: SQLModel, unique: Sequence[str]) -> bool:
    """Insert row unless one with the same values in ``unique`` (a unique constraint's
    columns) exists or is being inserted by another transaction; True if it went in."""
    table = type(row).__table__
    values = {column.name: getattr(row, column.name) for column in table.columns}
    values = {name: value for name, value in values.items() if not (name == "id" and value is None)}
    statement = dialect_insert(session)(table).values(values).on_conflict_do_nothing(index_elements=list(unique))
    return session.execute(statement.returning(table.c.id)).first() is not None


def touch(*, session: Session, row: SQLModel, now: datetime) -> None:
    """Record that row changed through the bot now, and make its UPDATE carry the version check.

    The row must have been read before whatever the change was based on: its
    version is the one compared at commit.
    """
    row.updated_at = now
    flag_modified(row, "updated_at")  # an UPDATE even when the clock has not moved
    session.add(row)


def serialize(*, session: Session, name: str) -> None:
    """Wait for, then hold until this transaction ends, the lock called name.

    Transactions taking the same name run one after the other, on every
    replica: what one counted and wrote, the next one counts. PostgreSQL: a
    transaction-level advisory lock. SQLite has a single writer, and a session
    that declared its write (``models.db.declare_write``) already holds it.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))"), {"name": name})


def document_for_the_bot(
    *, session: Session, key: str, title: str, short_title: str, note: str, year: int,
    short_titles: dict[str, str] | None = None,
) -> Document:
    """The document that commitments made in the bot cite (added by coordinators, a meeting's follow-ups),
    created the first time one is made; ``short_titles``: its short title in French and Japanese (language →
    text), kept in the translation table where none is yet, as a seed's are."""
    document = session.exec(select(Document).where(Document.key == key)).first()
    if document is None:
        document = Document(
            key=key, title=title, short_title=short_title, date_edtf=str(year), year=year, source_file="",
            date_note=note,
        )  # fmt: skip
        save(session=session, row=document, flush=True)
    for language, words in (short_titles or {}).items():
        where = (Translation.subject == "document", Translation.key == key, Translation.attribute == "short_title")
        if words and session.exec(select(Translation).where(*where, Translation.language == language)).first() is None:
            row = Translation(subject="document", key=key, attribute="short_title", language=language, text=words)
            save(session=session, row=row, flush=True)
    return document
