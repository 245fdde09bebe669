"""``/api/comments/`` (Label Studio Enterprise's shape) and unread markers."""

from __future__ import annotations

from typing import Any

from litestar import Controller, delete, get, patch, post
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import PermissionDenied, ValidationFailed
from ..history import access
from ..teams import visibility
from ..teams.permissions import role_of
from ..users.models import User
from . import service
from .service import CommentWrite

def parse_ids(text: str | None, field: str) -> list[int]:
    try:
        return [int(part) for part in (text or "").split(",") if part.strip()]
    except ValueError:
        raise ValidationFailed(f"{field} must be comma-separated ids.", validation_errors={field: ["comma-separated ids"]}) from None


_COMMENT = access.by_path("comment_id", "comments")


async def _body_target(db: AsyncSession, path: dict[str, Any], query: Any) -> access.Located:
    return False, None, None  # the handler checks the task the body names


async def _annotator(db: AsyncSession, user: User) -> bool:
    return visibility.own_annotations_only(await role_of(db, user))


async def _readable(db: AsyncSession, user: User, comment_id: int) -> Any:
    """The comment, unless it is about another annotator's annotation and the caller an annotator."""
    comment = await service.get_comment(db, comment_id)
    if not await visibility.annotation_visible(db, user.id, await role_of(db, user), comment.annotation_id):
        raise PermissionDenied("Annotators see only comments on their own annotations.")
    return comment


class CommentsController(Controller):
    path = "/api/comments"
    tags = ["Comments"]

    @get("/", operation_id="comments_list", guards=[access.guard("comments.view", access.by_query)])
    async def list_comments(
        self, db: AsyncSession, user: User, project: int | None = None, task: int | None = None,
        annotation: int | None = None, expand_created_by: bool = False, ordering: str | None = None,
        projects: str | None = None, annotators: str | None = None,
    ) -> list[dict[str, Any]]:
        """``projects`` and ``annotators`` (comment authors): comma-separated ids, as in LSE."""
        visible = await access.visible_projects(db, user)
        wanted = ({project} if project is not None else set()) | set(parse_ids(projects, "projects"))
        chosen: set[int] | None = (visible if not wanted else wanted if visible is None else wanted & visible)
        comments = await service.list_comments(
            db, project_ids=chosen, task_id=task, annotation_id=annotation,
            author_ids=parse_ids(annotators, "annotators") if annotators else None,
            descending=(ordering or "").startswith("-"),
            annotator_id=user.id if await _annotator(db, user) else None,
        )
        users = await service.users_of(db, comments) if expand_created_by else None
        return [service.comment_json(c, users) for c in comments]

    @post("/", operation_id="comments_create", status_code=HTTP_201_CREATED,
          guards=[access.guard("comments.create", _body_target)])
    async def create(self, db: AsyncSession, user: User, data: CommentWrite, expand_created_by: bool = False) -> dict[str, Any]:
        task, annotation_id = await service.target_of(db, data)
        await access.check(db, user, "comments.create", (True, task.project_id, task.id))
        if not await visibility.annotation_visible(db, user.id, await role_of(db, user), annotation_id):
            raise PermissionDenied("Annotators comment only on their own annotations.")
        comment = await service.create_comment(db, user, task, annotation_id, data)
        return service.comment_json(comment, await service.users_of(db, [comment]) if expand_created_by else None)

    @get("/{comment_id:int}", operation_id="comments_get", guards=[access.guard("comments.view", _COMMENT)])
    async def get_one(self, db: AsyncSession, user: User, comment_id: int) -> dict[str, Any]:
        return service.comment_json(await _readable(db, user, comment_id))

    @patch("/{comment_id:int}", operation_id="comments_update", guards=[access.guard("comments.create", _COMMENT)])
    async def update(self, db: AsyncSession, user: User, comment_id: int, data: CommentWrite) -> dict[str, Any]:
        comment = await _readable(db, user, comment_id)
        return service.comment_json(await service.update_comment(db, user, comment, data))

    @delete("/{comment_id:int}", operation_id="comments_delete", status_code=HTTP_204_NO_CONTENT,
            guards=[access.guard("comments.create", _COMMENT)])
    async def remove(self, db: AsyncSession, user: User, comment_id: int) -> None:
        await service.delete_comment(db, user, await service.get_comment(db, comment_id))


@post("/api/tasks/{task_id:int}/comments/read", operation_id="task_comments_read", tags=["Comments"],
      status_code=200, guards=[access.guard("comments.view", access.by_task_path)])
async def mark_task_read(db: AsyncSession, user: User, task_id: int) -> dict[str, Any]:
    """The caller has read every comment of the task so far (its unread marker clears)."""
    return {"task": task_id, "last_read": await service.mark_read(db, user.id, task_id)}


@get("/api/projects/{project_id:int}/comments/unread", operation_id="project_comments_unread", tags=["Comments"],
     guards=[access.guard("comments.view", access.by_project_path)])
async def project_unread(db: AsyncSession, user: User, project_id: int) -> dict[str, int]:
    """``{task id: unread comments}`` for the caller: comments by others newer than they read."""
    counts = await service.unread_counts(db, user.id, project_id, annotator=await _annotator(db, user))
    return {str(task_id): count for task_id, count in counts.items()}
