"""ML backend rows: create, change, delete, and their state (``/health`` then ``/setup``).

Adding a backend creates the project webhook ``<url>/webhook`` for all actions, as Label Studio
does, so the model server receives every event of its project. Secrets (the basic-auth
password) are write-only: the API says only whether one is set.
"""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import LabelloomError, NotFound, ValidationFailed
from ..host import PluginHost
from ..net import check_outbound_url
from ..projects.models import Project
from ..settings import Settings
from ..users.models import ApiToken
from ..webhooks.models import Webhook
from .connect import connector, project_key
from .models import AUTH_METHODS, STATES, MLBackend
from .schemas import MLBackendIn, MLBackendPatch

MAX_URL_LENGTH = 2048
MAX_TIMEOUT = 3600.0


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", validation_errors={field: [message]})


def backend_out(backend: MLBackend) -> dict[str, Any]:
    return {
        "id": backend.id,
        "project": backend.project_id,
        "url": backend.url,
        "title": backend.title,
        "description": backend.description,
        "state": backend.state,
        "readable_state": STATES.get(backend.state, backend.state),
        "error_message": backend.error_message,
        "is_interactive": backend.is_interactive,
        "auth_method": backend.auth_method,
        "basic_auth_user": backend.basic_auth_user,
        "basic_auth_pass_is_set": bool(backend.basic_auth_pass),
        "extra_params": backend.extra_params,
        "timeout": backend.timeout,
        "auto_update": backend.auto_update,
        "model_version": backend.model_version,
        "kind": backend.kind,
        "created_at": backend.created_at,
        "updated_at": backend.updated_at,
    }


async def get_backend(db: AsyncSession, backend_id: int) -> MLBackend:
    backend = await db.get(MLBackend, backend_id)
    if backend is None:
        raise NotFound(f"ML backend {backend_id} not found.")
    return backend


async def list_backends(db: AsyncSession, project_id: int | None = None, is_interactive: bool | None = None) -> list[MLBackend]:
    query = select(MLBackend).order_by(MLBackend.id)
    if project_id is not None:
        query = query.where(MLBackend.project_id == project_id)
    if is_interactive is not None:
        query = query.where(MLBackend.is_interactive.is_(is_interactive))
    return list((await db.execute(query)).scalars())


async def _check(db: AsyncSession, settings: Settings, host: PluginHost, fields: dict[str, Any]) -> None:
    """Validate the sent fields (all of a POST, those of a PATCH); nothing is written on error."""
    if "url" in fields:
        url = (fields["url"] or "").strip()
        if not url:
            raise _invalid("url", "This field may not be blank.")
        if len(url) > MAX_URL_LENGTH:
            raise _invalid("url", f"Ensure this field has no more than {MAX_URL_LENGTH} characters.")
        await check_outbound_url(url, allow_private=settings.allow_private_urls)
        fields["url"] = url
    if "project" in fields and await db.get(Project, fields["project"]) is None:
        raise _invalid("project", f'Invalid pk "{fields["project"]}" - object does not exist.')
    if fields.get("auth_method") is not None and fields["auth_method"] not in AUTH_METHODS:
        raise _invalid("auth_method", f'"{fields["auth_method"]}" is not a valid choice ({", ".join(AUTH_METHODS)}).')
    timeout = fields.get("timeout")
    if timeout is not None and not (0 <= timeout <= MAX_TIMEOUT):
        raise _invalid("timeout", f"Must be between 0 and {MAX_TIMEOUT:g} seconds.")
    if "title" in fields and fields["title"] is not None and len(fields["title"]) > 512:
        raise _invalid("title", "Ensure this field has no more than 512 characters.")
    kind = fields.get("kind")
    if kind is not None and host.registries.ml_backends.get(kind) is None:
        raise _invalid("kind", f"Unknown ML backend kind {kind!r}.")


def _columns(fields: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "project":
            values["project_id"] = value
        elif value is None and name in ("title", "description", "model_version"):
            values[name] = ""
        elif value is None and name in ("auth_method",):
            values[name] = "NONE"
        elif value is None and name in ("is_interactive",):
            values[name] = False
        elif value is None and name in ("auto_update",):
            values[name] = True
        elif value is None and name == "timeout":
            values[name] = 100.0
        else:
            values[name] = value
    return values


async def ensure_webhook(db: AsyncSession, backend: MLBackend) -> Webhook:
    """Label Studio's ``get_or_create``: one project webhook to ``<url>/webhook``, all actions."""
    url = backend.url.rstrip("/") + "/webhook"
    found = await db.execute(select(Webhook).where(Webhook.project_id == backend.project_id, Webhook.url == url).limit(1))
    webhook = found.scalar_one_or_none()
    if webhook is None:
        webhook = Webhook(project_id=backend.project_id, url=url, send_payload=True, send_for_all_actions=True,
                          headers={}, actions=[], is_active=True)
        db.add(webhook)
        await db.flush()
    backend.webhook_id = webhook.id
    return webhook


async def create_backend(db: AsyncSession, settings: Settings, host: PluginHost, data: MLBackendIn) -> MLBackend:
    fields = msgspec.structs.asdict(data)
    await _check(db, settings, host, fields)
    values = _columns(fields)
    if not values.get("title"):
        values["title"] = "default"
    backend = MLBackend(**values)
    db.add(backend)
    await db.flush()
    await ensure_webhook(db, backend)
    await db.flush()
    return backend


async def update_backend(db: AsyncSession, settings: Settings, host: PluginHost, backend: MLBackend,
                         data: MLBackendPatch) -> MLBackend:
    fields = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    await _check(db, settings, host, fields)
    project = await db.get(Project, backend.project_id)
    old_title, old_url = backend.title, backend.url
    for name, value in _columns(fields).items():
        setattr(backend, name, value)
    # Label Studio: a project whose model_version named the backend's title follows a rename.
    if project is not None and backend.title != old_title and old_title and project.model_version == old_title:
        project.model_version = backend.title
    if backend.url != old_url:
        await ensure_webhook(db, backend)
    await db.flush()
    return backend


async def delete_backend(db: AsyncSession, backend: MLBackend) -> None:
    """Delete the backend and the webhook created with it; a project whose model_version named
    the backend (its title) forgets it, as in Label Studio."""
    project = await db.get(Project, backend.project_id)
    if project is not None and backend.title and project.model_version == backend.title:
        project.model_version = ""
    if backend.webhook_id is not None:
        others = await db.execute(select(MLBackend.id).where(MLBackend.webhook_id == backend.webhook_id, MLBackend.id != backend.id))
        webhook = await db.get(Webhook, backend.webhook_id)
        if webhook is not None and others.first() is None:
            await db.delete(webhook)
    await db.delete(backend)
    await db.flush()


async def setup_body(db: AsyncSession, project: Project, backend: MLBackend, hostname: str) -> dict[str, Any]:
    """``/setup``'s body: project key, config, our address and the owner's legacy token (the model
    server downloads task media with it)."""
    token = None
    if project.created_by_id is not None:
        token = (await db.execute(select(ApiToken.key).where(ApiToken.user_id == project.created_by_id))).scalar_one_or_none()
    body: dict[str, Any] = {
        "project": project_key(project),
        "schema": project.label_config,
        "hostname": hostname,
        "access_token": token or "",
        "extra_params": backend.extra_params or {},
    }
    if not backend.auto_update and backend.model_version:
        body["model_version"] = backend.model_version
    return body


async def probe(host: PluginHost, settings: Settings, backend: MLBackend, body: dict[str, Any]) -> tuple[str, str | None, str | None]:
    """Call ``/health`` then ``/setup``: ``(state, error, model_version)``; never raises."""
    try:
        async with connector(host, settings, backend) as client:
            try:
                await client.health()
            except LabelloomError as exc:
                return "DI", exc.detail, None
            try:
                answer = await client.setup(body)
            except LabelloomError as exc:
                return "ER", exc.detail, None
    except LabelloomError as exc:
        return "ER", exc.detail, None
    version = answer.get("model_version")
    return "CO", None, str(version) if version not in (None, "") else None


def apply_probe(project: Project, backend: MLBackend, state: str, error: str | None, version: str | None) -> None:
    backend.state = state
    backend.error_message = error
    if version and backend.auto_update and version != backend.model_version:
        # The project's shown predictions follow the backend's new version if they followed its old one.
        if project.model_version in ("", backend.model_version):
            project.model_version = version
        backend.model_version = version
    elif version and not backend.model_version:
        backend.model_version = version
        if not project.model_version:
            project.model_version = version


async def refresh_states(db: AsyncSession, host: PluginHost, settings: Settings, backends: list[MLBackend],
                         hostname: str) -> None:
    """Refresh every backend's state, calling the model servers concurrently."""
    if not backends:
        return
    projects = {b.project_id: await db.get(Project, b.project_id) for b in backends}
    bodies = [await setup_body(db, projects[b.project_id], b, hostname) for b in backends]  # type: ignore[arg-type]
    outcomes = await asyncio.gather(*(probe(host, settings, b, body) for b, body in zip(backends, bodies, strict=True)))
    for backend, (state, error, version) in zip(backends, outcomes, strict=True):
        apply_probe(projects[backend.project_id], backend, state, error, version)  # type: ignore[arg-type]
    await db.flush()
