"""People's language (the one they chose, and the one their platform gives) and a digest's language.

Revision ID: 0023_person_language
Revises: 0022_provenance
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # autogenerate renders sqlmodel's column types
from alembic import op

revision = "0023_person_language"
down_revision = "0022_provenance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("platform_language", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    with op.batch_alter_table("digest_subscription", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="en")
        )


def downgrade() -> None:
    with op.batch_alter_table("digest_subscription", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("platform_language")
        batch_op.drop_column("language")
