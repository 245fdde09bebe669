"""Every registered route (core and plugins) x every role: each route has a permission rule, and
a role the matrix denies gets 403 while a role it allows gets past the check."""

from __future__ import annotations

import re

import pytest
from litestar.handlers import HTTPRouteHandler

from labelloom.core.teams.guard import guarded_permission, rule_of
from labelloom.core.teams.permissions import PUBLIC, Role, role_allows

from .conftest import ROLES, add_member

IGNORED_METHODS = {"OPTIONS", "HEAD"}


def api_routes(app):
    """``(method, path_template, handler)`` for every HTTP route but static files."""
    for route in app.routes:
        if route.path.startswith("/static/"):
            continue
        for handler in getattr(route, "route_handlers", []):
            if not isinstance(handler, HTTPRouteHandler):
                continue
            for method in sorted(handler.http_methods - IGNORED_METHODS):
                yield method, route.path_format, handler


def permission_of(handler, method, path):
    rule = rule_of(handler, method, path)
    return guarded_permission(handler) if rule == "guarded" else rule


def denied_by_matrix(response) -> bool:
    """A 403 of the permission checks (they name the permission), not of a handler's own rule."""
    try:
        return response.status_code == 403 and "permission" in response.json()
    except ValueError:
        return False


def expected_allowed(role: str, permission: str | None) -> bool:
    if permission is None:
        return role in ("OW", "AD", "MA")
    return permission == PUBLIC or role_allows(Role(role), permission)


def test_every_route_has_a_rule(make_app):
    app = make_app()
    missing = [f"{method} {path}" for method, path, handler in api_routes(app) if rule_of(handler, method, path) is None]
    assert not missing, "routes without a permission rule (core/teams/rules.py or opt={'permission': ...}):\n" + "\n".join(missing)
    plugin_routes = [path for _, path, _ in api_routes(app) if path.startswith("/api/plugins/")]
    assert plugin_routes, "the plugin routes are part of the matrix"


def _fill(path: str, ids: dict[str, int]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1).partition(":")[0]
        if name in ids:
            return str(ids[name])
        return {"file_path": "upload/nothing.txt", "kind": "s3", "action_id": "delete_tasks"}.get(name, "999999")

    # Only whole segments are parameters (Litestar reads "{x}.csv" literally).
    return "/".join(re.sub(r"^\{([^}]+)\}$", value, segment) for segment in path.split("/"))


@pytest.fixture
async def world(client, admin, project, task_ids, people):
    """A project every role works in, with an annotation of the annotator's and a draft."""
    pid = project["id"]
    for role in ("RE", "AN"):
        await add_member(client, admin, pid, people[role].id)
    await client.post(f"/api/projects/{pid}/tasks/{task_ids[0]}/assignees/", headers=admin.headers,
                      json={"type": "AN", "users": [people["AN"].id]})
    annotator = people["AN"]
    annotation = await client.post(f"/api/tasks/{task_ids[0]}/annotations/", headers=annotator.headers,
                                   json={"result": [], "lead_time": 1})
    assert annotation.status_code == 201, annotation.text
    draft = await client.post(f"/api/tasks/{task_ids[0]}/drafts/", headers=annotator.headers, json={"result": []})
    view = await client.post("/api/dm/views/", headers=admin.headers, json={"project": pid, "data": {"title": "t"}})
    return {
        "project_id": pid,
        "task_id": task_ids[0],
        "task_pk": task_ids[0],
        "annotation_id": annotation.json()["id"],
        "draft_id": draft.json().get("id", 999999),
        "view_id": view.json()["id"],
        "user_id": people["AN"].id,
        "organization_id": 1,
    }


async def test_routes_by_roles(client, make_app, people, world):
    app = client.app
    wrong: list[str] = []
    for role in ROLES:
        member = people[role]
        for method, path, handler in api_routes(app):
            permission = permission_of(handler, method, path)
            if permission == PUBLIC or path.startswith("/api/auth/"):
                continue
            allowed = expected_allowed(role, permission)
            if allowed and method != "GET":
                continue  # writes the matrix allows are exercised by the feature tests
            url = _fill(path, world)
            query = {"project": world["project_id"]}
            response = await client.request(method, url, headers=member.headers, params=query,
                                            json={} if method in ("POST", "PUT", "PATCH") else None)
            if response.status_code >= 500:
                wrong.append(f"{role} {method} {path}: {response.status_code} {response.text[:200]}")
            elif allowed and denied_by_matrix(response):
                wrong.append(f"{role} {method} {path}: allowed ({permission}) but 403 {response.text[:160]}")
            elif not allowed and response.status_code != 403:
                wrong.append(f"{role} {method} {path}: denied ({permission}) but {response.status_code}")
    assert not wrong, "\n".join(wrong)
