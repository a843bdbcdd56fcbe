"""Loading the seeds: migrations on both databases, idempotence, and edits that survive."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date

import pytest
from sqlalchemy import inspect
from sqlmodel import select

from bot.runtime import prepare_database
from models.db import MIGRATIONS_DIR, current_revisions, head_revision, make_engine, migrate, session
from models.revision import agenda_changed
from models.seed_loads import last_seed_load, record_seed_load
from models.tables import Commitment, Document, Origin, Owner, OwnerKind, Status
from seeds.catalogue import read_agenda
from seeds.fingerprint import SEEDS_DIR, seeds_fingerprint
from seeds.loader import load_seeds
from seeds.schema import DocumentCommitments


def _snapshot(engine) -> dict:
    """Every row of every table, for before/after comparisons."""
    tables = [t for t in inspect(engine).get_table_names() if not t.startswith(("commitment_fts", "alembic"))]
    with engine.connect() as connection:
        from sqlalchemy import text

        return {t: sorted(map(tuple, connection.execute(text(f"SELECT * FROM {t}")).all()), key=repr) for t in tables}


def test_migrations_apply_to_an_empty_database_and_are_idempotent(empty_database_url):
    engine = make_engine(empty_database_url)
    migrate(engine)
    migrate(engine)
    names = set(inspect(engine).get_table_names())
    assert {"document", "commitment", "area", "mechanism", "cadence", "occurrence", "owner", "alembic_version"} <= names
    engine.dispose()


def test_loading_twice_changes_nothing(engine):
    before = _snapshot(engine)
    with session(engine) as db:
        report = load_seeds(db)
    assert not report.changed, str(report)
    assert _snapshot(engine) == before


def test_a_fresh_load_creates_every_commitment(empty_database_url):
    engine = make_engine(empty_database_url)
    migrate(engine)
    with session(engine) as db:
        report = load_seeds(db)
        count = len(db.exec(select(Commitment)).all())
    assert report.created["commitment"] == count == len(read_agenda().commitments)
    engine.dispose()


def test_a_seed_edit_updates_only_what_changed_and_keeps_what_people_set(engine):
    agenda = read_agenda()
    with session(engine) as db:
        agenda_changed(db)  # as every writer of agenda rows must
        mlat = db.exec(select(Commitment).where(Commitment.key == "2002-A4")).one()
        mlat.status, mlat.status_origin = Status.in_progress, Origin.bot
        mlat.owners_origin = Origin.bot
        db.add(
            Owner(
                commitment_id=mlat.id, kind=OwnerKind.user, ref="slack:U0MARIA", display_name="Maria", origin=Origin.bot
            )
        )
        db.add(mlat)
        db.commit()

    edited = [
        (d, c.model_copy(update={"title": c.title + " (edited)"}) if c.id == "2002-A4" else c)
        for d, c in agenda.commitments
    ]
    with session(engine) as db:
        report = load_seeds(db, dataclasses.replace(agenda, commitments=edited))
    assert report.updated == {"commitment": 1}
    assert not report.created and not report.removed

    with session(engine) as db:
        mlat = db.exec(select(Commitment).where(Commitment.key == "2002-A4")).one()
        owners = db.exec(select(Owner).where(Owner.commitment_id == mlat.id)).all()
    assert mlat.title.endswith("(edited)")
    assert mlat.status == Status.in_progress
    assert "slack:U0MARIA" in {o.ref for o in owners}


def test_a_commitment_dropped_from_the_seeds_goes_unless_people_worked_on_it(engine):
    agenda = read_agenda()
    with session(engine) as db:
        agenda_changed(db)  # as every writer of agenda rows must
        kept = db.exec(select(Commitment).where(Commitment.key == "1999-1")).one()
        kept.status_origin = Origin.bot
        db.add(kept)
        db.commit()
    remaining = [(d, c) for d, c in agenda.commitments if c.id not in {"1999-1", "1999-2"}]
    remaining = [
        (d, c.model_copy(update={"related": [r for r in c.related if r not in {"1999-1", "1999-2"}]}))
        for d, c in remaining
    ]
    with session(engine) as db:
        load_seeds(db, dataclasses.replace(agenda, commitments=remaining))
        keys = set(db.exec(select(Commitment.key)).all())
    assert "1999-1" in keys and "1999-2" not in keys


def test_a_reseed_brings_a_reclassified_seed_to_an_existing_database(engine):
    """Issue 12 item 19: 2005-F1 became a deadline in the seeds. A database seeded before (kind one-time event)
    gets it from the load every start runs (AGENDA_SEED_ON_START) or `agenda-bot seed`: no migration."""
    with session(engine) as db:
        agenda_changed(db)  # as every writer of agenda rows must
        target = db.exec(select(Commitment).where(Commitment.key == "2005-F1")).one()
        target.kind = "one_time_event"  # as seeded before the fix
        db.add(target)
        db.commit()
    with session(engine) as db:
        report = load_seeds(db)
        assert report.updated.get("commitment") == 1
        assert db.exec(select(Commitment.kind).where(Commitment.key == "2005-F1")).one() == "deadline"


def test_document_commitments_schema_rejects_unknown_fields():
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        DocumentCommitments.model_validate({"document": "x", "commitments": [], "surprise": 1})


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_start_loads_the_seeds_only_when_they_changed_since_the_last_load(empty_database_url):
    engine = make_engine(empty_database_url)
    prepare_database(engine)

    def title() -> str:
        with session(engine) as db:
            return db.exec(select(Document).where(Document.key == "action-agenda-1999")).one().title

    seeded = title()
    with session(engine) as db:  # a seeded value changed behind the loader's back
        agenda_changed(db)  # as every writer of agenda rows must
        document = db.exec(select(Document).where(Document.key == "action-agenda-1999")).one()
        document.title = "changed by hand"
        db.add(document)
        db.commit()
    prepare_database(engine)
    assert title() == "changed by hand"  # the same seeds, loaded already: no load
    with session(engine) as db:
        record_seed_load(session=db, fingerprint="the seeds of an older version")
    prepare_database(engine)
    assert title() == seeded  # other seeds: loaded
    with session(engine) as db:
        assert last_seed_load(session=db) == seeds_fingerprint()
    engine.dispose()


def test_the_seed_fingerprint_follows_every_seed_file(tmp_path):
    agenda = tmp_path / "agenda"
    shutil.copytree(SEEDS_DIR / "agenda", agenda)
    before = seeds_fingerprint(agenda)
    assert seeds_fingerprint(agenda) == before
    edited = sorted((agenda / "commitments").glob("*.yaml"))[-1]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert seeds_fingerprint(agenda) != before


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_database_at_the_newest_migration_is_told_apart_as_alembic_would(empty_database_url):
    from alembic.script import ScriptDirectory

    assert head_revision() == ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    engine = make_engine(empty_database_url)
    assert current_revisions(engine) == set()
    migrate(engine)
    assert current_revisions(engine) == {head_revision()}
    engine.dispose()


def test_search_terms_and_document_names_are_loaded_with_the_agenda_and_follow_its_edits(engine):
    """Lookups read names from the database (no seed file at answer time); the loader keeps them in step."""

    from handlers.domain.cache import AgendaCache
    from models.search import TermGroup, index_terms
    from models.tables import SearchTerm

    agenda = read_agenda()
    with session(engine) as db:
        assert index_terms(session=db) == agenda.terms  # in the order terms.yaml lists them
        documents = {d.key: d.aliases for d in db.exec(select(Document))}
    assert "Indo-Pacific" in documents["indo-pacific-2021"]

    edited = dataclasses.replace(
        agenda,
        terms=(*agenda.terms[1:], TermGroup("Security of Information Agreement", ("SIA", "情報保護協定"))),
        document_names={**agenda.document_names, "indo-pacific-2021": ("FOIP",)},
    )
    with session(engine) as db:
        report = load_seeds(db, edited)
        index = AgendaCache().get(db, date(2026, 12, 3)).index
    assert report.created["search_term"] == 1 and report.removed["search_term"] == 1
    assert report.updated["document"] == 1
    assert index.terms[-1].canonical == "Security of Information Agreement"
    assert agenda.terms[0].canonical not in {t.canonical for t in index.terms}
    with session(engine) as db:
        assert db.exec(select(SearchTerm).where(SearchTerm.canonical == agenda.terms[0].canonical)).first() is None
        assert db.exec(select(Document).where(Document.key == "indo-pacific-2021")).one().aliases == ["FOIP"]
