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


# Plain ALTER TABLE, not a batch: a batch rebuilds the table on SQLite, and the rows that
# reference commitments (owners, areas, stages) refuse its DROP TABLE. SQLite has had
# ALTER TABLE … DROP COLUMN since 3.35.


def upgrade() -> None:
    op.add_column("commitment", sa.Column("lineage", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    op.drop_column("commitment", "lineage")
