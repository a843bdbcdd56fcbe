"""Build what every front end needs: the database, migrated and seeded, and Ports."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from functools import partial

from sqlalchemy import Engine, text

from bot.settings import Settings
from handlers.ports import Ports
from models.db import make_engine, migrate, session
from scheduling.clock import Clock, SystemClock
from seeds.loader import load_seeds

logger = logging.getLogger(__name__)

_PREPARE_LOCK = 7_400_2005  # any constant: the advisory lock id for migrate + seed


def prepare_database(engine: Engine, *, seed: bool = True) -> None:
    """Apply migrations and load the seeds; safe to run from several replicas at once."""
    with _exclusive(engine):
        migrate(engine)
        if seed:
            with session(engine) as db:
                report = load_seeds(db)
            logger.info("agenda seeds: %s", report)


@contextmanager
def _exclusive(engine: Engine):
    # PostgreSQL: replicas starting together take turns. SQLite has one writer anyway.
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _PREPARE_LOCK})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _PREPARE_LOCK})
            connection.commit()


def build_ports(settings: Settings, engine: Engine, *, clock: Clock | None = None) -> Ports:
    return Ports(
        open_session=partial(session, engine),
        clock=clock or SystemClock(),
        page_size=settings.page_size,
        admins=settings.admin_refs,
        public_url=settings.public_url,
        lead_days=settings.lead_days,
        capitals=settings.capitals_config,
        plan_gap_days=settings.plan_gap_days,
        default_timezone=settings.default_timezone,
    )


def open_database(settings: Settings) -> Engine:
    engine = make_engine(settings.database_url)
    prepare_database(engine, seed=settings.seed_on_start)
    return engine
