"""Search terms and documents' other names in the database, beside the agenda they describe.

They were read from seeds/agenda/terms.yaml by every process that answered a lookup; now the
seed loader stores them (the next start's load fills both, the seeds' fingerprint having changed).

Revision ID: 0020_search_terms
Revises: 0019_seed_load
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # autogenerate renders sqlmodel's column types
from alembic import op

revision = "0020_search_terms"
down_revision = "0019_seed_load"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canonical", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("variants", sa.JSON(), nullable=False),
        sa.Column("names_a_thing", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_search_term_canonical"), "search_term", ["canonical"], unique=True)
    # Existing rows get no other names until the next seed load; SQLite adds a NOT NULL column only with a default.
    op.add_column("document", sa.Column("aliases", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    # Not in batch mode: SQLite (3.35+) drops a column in place, where a batch would copy the table and
    # drop the original, which the commitments' foreign keys refuse.
    op.drop_column("document", "aliases")
    op.drop_index(op.f("ix_search_term_canonical"), table_name="search_term")
    op.drop_table("search_term")
