"""Teams: roles, project members, assignment (issue 23).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

``organization_settings`` (one row: the default role of users nobody gave a role),
``organization_memberships`` (explicit roles; a user without a row keeps the open-edition
default, see core/teams/permissions.py), ``project_members``, ``project_assignment_settings``
(auto distribution or assigned-only label stream) and ``task_assignments`` (annotators ``AN`` and
reviewers ``RE`` of a task).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organization_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("default_role", sa.String(2), server_default="MA", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_settings")),
    )
    op.execute("INSERT INTO organization_settings (id, default_role) VALUES (1, 'MA')")
    op.create_table(
        "organization_memberships",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), server_default="1", nullable=False),
        sa.Column("role", sa.String(2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_organization_memberships_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_organization_memberships")),
    )
    op.create_table(
        "project_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_members_project_id_projects"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_project_members_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_members")),
        sa.UniqueConstraint("project_id", "user_id", name="uq_project_members_project_user"),
    )
    op.create_index("ix_project_members_user_id", "project_members", ["user_id"])
    op.create_table(
        "project_assignment_settings",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("label_stream_task_distribution", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_assignment_settings_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_project_assignment_settings")),
    )
    op.create_table(
        "task_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_task_assignments_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_task_assignments_project_id_projects"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_task_assignments_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_assignments")),
        sa.UniqueConstraint("task_id", "type", "user_id", name="uq_task_assignments_task_type_user"),
    )
    op.create_index("ix_task_assignments_user_type_task", "task_assignments", ["user_id", "type", "task_id"])
    op.create_index("ix_task_assignments_project_id", "task_assignments", ["project_id"])


def downgrade() -> None:
    op.drop_table("task_assignments")
    op.drop_table("project_assignment_settings")
    op.drop_table("project_members")
    op.drop_table("organization_memberships")
    op.drop_table("organization_settings")
