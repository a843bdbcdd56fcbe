"""Split what was merged: retired commitment ids and what they became, sub-steps, preambles.

Revision ID: 0025_commitment_splits
Revises: 0024_meeting_outcomes
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0025_commitment_splits"
down_revision = "0024_meeting_outcomes"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch: a batch rebuilds the table on SQLite, and the rows that
# reference commitments refuse its DROP TABLE.


def upgrade() -> None:
    op.create_table(
        "commitment_split",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("successor_keys", sa.JSON(), nullable=False),
        sa.Column("lead_in", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""),
        sa.Column("carried", sa.JSON(), nullable=False),
        sa.Column("split_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    )
    op.create_index("ix_commitment_split_key", "commitment_split", ["key"], unique=True)
    op.add_column("commitment", sa.Column("steps", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column("document", sa.Column("preamble", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_column("document", "preamble")
    op.drop_column("commitment", "steps")
    op.drop_index("ix_commitment_split_key", table_name="commitment_split")
    op.drop_table("commitment_split")
