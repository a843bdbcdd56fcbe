"""Reminder lead times per commitment and per meeting.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: a batch copy of commitment would drop its full-text triggers on SQLite.
    op.add_column("commitment", sa.Column("reminder_lead_days", sa.JSON(), nullable=True))
    op.add_column("mechanism", sa.Column("reminder_lead_days", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("mechanism", "reminder_lead_days")
    op.drop_column("commitment", "reminder_lead_days")
