"""The application factory: ``create_app(settings, host=None) -> Litestar``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any
from contextlib import AsyncExitStack, asynccontextmanager

from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router

from . import __version__
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from .db import read_lane
from .db.engine import make_engine, make_sessionmaker
from .db.epochs import ensure_epochs
from .users.credential_cache import CredentialCache
from .deps import DEPENDENCIES
from .errors_http import EXCEPTION_HANDLERS
from .labelconfig.controller import LabelConfigController
from .jobs.controller import JobsController
from .background import Background, build_background
from .manager import PluginHost, plugin_host_for
from .settings import Settings
from .teams.assignments import AssignmentSettingsSection
from .teams.controller import TEAM_ROUTES
from .teams.guard import enforce_permissions
from .datamanager.assignees import bulk_assign
from .system.controller import health, plugins, version
from .webapp import WEB_STATIC, app_shell
from .users.auth import RequestContextMiddleware
from .security_headers import add_security_headers
from .input_limits import check_integer_parameters
from .litestar_tuning import guards_read_the_handler, resolve_dependencies_in_order
from .users.controller import AuthController, CurrentUserController, TokenController, UsersController
from .webhooks.controller import WebhooksController
from .storage.controller import (
    ExportStorageController, ImportStorageController, project_resolve, served_routes, task_resolve,
)
from .annotations.controller import AnnotationController, DraftController, TaskAnnotationsController
from .export.controller import ExportSnapshotController, ProjectExportController
from .files import uploaded_file
from .imports.controller import ImportController
from .predictions.controller import ModelVersionController, PredictionController
from .projects.controller import ProjectController
from .labelchanges.controller import LabelChangesController
from .quality.controller import QualityController
from .ml.controller import MLController, ModelVersionStatsController
from .stream.controller import next_task_route
from .review.controller import AnnotationReviewsController, ProjectReviewController
from .review.settings import ReviewSettingsSection
from .history.controller import AnnotationHistoryController, project_history
from .comments.controller import CommentsController, mark_task_read, project_unread
from .datamanager.tasks_controller import ProjectTasksController, TaskController
from .datamanager.controller import ActionsController, ColumnsController, DMProjectController, ViewsController

log = logging.getLogger("labelloom")

CORE_ROUTES = [
    health,
    version,
    plugins,
    AuthController,
    CurrentUserController,
    UsersController,
    TokenController,
    LabelConfigController,
    JobsController,
    WebhooksController,
    ProjectController,
    ImportController,
    TaskController,
    ProjectTasksController,
    ColumnsController,
    DMProjectController,
    ViewsController,
    ActionsController,
    TaskAnnotationsController,
    AnnotationController,
    DraftController,
    PredictionController,
    ModelVersionController,
    ProjectExportController,
    ExportSnapshotController,
    LabelChangesController,
    QualityController,
    MLController,
    ModelVersionStatsController,
    next_task_route,
    AnnotationReviewsController,
    ProjectReviewController,
    AnnotationHistoryController,
    project_history,
    CommentsController,
    mark_task_read,
    project_unread,
    uploaded_file,
    ExportStorageController,
    ImportStorageController,
    project_resolve,
    task_resolve,
    *TEAM_ROUTES,
    bulk_assign,
]


def plugin_routers(host: PluginHost) -> list[Router]:
    routers = []
    for router in host.routers:
        routers.append(Router(path=f"/api/plugins/{router.plugin}", route_handlers=router.handlers))
    return routers


def static_routers(host: PluginHost) -> list[Router]:
    """The core web app under /static/core/, each plugin's static/ under /static/plugins/<name>/."""
    routers = [create_static_files_router("/static/core", directories=[WEB_STATIC], opt={"public": True})]
    for plugin in host.plugins.values():
        if plugin.static_dir is not None:
            routers.append(
                create_static_files_router(
                    f"/static/plugins/{plugin.name}", directories=[plugin.static_dir], opt={"public": True}
                )
            )
    return routers


def create_app(settings: Settings, host: PluginHost | None = None) -> Litestar:
    """Build the application. Plugins are loaded and registered here, once, never at import."""
    settings = settings.prepared()
    resolve_dependencies_in_order()
    guards_read_the_handler()
    if host is None:
        host = plugin_host_for(settings)
    host.register_all()
    engine = make_engine(settings.resolved_database_url)
    background = build_background(settings, host, engine, make_sessionmaker(engine))

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for context in host.lifespans(settings):
                await stack.enter_async_context(context)
            await _ensure_epochs(engine)
            try:
                async with background.running(workers=settings.workers):
                    yield
            finally:
                await read_lane.close(engine)
                await engine.dispose()

    return Litestar(
        route_handlers=[
            app_shell, *CORE_ROUTES, *served_routes(host.registries), *plugin_routers(host), *static_routers(host)
        ],
        dependencies=DEPENDENCIES,
        guards=[app_guard],
        middleware=[RequestContextMiddleware()],
        before_send=[add_security_headers],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[lifespan],
        request_max_body_size=settings.max_request_body,
        openapi_config=OpenAPIConfig(
            title="Labelloom",
            version=__version__,
            description="Label Studio-compatible REST API.",
            path="/docs",
            render_plugins=[SwaggerRenderPlugin()],
        ),
        cors_config=None if not settings.debug else CORSConfig(),
        state=_state(settings, host, engine, background),
        debug=settings.debug,
    )


async def app_guard(connection: Any, handler: Any) -> None:
    """Every route's guards in one: ids in range first, then the route's permission rule
    (core/teams/rules.py, docs/permissions.md)."""
    await check_integer_parameters(connection, handler)
    await enforce_permissions(connection, handler)


async def _ensure_epochs(engine: AsyncEngine) -> None:
    try:
        await ensure_epochs(engine)
    except DBAPIError:  # a database not migrated yet: nothing is cached, requests still work
        log.warning("cache epochs unavailable: caching of credentials is off", exc_info=True)


def _state(settings: Settings, host: PluginHost, engine: object, background: Background) -> object:
    from litestar.datastructures import State

    return State(
        {
            "settings": settings,
            "host": host,
            "engine": engine,
            # Its sessions dispatch domain events after commit (core/events.py).
            "sessionmaker": background.sessionmaker,
            "jobs": background.jobs,
            "background": background,
            # Credentials seen before, valid while the database's auth epoch stands.
            "credential_cache": CredentialCache(),
            # SQLite takes one writer at a time: queue this process's writers on a lock
            # instead of letting them poll the database's busy handler.
            "write_gate": asyncio.Lock() if engine.dialect.name == "sqlite" else None,  # type: ignore[attr-defined]
            # LSE's settings objects inside a project's JSON (core/projects/sections.py).
            "project_sections": (AssignmentSettingsSection(), ReviewSettingsSection()),
        }
    )
