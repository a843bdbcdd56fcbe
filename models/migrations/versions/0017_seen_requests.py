"""Signed requests already served, so a replayed copy is refused.

Revision ID: 0017_seen_requests
Revises: 0016_race_guards
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # autogenerate renders sqlmodel's column types
from alembic import op

revision = "0017_seen_requests"
down_revision = "0016_race_guards"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seen_request",
        sa.Column("key_sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key_sha256"),
    )
    op.create_index(op.f("ix_seen_request_expires_at"), "seen_request", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_seen_request_expires_at"), table_name="seen_request")
    op.drop_table("seen_request")
