"""Speed (issue 17): does a project have any review, comment, draft, task assignment?

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07

Sticky flags on ``project_counters`` (``has_reviews``, ``has_comments``, ``has_drafts``,
``has_assignments``), set by triggers when the first row of a project is written to
``annotation_reviews`` / ``comments`` / ``drafts`` / ``task_assignments``, whoever writes it. A
page of tasks reads the counters row anyway: a project whose flags are false skips the queries
for those tables (many projects never have reviews, comments or assignments; API-fed ones no
drafts either). The flags are never cleared
(deleting every comment leaves ``true``): false means "certainly none", true means "ask".
The trigger's UPDATE only matches a row whose flag is still false, so after the first row
it writes nothing and takes no lock on the counters row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# flag column -> table whose rows set it
FLAGS = {"has_reviews": "annotation_reviews", "has_comments": "comments", "has_drafts": "drafts",
         "has_assignments": "task_assignments"}


def _pg_functions(flag: str) -> tuple[str, str]:
    """A statement-level function over the inserted rows, and a row-level one for a row moved
    to another project (PostgreSQL allows no transition table with a column list)."""
    return (
        f"""CREATE FUNCTION labelloom_flag_{flag}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE project_counters SET {flag} = true
  WHERE NOT {flag} AND project_id IN (SELECT DISTINCT project_id FROM new_rows);
  RETURN NULL;
END $$;""",
        f"""CREATE FUNCTION labelloom_flag_{flag}_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE project_counters SET {flag} = true WHERE NOT {flag} AND project_id = NEW.project_id;
  RETURN NULL;
END $$;""",
    )


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for flag, table in FLAGS.items():
        op.add_column("project_counters", sa.Column(flag, sa.Boolean(), nullable=False, server_default=sa.false()))
        # Existing projects: true when they have such a row now.
        op.execute(
            f"UPDATE project_counters SET {flag} = "
            f"EXISTS (SELECT 1 FROM {table} r WHERE r.project_id = project_counters.project_id)"
        )
        if postgresql:
            for function in _pg_functions(flag):
                op.execute(function)
            op.execute(
                f"CREATE TRIGGER {table}_{flag}_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
                f"FOR EACH STATEMENT EXECUTE FUNCTION labelloom_flag_{flag}()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_{flag}_move AFTER UPDATE OF project_id ON {table} FOR EACH ROW "
                f"WHEN (OLD.project_id IS DISTINCT FROM NEW.project_id) EXECUTE FUNCTION labelloom_flag_{flag}_row()"
            )
        else:
            for event, name in (("INSERT", "insert"), ("UPDATE OF project_id", "move")):
                op.execute(
                    f"CREATE TRIGGER {table}_{flag}_{name} AFTER {event} ON {table} BEGIN "
                    f"UPDATE project_counters SET {flag} = 1 WHERE project_id = NEW.project_id AND NOT {flag}; END"
                )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for flag, table in FLAGS.items():
        for name in ("insert", "move"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_{flag}_{name}" + (f" ON {table}" if postgresql else ""))
        if postgresql:
            op.execute(f"DROP FUNCTION IF EXISTS labelloom_flag_{flag}()")
            op.execute(f"DROP FUNCTION IF EXISTS labelloom_flag_{flag}_row()")
        with op.batch_alter_table("project_counters") as batch:
            batch.drop_column(flag)
