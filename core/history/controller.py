"""``/api/annotation-history/`` and ``/api/projects/{id}/annotation-history/`` (LSE's shapes).

History is append-only: there is no route that changes or deletes a version.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import PermissionDenied, ValidationFailed
from ..paging import page_links
from ..teams.permissions import role_of
from ..teams.visibility import annotation_visible, own_annotations_only
from ..users.models import User
from . import access, service

MAX_PAGE_SIZE = 1000


async def _check_annotation(db: AsyncSession, user: User, annotation_id: int) -> None:
    """Annotators read the history of their own annotations only (docs/permissions.md)."""
    if not await annotation_visible(db, user.id, await role_of(db, user), annotation_id):
        raise PermissionDenied("This annotation is someone else's.")


class AnnotationHistoryController(Controller):
    path = "/api/annotation-history"
    tags = ["Annotation history"]

    @get("/", operation_id="annotation_history_list",
         guards=[access.guard("annotations.view", access.by_query)])
    async def list_versions(self, db: AsyncSession, user: User, annotation: int | None = None,
                            ordering: str | None = None) -> list[dict[str, Any]]:
        """Every version of one annotation, oldest first (``ordering=-id``: newest first)."""
        if annotation is None:
            raise ValidationFailed("Name the annotation: ?annotation=<id>.", validation_errors={"annotation": ["required"]})
        await _check_annotation(db, user, annotation)
        versions = await service.versions(db, annotation_id=annotation, descending=(ordering or "").startswith("-"))
        return [service.version_json(v) for v in versions]

    @get("/{version_id:int}", operation_id="annotation_history_get",
         guards=[access.guard("annotations.view", access.by_path("version_id", "annotation_history"))])
    async def get_version(self, db: AsyncSession, user: User, version_id: int) -> dict[str, Any]:
        version = await service.get_version(db, version_id)
        await _check_annotation(db, user, version.annotation_id)
        return service.version_json(version)


@get("/api/projects/{project_id:int}/annotation-history", operation_id="project_annotation_history",
     tags=["Annotation history"], guards=[access.guard("annotations.view", access.by_project_path)])
async def project_history(request: Request[Any, Any, Any], db: AsyncSession, user: User, project_id: int,
                          page: int = 1, page_size: int = 100) -> dict[str, Any]:
    """A project's versions, newest first, paginated as Django REST framework does."""
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValidationFailed("Bad page.", validation_errors={"page_size": [f"1..{MAX_PAGE_SIZE}"], "page": [">= 1"]})
    owner = user.id if own_annotations_only(await role_of(db, user)) else None  # annotators: their own
    conditions = service.history_conditions(project_id=project_id, owner_id=owner)
    total = int(await db.scalar(select(func.count()).select_from(service.TABLE).where(*conditions)) or 0)
    versions = await service.versions(db, project_id=project_id, owner_id=owner, descending=True,
                                      limit=page_size, offset=(page - 1) * page_size)
    previous, following = page_links(request, page, page_size, total)
    return {"count": total, "next": following, "previous": previous, "results": [service.version_json(v) for v in versions]}
