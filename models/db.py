"""Engines, sessions and migrations.

SQLite (a file) is the embedded default; PostgreSQL is used when the URL says
so. Migrations are Alembic's, applied on start by ``migrate()``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, event, inspect, text
from sqlmodel import Session, create_engine

import models.revision  # noqa: F401  (its guard catches agenda writes that forgot to bump the revision)

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def normalise_url(url: str) -> str:
    """Accept the URLs people paste (``postgres://``, ``postgresql://``) and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def make_engine(url: str, *, echo: bool = False) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "checkin", _sqlite_checkin)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLAlchemy, not the sqlite3 module, decides when transactions begin
    # (see _sqlite_begin), so a write can take the lock before it reads.
    dbapi_connection.isolation_level = None
    # WAL lets lookups read while the loader or a coordinator writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection) -> None:
    """A change reads, then writes: taking the write lock first (BEGIN IMMEDIATE)
    means nobody can change the rows between the read and the write. SQLite
    has one writer anyway; this only makes the others wait their turn."""
    options = connection.get_execution_options()
    # Straight to the driver: every request begins a transaction, and a statement run through
    # SQLAlchemy's execution machinery cost more than SQLite took to begin it.
    driver = connection.connection.driver_connection
    if options.get(LIGHT_COMMIT, False):  # refused inside a transaction: set before it begins
        driver.execute("PRAGMA synchronous=NORMAL")
        connection.info[LIGHT_COMMIT] = True  # put back when the connection returns to the pool
    driver.execute("BEGIN IMMEDIATE" if options.get(WRITE_INTENT, False) else "BEGIN")


def _sqlite_checkin(dbapi_connection, record) -> None:
    """A connection whose commit was light goes back to the pool durable (synchronous=FULL, the default)."""
    if record.info.pop(LIGHT_COMMIT, False):
        dbapi_connection.execute("PRAGMA synchronous=FULL")


WRITE_INTENT = "agenda_write_intent"
LIGHT_COMMIT = "light_commit"


def declare_write(db: Session, *, light: bool = False) -> None:
    """Call first in a session that will change rows (see _sqlite_begin).

    ``light``: on SQLite, this transaction commits with ``PRAGMA synchronous=NORMAL`` instead of
    FULL: no fsync of the write-ahead log at commit. The commit still survives the process
    crashing; a power loss or an operating-system crash may undo the last few such commits (the
    database stays consistent). Only for rows whose loss costs nothing lasting: the replay store
    (models/replays.py). PostgreSQL ignores it."""
    db.connection(execution_options={WRITE_INTENT: True, LIGHT_COMMIT: light})


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # env.py takes the engine from here, so Alembic never reads a URL of its own.
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op when it is current).

    A database at the newest revision is told apart without Alembic, whose import
    takes a tenth of a second of every start; Alembic runs when there is work."""
    head = head_revision()
    if head is not None and current_revisions(engine) == {head}:
        return
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


_REVISION = re.compile(r'^revision = "([^"]+)"$', re.MULTILINE)
_DOWN_REVISION = re.compile(r'^down_revision = (?:"([^"]+)"|None)$', re.MULTILINE)


def head_revision() -> str | None:
    """The newest migration, read from the version files; None when they are not
    one plain chain (a merge, say): then only Alembic can tell."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(text), _DOWN_REVISION.search(text)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        parents |= {down.group(1)} - {None}
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def current_revisions(engine: Engine) -> set[str]:
    """The revisions the database says it is at (none for a new database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return set()
        return set(connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())


def session(engine: Engine) -> Session:
    # Objects stay readable after commit: replies are built after the session ends.
    return Session(engine, expire_on_commit=False)


class NeedsDatabase(Exception):
    """What a ``MemoryOnly`` session raises at its first statement: the work needs the database."""


class MemoryOnly(Session):
    """A session with no database behind it: the first statement raises ``NeedsDatabase``.

    For trying a read on the event loop from what this process keeps in memory (the
    agenda cache, the reply cache's viewers): it never blocks on I/O, and whatever would
    have read a row stops there, before it has kept anything, so the caller can run the
    same work again in a worker thread with a real session (handlers.answer_from_memory).
    """

    def get_bind(self, *_args, **_kwargs):  # every statement, flush and connection asks for its bind
        raise NeedsDatabase


def memory_only() -> MemoryOnly:
    return MemoryOnly(expire_on_commit=False)


def ping(engine: Engine) -> None:
    """Raise unless the database answers a query."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


@contextmanager
def exclusive(engine: Engine, *, lock_id: int) -> Iterator[None]:
    """Hold the lock called lock_id across replicas while the block runs (PostgreSQL:
    a session advisory lock). SQLite has one writer anyway: nothing to hold."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": lock_id})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": lock_id})
            connection.commit()
