"""Credential versions and login throttling (issue 16, hardening).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

``users.credential_version`` is bumped by every password change or reset; JWT access tokens
carry the version they were issued under, so a new password ends them without a lookup per
request. ``login_throttles`` counts failed sign-ins per account and per client address, shared
by every server process, for the back-off that answers 429.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("credential_version", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "login_throttles",
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttles")),
    )


def downgrade() -> None:
    op.drop_table("login_throttles")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("credential_version")
