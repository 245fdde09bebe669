"""Speed (issue 17): cache epochs bumped by triggers.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07

``cache_epochs`` holds one number per kind of cached data (``core/db/epochs.py``): ``auth`` for
credentials, users, roles and project members; ``hooks`` for who listens to a project's events
(webhooks, ML backends and the training threshold, target storages). Triggers bump it in the
writing transaction, on both backends, whoever writes (any process, raw SQL included), so a
process serving from its cache learns of a change with one tiny read per request.

``users`` bumps on every column but ``last_activity`` (each sign-in sets it); ``webhooks``,
``ml_backends``, ``storages`` and ``projects`` only on the columns the stages read (not a
delivery lease, a backend's state, a sync status, a project's counters): a column added to ``users`` later must
be added to ``USER_COLUMNS`` by its migration. On SQLite a migration that
rebuilds one of these tables (batch mode) drops its triggers and must create them again.

The rows themselves are created at start-up with random values (``ensure_epochs``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

USER_COLUMNS = (
    "email", "username", "first_name", "last_name", "phone", "password_hash", "is_superuser", "is_active",
    "allow_newsletters", "custom_hotkeys", "date_joined", "credential_version", "id",
)
# What the webhook fan-out reads (deliveries update the lease columns: no bump for those).
WEBHOOK_COLUMNS = ("id", "organization_id", "project_id", "send_payload", "send_for_all_actions", "is_active", "actions")
# table -> (epoch, events)
WATCHED: dict[str, tuple[str, tuple[str, ...]]] = {
    "users": ("auth", ("UPDATE", "DELETE")),
    "api_tokens": ("auth", ("UPDATE", "DELETE")),
    "browser_sessions": ("auth", ("UPDATE", "DELETE")),
    "organization_memberships": ("auth", ("INSERT", "UPDATE", "DELETE")),
    "organization_settings": ("auth", ("INSERT", "UPDATE", "DELETE")),
    "project_members": ("auth", ("INSERT", "UPDATE", "DELETE")),
    "webhooks": ("hooks", ("INSERT", "UPDATE", "DELETE")),
    "ml_backends": ("hooks", ("INSERT", "UPDATE", "DELETE")),
    "storages": ("hooks", ("INSERT", "UPDATE", "DELETE")),
    "projects": ("hooks", ("INSERT", "UPDATE", "DELETE")),
}
PG_FUNCTION = """
CREATE FUNCTION labelloom_bump_cache_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE cache_epochs SET epoch = epoch + 1 WHERE name = TG_ARGV[0];
  RETURN NULL;
END $$;
"""


def _trigger_name(table: str, event: str) -> str:
    return f"{table}_cache_epoch_{event.lower()}"


def _event_clause(table: str, event: str) -> str:
    watched = {"users": USER_COLUMNS, "webhooks": WEBHOOK_COLUMNS, "ml_backends": ("id", "project_id"),
               "storages": ("id", "project_id", "role"),
               "projects": ("id", "min_annotations_to_start_training")}.get(table)
    if watched and event == "UPDATE":
        return f"UPDATE OF {', '.join(watched)}"
    return event


def upgrade() -> None:
    op.create_table(
        "cache_epochs",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("epoch", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_cache_epochs")),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute(PG_FUNCTION)
    for table, (epoch, events) in WATCHED.items():
        for event in events:
            name, clause = _trigger_name(table, event), _event_clause(table, event)
            if postgresql:
                op.execute(
                    f"CREATE TRIGGER {name} AFTER {clause} ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION labelloom_bump_cache_epoch('{epoch}')"
                )
            else:
                op.execute(
                    f"CREATE TRIGGER {name} AFTER {clause} ON {table} "
                    f"BEGIN UPDATE cache_epochs SET epoch = epoch + 1 WHERE name = '{epoch}'; END"
                )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, (_, events) in WATCHED.items():
        for event in events:
            op.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table, event)}" + (f" ON {table}" if postgresql else ""))
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS labelloom_bump_cache_epoch()")
    op.drop_table("cache_epochs")
