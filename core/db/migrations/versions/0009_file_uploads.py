"""Uploaded files (issue 15): Label Studio's ``FileUpload`` rows, and each task's upload.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

``file_uploads`` holds every file of a multipart import (``GET/DELETE
/api/projects/{id}/file-uploads``); ``tasks.file_upload_id`` points at the file a task was made
from and is set to NULL when the upload is deleted, as in Label Studio. On SQLite the column is
added with ``ALTER TABLE ... ADD COLUMN ... REFERENCES`` rather than a table rebuild, which
would drop the counter triggers of ``tasks`` (migrations 0003 and 0007).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "file_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("file", sa.String(1024), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_file_uploads_project_id_projects"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_file_uploads_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_uploads")),
    )
    op.create_index(op.f("ix_file_uploads_project_id"), "file_uploads", ["project_id"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE tasks ADD COLUMN file_upload_id INTEGER "
            "CONSTRAINT fk_tasks_file_upload_id_file_uploads REFERENCES file_uploads (id) ON DELETE SET NULL"
        )
    else:
        op.add_column("tasks", sa.Column("file_upload_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_tasks_file_upload_id_file_uploads"), "tasks", "file_uploads",
            ["file_upload_id"], ["id"], ondelete="SET NULL",
        )
    op.create_index(op.f("ix_tasks_file_upload_id"), "tasks", ["file_upload_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_tasks_file_upload_id"), table_name="tasks")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE tasks DROP COLUMN file_upload_id")  # SQLite 3.35+
    else:
        op.drop_constraint(op.f("fk_tasks_file_upload_id_file_uploads"), "tasks", type_="foreignkey")
        op.drop_column("tasks", "file_upload_id")
    op.drop_index(op.f("ix_file_uploads_project_id"), table_name="file_uploads")
    op.drop_table("file_uploads")
