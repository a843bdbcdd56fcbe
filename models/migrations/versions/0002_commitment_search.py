"""Full-text search over commitments: FTS5 on SQLite, tsvector on PostgreSQL.

Both index the title, the verbatim text, the section heading and the named
organisations. The SQLite index is an external-content FTS5 table kept in step
by triggers; PostgreSQL computes a stored, generated tsvector column.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_SQLITE_UPGRADE = [
    """
    CREATE VIRTUAL TABLE commitment_fts USING fts5(
        title, text, section, organisations,
        content='commitment', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER commitment_fts_insert AFTER INSERT ON commitment BEGIN
        INSERT INTO commitment_fts(rowid, title, text, section, organisations)
        VALUES (new.id, new.title, new.text, new.section, new.organisations);
    END
    """,
    """
    CREATE TRIGGER commitment_fts_delete AFTER DELETE ON commitment BEGIN
        INSERT INTO commitment_fts(commitment_fts, rowid, title, text, section, organisations)
        VALUES ('delete', old.id, old.title, old.text, old.section, old.organisations);
    END
    """,
    """
    CREATE TRIGGER commitment_fts_update AFTER UPDATE OF title, text, section, organisations ON commitment BEGIN
        INSERT INTO commitment_fts(commitment_fts, rowid, title, text, section, organisations)
        VALUES ('delete', old.id, old.title, old.text, old.section, old.organisations);
        INSERT INTO commitment_fts(rowid, title, text, section, organisations)
        VALUES (new.id, new.title, new.text, new.section, new.organisations);
    END
    """,
    "INSERT INTO commitment_fts(commitment_fts) VALUES ('rebuild')",
]

_POSTGRES_UPGRADE = [
    """
    ALTER TABLE commitment ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(organisations, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(text, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(section, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX ix_commitment_search_vector ON commitment USING gin (search_vector)",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": _SQLITE_UPGRADE, "postgresql": _POSTGRES_UPGRADE}.get(dialect)
    if statements is None:
        raise NotImplementedError(f"full-text search is implemented for SQLite and PostgreSQL, not {dialect}")
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS commitment_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS commitment_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_commitment_search_vector")
        op.execute("ALTER TABLE commitment DROP COLUMN IF EXISTS search_vector")
