"""Meeting records: whether a meeting was held, its number in the series, why it was not held;
and each meeting's preparation milestones as changed for it (a day, an owner, done).

Revision ID: 0021_meeting_records
Revises: 0019_seed_load
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # autogenerate renders sqlmodel's column types
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
    op.create_table(
        "milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("owner_ref", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("done_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("done_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(["occurrence_id"], ["occurrence.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("occurrence_id", "key"),
    )
    op.create_index(op.f("ix_milestone_occurrence_id"), "milestone", ["occurrence_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_milestone_occurrence_id"), table_name="milestone")
    op.drop_table("milestone")
    with op.batch_alter_table("occurrence") as batch:
        batch.drop_column("reason")
        batch.drop_column("ordinal")
        batch.drop_column("held")
