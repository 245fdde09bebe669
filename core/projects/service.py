"""Projects: create, change and delete them; their counters and config."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import msgspec
from sqlalchemy import Select, false, func, insert, literal, null, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from ..annotations.models import Annotation, Draft
from ..db.base import UTCDateTime
from ..errors import NotFound, ValidationFailed
from ..events import record_event
from ..labelconfig import ParsedConfig, parse_config, removed_in_use, used_in_results
from ..registries import Registries
from ..tasks.counters import apply_project_overlap
from ..tasks.models import Task
from ..users.models import User
from ..users.schemas import ORGANIZATION_ID
from . import payloads
from .models import DEFAULT_LABEL_CONFIG, Project, ProjectCounters
from .schemas import COUNTER_FIELDS, DUPLICATE_MODES, SAMPLING, SKIP_QUEUE, DuplicateIn, ProjectOut, ProjectWrite, Summary, UserRef

ORDERABLE = {"id", "title", "created_at", "updated_at", "pinned_at"}


@lru_cache(maxsize=512)
def _parse_cached(label_config: str, registries: Registries) -> ParsedConfig:
    return parse_config(label_config, registries)


def parsed_config(project: Project, registries: Registries) -> ParsedConfig:
    """The project's parsed config; parsing is cached by config text (configs rarely change)."""
    return _parse_cached(project.label_config, registries)


async def lock_project(db: AsyncSession, project_id: int) -> None:
    """Take the project row's write lock for the rest of the transaction.

    Writers that touch many of a project's tasks take it first, in the same order as the label
    stream, so they queue behind each other instead of deadlocking on task rows.
    """
    await db.execute(
        update(Project)
        .where(Project.id == project_id)
        .values(next_inner_id=Project.next_inner_id, updated_at=Project.updated_at),
        execution_options={"synchronize_session": False},
    )


async def lock_counters(db: AsyncSession | AsyncConnection, project_id: int) -> None:
    """PostgreSQL: take the project's ``project_counters`` row before touching its task rows.

    Every write to tasks, annotations or predictions ends in the statement triggers that rewrite
    that row. Writers that lock task rows first and the counters row last (through the triggers)
    deadlock with writers that go the other way round, so every multi-row writer (quality jobs,
    deletes) takes the counters row first and they queue instead."""
    dialect = db.dialect if isinstance(db, AsyncConnection) else db.bind.dialect
    if dialect.name == "postgresql":
        await db.execute(
            select(ProjectCounters.project_id).where(ProjectCounters.project_id == project_id).with_for_update()
        )


async def get_project(db: AsyncSession, project_id: int) -> Project:
    project = await db.get(Project, project_id)
    if project is None:
        raise NotFound(f"Project {project_id} not found.")
    return project


def _check_settings(changes: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if "sampling" in changes and changes["sampling"] not in SAMPLING:
        errors["sampling"] = [f"must be one of: {', '.join(SAMPLING)}"]
    if "skip_queue" in changes and changes["skip_queue"] not in SKIP_QUEUE:
        errors["skip_queue"] = [f"must be one of: {', '.join(SKIP_QUEUE)}"]
    if "maximum_annotations" in changes and changes["maximum_annotations"] < 1:
        errors["maximum_annotations"] = ["must be at least 1"]
    if "overlap_cohort_percentage" in changes and not 0 <= changes["overlap_cohort_percentage"] <= 100:
        errors["overlap_cohort_percentage"] = ["must be between 0 and 100"]
    if "title" in changes and len(changes["title"]) > 200:
        errors["title"] = ["must be at most 200 characters"]
    if errors:
        detail = "; ".join(f"{k}: {v[0]}" for k, v in errors.items())
        raise ValidationFailed(detail, validation_errors=errors)


def _changes(data: ProjectWrite) -> dict[str, Any]:
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    # Label Studio accepts nulls for text fields and stores them as empty strings.
    for key in ("description", "expert_instruction", "model_version", "color"):
        if key in changes and changes[key] is None:
            changes[key] = "" if key != "color" else "#FFFFFF"
    if "start_training_on_annotation_update" in changes:
        flag = changes.pop("start_training_on_annotation_update")
        changes.setdefault("min_annotations_to_start_training", 1 if flag else 0)
    if "control_weights" in changes and changes["control_weights"] is None:
        changes["control_weights"] = {}
    return changes


async def create_project(db: AsyncSession, registries: Registries, user: User, data: ProjectWrite) -> Project:
    changes = _changes(data)
    _check_settings(changes)
    config = changes.get("label_config") or DEFAULT_LABEL_CONFIG
    parsed = _parse_cached(config, registries)
    project = Project(created_by_id=user.id, **{**changes, "label_config": config})
    project.parsed_config = parsed.summary()
    db.add(project)
    await db.flush()
    record_event(db, "PROJECT_CREATED", payloads.project(project))
    return project


async def update_project(db: AsyncSession, registries: Registries, project: Project, data: ProjectWrite) -> Project:
    changes = _changes(data)
    _check_settings(changes)
    new_config = changes.get("label_config")
    if new_config is not None and new_config != project.label_config:
        parsed = _parse_cached(new_config, registries)
        await check_config_keeps_annotations(db, project, parsed)
        project.parsed_config = parsed.summary()
    overlap_changed = "maximum_annotations" in changes and changes["maximum_annotations"] != project.maximum_annotations
    for key, value in changes.items():
        setattr(project, key, value)
    await db.flush()
    if overlap_changed:
        await apply_project_overlap(db, project)
    record_event(db, "PROJECT_UPDATED", payloads.project(project))
    return project


async def check_config_keeps_annotations(db: AsyncSession, project: Project, parsed: ParsedConfig) -> None:
    """Refuse a new config that would orphan existing annotation results (Label Studio's rule)."""
    used = used_in_results([])
    query = select(Annotation.result).where(Annotation.project_id == project.id)
    stream = await db.stream_scalars(query.execution_options(yield_per=1000))
    async for result in stream:
        used.add(result or [])
    problems = removed_in_use(parsed, used)
    if problems:
        raise ValidationFailed(
            "Created annotations use labels or tags that the new config removes: " + "; ".join(problems),
            validation_errors={"label_config": problems},
        )


# Columns a duplicate does not take from its source: identity, ownership, time, numbering.
_NOT_COPIED = {"id", "created_by_id", "created_at", "updated_at", "pinned_at", "next_inner_id"}


async def duplicate_project(db: AsyncSession, source: Project, user: User, data: DuplicateIn) -> Project:
    """A new project with the source's settings and, if asked, a copy of its tasks' data.

    Tasks are copied by one INSERT ... SELECT (no rows through Python), keeping their inner ids;
    annotations, predictions and drafts stay with the source, so the copies start unlabeled.
    """
    if data.mode not in DUPLICATE_MODES:
        raise ValidationFailed(
            f"Unknown duplicate mode {data.mode!r}; use settings_only or settings_and_tasks.",
            validation_errors={"mode": [f"must be one of: {', '.join(DUPLICATE_MODES)}"]},
        )
    title = (data.title if data.title is not None else f"{source.title} (copy)").strip()
    if not title:
        raise ValidationFailed("The title cannot be empty.", validation_errors={"title": ["This field may not be blank."]})
    _check_settings({"title": title})
    values = {c.key: getattr(source, c.key) for c in Project.__table__.columns if c.key not in _NOT_COPIED}
    project = Project(**values, created_by_id=user.id)
    project.title = title
    if data.description is not None:
        project.description = data.description
    db.add(project)
    await db.flush()
    if DUPLICATE_MODES[data.mode]:
        await _copy_tasks(db, source, project)
    record_event(db, "PROJECT_CREATED", payloads.project(project))
    return project


async def _copy_tasks(db: AsyncSession, source: Project, target: Project) -> None:
    now = literal(datetime.now(UTC), UTCDateTime())
    columns = {
        "project_id": literal(target.id),
        "inner_id": Task.inner_id,
        "data": Task.data,
        "meta": Task.meta,
        "overlap": Task.overlap,
        "is_labeled": false(),
        "total_annotations": literal(0),
        "cancelled_annotations": literal(0),
        "total_predictions": literal(0),
        "completed_at": null(),
        "predictions_score": null(),
        "file_upload": Task.file_upload,
        "storage_filename": Task.storage_filename,
        "updated_by_id": null(),
        "created_at": now,
        "updated_at": now,
    }
    rows = select(*columns.values()).where(Task.project_id == source.id).order_by(Task.id)
    await db.execute(insert(Task).from_select(list(columns), rows))
    # New tasks are counted by their creator, not by a trigger (migration 0003). The count is
    # read back in SQL: drivers do not all report INSERT ... SELECT row counts.
    copied = select(func.count()).where(Task.project_id == target.id).scalar_subquery()
    await db.execute(
        update(ProjectCounters).where(ProjectCounters.project_id == target.id).values(task_number=copied),
        execution_options={"synchronize_session": False},
    )
    target.next_inner_id = source.next_inner_id
    await db.flush()


async def delete_project(db: AsyncSession, project: Project) -> None:
    project_id = project.id
    await db.delete(project)
    await db.flush()
    record_event(db, "PROJECT_DELETED", payloads.project_deleted(project_id), project_id=project_id)


# -- counters ---------------------------------------------------------------------------------
async def counters(db: AsyncSession, project_ids: list[int]) -> dict[int, dict[str, int]]:
    """Label Studio's project counters: stored sums (kept by triggers) plus ground truths."""
    if not project_ids:
        return {}
    stored = select(ProjectCounters.project_id, *(getattr(ProjectCounters, name) for name in STORED_COUNTERS)).where(
        ProjectCounters.project_id.in_(project_ids)
    )
    ground_truth_query = (
        select(Annotation.project_id, func.count())
        .where(
            Annotation.project_id.in_(project_ids),
            Annotation.ground_truth.is_(True),
            Annotation.was_cancelled.is_(False),
        )
        .group_by(Annotation.project_id)
    )
    result = {pid: dict.fromkeys(COUNTER_FIELDS, 0) for pid in project_ids}
    for row in await db.execute(stored):
        result[row[0]].update(zip(STORED_COUNTERS, row[1:]))
    if any(values["total_annotations_number"] for values in result.values()):  # no annotation, no ground truth
        for pid, ground_truth in await db.execute(ground_truth_query):
            result[pid]["ground_truth_number"] = ground_truth
    for values in result.values():
        values["useful_annotation_number"] = values["total_annotations_number"] - values["ground_truth_number"]
    return result


STORED_COUNTERS = (
    "task_number",
    "finished_task_number",
    "total_annotations_number",
    "skipped_annotations_number",
    "total_predictions_number",
    "num_tasks_with_annotations",
)


async def queue_progress(db: AsyncSession, project: Project, user: User, counts: dict[str, int]) -> tuple[int, int]:
    """(queue_total, queue_done) for the current user: tasks in the project and those they did
    (not asked when the project's counters show no annotation at all)."""
    task_number = counts["task_number"]
    if not counts["total_annotations_number"] and not counts["skipped_annotations_number"]:
        return task_number, 0
    done = (
        await db.execute(
            select(func.count(func.distinct(Annotation.task_id))).where(
                Annotation.project_id == project.id, Annotation.completed_by_id == user.id
            )
        )
    ).scalar_one()
    return task_number, done


def suitable_for_bulk_annotation(summary: dict[str, Any], registries: Registries) -> bool:
    """Label Studio's flag: every control classifies the whole task (draws no regions)."""
    specs = [registries.tags.get(str(control.get("type", ""))) for control in summary.values()]
    return bool(specs) and all(spec is not None and spec.region is None for spec in specs)


def project_out(project: Project, counts: dict[str, int] | None, creator: User | None, registries: Registries) -> ProjectOut:
    summary = project.parsed_config or {}
    counts = counts or {}
    return ProjectOut(
        id=project.id,
        title=project.title,
        description=project.description,
        label_config=project.label_config,
        parsed_label_config=summary,
        expert_instruction=project.expert_instruction,
        show_instruction=project.show_instruction,
        show_skip_button=project.show_skip_button,
        enable_empty_annotation=project.enable_empty_annotation,
        show_annotation_history=project.show_annotation_history,
        show_collab_predictions=project.show_collab_predictions,
        reveal_preannotations_interactively=project.reveal_preannotations_interactively,
        evaluate_predictions_automatically=project.evaluate_predictions_automatically,
        maximum_annotations=project.maximum_annotations,
        overlap_cohort_percentage=project.overlap_cohort_percentage,
        show_overlap_first=project.show_overlap_first,
        show_ground_truth_first=project.show_ground_truth_first,
        sampling=project.sampling,
        skip_queue=project.skip_queue,
        model_version=project.model_version,
        min_annotations_to_start_training=project.min_annotations_to_start_training,
        start_training_on_annotation_update=project.min_annotations_to_start_training > 0,
        control_weights=project.control_weights or {},
        color=project.color,
        is_published=project.is_published,
        is_draft=project.is_draft,
        task_data_login=project.task_data_login,
        task_data_password=project.task_data_password,
        pinned_at=project.pinned_at,
        organization=ORGANIZATION_ID,
        created_by=UserRef(creator.id, creator.first_name, creator.last_name, creator.email) if creator else None,
        created_at=project.created_at,
        updated_at=project.updated_at,
        config_has_control_tags=bool(summary),
        config_suitable_for_bulk_annotation=suitable_for_bulk_annotation(summary, registries),
        **counts,
    )


async def users_by_id(db: AsyncSession, ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {u.id: u for u in (await db.execute(select(User).where(User.id.in_(ids)))).scalars()}


def list_query(*, ids: list[int] | None, title: str | None, pinned: str | None, ordering: str | None) -> Select[Any]:
    query = select(Project)
    if ids:
        query = query.where(Project.id.in_(ids))
    if title:
        # Case-insensitive "contains" with % and _ matched literally, not as wildcards.
        query = query.where(Project.title.icontains(title, autoescape=True))
    if pinned == "pinned_only":
        query = query.where(Project.pinned_at.is_not(None))
    elif pinned == "exclude_pinned":
        query = query.where(Project.pinned_at.is_(None))
    orderings = []
    for field in (ordering or "-id").split(","):
        field = field.strip()
        name = field.lstrip("-")
        if name not in ORDERABLE:
            raise ValidationFailed(
                f"Cannot order projects by {name!r}; use one of {', '.join(sorted(ORDERABLE))}.",
                validation_errors={"ordering": [f"unknown field {name!r}"]},
            )
        column = getattr(Project, name)
        orderings.append(column.desc() if field.startswith("-") else column.asc())
    return query.order_by(*orderings, Project.id.desc())


def parse_ids(ids: str | None) -> list[int] | None:
    """The ``ids`` query parameter (comma-separated) as a list, None when absent."""
    return [int(i) for i in ids.split(",") if i.strip().isdigit()] if ids else None


async def page_of_projects(db: AsyncSession, query: Select[Any], page: int, page_size: int) -> tuple[list[Project], int]:
    """One page of ``query`` and the number of projects it matches."""
    total = (await db.execute(select(func.count()).select_from(query.order_by(None).subquery()))).scalar_one()
    projects = list((await db.execute(query.limit(page_size).offset((page - 1) * page_size))).scalars())
    return projects, total


async def summary(db: AsyncSession, project: Project) -> Summary:
    """Data columns seen in tasks, and how often each control and label is used."""
    columns: Counter[str] = Counter()
    tasks = 0
    stream = await db.stream_scalars(
        select(Task.data).where(Task.project_id == project.id).execution_options(yield_per=2000)
    )
    common: set[str] | None = None
    async for data in stream:
        keys = set(data or {})
        columns.update(keys)
        common = keys if common is None else common & keys
        tasks += 1
    created_annotations: Counter[str] = Counter()
    created_labels: dict[str, Counter[str]] = {}
    drafts_labels: dict[str, Counter[str]] = {}
    for model, target, per_label in (
        (Annotation, created_annotations, created_labels),
        (Draft, None, drafts_labels),
    ):
        stream = await db.stream_scalars(
            select(model.result).where(model.project_id == project.id).execution_options(yield_per=1000)
        )
        async for result in stream:
            for item in result or []:
                if not isinstance(item, dict) or "from_name" not in item:
                    continue
                key = f"{item.get('from_name')}|{item.get('to_name')}|{item.get('type')}"
                if target is not None:
                    target[key] += 1
                value = item.get("value") or {}
                labels = value.get(item.get("type")) if isinstance(value, dict) else None
                if isinstance(labels, list):
                    counter = per_label.setdefault(str(item["from_name"]), Counter())
                    counter.update(str(label) for label in labels if isinstance(label, str))
    return Summary(
        id=project.id,
        project=project.id,
        all_data_columns=dict(columns),
        common_data_columns=sorted(common or ()),
        created_annotations=dict(created_annotations),
        created_labels={k: dict(v) for k, v in created_labels.items()},
        created_labels_drafts={k: dict(v) for k, v in drafts_labels.items()},
        created_at=project.created_at,
    )
