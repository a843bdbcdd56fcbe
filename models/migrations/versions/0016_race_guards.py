"""Guards against simultaneous changes that the database must refuse, not Python.

- ``mechanism.version``: optimistic locking, as commitments have it. Fixing a
  meeting's date bumps it, so two coordinators fixing dates at the same instant
  cannot both succeed (one is refused as a concurrent change) on any replica.
- ``mechanism.updated_at``: the last change made through the bot.
- One acknowledgement per item: simultaneous presses of Acknowledge wrote two to
  four. A live database may already hold such doubles; the first of each stays.

Revision ID: 0016_race_guards
Revises: 0015_person_names
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # autogenerate renders sqlmodel's column types
from alembic import op

revision = "0016_race_guards"
down_revision = "0015_person_names"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mechanism", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))

    # Keep the earliest acknowledgement of each item (the one whose audit entry came first).
    op.execute(
        "DELETE FROM acknowledgement WHERE id NOT IN "
        "(SELECT MIN(id) FROM acknowledgement GROUP BY item_ref)"
    )
    with op.batch_alter_table("acknowledgement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_acknowledgement_item_ref"))
        batch_op.create_index(batch_op.f("ix_acknowledgement_item_ref"), ["item_ref"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("acknowledgement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_acknowledgement_item_ref"))
        batch_op.create_index(batch_op.f("ix_acknowledgement_item_ref"), ["item_ref"], unique=False)

    # Without copying the table (SQLite's batch mode would): other tables' foreign keys point at it.
    with op.batch_alter_table("mechanism", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.drop_column("version")
