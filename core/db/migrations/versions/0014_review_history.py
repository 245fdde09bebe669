"""Review, annotation history and comments (issue 23).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

``annotation_history`` is append-only: a trigger refuses every UPDATE on both backends (deletes
stay possible, so deleting a project or task still cascades).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _json() -> sa.types.TypeEngine:
    from sqlalchemy.dialects.postgresql import JSONB

    return sa.JSON().with_variant(JSONB(), "postgresql")


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "annotation_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("annotation_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("result", _json(), nullable=True),
        sa.Column("lead_time", sa.Float(), nullable=True),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        _fk("annotation_history", "task_id", "tasks", "CASCADE"),
        _fk("annotation_history", "project_id", "projects", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotation_history")),
    )
    op.create_index("ix_annotation_history_annotation_id_id", "annotation_history", ["annotation_id", "id"])
    op.create_index("ix_annotation_history_task_id", "annotation_history", ["task_id"])
    op.create_index("ix_annotation_history_project_id_id", "annotation_history", ["project_id", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION annotation_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'annotation_history is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER annotation_history_no_update BEFORE UPDATE ON annotation_history "
            "FOR EACH ROW EXECUTE FUNCTION annotation_history_append_only()"
        )
    else:
        op.execute(
            "CREATE TRIGGER annotation_history_no_update BEFORE UPDATE ON annotation_history "
            "BEGIN SELECT RAISE(ABORT, 'annotation_history is append-only'); END"
        )

    op.create_table(
        "annotation_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("annotation_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("result", _json(), nullable=True),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("previous_annotation_history_id", sa.Integer(), nullable=True),
        sa.Column("fixed_annotation_history_id", sa.Integer(), nullable=True),
        sa.Column("last_annotation_history_id", sa.Integer(), nullable=False),
        sa.Column("remove_from_queue", sa.Boolean(), nullable=False),
        sa.Column("started_at", TZ, nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        _fk("annotation_reviews", "annotation_id", "annotations", "CASCADE"),
        _fk("annotation_reviews", "task_id", "tasks", "CASCADE"),
        _fk("annotation_reviews", "project_id", "projects", "CASCADE"),
        _fk("annotation_reviews", "created_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotation_reviews")),
    )
    op.create_index(
        "ix_annotation_reviews_annotation_id_last_annotation_history_id", "annotation_reviews",
        ["annotation_id", "last_annotation_history_id"],
    )
    op.create_index("ix_annotation_reviews_task_id", "annotation_reviews", ["task_id"])
    op.create_index("ix_annotation_reviews_project_id_id", "annotation_reviews", ["project_id", "id"])

    op.create_table(
        "review_settings",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("required_reviews", sa.Integer(), nullable=False),
        sa.Column("requeue_rejected_tasks_to_annotator", sa.Boolean(), nullable=False),
        sa.Column("require_comment_on_reject", sa.Boolean(), nullable=False),
        sa.Column("review_only_manual_assignments", sa.Boolean(), nullable=False),
        sa.Column("anonymize_annotations", sa.Boolean(), nullable=False),
        sa.Column("show_instruction", sa.Boolean(), nullable=False),
        sa.Column("instruction", sa.Text(), nullable=False),
        sa.Column("review_criteria", sa.String(8), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        _fk("review_settings", "project_id", "projects", "CASCADE"),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_review_settings")),
    )

    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("annotation_id", sa.Integer(), nullable=True),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("region_ref", _json(), nullable=True),
        sa.Column("classifications", _json(), nullable=True),
        sa.Column("is_resolved", sa.Boolean(), nullable=False),
        sa.Column("resolved_at", TZ, nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        _fk("comments", "project_id", "projects", "CASCADE"),
        _fk("comments", "task_id", "tasks", "CASCADE"),
        _fk("comments", "annotation_id", "annotations", "SET NULL"),
        _fk("comments", "created_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    op.create_index("ix_comments_task_id_id", "comments", ["task_id", "id"])
    op.create_index("ix_comments_project_id_id", "comments", ["project_id", "id"])
    op.create_index("ix_comments_annotation_id", "comments", ["annotation_id"])

    op.create_table(
        "comment_reads",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("last_read_id", sa.Integer(), nullable=False),
        _fk("comment_reads", "user_id", "users", "CASCADE"),
        _fk("comment_reads", "task_id", "tasks", "CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "task_id", name=op.f("pk_comment_reads")),
    )


def downgrade() -> None:
    op.drop_table("comment_reads")
    op.drop_table("comments")
    op.drop_table("review_settings")
    op.drop_table("annotation_reviews")
    op.execute("DROP TRIGGER IF EXISTS annotation_history_no_update" + (
        " ON annotation_history" if op.get_bind().dialect.name == "postgresql" else ""))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS annotation_history_append_only()")
    op.drop_table("annotation_history")
