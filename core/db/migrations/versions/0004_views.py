"""Data-manager views.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

The ``views`` table (data-manager tabs). On PostgreSQL, trigram indexes on the text of
annotation and prediction results, so "results contain <label>" filters (``ILIKE`` on
``result::text``) do not scan every result; skipped where the pg_trgm extension cannot be
created (the filters still work, unindexed).

Partial indexes on the annotations' ``parent_*`` foreign keys: deleting annotations or
predictions (bulk actions, cascades from deleted tasks) sets those references to NULL, and
without an index each deleted row scanned the whole annotations table.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

TRIGRAM_INDEXES = {
    "ix_annotations_result_trgm": "annotations",
    "ix_predictions_result_trgm": "predictions",
}

PARENT_INDEXES = {
    "ix_annotations_parent_annotation_id": "parent_annotation_id",
    "ix_annotations_parent_prediction_id": "parent_prediction_id",
}

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("order", sa.Integer(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_views_project_id_projects"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_views_user_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_views")),
    )
    with op.batch_alter_table("views", schema=None) as batch_op:
        batch_op.create_index("ix_views_project_id_order", ["project_id", "order"], unique=False)
    for name, column in PARENT_INDEXES.items():
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(name, "annotations", [column], postgresql_where=where, sqlite_where=where)
    if op.get_bind().dialect.name == "postgresql":
        _create_trigram_indexes()


def _create_trigram_indexes() -> None:
    bind = op.get_bind()
    try:
        with bind.begin_nested():  # a refused extension must not abort the migration
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as exc:
        log.warning("pg_trgm unavailable, result text filters stay unindexed: %s", exc.orig)
        return
    for name, table in TRIGRAM_INDEXES.items():
        bind.execute(sa.text(f"CREATE INDEX {name} ON {table} USING gin ((result::text) gin_trgm_ops)"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    for name in PARENT_INDEXES:
        op.drop_index(name, table_name="annotations")
    with op.batch_alter_table("views", schema=None) as batch_op:
        batch_op.drop_index("ix_views_project_id_order")
    op.drop_table("views")
