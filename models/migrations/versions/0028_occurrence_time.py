"""A meeting's time of day: the instant it starts (UTC) and the zone it was fixed in (issue 15).

Revision ID: 0028_occurrence_time
Revises: 0027_translations
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # autogenerate renders sqlmodel's column types
from alembic import op

revision = "0028_occurrence_time"
down_revision = "0027_translations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("occurrence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("starts_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("occurrence", schema=None) as batch_op:
        batch_op.drop_column("timezone")
        batch_op.drop_column("starts_at")
