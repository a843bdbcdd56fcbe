"""Meeting records: whether a meeting was held, its number in the series, why it was not held.

Revision ID: 0021_meeting_records
Revises: 0019_seed_load
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_meeting_records"
down_revision = "0019_seed_load"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable or defaulted columns: plain ADD COLUMN on both databases, no table copy.
    op.add_column("occurrence", sa.Column("held", sa.String(length=32), nullable=True))
    op.add_column("occurrence", sa.Column("ordinal", sa.Integer(), nullable=True))
    op.add_column("occurrence", sa.Column("reason", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("occurrence") as batch:
        batch.drop_column("reason")
        batch.drop_column("ordinal")
        batch.drop_column("held")
