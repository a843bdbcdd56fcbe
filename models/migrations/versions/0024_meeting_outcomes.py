"""A meeting's record of discussion (an outcome per agenda item), its follow-up actions (each a
commitment citing the meeting), and its delegations (who attends for each side).

Revision ID: 0024_meeting_outcomes
Revises: 0023_person_language
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # autogenerate renders sqlmodel's column types
from alembic import op

revision = "0024_meeting_outcomes"
down_revision = "0023_person_language"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["commitment_id"], ["commitment.id"]),
        sa.ForeignKeyConstraint(["occurrence_id"], ["occurrence.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("occurrence_id", "commitment_id"),
    )
    op.create_index(op.f("ix_meeting_outcome_occurrence_id"), "meeting_outcome", ["occurrence_id"], unique=False)
    op.create_index(op.f("ix_meeting_outcome_commitment_id"), "meeting_outcome", ["commitment_id"], unique=False)
    op.create_table(
        "meeting_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["commitment_id"], ["commitment.id"]),
        sa.ForeignKeyConstraint(["occurrence_id"], ["occurrence.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_meeting_action_occurrence_id"), "meeting_action", ["occurrence_id"], unique=False)
    op.create_index(op.f("ix_meeting_action_commitment_id"), "meeting_action", ["commitment_id"], unique=True)
    op.create_table(
        "delegate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("ref", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("added_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("added_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["occurrence_id"], ["occurrence.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("occurrence_id", "country", "kind", "ref"),
    )
    op.create_index(op.f("ix_delegate_occurrence_id"), "delegate", ["occurrence_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_delegate_occurrence_id"), table_name="delegate")
    op.drop_table("delegate")
    op.drop_index(op.f("ix_meeting_action_commitment_id"), table_name="meeting_action")
    op.drop_index(op.f("ix_meeting_action_occurrence_id"), table_name="meeting_action")
    op.drop_table("meeting_action")
    op.drop_index(op.f("ix_meeting_outcome_commitment_id"), table_name="meeting_outcome")
    op.drop_index(op.f("ix_meeting_outcome_occurrence_id"), table_name="meeting_outcome")
    op.drop_table("meeting_outcome")
