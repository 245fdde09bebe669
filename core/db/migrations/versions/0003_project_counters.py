"""Project counters kept by the database itself.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

Six counters on ``projects`` mirror the sums of the task counters. Triggers on ``tasks`` keep
them exact whatever statement changes tasks (imports, annotation writes, bulk actions,
cascading deletes), so reading a project's counters costs one row, not a scan of its tasks.
PostgreSQL uses statement-level triggers over transition tables (one UPDATE per statement);
SQLite uses row triggers (cheap in-process).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COUNTERS = (
    "task_number",
    "finished_task_number",
    "total_annotations_number",
    "skipped_annotations_number",
    "total_predictions_number",
    "num_tasks_with_annotations",
)

# Each counter and the expression of one task row it sums (``r`` is the row alias).
SUMS = {
    "task_number": "1",
    "finished_task_number": "CASE WHEN r.is_labeled THEN 1 ELSE 0 END",
    "total_annotations_number": "r.total_annotations",
    "skipped_annotations_number": "r.cancelled_annotations",
    "total_predictions_number": "r.total_predictions",
    "num_tasks_with_annotations": "CASE WHEN r.total_annotations > 0 THEN 1 ELSE 0 END",
}


def _pg_apply(sign: str, table: str) -> str:
    sums = ", ".join(f"sum({expr}) AS {name}" for name, expr in SUMS.items())
    sets = ", ".join(f"{name} = p.{name} {sign} d.{name}" for name in SUMS)
    return (
        f"UPDATE projects p SET {sets} FROM (SELECT r.project_id, {sums} FROM {table} r "
        f"GROUP BY r.project_id) d WHERE p.id = d.project_id;"
    )


PG_FUNCTION = f"""
CREATE FUNCTION labelloom_task_counters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
    {_pg_apply('+', 'new_rows')}
  END IF;
  IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
    {_pg_apply('-', 'old_rows')}
  END IF;
  RETURN NULL;
END $$;
"""

PG_TRIGGERS = (
    "CREATE TRIGGER tasks_counters_insert AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION labelloom_task_counters()",
    "CREATE TRIGGER tasks_counters_update AFTER UPDATE ON tasks REFERENCING OLD TABLE AS old_rows "
    "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION labelloom_task_counters()",
    "CREATE TRIGGER tasks_counters_delete AFTER DELETE ON tasks REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION labelloom_task_counters()",
)


def _sqlite_sets(row: str, sign: str) -> str:
    return ", ".join(f"{name} = {name} {sign} ({expr.replace('r.', row + '.')})" for name, expr in SUMS.items())


SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER tasks_counters_insert AFTER INSERT ON tasks BEGIN
      UPDATE projects SET {_sqlite_sets('NEW', '+')} WHERE id = NEW.project_id; END""",
    f"""CREATE TRIGGER tasks_counters_update
      AFTER UPDATE OF is_labeled, total_annotations, cancelled_annotations, total_predictions ON tasks BEGIN
      UPDATE projects SET {_sqlite_sets('OLD', '-')} WHERE id = OLD.project_id;
      UPDATE projects SET {_sqlite_sets('NEW', '+')} WHERE id = NEW.project_id; END""",
    f"""CREATE TRIGGER tasks_counters_delete AFTER DELETE ON tasks BEGIN
      UPDATE projects SET {_sqlite_sets('OLD', '-')} WHERE id = OLD.project_id; END""",
)


def upgrade() -> None:
    with op.batch_alter_table("projects") as batch:
        for name in COUNTERS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_annotations_project_id_ground_truth", "annotations", ["project_id", "ground_truth"])
    # Existing tasks: start from the true sums.
    for name, expr in SUMS.items():
        op.execute(
            f"UPDATE projects SET {name} = (SELECT coalesce(sum({expr}), 0) FROM tasks r "
            f"WHERE r.project_id = projects.id)"
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for statement in PG_TRIGGERS:
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    for trigger in ("tasks_counters_insert", "tasks_counters_update", "tasks_counters_delete"):
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON tasks")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS labelloom_task_counters()")
    op.drop_index("ix_annotations_project_id_ground_truth", "annotations")
    with op.batch_alter_table("projects") as batch:
        for name in COUNTERS:
            batch.drop_column(name)
