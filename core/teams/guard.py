"""The app-wide guard: every request passes the permission its route's rule names.

Installed once on the application (core/app.py); see rules.py for how a route gets its rule.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from ..errors import NotAuthenticated, PermissionDenied
from ..users.auth import CREDENTIAL_SCOPE_KEY
from ..users.credential_cache import CachedCredential
from .permissions import ORGANIZATION_WIDE, PUBLIC, require, role_allows, role_of
from .rolenames import Role
from .rules import ROUTE_RULES
from .scope import resolve
from .visibility import task_filter_needed, task_visible

_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# A route without a rule (a plugin that declares none) stays as open as before roles existed for
# the roles that see every project, and closed to reviewers and annotators.
_UNRULED = ORGANIZATION_WIDE
# Permissions that apply within a project (account.use and organization.* do not).
_PROJECT_SCOPED = frozenset(
    {"projects.view", "projects.manage", "tasks.view", "tasks.manage", "tasks.assign", "annotations.view",
     "annotations.create", "annotations.manage", "annotations.review", "comments.view", "comments.create",
     "data.export"}
)


def rule_of(handler: BaseRouteHandler, method: str, path_template: str) -> str | None:
    """The permission a route needs; ``PUBLIC``; "guarded" when its own guard checks; or None."""
    if handler.opt.get("public"):
        return PUBLIC
    if any(getattr(guard, "permission", None) for guard in handler.guards or ()):
        return "guarded"
    declared = handler.opt.get("permission")
    if declared:
        return str(declared)
    return ROUTE_RULES.get((method, path_template))


def guarded_permission(handler: BaseRouteHandler) -> str:
    return next(str(g.permission) for g in handler.guards or () if getattr(g, "permission", None))


async def enforce_permissions(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    method = connection.scope.get("method", "GET")
    if method in ("OPTIONS", "HEAD"):
        return
    rule = rule_of(handler, method, connection.scope.get("path_template", ""))
    if rule == PUBLIC:
        return
    user = connection.scope.get("user")
    if user is None:
        raise NotAuthenticated("Authentication credentials were not provided.")
    db = connection.scope["state"]["db"]
    credential = connection.scope.get(CREDENTIAL_SCOPE_KEY)
    role = await _role(db, user, credential)
    if rule == "guarded":
        # The route's own guard places the request in a project; the role must allow its
        # permission at all, whatever the request names (a 403, not the handler's 404).
        permission = guarded_permission(handler)
        if not role_allows(role, permission):
            await require(db, user, None, permission)
        return
    if rule is None:
        if role not in _UNRULED:
            raise PermissionDenied(
                "This route has no permission rule; only owners, administrators and managers may use it.",
                permission="none",
            )
        return
    if not role_allows(role, rule):
        await require(db, user, None, rule)  # raises, naming the role and the permission
    if role in ORGANIZATION_WIDE:
        return  # they see every project: nothing below can refuse them (and resolve() costs a statement)
    target = await resolve(db, connection.path_params, connection.query_params)
    if not target.found:
        return  # the handler answers 404 as before
    if target.project_id is None and rule in _PROJECT_SCOPED:
        # Lists across projects are for the roles that see every project.
        raise PermissionDenied(
            "Name the project (?project=<id>): your role sees only its own projects.", permission=rule
        )
    await _require_in_project(db, user, target.project_id, rule, role, credential)
    if target.owner_id is not None and method in _WRITES and not role_allows(role, "annotations.manage"):
        if target.owner_id != user.id:
            raise PermissionDenied("You can change only your own annotations and drafts.", permission=rule)
    if target.task_id is not None and task_filter_needed(role):
        if not await task_visible(db, user.id, target.task_id):
            raise PermissionDenied("This task is not assigned to you.", permission=rule)


# The role and project memberships are kept in the request's cached credential: they are valid
# exactly as long as it is (the same ``auth`` epoch: memberships, roles and the organization's
# default role are watched tables), so a request of a known caller asks the database nothing.
_ROLE_ON_USER = "_labelloom_role"  # where teams.roles keeps a user's role for the request


async def _role(db: Any, user: Any, credential: CachedCredential | None) -> Role:
    if credential is not None:
        role = credential.derived.get("role")
        if role is not None:
            user.__dict__[_ROLE_ON_USER] = role
            return role
    role = await role_of(db, user)
    if credential is not None:
        credential.derived["role"] = role
    return role


async def _require_in_project(
    db: Any, user: Any, project_id: int | None, rule: str, role: Role, credential: CachedCredential | None
) -> None:
    members: dict[int, bool] | None = credential.derived.setdefault("members", {}) if credential is not None else None
    if project_id is not None and members is not None and members.get(project_id) and role_allows(role, rule):
        return
    await require(db, user, project_id, rule)  # raises, naming the role and the permission
    if project_id is not None and members is not None and role not in ORGANIZATION_WIDE:
        members[project_id] = True
