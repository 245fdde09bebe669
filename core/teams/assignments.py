"""Task assignment: who annotates (``AN``) or reviews (``RE``) which task; set-based statements
over any task-id subquery (a data-manager selection), never a loop over tasks.

A project distributes its tasks ``auto_distribution`` (the label stream hands any task with
room to whoever asks; the default) or ``assigned_only`` (the stream serves a user only the tasks
assigned to them to annotate).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, case, column, delete, exists, func, insert, literal, select, table, true
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import ValidationFailed
from ..input_limits import check_ids
from ..users.models import User
from .models import ProjectAssignmentSettings, ProjectMember, TaskAssignment
from .visibility import ANNOTATE, REVIEW

TYPES = {ANNOTATE: "Annotate", REVIEW: "Review"}
AUTO = "auto_distribution"
ASSIGNED_ONLY = "assigned_only"
DISTRIBUTIONS = (AUTO, ASSIGNED_ONLY)

_TASKS = table("tasks", column("id"), column("project_id"))


def _now() -> Any:
    return literal(datetime.now(UTC), TaskAssignment.created_at.type)


def check_type(value: Any) -> str:
    if value not in TYPES:
        message = f"type must be 'AN' (annotate) or 'RE' (review), got {value!r}."
        raise ValidationFailed(message, validation_errors={"type": [message]})
    return str(value)


async def check_users(db: AsyncSession, user_ids: Any, *, allow_empty: bool = False) -> list[int]:
    """The ids, each an existing active user; a 400 naming the first bad one otherwise."""
    if not isinstance(user_ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in user_ids):
        raise ValidationFailed("users must be a list of user ids.", validation_errors={"users": ["must be a list of user ids"]})
    check_ids("users", user_ids)
    if not user_ids and not allow_empty:
        raise ValidationFailed("Choose at least one user.", validation_errors={"users": ["must not be empty"]})
    wanted = list(dict.fromkeys(user_ids))
    found = set((await db.execute(select(User.id).where(User.id.in_(wanted), User.is_active.is_(True)))).scalars())
    missing = [i for i in wanted if i not in found]
    if missing:
        message = f"No active user with id {missing[0]}."
        raise ValidationFailed(message, validation_errors={"users": [message]})
    return wanted


async def add_members(db: AsyncSession, project_id: int, user_ids: Sequence[int]) -> None:
    """Make users project members (assigning someone makes them one, as in Label Studio)."""
    if not user_ids:
        return
    already = select(ProjectMember.id).where(ProjectMember.project_id == project_id, ProjectMember.user_id == User.id)
    await db.execute(
        insert(ProjectMember).from_select(
            ["project_id", "user_id", "created_at"],
            select(literal(project_id), User.id, _now()).where(
                User.id.in_(list(user_ids)), ~exists(already)
            ),
        )
    )


async def _insert_counted(db: AsyncSession, rows: Select[Any]) -> int:
    """INSERT ... SELECT the assignment rows; how many were made (RETURNING: the drivers'
    rowcount of an INSERT ... SELECT is not reliable)."""
    statement = insert(TaskAssignment).from_select(
        ["task_id", "project_id", "user_id", "type", "created_at"], rows
    ).returning(TaskAssignment.id)
    return len((await db.execute(statement)).all())


async def assign(db: AsyncSession, project_id: int, task_ids: Select[Any], user_ids: Sequence[int], kind: str) -> int:
    """Assign every user to every selected task (kept assignments stay): one INSERT ... SELECT."""
    await add_members(db, project_id, user_ids)
    kept = select(TaskAssignment.id).where(
        TaskAssignment.task_id == _TASKS.c.id, TaskAssignment.user_id == User.id, TaskAssignment.type == kind
    )
    rows = (
        select(_TASKS.c.id, _TASKS.c.project_id, User.id, literal(kind), _now())
        .select_from(_TASKS.join(User, true()))
        .where(_TASKS.c.project_id == project_id, _TASKS.c.id.in_(task_ids), User.id.in_(list(user_ids)), ~exists(kept))
    )
    return await _insert_counted(db, rows)


async def distribute(
    db: AsyncSession, project_id: int, task_ids: Select[Any], user_ids: Sequence[int], kind: str
) -> int:
    """Spread the selected tasks evenly over the users (task n goes to user n mod count), in id
    order, skipping tasks that already have someone of this kind: one INSERT ... SELECT."""
    await add_members(db, project_id, user_ids)
    taken = select(TaskAssignment.id).where(TaskAssignment.task_id == _TASKS.c.id, TaskAssignment.type == kind)
    numbered = (
        select(
            _TASKS.c.id.label("task_id"),
            (func.row_number().over(order_by=_TASKS.c.id) - 1).label("n"),
        )
        .where(_TASKS.c.project_id == project_id, _TASKS.c.id.in_(task_ids), ~exists(taken))
        .subquery()
    )
    # Slot n mod count -> user, as a CASE (portable; SQLite has no column names on VALUES).
    slot = numbered.c.n % len(user_ids)
    user = case(*((slot == index, literal(user_id)) for index, user_id in enumerate(user_ids)))
    rows = select(numbered.c.task_id, literal(project_id), user, literal(kind), _now())
    return await _insert_counted(db, rows)


async def unassign(
    db: AsyncSession, project_id: int, task_ids: Select[Any], user_ids: Sequence[int] | None, kind: str | None
) -> int:
    """Remove assignments of the selected tasks (of these users / this kind when given)."""
    statement = delete(TaskAssignment).where(TaskAssignment.project_id == project_id, TaskAssignment.task_id.in_(task_ids))
    if user_ids:
        statement = statement.where(TaskAssignment.user_id.in_(list(user_ids)))
    if kind:
        statement = statement.where(TaskAssignment.type == kind)
    result = await db.execute(statement, execution_options={"synchronize_session": False})
    return int(result.rowcount or 0)


async def task_assignments(db: AsyncSession, task_id: int) -> list[dict[str, Any]]:
    rows = await db.execute(select(TaskAssignment).where(TaskAssignment.task_id == task_id).order_by(TaskAssignment.id))
    return [assignment_json(a) for a in rows.scalars()]


def assignment_json(a: TaskAssignment) -> dict[str, Any]:
    return {"id": a.id, "task": a.task_id, "assignee": a.user_id, "type": a.type, "created_at": a.created_at}


async def distribution(db: AsyncSession, project_id: int) -> str:
    mode = (
        await db.execute(
            select(ProjectAssignmentSettings.label_stream_task_distribution).where(
                ProjectAssignmentSettings.project_id == project_id
            )
        )
    ).scalar_one_or_none()
    return mode or AUTO


async def set_distribution(db: AsyncSession, project_id: int, mode: Any) -> str:
    if mode not in DISTRIBUTIONS:
        message = f"label_stream_task_distribution must be one of {', '.join(DISTRIBUTIONS)}, got {mode!r}."
        raise ValidationFailed(message, validation_errors={"label_stream_task_distribution": [message]})
    row = await db.get(ProjectAssignmentSettings, project_id)
    if row is None:
        db.add(ProjectAssignmentSettings(project_id=project_id, label_stream_task_distribution=mode))
    else:
        row.label_stream_task_distribution = mode
    await db.flush()
    return str(mode)


async def stream_scope(db: AsyncSession, project_id: int, user_id: int, task_id: Any) -> list[Any]:
    """Extra label-stream conditions on ``task_id`` (a column): in an ``assigned_only`` project,
    only the tasks assigned to this user to annotate."""
    return stream_scope_for(await distribution(db, project_id), user_id, task_id)


def stream_scope_for(mode: str | None, user_id: int, task_id: Any) -> list[Any]:
    """:func:`stream_scope` for a distribution already read (the label stream reads it in the
    same statement as the project; ``None``: no settings row, i.e. auto)."""
    if mode != ASSIGNED_ONLY:
        return []
    return [
        exists().where(
            and_(TaskAssignment.task_id == task_id, TaskAssignment.user_id == user_id, TaskAssignment.type == ANNOTATE)
        )
    ]


async def assignees_of(db: AsyncSession, task_ids: Sequence[int]) -> dict[tuple[int, str], list[int]]:
    """``{(task id, type): [user ids]}`` for a page of tasks, in one query."""
    found: dict[tuple[int, str], list[int]] = {}
    if not task_ids:
        return found
    rows = await db.execute(
        select(TaskAssignment.task_id, TaskAssignment.type, TaskAssignment.user_id)
        .where(TaskAssignment.task_id.in_(list(task_ids)))
        .order_by(TaskAssignment.id)
    )
    for task_id, kind, user_id in rows:
        found.setdefault((task_id, kind), []).append(user_id)
    return found


class AssignmentSettingsSection:
    """``assignment_settings`` inside a project's JSON (GET and PATCH /api/projects/<id>), as LSE
    has it: ``{id, project, label_stream_task_distribution}`` (core/projects/sections.py)."""

    name = "assignment_settings"

    async def read(self, db: AsyncSession, project_id: int) -> dict[str, Any]:
        return {"id": project_id, "project": project_id,
                "label_stream_task_distribution": await distribution(db, project_id)}

    async def write(self, db: AsyncSession, project_id: int, raw: dict[str, Any]) -> None:
        if "label_stream_task_distribution" in raw:
            await set_distribution(db, project_id, raw["label_stream_task_distribution"])
