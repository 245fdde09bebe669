"""Invite links.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28

``invite_links`` holds the organization's invite token (Label Studio's ``GET /api/invite``):
sign-up through ``/user/signup?token=...`` needs a live token; resetting replaces the row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invite_links",
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_invite_links_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_invite_links")),
    )


def downgrade() -> None:
    op.drop_table("invite_links")
