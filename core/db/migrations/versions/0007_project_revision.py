"""A revision number per project, bumped by PostgreSQL whenever the project's tasks change.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28

``project_counters.revision`` changes on every statement that inserts, updates or deletes the
project's tasks, annotations, predictions or drafts (statement-level triggers over transition
tables: one UPDATE per statement, however many rows). The data manager caches filtered totals
under it: scrolling a filtered view of a million tasks counts the matches once, not per page.

Values come from one sequence rather than ``revision + 1``: a project whose counters row is
recreated (a database emptied with TRUNCATE ... RESTART IDENTITY, ids reused) can never show
a revision some cache saw before. SQLite keeps the column at 0 and the data manager does not
cache there: row triggers on every annotation and prediction would tax bulk imports.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SEQUENCE = "project_revision_seq"
TABLES = ("tasks", "annotations", "predictions", "drafts")

PG_FUNCTION = f"""
CREATE FUNCTION labelloom_bump_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE project_counters SET revision = nextval('{SEQUENCE}')
    WHERE project_id IN (SELECT DISTINCT project_id FROM old_rows);
  ELSE
    UPDATE project_counters SET revision = nextval('{SEQUENCE}')
    WHERE project_id IN (SELECT DISTINCT project_id FROM new_rows);
  END IF;
  RETURN NULL;
END $$;
"""


def _triggers(table: str) -> list[str]:
    # A transition table can belong to one event only, hence three triggers per table.
    return [
        f"CREATE TRIGGER {table}_revision_{event.lower()} AFTER {event} ON {table} "
        f"REFERENCING {'OLD' if event == 'DELETE' else 'NEW'} TABLE AS "
        f"{'old_rows' if event == 'DELETE' else 'new_rows'} "
        "FOR EACH STATEMENT EXECUTE FUNCTION labelloom_bump_revision()"
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute(f"CREATE SEQUENCE {SEQUENCE}")
    op.add_column(
        "project_counters",
        sa.Column(
            "revision",
            sa.BigInteger(),
            nullable=False,
            server_default=sa.text(f"nextval('{SEQUENCE}')") if postgresql else sa.text("0"),
        ),
    )
    if postgresql:
        op.execute(PG_FUNCTION)
        for table in TABLES:
            for statement in _triggers(table):
                op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_revision_{event} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS labelloom_bump_revision()")
    with op.batch_alter_table("project_counters") as batch:
        batch.drop_column("revision")
    if postgresql:
        op.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")
