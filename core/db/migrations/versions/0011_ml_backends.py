"""ML backends (issue 22): Label Studio's ``MLBackend`` connections, one row per model server.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

``ml_backends`` holds each project's connections (URL, auth, extra params, timeout), their last
known state and error, the model version the backend reported, and the project webhook that was
created with it (Label Studio sends every event of the project to ``<url>/webhook``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "ml_backends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("title", sa.String(512), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("auth_method", sa.String(16), nullable=False),
        sa.Column("basic_auth_user", sa.String(512), nullable=True),
        sa.Column("basic_auth_pass", sa.String(512), nullable=True),
        sa.Column("extra_params", JSON, nullable=True),
        sa.Column("is_interactive", sa.Boolean(), nullable=False),
        sa.Column("auto_update", sa.Boolean(), nullable=False),
        sa.Column("timeout", sa.Float(), nullable=False),
        sa.Column("state", sa.String(2), nullable=False),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("model_version", sa.String(255), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_ml_backends_project_id_projects"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["webhook_id"], ["webhooks.id"], name=op.f("fk_ml_backends_webhook_id_webhooks"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ml_backends")),
    )
    op.create_index(op.f("ix_ml_backends_project_id"), "ml_backends", ["project_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_ml_backends_project_id"), table_name="ml_backends")
    op.drop_table("ml_backends")
