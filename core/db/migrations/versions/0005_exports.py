"""Export snapshots.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "exports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
        sa.Column("title", sa.String(2048), nullable=False),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("file", sa.String(1024), nullable=True),
        sa.Column("md5", sa.String(128), nullable=True),
        sa.Column("counters", JSON, nullable=False),
        sa.Column("options", JSON, nullable=False),
        sa.Column("converted_formats", JSON, nullable=False),
        sa.Column("traceback", sa.String, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_exports_project_id_id", "exports", ["project_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_exports_project_id_id", table_name="exports")
    op.drop_table("exports")
