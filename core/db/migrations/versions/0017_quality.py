"""Quality, second part (issue 24): the stored agreement on the task row.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07

``tasks.agreement`` (percent, NULL below two annotations) with ``ix_tasks_project_id_agreement``:
the data manager's agreement filter and ordering read an indexed column of the task instead of
a correlated lookup into ``quality_tasks``. The quality jobs keep it in step; existing figures
are copied over here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tasks", sa.Column("agreement", sa.Float(), nullable=True))  # ALTER: no table copy
    op.execute(
        "UPDATE tasks SET agreement = (SELECT q.agreement * 100.0 FROM quality_tasks q WHERE q.task_id = tasks.id) "
        "WHERE id IN (SELECT task_id FROM quality_tasks WHERE agreement IS NOT NULL)"
    )
    op.create_index("ix_tasks_project_id_agreement", "tasks", ["project_id", "agreement"])


def downgrade() -> None:
    op.drop_index("ix_tasks_project_id_agreement", table_name="tasks")
    op.drop_column("tasks", "agreement")
