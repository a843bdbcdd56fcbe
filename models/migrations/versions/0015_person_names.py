"""People's display names, for mentions a platform cannot show itself (a Teams
person in Slack, anyone in a Teams card).

Revision ID: 0015_person_names
Revises: 0014_identity_links
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # autogenerate renders sqlmodel's column types
from alembic import op

revision = "0015_person_names"
down_revision = "0014_identity_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("display_name")
