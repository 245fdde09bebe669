"""Project routes: CRUD with counters, validation of configs, summary."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound
from ..labelconfig import parse_config
from ..host import PluginHost
from ..paging import page_links
from ..teams.own_counts import apply_own_counts
from ..teams.permissions import projects_filter
from ..users.models import User
from . import service
from .models import Project
from .schemas import SECTION_FIELDS, ConfigIn, DuplicateIn, ProjectOut, ProjectPage, ProjectWrite, Summary
from .sections import read_sections, sections_of, write_sections


async def project_response(db: AsyncSession, host: PluginHost, project: Any, user: User) -> ProjectOut:
    all_counts = await service.counters(db, [project.id])
    await apply_own_counts(db, user, all_counts)  # an annotator's own share (teams)
    counts = all_counts[project.id]
    queue_total, queue_done = await service.queue_progress(db, project, user, counts)
    if project.created_by_id == user.id:  # the common case needs no lookup
        creator: User | None = user
    else:
        creator = (await service.users_by_id(db, {project.created_by_id} if project.created_by_id else set())).get(
            project.created_by_id or 0)
    out = service.project_out(project, counts, creator, host.registries)
    out.queue_total, out.queue_done = queue_total, queue_done
    return out


async def _with_sections(request: Request[Any, Any, Any], db: AsyncSession, out: ProjectOut) -> ProjectOut:
    """The project's JSON with LSE's settings objects kept by other packages (sections.py)."""
    for name, value in (await read_sections(db, sections_of(request.app.state), out.id)).items():
        setattr(out, name, value)
    return out


async def _visible(db: AsyncSession, user: User, query: Any) -> Any:
    """Reviewers and annotators list only the projects they are members of (teams)."""
    condition = await projects_filter(db, user, Project.id)
    return query if condition is None else query.where(condition)


class ProjectController(Controller):
    path = "/api/projects"
    tags = ["Projects"]

    @get("/", operation_id="projects_list")
    async def list_projects(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        host: PluginHost,
        user: User,
        page: int = Parameter(default=1, ge=1),
        page_size: int = Parameter(default=30, ge=1, le=100),
        ordering: str | None = None,
        ids: str | None = None,
        title: str | None = None,
        filter: str | None = None,
    ) -> ProjectPage:
        query = service.list_query(ids=service.parse_ids(ids), title=title, pinned=filter, ordering=ordering)
        query = await _visible(db, user, query)
        projects, total = await service.page_of_projects(db, query, page, page_size)
        if (page - 1) * page_size >= total and page > 1:
            raise NotFound("Invalid page.")
        counts = await service.counters(db, [p.id for p in projects])
        await apply_own_counts(db, user, counts)  # an annotator's own share (teams)
        creators = await service.users_by_id(db, {p.created_by_id for p in projects if p.created_by_id})
        results = [
            service.project_out(p, counts[p.id], creators.get(p.created_by_id or 0), host.registries) for p in projects
        ]
        previous, following = page_links(request, page, page_size, total)
        return ProjectPage(count=total, next=following, previous=previous, results=results)

    @post("/", operation_id="projects_create", status_code=HTTP_201_CREATED)
    async def create(
        self, request: Request[Any, Any, Any], db: AsyncSession, host: PluginHost, user: User, data: ProjectWrite
    ) -> ProjectOut:
        parts = {name: getattr(data, name) for name in SECTION_FIELDS if getattr(data, name) is not msgspec.UNSET}
        data = msgspec.structs.replace(data, **dict.fromkeys(SECTION_FIELDS, msgspec.UNSET))
        project = await service.create_project(db, host.registries, user, data)
        if parts:
            await write_sections(db, sections_of(request.app.state), project.id, parts)
            return await _with_sections(request, db, await project_response(db, host, project, user))
        return await project_response(db, host, project, user)

    @get("/{project_id:int}", operation_id="projects_get")
    async def get_one(
        self, request: Request[Any, Any, Any], db: AsyncSession, host: PluginHost, user: User, project_id: int
    ) -> ProjectOut:
        out = await project_response(db, host, await service.get_project(db, project_id), user)
        return await _with_sections(request, db, out)

    @patch("/{project_id:int}", operation_id="projects_update")
    async def update(
        self, request: Request[Any, Any, Any], db: AsyncSession, host: PluginHost, user: User, project_id: int,
        data: ProjectWrite,
    ) -> ProjectOut:
        project = await service.get_project(db, project_id)
        # LSE's assignment_settings / review_settings go to their sections, the rest to the row.
        parts = {name: getattr(data, name) for name in SECTION_FIELDS if getattr(data, name) is not msgspec.UNSET}
        await write_sections(db, sections_of(request.app.state), project.id, parts)
        data = msgspec.structs.replace(data, **dict.fromkeys(SECTION_FIELDS, msgspec.UNSET))
        await service.update_project(db, host.registries, project, data)
        return await _with_sections(request, db, await project_response(db, host, project, user))

    @delete("/{project_id:int}", operation_id="projects_delete", status_code=HTTP_204_NO_CONTENT)
    async def remove(self, db: AsyncSession, user: User, project_id: int) -> None:
        await service.delete_project(db, await service.get_project(db, project_id))

    @post("/{project_id:int}/duplicate", operation_id="projects_duplicate", status_code=HTTP_201_CREATED)
    async def duplicate(self, db: AsyncSession, host: PluginHost, user: User, project_id: int, data: DuplicateIn) -> ProjectOut:
        """Copy a project's settings, and with ``mode=settings_and_tasks`` its tasks (data only)."""
        source = await service.get_project(db, project_id)
        project = await service.duplicate_project(db, source, user, data)
        return await project_response(db, host, project, user)

    @post("/{project_id:int}/validate", operation_id="projects_validate_config", status_code=HTTP_200_OK)
    async def validate(self, db: AsyncSession, host: PluginHost, user: User, project_id: int, data: ConfigIn) -> dict[str, Any]:
        """Validate a config for this project: valid XML and no existing annotation orphaned."""
        project = await service.get_project(db, project_id)
        parsed = parse_config(data.label_config, host.registries)
        await service.check_config_keeps_annotations(db, project, parsed)
        return {"label_config": data.label_config, "parsed_label_config": parsed.summary()}

    @get("/{project_id:int}/summary", operation_id="projects_summary")
    async def summary(self, db: AsyncSession, user: User, project_id: int) -> Summary:
        return await service.summary(db, await service.get_project(db, project_id))

    @get("/counts", operation_id="projects_counts")
    async def counts(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        user: User,
        page: int = Parameter(default=1, ge=1),
        page_size: int = Parameter(default=30, ge=1, le=100),
        ids: str | None = None,
    ) -> dict[str, Any]:
        query = service.list_query(ids=service.parse_ids(ids), title=None, pinned=None, ordering=None)
        query = await _visible(db, user, query)
        projects, total = await service.page_of_projects(db, query, page, page_size)
        counts = await service.counters(db, [p.id for p in projects])
        await apply_own_counts(db, user, counts)  # an annotator's own share (teams)
        previous, following = page_links(request, page, page_size, total)
        return {
            "count": total,
            "next": following,
            "previous": previous,
            "results": [{"id": p.id, **counts[p.id]} for p in projects],
        }
