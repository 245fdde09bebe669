"""From a backend row to a live connector of its kind (the ``ml_http`` plugin's, usually)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from ..errors import MLBackendError
from ..host import PluginHost
from ..projects.models import Project
from ..settings import Settings
from ..specs import MLConnection, MLConnector
from .models import MLBackend


def connection_of(backend: MLBackend, settings: Settings) -> MLConnection:
    auth = None
    if backend.auth_method == "BASIC_AUTH" and backend.basic_auth_user:
        auth = (backend.basic_auth_user, backend.basic_auth_pass or "")
    return MLConnection(
        url=backend.url,
        basic_auth=auth,
        extra_params=dict(backend.extra_params or {}),
        timeout=float(backend.timeout or 0),
        allow_private=settings.allow_private_urls,
    )


@asynccontextmanager
async def connector(host: PluginHost, settings: Settings, backend: MLBackend) -> AsyncIterator[MLConnector]:
    spec = host.registries.ml_backends.get(backend.kind)
    if spec is None or spec.connector is None:
        raise MLBackendError(f"No installed plugin speaks to ML backends of kind {backend.kind!r} (is ml_http enabled?).")
    client = spec.connector(connection_of(backend, settings))
    try:
        yield client
    finally:
        await client.aclose()


def project_key(project: Project) -> str:
    """Label Studio's project identifier for model servers: ``<id>.<created timestamp>``."""
    return f"{project.id}.{int(project.created_at.timestamp())}"


def predict_body(project: Project, tasks: list[dict[str, Any]], context: Any = None) -> dict[str, Any]:
    """The ``/predict`` body (reference §6, §12.6)."""
    return {
        "tasks": tasks,
        "project": project_key(project),
        "label_config": project.label_config,
        "params": {"login": project.task_data_login, "password": project.task_data_password, "context": context},
    }
