"""Teams and review, second part (issue 23).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07

- ``review_reservations``: the review stream's hold on a task, apart from the label stream's
  ``task_locks`` (a reviewer must not take one of the task's overlap slots). One row per task.
- PostgreSQL: reviews and comments bump the project's ``revision`` (migration 0007) as tasks and
  annotations do, so the data manager's cached filtered totals see review and comment columns
  change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
REVISION_TABLES = ("annotation_reviews", "comments")


def _fk(column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_review_reservations_{column}_{target}"), ondelete="CASCADE"
    )


def _revision_triggers(table: str) -> list[str]:
    # As migration 0007: one statement-level trigger per event (a transition table per event).
    return [
        f"CREATE TRIGGER {table}_revision_{event.lower()} AFTER {event} ON {table} "
        f"REFERENCING {'OLD' if event == 'DELETE' else 'NEW'} TABLE AS "
        f"{'old_rows' if event == 'DELETE' else 'new_rows'} "
        "FOR EACH STATEMENT EXECUTE FUNCTION labelloom_bump_revision()"
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def upgrade() -> None:
    op.create_table(
        "review_reservations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("expire_at", TZ, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        _fk("task_id", "tasks"),
        _fk("project_id", "projects"),
        _fk("user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_reservations")),
        sa.UniqueConstraint("task_id", name=op.f("uq_review_reservations_task_id")),
    )
    op.create_index("ix_review_reservations_user_id_expire_at", "review_reservations", ["user_id", "expire_at"])
    op.create_index("ix_review_reservations_project_id_expire_at", "review_reservations", ["project_id", "expire_at"])
    if op.get_bind().dialect.name == "postgresql":
        for table in REVISION_TABLES:
            for statement in _revision_triggers(table):
                op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in REVISION_TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_revision_{event} ON {table}")
    op.drop_index("ix_review_reservations_project_id_expire_at", table_name="review_reservations")
    op.drop_index("ix_review_reservations_user_id_expire_at", table_name="review_reservations")
    op.drop_table("review_reservations")
