"""Hardening (issue 16).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07

``data_key_tuning``: each project's claims on data-key statistics and sort indexes
(core/datamanager/tuning.py), so that one project's junk keys cannot spend the global budget.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_key_tuning",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("data_key", sa.Text(), nullable=False),
        sa.Column("sort", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_data_key_tuning_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("project_id", "data_key", name=op.f("pk_data_key_tuning")),
    )


def downgrade() -> None:
    op.drop_table("data_key_tuning")
