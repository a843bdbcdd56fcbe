"""Build what every front end needs: the database, migrated and seeded, and Ports."""

from __future__ import annotations

import logging
from functools import partial

from sqlalchemy.engine import Engine

from bot.settings import Settings
from handlers.domain.ports import Ports
from models.db import exclusive, make_engine, migrate, session
from models.seed_loads import last_seed_load, record_seed_load
from scheduling.clock import Clock, SystemClock
from seeds.fingerprint import seeds_fingerprint

logger = logging.getLogger(__name__)

_PREPARE_LOCK = 7_400_2005  # any constant: the advisory lock id for migrate + seed


def prepare_database(engine: Engine, *, seed: bool = True, reload: bool = False) -> None:
    """Apply migrations and load the seeds; safe to run from several replicas at once.

    Seeds the database already holds (the same seed files, loaded by the same code) are
    not loaded again, unless ``reload``: a load would change nothing, and takes a second."""
    # PostgreSQL: replicas starting together take turns.
    with exclusive(engine, lock_id=_PREPARE_LOCK):
        migrate(engine)
        if not seed:
            return
        fingerprint = seeds_fingerprint()
        with session(engine) as db:
            if not reload and last_seed_load(session=db) == fingerprint:
                logger.info("agenda seeds: already loaded")
                return
            from seeds.loader import load_seeds  # YAML, its schema and EDTF: only when there is loading to do

            report = load_seeds(db)
            record_seed_load(session=db, fingerprint=fingerprint)
        logger.info("agenda seeds: %s", report)


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


def open_database(settings: Settings, *, reload_seeds: bool = False) -> Engine:
    engine = make_engine(settings.database_url)
    prepare_database(engine, seed=settings.seed_on_start or reload_seeds, reload=reload_seeds)
    return engine
