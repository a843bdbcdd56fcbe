"""The fingerprint of the seeds last loaded, so a start with the same seeds skips the load.

Revision ID: 0019_seed_load
Revises: 0018_dashboard_links
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # autogenerate renders sqlmodel's column types
from alembic import op

revision = "0019_seed_load"
down_revision = "0018_dashboard_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seed_load",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("seed_load")
