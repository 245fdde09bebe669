"""Cloud and local storage connections (issue 21).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

``storages`` holds one row per import (source) or export (target) storage of a project: the
plugin's kind, Label Studio's common fields and the kind's own config JSON. ``storage_links``
ties each synced task to the object (and row of a multi-task file) it came from.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "storages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("title", sa.String(2048), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("regex_filter", sa.Text(), nullable=True),
        sa.Column("use_blob_urls", sa.Boolean(), nullable=False),
        sa.Column("presign", sa.Boolean(), nullable=False),
        sa.Column("presign_ttl", sa.Integer(), nullable=False),
        sa.Column("recursive_scan", sa.Boolean(), nullable=False),
        sa.Column("can_delete_objects", sa.Boolean(), nullable=True),
        sa.Column("config", JSON, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("traceback", sa.Text(), nullable=True),
        sa.Column("meta", JSON, nullable=False),
        sa.Column("last_sync", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sync_count", sa.Integer(), nullable=True),
        sa.Column("last_sync_job", sa.String(256), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_storages_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storages")),
    )
    op.create_index("ix_storages_project_id_role", "storages", ["project_id", "role"])
    op.create_table(
        "storage_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("storage_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(1024), nullable=False),
        sa.Column("row_index", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["storage_id"], ["storages.id"], name=op.f("fk_storage_links_storage_id_storages"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_storage_links_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storage_links")),
    )
    op.create_index("ix_storage_links_storage_id_key", "storage_links", ["storage_id", "key"])
    op.create_index(op.f("ix_storage_links_task_id"), "storage_links", ["task_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_storage_links_task_id"), table_name="storage_links")
    op.drop_index("ix_storage_links_storage_id_key", table_name="storage_links")
    op.drop_table("storage_links")
    op.drop_index("ix_storages_project_id_role", table_name="storages")
    op.drop_table("storages")
