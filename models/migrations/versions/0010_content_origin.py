"""Commitments remember when their content was edited in the bot, so a seed
reload leaves the edit alone.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: a batch copy of commitment would drop its full-text triggers on SQLite.
    op.add_column(
        "commitment", sa.Column("content_origin", sa.String(length=32), nullable=False, server_default="seed")
    )


def downgrade() -> None:
    op.drop_column("commitment", "content_origin")
