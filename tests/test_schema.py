"""The migrations build exactly the tables the models declare (nothing forgotten in a migration).

What the migrations add by hand and the models do not describe is named here: SQLite's FTS5
index tables and PostgreSQL's generated full-text column (models/search.py reads both).
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (the models register their tables on import)

BY_HAND = {"search_vector", "commitment_fts"}


def _by_hand(diff) -> bool:
    op = diff[0] if isinstance(diff, tuple) else diff[0][0]
    if op == "remove_table":
        return diff[1].name.startswith("commitment_fts")
    if op in ("remove_column", "remove_index"):
        described = str(diff)
        return any(name in described for name in BY_HAND)
    return False


def test_the_migrated_schema_is_the_models_schema(engine):
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert [d for d in diffs if not _by_hand(d)] == []
