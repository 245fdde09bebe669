"""Data-manager columns: Label Studio's built-in task columns and the SQL behind each.

A column is either a scalar expression on the task row (``ScalarColumn``: stored counters,
dates, a ``data`` key) or a set of related rows (``RelatedColumn``: annotators, results...),
which filters test with ``EXISTS`` so a task never has to be joined to all its annotations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, String, Text, and_, case, cast, exists, func, literal_column, select
from sqlalchemy.sql.elements import ColumnElement

from ..annotations.models import Annotation, Draft
from ..comments.columns import COMMENT_COUNT, UNRESOLVED_COMMENT_COUNT, unread_comments
from ..predictions.models import Prediction
from ..quality.tasks import AGREEMENT_PERCENT
from ..review.columns import REVIEW_STATE, REVIEWS_ACCEPTED, REVIEWS_REJECTED
from ..tasks.models import Task
from ..teams.models import TaskAssignment
from .types import JSON_NUMBER, T


@dataclass(frozen=True)
class ScalarColumn:
    """A value of the task row itself: filters compare it, ordering sorts on it."""

    expr: ColumnElement[Any]
    counter: bool = False  # "empty" means 0 for counters, as in Label Studio


@dataclass(frozen=True)
class RelatedColumn:
    """Values of related rows (``model`` rows whose ``task_id`` is the task)."""

    model: Any
    value: ColumnElement[Any]
    order: ColumnElement[Any]  # one scalar per task to sort on


@dataclass(frozen=True)
class ColumnInfo:
    id: str
    title: str
    type: str
    help: str = ""
    explore: bool = True
    labeling: bool = False


def _related(model: Any, value: ColumnElement[Any], aggregate: Callable[..., Any]) -> RelatedColumn:
    order = select(aggregate(value)).where(model.task_id == Task.id).scalar_subquery()
    return RelatedColumn(model, value, order)


# Label Studio's order and types (reference §4.3); LSE-only columns are left out.
BUILTIN: tuple[ColumnInfo, ...] = (
    ColumnInfo("id", "ID", T.Number, "Task ID"),
    ColumnInfo("inner_id", "Inner ID", T.Number, "Internal task ID starting from 1 for the current project", explore=False),
    ColumnInfo("completed_at", "Completed", T.Datetime, "Last annotation date"),
    ColumnInfo("total_annotations", "Annotations", T.Number, "Total annotations per task"),
    ColumnInfo("cancelled_annotations", "Cancelled", T.Number, "Total cancelled (skipped) annotations"),
    ColumnInfo("total_predictions", "Predictions", T.Number, "Total predictions per task"),
    ColumnInfo("annotators", "Annotated by", T.List, "All users who completed the task"),
    ColumnInfo("assigned_annotators", "Assigned annotators", T.List, "Users assigned to annotate the task"),
    ColumnInfo("assigned_reviewers", "Assigned reviewers", T.List, "Users assigned to review the task", explore=False),
    ColumnInfo("annotations_results", "Annotation results", T.String, "Annotation results stacked over all annotations", explore=False),
    ColumnInfo("annotations_ids", "Annotation IDs", T.String, "Annotation IDs stacked over all annotations", explore=False),
    ColumnInfo("predictions_score", "Prediction score", T.Number, "Average prediction score over all task predictions", explore=False),
    ColumnInfo("predictions_model_versions", "Prediction model versions", T.List, "Model versions aggregated over all predictions", explore=False),
    ColumnInfo("predictions_results", "Prediction results", T.String, "Prediction results stacked over all predictions", explore=False),
    ColumnInfo("file_upload", "Upload filename", T.String, "Filename of uploaded file", explore=False),
    ColumnInfo("storage_filename", "Storage filename", T.String, "Filename from import storage", explore=False),
    ColumnInfo("created_at", "Created at", T.Datetime, "Task creation time", explore=False),
    ColumnInfo("updated_at", "Updated at", T.Datetime, "Task update time", explore=False),
    ColumnInfo("updated_by", "Updated by", T.List, "User who did the last task update", explore=False),
    ColumnInfo("avg_lead_time", "Lead Time", T.Number, "Average lead time over all annotations (seconds)", explore=False),
    ColumnInfo("draft_exists", "Drafts", T.Boolean, "True if at least one draft exists for the task", explore=False),
    # LSE's column: the stored mean pairwise agreement, in percent (core/quality).
    ColumnInfo("agreement", "Agreement", T.Number, "Mean agreement between the task's annotations (%)"),
    # LSE's review columns (core/review/columns.py); review_state: accepted, rejected, not_reviewed.
    ColumnInfo("reviews_accepted", "Reviews accepted", T.Number, "Number of accepting reviews of the task", explore=False),
    ColumnInfo("reviews_rejected", "Reviews rejected", T.Number, "Number of rejecting reviews of the task", explore=False),
    ColumnInfo("review_state", "Review state", T.String, "Verdict of the latest review of what the annotations say now", explore=False),
    # LSE's comment columns and the caller's unread comments (core/comments/columns.py).
    ColumnInfo("comment_count", "Comments", T.Number, "Number of comments on the task", explore=False),
    ColumnInfo("unresolved_comment_count", "Unresolved comments", T.Number, "Number of unresolved comments on the task", explore=False),
    ColumnInfo("unread_comments", "Unread comments", T.Number, "Comments by others you have not read yet (also marked beside the task ID)", explore=False),
)
BUILTIN_TYPES = {c.id: c.type for c in BUILTIN}

_ANNOTATION_RESULT = cast(Annotation.result, Text)
_PREDICTION_RESULT = cast(Prediction.result, Text)

SQL: dict[str, ScalarColumn | RelatedColumn] = {
    "id": ScalarColumn(Task.id),
    "inner_id": ScalarColumn(Task.inner_id),
    "completed_at": ScalarColumn(Task.completed_at),
    "total_annotations": ScalarColumn(Task.total_annotations, counter=True),
    "cancelled_annotations": ScalarColumn(Task.cancelled_annotations, counter=True),
    "total_predictions": ScalarColumn(Task.total_predictions, counter=True),
    "is_labeled": ScalarColumn(Task.is_labeled),
    "predictions_score": ScalarColumn(Task.predictions_score),
    "file_upload": ScalarColumn(Task.file_upload),
    "storage_filename": ScalarColumn(Task.storage_filename),
    "created_at": ScalarColumn(Task.created_at),
    "updated_at": ScalarColumn(Task.updated_at),
    "updated_by": ScalarColumn(Task.updated_by_id),
    "avg_lead_time": ScalarColumn(
        select(func.avg(Annotation.lead_time)).where(Annotation.task_id == Task.id).scalar_subquery()
    ),
    "draft_exists": ScalarColumn(exists().where(Draft.task_id == Task.id)),
    "agreement": ScalarColumn(AGREEMENT_PERCENT),
    "reviews_accepted": ScalarColumn(REVIEWS_ACCEPTED, counter=True),
    "reviews_rejected": ScalarColumn(REVIEWS_REJECTED, counter=True),
    "review_state": ScalarColumn(REVIEW_STATE),
    "comment_count": ScalarColumn(COMMENT_COUNT, counter=True),
    "unresolved_comment_count": ScalarColumn(UNRESOLVED_COMMENT_COUNT, counter=True),
    # LSE's column, in the SDK's ``Column`` list: some annotation of the task is ground truth.
    "ground_truth": ScalarColumn(exists().where(Annotation.task_id == Task.id, Annotation.ground_truth.is_(True))),
    "annotators": _related(Annotation, Annotation.completed_by_id, func.min),
    # Teams: one assignments table, told apart by type (the value is NULL for the other type).
    "assigned_annotators": _related(TaskAssignment, case((TaskAssignment.type == "AN", TaskAssignment.user_id)), func.min),
    "assigned_reviewers": _related(TaskAssignment, case((TaskAssignment.type == "RE", TaskAssignment.user_id)), func.min),
    "annotations_results": _related(Annotation, _ANNOTATION_RESULT, func.max),
    "annotations_ids": _related(Annotation, cast(Annotation.id, String), func.min),
    "predictions_results": _related(Prediction, _PREDICTION_RESULT, func.max),
    "predictions_model_versions": _related(Prediction, Prediction.model_version, func.min),
}

# Columns whose value depends on who asks: built from the requesting user's id (DMQuery.viewer).
PER_USER: dict[str, Callable[[int | None], ScalarColumn]] = {
    "unread_comments": lambda viewer: ScalarColumn(unread_comments(viewer), counter=True),
}


def column_sql(name: str, viewer: int | None = None) -> ScalarColumn | RelatedColumn | None:
    """The SQL of a built-in column (None: unknown), per-user ones for ``viewer``."""
    per_user = PER_USER.get(name)
    return per_user(viewer) if per_user is not None else SQL.get(name)


# Results are JSON: text search there must also match the JSON-escaped form of a value.
JSON_TEXT_COLUMNS = {"annotations_results", "predictions_results"}


# --------------------------------------------------------------------------------------------
# data.<key>: a key of the task's JSON data, per dialect
# --------------------------------------------------------------------------------------------

NUMBER_PATTERN = r"^\s*-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?\s*$"


@dataclass(frozen=True)
class DataKey:
    """SQL views of one ``data`` key: as text, as a number, as a boolean, presence, sort key."""

    text: ColumnElement[Any]
    number: ColumnElement[Any]
    boolean: ColumnElement[Any]
    present: ColumnElement[Any]
    order: ColumnElement[Any]


def quote_text(value: str) -> str:
    """A PostgreSQL string constant (standard_conforming_strings: only quotes are doubled)."""
    return "'" + value.replace("'", "''") + "'"


def data_key(key: str, dialect: str) -> DataKey:
    if dialect == "postgresql":
        return _postgres_key(key)
    return _sqlite_key(key)


def _postgres_key(key: str) -> DataKey:
    # ``data->'key'`` / ``data->>'key'`` with the key as a constant, not a parameter: only then
    # can the planner match the expression indexes built on them (``datamanager.indexes``).
    name = literal_column(quote_text(key), Text)
    raw = Task.data.op("->", return_type=Task.data.type)(name)
    text = Task.data.op("->>", return_type=Text)(name)
    kind = func.jsonb_typeof(raw)
    number = case(
        (kind == JSON_NUMBER, cast(text, Float)),
        # Imported CSV values are strings: Label Studio casts them to float as well.
        (and_(kind == "string", text.regexp_match(NUMBER_PATTERN)), cast(text, Float)),
        else_=None,
    )
    boolean = case((kind == "boolean", text == "true"), else_=None)
    return DataKey(text, number, boolean, raw.is_not(None), raw)


def _sqlite_key(key: str) -> DataKey:
    path = '$."' + key.replace('"', '\\"') + '"'
    value = func.json_extract(Task.data, path)
    kind = func.json_type(Task.data, path)
    text = case(
        (kind == "true", "true"), (kind == "false", "false"), (kind == "null", None), else_=cast(value, Text)
    )
    number = case(
        (kind.in_(("integer", "real")), cast(value, Float)),
        (and_(kind == "text", value.regexp_match(NUMBER_PATTERN)), cast(value, Float)),
        else_=None,
    )
    boolean = case((kind == "true", True), (kind == "false", False), else_=None)
    return DataKey(text, number, boolean, kind.is_not(None), value)
