"""Project counters kept by the database itself.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

Six counters in ``project_counters`` (one narrow row per project) mirror the sums of the task
counters. Triggers on ``tasks`` keep them exact whatever statement updates or deletes tasks
(annotation writes, bulk actions, cascading deletes), so reading a project's counters costs one
row, not a scan of its tasks. New tasks are counted by the one code path that creates tasks,
``TaskImporter.insert``, in one UPDATE per import: a row trigger on INSERT cost SQLite 1.9 s per
100k imported tasks. PostgreSQL uses statement-level triggers over transition tables
(one UPDATE per statement); SQLite uses row triggers, cheap because the row they rewrite is
narrow (rewriting the wide ``projects`` row made a 100k-task import 1.5 s slower). A trigger on
``projects`` creates each project's counters row.
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
        f"UPDATE project_counters p SET {sets} FROM (SELECT r.project_id, {sums} FROM {table} r "
        f"GROUP BY r.project_id) d WHERE p.project_id = d.project_id;"
    )


PG_FUNCTION = f"""
CREATE FUNCTION labelloom_task_counters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    {_pg_apply('+', 'new_rows')}
  END IF;
  IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
    {_pg_apply('-', 'old_rows')}
  END IF;
  RETURN NULL;
END $$;
"""

PG_NEW_PROJECT = """
CREATE FUNCTION labelloom_new_project_counters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO project_counters (project_id) VALUES (NEW.id);
  RETURN NULL;
END $$;
"""

PG_TRIGGERS = (
    "CREATE TRIGGER projects_counters_row AFTER INSERT ON projects FOR EACH ROW "
    "EXECUTE FUNCTION labelloom_new_project_counters()",
    "CREATE TRIGGER tasks_counters_update AFTER UPDATE ON tasks REFERENCING OLD TABLE AS old_rows "
    "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION labelloom_task_counters()",
    "CREATE TRIGGER tasks_counters_delete AFTER DELETE ON tasks REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION labelloom_task_counters()",
)


def _sqlite_sets(row: str, sign: str) -> str:
    return ", ".join(f"{name} = {name} {sign} ({expr.replace('r.', row + '.')})" for name, expr in SUMS.items())


SQLITE_TRIGGERS = (
    """CREATE TRIGGER projects_counters_row AFTER INSERT ON projects BEGIN
      INSERT INTO project_counters (project_id) VALUES (NEW.id); END""",
    f"""CREATE TRIGGER tasks_counters_update
      AFTER UPDATE OF is_labeled, total_annotations, cancelled_annotations, total_predictions ON tasks BEGIN
      UPDATE project_counters SET {_sqlite_sets('OLD', '-')} WHERE project_id = OLD.project_id;
      UPDATE project_counters SET {_sqlite_sets('NEW', '+')} WHERE project_id = NEW.project_id; END""",
    f"""CREATE TRIGGER tasks_counters_delete AFTER DELETE ON tasks BEGIN
      UPDATE project_counters SET {_sqlite_sets('OLD', '-')} WHERE project_id = OLD.project_id; END""",
)


def upgrade() -> None:
    op.create_table(
        "project_counters",
        sa.Column("project_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False, server_default="0") for name in COUNTERS),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_counters_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_project_counters")),
    )
    op.create_index("ix_annotations_project_id_ground_truth", "annotations", ["project_id", "ground_truth"])
    # Existing projects: start from the true sums.
    sums = ", ".join(f"coalesce(sum(CASE WHEN r.id IS NULL THEN 0 ELSE {expr} END), 0)" for expr in SUMS.values())
    op.execute(
        f"INSERT INTO project_counters (project_id, {', '.join(SUMS)}) "
        f"SELECT p.id, {sums} FROM projects p LEFT JOIN tasks r ON r.project_id = p.id GROUP BY p.id"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute(PG_NEW_PROJECT)
        for statement in PG_TRIGGERS:
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, trigger in (
        ("projects", "projects_counters_row"),
        ("tasks", "tasks_counters_update"),
        ("tasks", "tasks_counters_delete"),
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}" if postgresql else f"DROP TRIGGER IF EXISTS {trigger}")
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS labelloom_task_counters()")
        op.execute("DROP FUNCTION IF EXISTS labelloom_new_project_counters()")
    op.drop_index("ix_annotations_project_id_ground_truth", "annotations")
    op.drop_table("project_counters")
