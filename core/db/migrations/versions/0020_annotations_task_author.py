"""Speed (issue 17): annotations by (task, author) in one index.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07

The label stream asks, per task, whether this user already annotated it. With only
``(task_id)`` and ``(completed_by_id)`` indexed, PostgreSQL without fresh statistics (a
project just imported) answered it by reading every annotation of the user. ``(task_id,
completed_by_id)`` answers it by key and serves every lookup by task as ``(task_id)`` did,
which it replaces.
"""

from __future__ import annotations

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("annotations") as batch_op:
        batch_op.create_index("ix_annotations_task_id_completed_by_id", ["task_id", "completed_by_id"], unique=False)
        batch_op.drop_index("ix_annotations_task_id")


def downgrade() -> None:
    with op.batch_alter_table("annotations") as batch_op:
        batch_op.create_index("ix_annotations_task_id", ["task_id"], unique=False)
        batch_op.drop_index("ix_annotations_task_id_completed_by_id")
