"""Annotation and draft routes."""

from __future__ import annotations

from typing import Any

from litestar import Controller, delete, get, patch, post
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound, PermissionDenied
from ..host import PluginHost
from ..projects.service import get_project
from ..tasks.serialize import annotation_json, draft_json
from ..tasks.service import annotation_target_ahead, get_annotation_target, get_task, get_task_and_project
from ..teams import visibility
from ..teams.permissions import role_of
from ..users.models import User
from . import service
from .service import AnnotationWrite, DraftWrite


class TaskAnnotationsController(Controller):
    path = "/api/tasks/{task_id:int}"
    tags = ["Annotations"]

    @get("/annotations", operation_id="task_annotations_list")
    async def list_annotations(self, db: AsyncSession, user: User, task_id: int) -> list[dict[str, Any]]:
        task = await get_task(db, task_id)
        own = visibility.own_annotations_only(await role_of(db, user))  # annotators: theirs only
        return [annotation_json(a) for a in await service.list_task_annotations(db, task) if not own or a.completed_by_id == user.id]

    # PostgreSQL: the reads before the insert need no transaction; it begins with the writes.
    # The task and project are read in the round trip of the credential check.
    @post("/annotations", operation_id="task_annotations_create", status_code=HTTP_201_CREATED,
          opt={"lazy_transaction": True, "read_ahead": annotation_target_ahead})
    async def create(
        self, db: AsyncSession, host: PluginHost, user: User, task_id: int, data: AnnotationWrite,
        was_cancelled: bool = False,
    ) -> dict[str, Any]:
        task, project = await get_annotation_target(db, task_id)
        annotation = await service.create_annotation(
            db, host.registries, project, task, user, data, cancelled=was_cancelled
        )
        return annotation_json(annotation)

    @get("/drafts", operation_id="task_drafts_list")
    async def list_drafts(self, db: AsyncSession, user: User, task_id: int) -> list[dict[str, Any]]:
        task = await get_task(db, task_id)
        return [draft_json(d) for d in await service.list_user_drafts(db, task, user)]

    @post("/drafts", operation_id="task_drafts_create", status_code=HTTP_201_CREATED)
    async def create_draft(self, db: AsyncSession, host: PluginHost, user: User, task_id: int, data: DraftWrite) -> dict[str, Any]:
        task, project = await get_task_and_project(db, task_id)
        return draft_json(await service.save_draft(db, host.registries, project, task, user, data))

    @post("/annotations/{annotation_id:int}/drafts", operation_id="annotation_drafts_create", status_code=HTTP_201_CREATED)
    async def create_annotation_draft(
        self, db: AsyncSession, host: PluginHost, user: User, task_id: int, annotation_id: int, data: DraftWrite
    ) -> dict[str, Any]:
        task, project = await get_task_and_project(db, task_id)
        annotation = await service.get_annotation(db, annotation_id)
        if annotation.task_id != task.id:  # a draft lives on its annotation's task
            raise NotFound(f"Annotation {annotation_id} is not an annotation of task {task_id}.")
        draft = await service.save_draft(db, host.registries, project, task, user, data, annotation_id=annotation.id)
        return draft_json(draft)


class AnnotationController(Controller):
    path = "/api/annotations/{annotation_id:int}"
    tags = ["Annotations"]

    @get("/", operation_id="annotations_get")
    async def get_one(self, db: AsyncSession, user: User, annotation_id: int) -> dict[str, Any]:
        annotation = await service.get_annotation(db, annotation_id)
        if not await visibility.annotation_visible(db, user.id, await role_of(db, user), annotation.id):
            raise PermissionDenied("Annotators see only their own annotations.")
        return annotation_json(annotation)

    @patch("/", operation_id="annotations_update")
    async def update(self, db: AsyncSession, host: PluginHost, user: User, annotation_id: int, data: AnnotationWrite) -> dict[str, Any]:
        annotation = await service.get_annotation(db, annotation_id)
        project = await get_project(db, annotation.project_id)
        return annotation_json(await service.update_annotation(db, host.registries, project, annotation, user, data))

    @delete("/", operation_id="annotations_delete", status_code=HTTP_204_NO_CONTENT)
    async def remove(self, db: AsyncSession, user: User, annotation_id: int) -> None:
        annotation = await service.get_annotation(db, annotation_id)
        await service.delete_annotation(db, await get_project(db, annotation.project_id), annotation)


class DraftController(Controller):
    path = "/api/drafts/{draft_id:int}"
    tags = ["Annotations"]

    @get("/", operation_id="drafts_get")
    async def get_one(self, db: AsyncSession, user: User, draft_id: int) -> dict[str, Any]:
        return draft_json(await service.get_own_draft(db, draft_id, user))

    @patch("/", operation_id="drafts_update")
    async def update(self, db: AsyncSession, host: PluginHost, user: User, draft_id: int, data: DraftWrite) -> dict[str, Any]:
        draft = await service.get_own_draft(db, draft_id, user)
        task, project = await get_task_and_project(db, draft.task_id)
        return draft_json(await service.save_draft(db, host.registries, project, task, user, data, draft=draft))

    @delete("/", operation_id="drafts_delete", status_code=HTTP_204_NO_CONTENT)
    async def remove(self, db: AsyncSession, user: User, draft_id: int) -> None:
        await db.delete(await service.get_own_draft(db, draft_id, user))
