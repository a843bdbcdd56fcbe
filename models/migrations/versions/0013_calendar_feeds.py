"""Calendar feed links: one per person and feed, stored as a digest of the token.

Revision ID: 0013_calendar_feeds
Revises: 0011_teams
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # autogenerate renders sqlmodel's column types
from alembic import op

revision = "0013_calendar_feeds"
down_revision = "0011_teams"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_ref", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("feed", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("token_sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_ref", "feed"),
    )
    with op.batch_alter_table("calendar_feed", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_feed_user_ref"), ["user_ref"], unique=False)
        batch_op.create_index(batch_op.f("ix_calendar_feed_token_sha256"), ["token_sha256"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("calendar_feed", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_feed_token_sha256"))
        batch_op.drop_index(batch_op.f("ix_calendar_feed_user_ref"))
    op.drop_table("calendar_feed")
