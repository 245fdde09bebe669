"""Comments: create, list, edit, resolve/unresolve, delete; unread counts per task."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..annotations.models import Annotation
from ..errors import NotFound, PermissionDenied, ValidationFailed
from ..input_limits import Id
from ..tasks.models import Task
from ..teams.visibility import visible_tasks_clause
from ..users.models import User
from .models import Comment, CommentRead

UNSET = msgspec.UNSET
MAX_TEXT = 20000


class CommentWrite(msgspec.Struct, forbid_unknown_fields=False):
    text: str | msgspec.UnsetType = UNSET
    task: Id | None | msgspec.UnsetType = UNSET
    annotation: Id | None | msgspec.UnsetType = UNSET
    draft: Id | None | msgspec.UnsetType = UNSET
    project: Id | None | msgspec.UnsetType = UNSET
    region_ref: dict[str, Any] | None | msgspec.UnsetType = UNSET
    classifications: dict[str, Any] | None | msgspec.UnsetType = UNSET
    is_resolved: bool | msgspec.UnsetType = UNSET


def _text(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValidationFailed("A comment needs text.", validation_errors={"text": ["must not be empty"]})
    if len(text) > MAX_TEXT:
        raise ValidationFailed("The comment is too long.", validation_errors={"text": [f"at most {MAX_TEXT} characters"]})
    return text


async def target_of(db: AsyncSession, data: CommentWrite) -> tuple[Task, int | None]:
    """The task (and annotation) a new comment is about: ``annotation`` implies its task."""
    annotation_id = data.annotation if isinstance(data.annotation, int) else None
    task_id = data.task if isinstance(data.task, int) else None
    if annotation_id is not None:
        annotation = await db.get(Annotation, annotation_id)
        if annotation is None:
            raise ValidationFailed(f"Annotation {annotation_id} does not exist.", validation_errors={"annotation": ["unknown annotation"]})
        if task_id is not None and task_id != annotation.task_id:
            raise ValidationFailed("The annotation is not of that task.", validation_errors={"task": ["does not match the annotation"]})
        task_id = annotation.task_id
    if task_id is None:
        raise ValidationFailed("A comment is about a task or an annotation.", validation_errors={"task": ["required (or annotation)"]})
    task = await db.get(Task, task_id)
    if task is None:
        raise ValidationFailed(f"Task {task_id} does not exist.", validation_errors={"task": ["unknown task"]})
    return task, annotation_id


async def create_comment(db: AsyncSession, user: User, task: Task, annotation_id: int | None, data: CommentWrite) -> Comment:
    comment = Comment(
        project_id=task.project_id,
        task_id=task.id,
        annotation_id=annotation_id,
        draft_id=data.draft if isinstance(data.draft, int) else None,
        created_by_id=user.id,
        text=_text(data.text if isinstance(data.text, str) else ""),
        region_ref=data.region_ref if isinstance(data.region_ref, dict) else None,
        classifications=data.classifications if isinstance(data.classifications, dict) else None,
        is_resolved=data.is_resolved is True,
        resolved_at=datetime.now(UTC) if data.is_resolved is True else None,
    )
    db.add(comment)
    await db.flush()
    await mark_read(db, user.id, task.id, comment.id)  # one's own comment is never unread
    return comment


async def get_comment(db: AsyncSession, comment_id: int) -> Comment:
    comment = await db.get(Comment, comment_id)
    if comment is None:
        raise NotFound(f"Comment {comment_id} not found.")
    return comment


async def update_comment(db: AsyncSession, user: User, comment: Comment, data: CommentWrite) -> Comment:
    """Anyone who may comment resolves or unresolves; only the author edits the text."""
    if data.text is not UNSET:
        if comment.created_by_id != user.id and not user.is_superuser:
            raise PermissionDenied("Only the author can edit a comment's text.")
        comment.text = _text(data.text if isinstance(data.text, str) else "")
    if data.region_ref is not UNSET:
        comment.region_ref = data.region_ref if isinstance(data.region_ref, dict) else None
    if data.classifications is not UNSET:
        comment.classifications = data.classifications if isinstance(data.classifications, dict) else None
    if data.is_resolved is not UNSET and data.is_resolved != comment.is_resolved:
        comment.is_resolved = bool(data.is_resolved)
        comment.resolved_at = datetime.now(UTC) if data.is_resolved else None
    comment.updated_at = datetime.now(UTC)
    await db.flush()
    return comment


async def delete_comment(db: AsyncSession, user: User, comment: Comment) -> None:
    if comment.created_by_id != user.id and not user.is_superuser:
        raise PermissionDenied("Only the author can delete a comment.")
    await db.delete(comment)
    await db.flush()


def about_others_annotation(user_id: int) -> Any:
    """SQL: the comment is about an annotation someone else made."""
    return exists().where(Annotation.id == Comment.annotation_id, Annotation.completed_by_id.is_distinct_from(user_id))


def visible_to(user_id: int) -> list[Any]:
    """SQL: the comments an annotator may read: on the tasks they see, about the task or about
    their own annotations (not about other annotators' annotations)."""
    return [visible_tasks_clause(user_id, Comment.task_id), ~about_others_annotation(user_id)]


async def list_comments(
    db: AsyncSession, *, project_ids: Iterable[int] | None = None, task_id: int | None = None,
    annotation_id: int | None = None, author_ids: Iterable[int] | None = None, descending: bool = False,
    annotator_id: int | None = None,
) -> list[Comment]:
    """``annotator_id``: only what that annotator may read (``visible_to``)."""
    conditions = visible_to(annotator_id) if annotator_id is not None else []
    if project_ids is not None:
        conditions.append(Comment.project_id.in_(list(project_ids)))
    if task_id is not None:
        conditions.append(Comment.task_id == task_id)
    if annotation_id is not None:
        conditions.append(Comment.annotation_id == annotation_id)
    if author_ids is not None:
        conditions.append(Comment.created_by_id.in_(list(author_ids)))
    order = Comment.id.desc() if descending else Comment.id
    return list((await db.execute(select(Comment).where(*conditions).order_by(order))).scalars())


async def mark_read(db: AsyncSession, user_id: int, task_id: int, up_to: int | None = None) -> int:
    """Everything on the task up to ``up_to`` (default: its newest comment) is read by the user."""
    if up_to is None:
        up_to = int(await db.scalar(select(func.max(Comment.id)).where(Comment.task_id == task_id)) or 0)
    row = await db.get(CommentRead, (user_id, task_id))
    if row is None:
        db.add(CommentRead(user_id=user_id, task_id=task_id, last_read_id=up_to))
    elif up_to > row.last_read_id:
        row.last_read_id = up_to
    await db.flush()
    return up_to


def unread_condition(user_id: int) -> Any:
    """SQL: a comment by someone else, newer than what the user read on its task."""
    last_read = (
        select(CommentRead.last_read_id)
        .where(CommentRead.user_id == user_id, CommentRead.task_id == Comment.task_id)
        .scalar_subquery()
    )
    return and_(Comment.created_by_id.is_distinct_from(user_id), Comment.id > func.coalesce(last_read, 0))


async def unread_counts(db: AsyncSession, user_id: int, project_id: int, task_ids: Iterable[int] | None = None,
                        *, annotator: bool = False) -> dict[int, int]:
    """``{task_id: unread comments}`` for tasks of a project with any (unresolved or not);
    ``annotator``: only comments the user may read (``visible_to``)."""
    query = select(Comment.task_id, func.count()).where(Comment.project_id == project_id, unread_condition(user_id))
    if annotator:
        query = query.where(*visible_to(user_id))
    if task_ids is not None:
        query = query.where(Comment.task_id.in_(list(task_ids)))
    rows = await db.execute(query.group_by(Comment.task_id))
    return {int(task_id): int(count) for task_id, count in rows}


def comment_json(c: Comment, users: dict[int, User] | None = None) -> dict[str, Any]:
    """Label Studio Enterprise's Comment; ``users`` given: ``created_by`` expanded."""
    created_by: Any = c.created_by_id
    if users is not None and c.created_by_id in users:
        u = users[c.created_by_id]
        created_by = {"id": u.id, "email": u.email, "first_name": u.first_name, "last_name": u.last_name,
                      "username": u.username or u.email}
    return {
        "id": c.id,
        "text": c.text,
        "project": c.project_id,
        "task": c.task_id,
        "annotation": c.annotation_id,
        "draft": c.draft_id,
        "created_by": created_by,
        "region_ref": c.region_ref,
        "classifications": c.classifications,
        "is_resolved": c.is_resolved,
        "resolved_at": c.resolved_at,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


async def users_of(db: AsyncSession, comments: Iterable[Comment]) -> dict[int, User]:
    ids = {c.created_by_id for c in comments if c.created_by_id is not None}
    if not ids:
        return {}
    return {u.id: u for u in (await db.execute(select(User).where(User.id.in_(ids)))).scalars()}
