"""Meeting records: whether a meeting was held, its number in the series, why it was not held;
each meeting's preparation milestones as changed for it (a day, an owner, done); and the
commitments proposed for a meeting's agenda.

Revision ID: 0021_meeting_records
Revises: 0020_search_terms
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # autogenerate renders sqlmodel's column types
from alembic import op

revision = "0021_meeting_records"
down_revision = "0020_search_terms"
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
    op.create_table(
        "agenda_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mechanism_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("proposed_on", sa.Date(), nullable=False),
        sa.Column("proposed_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("proposed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["commitment_id"], ["commitment.id"]),
        sa.ForeignKeyConstraint(["mechanism_id"], ["mechanism.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("mechanism_id", "commitment_id", "proposed_on"),
    )
    op.create_index(op.f("ix_agenda_proposal_mechanism_id"), "agenda_proposal", ["mechanism_id"], unique=False)
    op.create_index(op.f("ix_agenda_proposal_commitment_id"), "agenda_proposal", ["commitment_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_agenda_proposal_commitment_id"), table_name="agenda_proposal")
    op.drop_index(op.f("ix_agenda_proposal_mechanism_id"), table_name="agenda_proposal")
    op.drop_table("agenda_proposal")
    op.drop_index(op.f("ix_milestone_occurrence_id"), table_name="milestone")
    op.drop_table("milestone")
    with op.batch_alter_table("occurrence") as batch:
        batch.drop_column("reason")
        batch.drop_column("ordinal")
        batch.drop_column("held")
