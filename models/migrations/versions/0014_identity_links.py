"""One person, several platforms: linked identities, one-time link codes, and the
address each platform vouches for (the same address links a Slack and a Teams identity).

Revision ID: 0014_identity_links
Revises: 0013_calendar_feeds
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # autogenerate renders sqlmodel's column types
from alembic import op

revision = "0014_identity_links"
down_revision = "0013_calendar_feeds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("user_ref", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("link_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_link_code_code_sha256"), ["code_sha256"], unique=True)
        batch_op.create_index(batch_op.f("ix_link_code_user_ref"), ["user_ref"], unique=False)

    op.create_table(
        "linked_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reminders_via", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "identity_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_ref", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("how", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("linked_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("linked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["linked_person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("identity_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identity_link_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_identity_link_user_ref"), ["user_ref"], unique=True)

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("email_checked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("link_by_email", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.create_index(batch_op.f("ix_person_email"), ["email"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_email"))
        batch_op.drop_column("link_by_email")
        batch_op.drop_column("email_checked_at")
        batch_op.drop_column("email")

    with op.batch_alter_table("identity_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_link_user_ref"))
        batch_op.drop_index(batch_op.f("ix_identity_link_person_id"))

    op.drop_table("identity_link")
    op.drop_table("linked_person")
    with op.batch_alter_table("link_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_code_user_ref"))
        batch_op.drop_index(batch_op.f("ix_link_code_code_sha256"))

    op.drop_table("link_code")
