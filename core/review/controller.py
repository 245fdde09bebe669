"""``/api/annotation-reviews/`` (Label Studio Enterprise's shape), the review stream, review
states and each project's review settings."""

from __future__ import annotations

from typing import Any

from litestar import Controller, delete, get, patch, post
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from sqlalchemy import select

from ..annotations.models import Annotation
from ..annotations.service import get_annotation
from ..comments.models import Comment
from ..errors import NotFound, PermissionDenied, ValidationFailed
from ..history import access
from ..host import PluginHost
from ..projects.service import get_project
from ..tasks.serialize import tasks_json
from ..tasks.service import get_task
from ..teams import visibility
from ..teams.permissions import role_of
from ..users.models import User
from . import service
from .service import ReviewWrite
from .settings import ReviewSettingsWrite, get_settings, settings_json, update_settings

_REVIEW = access.by_path("review_id", "annotation_reviews")


async def _in_handler(db: AsyncSession, path: dict[str, Any], query: Any) -> access.Located:
    return False, None, None  # the handler checks the annotation the body names


async def _comment_text(db: AsyncSession, comment_id: int | None) -> str | None:
    if comment_id is None:
        return None
    comment = await db.get(Comment, comment_id)
    return comment.text if comment else None


async def _annotator(db: AsyncSession, user: User) -> bool:
    """Annotators see the reviews and states of their own annotations only."""
    return visibility.own_annotations_only(await role_of(db, user))


class AnnotationReviewsController(Controller):
    path = "/api/annotation-reviews"
    tags = ["Review"]

    @get("/", operation_id="annotation_reviews_list", guards=[access.guard("annotations.view", access.by_query)])
    async def list_reviews(
        self, db: AsyncSession, user: User, annotation: int | None = None, task: int | None = None,
        annotation__task__project: int | None = None, project: int | None = None, ordering: str | None = None,
    ) -> list[dict[str, Any]]:
        visible = await access.visible_projects(db, user)
        wanted = annotation__task__project or project
        projects = visible if wanted is None else ({wanted} if visible is None or wanted in visible else set())
        reviews = await service.list_reviews(db, annotation_id=annotation, task_id=task, project_ids=projects,
                                             descending=(ordering or "").startswith("-"),
                                             annotator_id=user.id if await _annotator(db, user) else None)
        return [service.review_json(r) for r in reviews]

    @post("/", operation_id="annotation_reviews_create", status_code=HTTP_201_CREATED,
          guards=[access.guard("annotations.review", _in_handler)])
    async def create(self, db: AsyncSession, host: PluginHost, user: User, data: ReviewWrite,
                     async_postprocess: bool | None = None) -> dict[str, Any]:
        if not isinstance(data.annotation, int):
            raise ValidationFailed("Name the annotation to review.", validation_errors={"annotation": ["required"]})
        try:
            annotation = await get_annotation(db, data.annotation)
        except NotFound:
            raise ValidationFailed(f"Annotation {data.annotation} does not exist.",
                                   validation_errors={"annotation": ["unknown annotation"]}) from None
        await access.check(db, user, "annotations.review", (True, annotation.project_id, annotation.task_id))
        project = await get_project(db, annotation.project_id)
        review = await service.create_review(db, host.registries, project, annotation, user, data)
        return service.review_json(review, await _comment_text(db, review.comment_id))

    @get("/{review_id:int}", operation_id="annotation_reviews_get", guards=[access.guard("annotations.view", _REVIEW)])
    async def get_one(self, db: AsyncSession, user: User, review_id: int) -> dict[str, Any]:
        review = await service.get_review(db, review_id)
        if not await visibility.annotation_visible(db, user.id, await role_of(db, user), review.annotation_id):
            raise PermissionDenied("Annotators see only the reviews of their own annotations.")
        return service.review_json(review, await _comment_text(db, review.comment_id))

    @patch("/{review_id:int}", operation_id="annotation_reviews_update", guards=[access.guard("annotations.review", _REVIEW)])
    async def update(self, db: AsyncSession, user: User, review_id: int, data: ReviewWrite) -> dict[str, Any]:
        review = await service.get_review(db, review_id)
        project = await get_project(db, review.project_id)
        review = await service.update_review(db, project, review, user, data)
        return service.review_json(review, await _comment_text(db, review.comment_id))

    @delete("/{review_id:int}", operation_id="annotation_reviews_delete", status_code=HTTP_204_NO_CONTENT,
            guards=[access.guard("annotations.review", _REVIEW)])
    async def remove(self, db: AsyncSession, user: User, review_id: int) -> None:
        review = await service.get_review(db, review_id)
        await service.delete_review(db, await get_project(db, review.project_id), review, user)


class ProjectReviewController(Controller):
    path = "/api/projects/{project_id:int}"
    tags = ["Review"]

    @get("/review/next", operation_id="projects_review_next", guards=[access.guard("annotations.review", access.by_project_path)])
    async def next_for_review(self, db: AsyncSession, host: PluginHost, user: User, project_id: int) -> dict[str, Any]:
        """The next task of the caller's review stream: tasks with submitted annotations whose
        current version they have not reviewed and that still need reviews, assigned reviewers
        first (tasks assigned to other reviewers are theirs). ``review_annotations`` lists the
        annotations of the task that wait for this reviewer."""
        project = await get_project(db, project_id)
        task, annotation_ids = await service.next_for_review(db, project, user)
        if task is None:
            raise NotFound("There are no more annotations for you to review in this project.")
        item = (await tasks_json(db, host, [task], user_id=user.id, full=True, resolve_uri=True))[0]
        item["review_annotations"] = annotation_ids
        item["queue"] = "Review queue"
        item["review_remaining"] = await service.queue_size(db, project, user)
        return item

    @get("/review/states", operation_id="projects_review_states", guards=[access.guard("annotations.view", access.by_project_path)])
    async def states(self, db: AsyncSession, user: User, project_id: int, task: int) -> dict[str, Any]:
        """Review state of each annotation of a task (its current version): ``pending``,
        ``in_review``, ``accepted`` or ``rejected``, with counts and the rejection comment."""
        found = await get_task(db, task)
        if found.project_id != project_id:
            raise NotFound(f"Task {task} not found in project {project_id}.")
        settings = await get_settings(db, project_id)
        mine = [Annotation.completed_by_id == user.id] if await _annotator(db, user) else []
        ids = list(await db.scalars(select(Annotation.id).where(Annotation.task_id == task, *mine)))
        states = await service.annotation_states(db, ids, settings.required_reviews)
        for state in states.values():
            state["comment"] = await _comment_text(db, state.pop("comment_id"))
        return {"task": task, "required_reviews": settings.required_reviews, "annotations": {str(k): v for k, v in states.items()}}

    @get("/review-settings", operation_id="projects_review_settings_get", guards=[access.guard("projects.view", access.by_project_path)])
    async def get_review_settings(self, db: AsyncSession, user: User, project_id: int) -> dict[str, Any]:
        await get_project(db, project_id)
        return settings_json(await get_settings(db, project_id))

    @patch("/review-settings", operation_id="projects_review_settings_update",
           guards=[access.guard("projects.manage", access.by_project_path)])
    async def update_review_settings(self, db: AsyncSession, user: User, project_id: int, data: ReviewSettingsWrite) -> dict[str, Any]:
        await get_project(db, project_id)
        return settings_json(await update_settings(db, project_id, data))
