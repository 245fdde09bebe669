"""Task, annotation, draft and prediction JSON in Label Studio's shapes.

Lists are built from a handful of batched queries (one per related table), never per task.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Row, bindparam, null, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from ..annotations.models import Annotation, Draft
from ..host import PluginHost
from ..predictions.models import Prediction
from ..teams.models import TaskAssignment
from .models import Task

PASS_THROUGH_SCHEMES = ("http://", "https://", "data:", "/")
ID_CHUNK = 5000  # task ids per drafts-and-assignments statement


class _Attributes:
    """An ORM object (or any object) read by column name, like a row's mapping."""

    __slots__ = ("obj",)

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __getitem__(self, name: str) -> Any:
        return getattr(self.obj, name)


def columns_of(obj: Any) -> Any:
    """``obj``'s columns by name: a Core row's mapping, else its attributes. A page reads rows:
    a row's attribute costs ~0.7 us per column read (SQLAlchemy 2.1), its mapping ~0.1 us, and
    a page of 100 tasks reads thousands (issue 17)."""
    if isinstance(obj, Row):
        return obj._mapping
    if isinstance(obj, (Mapping, _Attributes)):  # a row's mapping already, or a dict
        return obj
    return _Attributes(obj)


def annotation_json(annotation: Annotation | Any) -> dict[str, Any]:
    a = columns_of(annotation)
    return {
        "id": a["id"],
        "result": a["result"],
        "task": a["task_id"],
        "project": a["project_id"],
        "completed_by": a["completed_by_id"],
        "updated_by": a["updated_by_id"],
        "last_created_by": a["completed_by_id"],
        "was_cancelled": a["was_cancelled"],
        "ground_truth": a["ground_truth"],
        "lead_time": a["lead_time"],
        "created_at": a["created_at"],
        "updated_at": a["updated_at"],
        "draft_created_at": a["draft_created_at"],
        "parent_prediction": a["parent_prediction_id"],
        "parent_annotation": a["parent_annotation_id"],
        "import_id": a["import_id"],
        "last_action": a["last_action"],
        "bulk_created": False,
    }


def draft_json(draft: Draft | Any) -> dict[str, Any]:
    d = columns_of(draft)
    return {
        "id": d["id"],
        "result": d["result"],
        "lead_time": d["lead_time"],
        "task": d["task_id"],
        "annotation": d["annotation_id"],
        "user": d["user_id"],
        "was_postponed": d["was_postponed"],
        "import_id": d["import_id"],
        "created_at": d["created_at"],
        "updated_at": d["updated_at"],
    }


def prediction_json(prediction: Prediction | Any) -> dict[str, Any]:
    p = columns_of(prediction)
    return {
        "id": p["id"],
        "result": p["result"],
        "score": p["score"],
        "model_version": p["model_version"],
        "task": p["task_id"],
        "project": p["project_id"],
        "cluster": p["cluster"],
        "neighbors": p["neighbors"],
        "mislabeling": p["mislabeling"],
        "created_at": p["created_at"],
        "updated_at": p["updated_at"],
    }


def resolve_data(data: dict[str, Any], host: PluginHost, project_id: int) -> dict[str, Any]:
    """Rewrite storage URIs (s3://, gs:// ...) into URLs the browser can load, via plugins."""
    resolved = _resolved(data, host, project_id)
    return data if resolved is None else resolved


def _resolved(value: Any, host: PluginHost, project_id: int) -> Any:
    """``value`` with its storage URIs resolved, nested lists and objects included (Label
    Studio resolves them anywhere in the data); None when nothing changed (no copy made).
    Plain members are tested inline, not by a call each: a page resolves every value of every
    task, and the calls showed in its profile."""
    if isinstance(value, str):
        return _resolved_uri(value, host, project_id)
    if isinstance(value, dict):
        changed = None
        for key, item in value.items():
            if isinstance(item, str):
                if "://" not in item[:24]:
                    continue
                new = _resolved_uri(item, host, project_id)
            elif isinstance(item, (dict, list)):
                new = _resolved(item, host, project_id)
            else:
                continue
            if new is not None:
                changed = changed or dict(value)
                changed[key] = new
        return changed
    if isinstance(value, list):
        changed_list = None
        for index, item in enumerate(value):
            if isinstance(item, str):
                if "://" not in item[:24]:
                    continue
                new = _resolved_uri(item, host, project_id)
            elif isinstance(item, (dict, list)):
                new = _resolved(item, host, project_id)
            else:
                continue
            if new is not None:
                changed_list = changed_list or list(value)
                changed_list[index] = new
        return changed_list
    return None


def _resolved_uri(value: str, host: PluginHost, project_id: int) -> Any:
    if "://" in value[:24] and not value.startswith(PASS_THROUGH_SCHEMES):
        return host.resolve_media_url(value, project_id)
    return None


def task_json(task: Task | Any, data: dict[str, Any]) -> dict[str, Any]:
    """``task``: an ORM task, a row, or either's ``columns_of``."""
    return _task_json(columns_of(task), data)


def _task_json(t: Any, data: dict[str, Any]) -> dict[str, Any]:
    updated_by = t["updated_by_id"]
    return {
        "id": t["id"],
        "data": data,
        "meta": t["meta"] or {},
        "created_at": t["created_at"],
        "updated_at": t["updated_at"],
        "is_labeled": t["is_labeled"],
        "overlap": t["overlap"],
        "inner_id": t["inner_id"],
        "total_annotations": t["total_annotations"],
        "cancelled_annotations": t["cancelled_annotations"],
        "total_predictions": t["total_predictions"],
        "completed_at": t["completed_at"],
        "predictions_score": t["predictions_score"],
        "project": t["project_id"],
        "file_upload": t["file_upload"],
        "storage_filename": t["storage_filename"],
        "updated_by": [{"user_id": updated_by}] if updated_by else [],
        "comment_count": 0,
        "unresolved_comment_count": 0,
        "last_comment_updated_at": None,
        "comment_authors": [],
    }


async def tasks_json(
    db: AsyncSession,
    host: PluginHost,
    tasks: Sequence[Task | Any],
    *,
    user_id: int,
    full: bool,
    resolve_uri: bool,
    only_user_annotations: bool = False,
    drafts_or_assignments: bool = True,
) -> list[dict[str, Any]]:
    """Serialise a page of tasks with their derived data-manager fields in at most three extra
    queries (annotations, predictions, then drafts and assignments together); tables the page's
    own counters show to be empty for it are not asked, nor drafts and assignments when the
    caller knows the project has none (``drafts_or_assignments=False``: its counters' flags)."""
    columns = [columns_of(t) for t in tasks]
    ids = [t["id"] for t in columns]
    annotations: dict[int, list[Any]] = defaultdict(list)
    predictions: dict[int, list[Any]] = defaultdict(list)
    drafts: dict[int, list[Any]] = defaultdict(list)
    assigned: dict[tuple[int, str], list[int]] = {}
    if ids:
        # Plain rows, not ORM objects: a page is read-only and this is the hottest endpoint.
        # Rows are read through their mappings (``columns_of``).
        a_table, p_table = Annotation.__table__, Prediction.__table__
        if any(t["total_annotations"] or t["cancelled_annotations"] for t in columns):
            query = select(a_table).where(a_table.c.task_id.in_(ids)).order_by(a_table.c.id)
            if only_user_annotations:
                query = query.where(a_table.c.completed_by_id == user_id)
            for a in (await db.execute(query)).mappings():
                annotations[a["task_id"]].append(a)
        if any(t["total_predictions"] for t in columns):
            query = select(p_table).where(p_table.c.task_id.in_(ids)).order_by(p_table.c.id)
            for p in (await db.execute(query)).mappings():
                predictions[p["task_id"]].append(p)
        # The ids appear twice in this statement: chunked, to stay under SQLite's parameter limit.
        chunks = range(0, len(ids), ID_CHUNK) if drafts_or_assignments else ()
        for start in chunks:
            chunk_ids = ids[start : start + ID_CHUNK]
            if len(chunk_ids) == 1:  # one task (next, a task view): no expanding list to render
                statement, params = _DRAFTS_AND_ASSIGNEES_ONE, {"id": chunk_ids[0], "user_id": user_id}
            else:
                statement, params = _DRAFTS_AND_ASSIGNEES, {"ids": chunk_ids, "user_id": user_id}
            for row in (await db.execute(statement, params)).mappings():
                if row["kind"] is None:
                    drafts[row["task_id"]].append(row)
                else:
                    assigned.setdefault((row["task_id"], row["kind"]), []).append(row["user_id"])
    out = []
    for task in columns:
        task_id = task["id"]
        data = resolve_data(task["data"], host, task["project_id"]) if resolve_uri else task["data"]
        item = _task_json(task, data)
        # Most tasks of a page have no annotations or predictions: their fields are constants.
        task_annotations = annotations.get(task_id, ())
        avg_lead_time = None
        if task_annotations:
            lead_times = [a["lead_time"] for a in task_annotations if a["lead_time"] is not None]
            avg_lead_time = sum(lead_times) / len(lead_times) if lead_times else None
            item["annotators"] = sorted({a["completed_by_id"] for a in task_annotations if a["completed_by_id"]})
            item["annotations_ids"] = ", ".join(str(a["id"]) for a in task_annotations)
            item["annotations_results"] = _results_text(a["result"] for a in task_annotations)
        else:
            item["annotators"], item["annotations_ids"], item["annotations_results"] = [], "", ""
        task_predictions = predictions.get(task_id, ())
        if task_predictions:
            item["predictions_results"] = _results_text(p["result"] for p in task_predictions)
            item["predictions_model_versions"] = sorted({p["model_version"] for p in task_predictions})
        else:
            item["predictions_results"], item["predictions_model_versions"] = "", []
        task_drafts = drafts.get(task_id, ())
        item["avg_lead_time"] = avg_lead_time
        item["draft_exists"] = bool(task_drafts)
        item["assigned_annotators"] = assigned.get((task_id, "AN"), [])
        item["assigned_reviewers"] = assigned.get((task_id, "RE"), [])
        if full:
            item["annotations"] = [annotation_json(a) for a in task_annotations]
            item["predictions"] = [prediction_json(p) for p in task_predictions]
            item["drafts"] = [draft_json(d) for d in task_drafts]
        out.append(item)
    return out


def _drafts_and_assignees_statement(one: bool) -> Any:
    """One statement for two small tables every page reads: the user's drafts (``kind`` NULL)
    and the tasks' assignments (``kind`` 'AN'/'RE', draft-only columns NULL), each in id order.
    Saves a round trip per request; the first SELECT gives the columns their types. Built once
    with bound parameters (``ids`` expanding, or ``id`` for one task: rendering an expanding
    list costs more than running the statement; and ``user_id``)."""
    d, a = Draft.__table__.c, TaskAssignment.__table__.c

    def of_tasks(column: Any) -> Any:
        return column == bindparam("id") if one else column.in_(bindparam("ids", expanding=True))

    drafts = select(
        d.id, d.task_id, d.user_id, d.annotation_id, d.result, d.lead_time, d.was_postponed,
        d.import_id, d.created_at, d.updated_at, null().label("kind"),
    ).where(of_tasks(d.task_id), d.user_id == bindparam("user_id"))
    assignments = select(
        a.id, a.task_id, a.user_id, null(), null(), null(), null(), null(), null(), null(), a.type,
    ).where(of_tasks(a.task_id))
    both = union_all(drafts, assignments).subquery()
    return select(both).order_by(both.c.id)


_DRAFTS_AND_ASSIGNEES = _drafts_and_assignees_statement(one=False)
_DRAFTS_AND_ASSIGNEES_ONE = _drafts_and_assignees_statement(one=True)


def _results_text(results: Any) -> str:
    """The labels and texts of results, as the data manager shows them in one cell."""
    parts: list[str] = []
    for result in results:
        for item in result or []:
            value = item.get("value") if isinstance(item, dict) else None
            if isinstance(value, dict):
                chosen = value.get(item.get("type"))
                if isinstance(chosen, list):
                    parts.extend(str(v) for v in chosen)
                elif chosen is not None:
                    parts.append(str(chosen))
    return ", ".join(parts)
