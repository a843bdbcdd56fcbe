"""Shared fixtures: the seeded agenda on SQLite and on a real PostgreSQL.

Migrating and seeding is done once per backend into a template; each test
gets its own copy (a file copy for SQLite, ``CREATE DATABASE … TEMPLATE`` for
PostgreSQL), so tests may write freely without seeing each other.
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from datetime import UTC, date, datetime
from functools import cache, partial
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from bot.settings import Settings
from handlers.domain.ports import Ports, Requester
from models.db import make_engine, migrate, session
from models.revision import agenda_changed, strict
from models.tables import Commitment
from scheduling.clock import FixedClock
from seeds.loader import load_seeds
from tests.postgres import PostgresServer, PostgresUnavailable, start_server
from tests.slack_requests import SIGNING_SECRET

strict()  # agenda rows written without models.revision.agenda_changed() fail the test, not just log

# The day these tests live on: a Sunday in November 2026, after every seeded date.
TODAY = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
BACKENDS = ["sqlite", "postgresql"]
_counter = itertools.count()


@pytest.fixture(autouse=True)
def _logging_left_as_found() -> Iterator[None]:
    """Tests that run the CLI in-process (or configure logging themselves) replace the
    root logger's handler with one on the stream of the moment, which pytest closes
    after the test; later warnings from server threads then fail to print. Put the
    handlers back as they were."""
    names = ("", "uvicorn", "uvicorn.error", "uvicorn.access")
    saved = {name: (list(logging.getLogger(name).handlers), logging.getLogger(name).level) for name in names}
    propagate = {name: logging.getLogger(name).propagate for name in names}
    yield
    for name, (handlers, level) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate[name]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer | None]:
    try:
        server = start_server()
    except PostgresUnavailable as exc:
        if os.environ.get("AGENDA_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required (AGENDA_REQUIRE_POSTGRES is set) but unavailable: {exc}")
        banner = f"\n{'!' * 78}\n!! PostgreSQL tests SKIPPED: {exc}\n{'!' * 78}\n"
        warnings.warn(banner, stacklevel=1)
        print(banner)
        yield None
        return
    yield server
    _admin_engine(server.url()).dispose()
    server.stop()
    # Removing the server's files (in memory, or some gigabytes of small files on a disk
    # where there is no /dev/shm) took up to ~18 s at the end of the run; nothing waits for it.
    subprocess.Popen(["rm", "-rf", str(server.root)], start_new_session=True)  # noqa: S603, S607


def _seeded(engine: Engine) -> None:
    migrate(engine)
    with session(engine) as db:
        load_seeds(db)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "agenda.db"
    engine = make_engine(f"sqlite:///{path}")
    _seeded(engine)
    with engine.connect() as connection:  # fold the WAL into the file so a copy is complete
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres) -> str | None:
    if postgres is None:
        return None
    admin = make_engine(postgres.url(), echo=False).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE agenda_template"))
    engine = make_engine(postgres.url("agenda_template"))
    _seeded(engine)
    engine.dispose()
    admin.dispose()
    return "agenda_template"


def fresh_database_url(backend: str, request, *, seeded: bool = True) -> str:
    """A database of its own for one test: seeded copy, or empty."""
    n = next(_counter)
    if backend == "sqlite":
        path = request.getfixturevalue("tmp_path") / f"agenda-{n}.db"
        if seeded:
            shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    server: PostgresServer | None = request.getfixturevalue("postgres")
    if server is None:
        pytest.skip("PostgreSQL unavailable (see the banner above)")
    template = request.getfixturevalue("postgres_template") if seeded else "template0"
    with _admin_engine(server.url()).connect() as connection:
        connection.execute(text(f"CREATE DATABASE test_{n} TEMPLATE {template}"))
    request.addfinalizer(partial(_drop_database, server, f"test_{n}"))
    return server.url(f"test_{n}")


def _drop_database(server: PostgresServer, name: str) -> None:
    """After its test, a test's database goes: the server's files are in memory (tests/postgres.py), and
    some hundred databases of ~10 MB each would stay there until the end of the run otherwise. FORCE ends
    any connection a test left open (its engine not disposed); the test is over, nothing uses them. Only
    memory is at stake: a database that cannot be dropped stays, and goes with the server's directory."""
    try:
        with _admin_engine(server.url()).connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    except OperationalError as exc:
        warnings.warn(f"test database {name} left in place: {exc}", stacklevel=1)


@cache
def _admin_engine(url: str) -> Engine:
    """One engine (its connection pooled) on the server's maintenance database for the whole session,
    which creates and drops every test's database: not a new engine and connection twice a test."""
    return make_engine(url).execution_options(isolation_level="AUTOCOMMIT")


def make_deadline(engine: Engine, key: str, edtf: str, start: date, end: date) -> None:
    """Commitment ``key`` becomes a deadline known only as ``edtf`` (a month, a year): ``start`` to ``end``."""
    with session(engine) as db:
        agenda_changed(db)  # as every writer of agenda rows must
        c = db.exec(select(Commitment).where(Commitment.key == key)).one()
        c.kind, c.due_edtf, c.due_start, c.due_end = "deadline", edtf, start, end
        db.add(c)
        db.commit()


def settings_for(database_url: str | None = None, *, slack_api_url: str | None = None, **overrides) -> Settings:
    """How every test builds its Settings (a function, as ``fresh_database_url`` is: module-scoped
    fixtures and helpers call it too). Never from a .env file (the environment still counts, as
    some tests mean it to). On a test database, which is seeded already: no seeding at the start.
    With a fake Slack's Web API: the signing secret tests/slack_requests.py signs with, a bot token.
    Anything else: ``overrides``, by field name."""
    values: dict = {"_env_file": None}
    if database_url is not None:
        values |= {"database_url": database_url, "seed_on_start": False}
    if slack_api_url is not None:
        values |= {"slack_signing_secret": SIGNING_SECRET, "slack_bot_token": "xoxb-test-token",
                   "slack_api_url": slack_api_url}  # fmt: skip
    return Settings(**(values | overrides))


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(backend, request) -> str:
    return fresh_database_url(backend, request)


@pytest.fixture
def empty_database_url(backend, request) -> str:
    return fresh_database_url(backend, request, seeded=False)


@pytest.fixture
def engine(database_url) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


def ports_for(engine: Engine, clock: FixedClock | None = None, **changes) -> Ports:
    """How tests build their Ports (as ``settings_for`` their Settings): on ``engine``, at ``clock`` (TODAY
    unless given), eight to a page; anything else by field name in ``changes``."""
    return Ports(**({"open_session": partial(session, engine), "clock": clock or FixedClock(TODAY), "page_size": 8}
                    | changes))  # fmt: skip


@pytest.fixture
def ports(engine, clock) -> Ports:
    return ports_for(engine, clock)


@pytest.fixture
def requester() -> Requester:
    return Requester(user_ref="slack:U0TEST", display_name="tester", channel_ref="slack:C0TEST")
