"""Lineage across documents: the earlier commitments a commitment carries on, updates or supersedes.

Revision ID: 0022_provenance
Revises: 0021_meeting_records
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_provenance"
down_revision = "0021_meeting_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("commitment") as batch:
        batch.add_column(sa.Column("lineage", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    # In place (SQLite 3.35+): a batch copy would drop the table, which the foreign keys refuse.
    op.drop_column("commitment", "lineage")
