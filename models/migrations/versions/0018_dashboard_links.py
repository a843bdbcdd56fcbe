"""Personal links to the read-only dashboard page.

Revision ID: 0018_dashboard_links
Revises: 0017_seen_requests
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # autogenerate renders sqlmodel's column types
from alembic import op

revision = "0018_dashboard_links"
down_revision = "0017_seen_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dashboard_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_ref", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("token_sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_dashboard_link_user_ref"), "dashboard_link", ["user_ref"], unique=True)
    op.create_index(op.f("ix_dashboard_link_token_sha256"), "dashboard_link", ["token_sha256"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_dashboard_link_token_sha256"), table_name="dashboard_link")
    op.drop_index(op.f("ix_dashboard_link_user_ref"), table_name="dashboard_link")
    op.drop_table("dashboard_link")
