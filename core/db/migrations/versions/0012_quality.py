"""Annotation quality: agreement and dashboards (issue 24).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

``quality_settings`` (how a project scores agreement), ``quality_tasks`` (each task's stored
agreement and what it adds to the rollups) and ``quality_rollups`` (the sums dashboards read).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _project_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["project_id"], ["projects.id"], name=op.f(f"fk_{table}_project_id_projects"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "quality_settings",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("match_labels", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("recomputed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _project_fk("quality_settings"),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_quality_settings")),
    )
    op.create_table(
        "quality_tasks",
        sa.Column("task_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("agreement", sa.Float(), nullable=True),
        sa.Column("annotations", sa.Integer(), nullable=False),
        sa.Column("contrib", JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _project_fk("quality_tasks"),
        sa.PrimaryKeyConstraint("task_id", name=op.f("pk_quality_tasks")),
    )
    op.create_index("ix_quality_tasks_project_id_agreement", "quality_tasks", ["project_id", "agreement"])
    op.create_table(
        "quality_rollups",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("user_a", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("user_b", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        _project_fk("quality_rollups"),
        sa.PrimaryKeyConstraint("project_id", "kind", "day", "user_a", "user_b", "key", name=op.f("pk_quality_rollups")),
    )


def downgrade() -> None:
    op.drop_table("quality_rollups")
    op.drop_index("ix_quality_tasks_project_id_agreement", table_name="quality_tasks")
    op.drop_table("quality_tasks")
    op.drop_table("quality_settings")
