"""Issue 16: an id (or any integer bound for a 32-bit column) in a JSON body that no column can
hold is a 400 naming the field, on every route: found by walking the request body struct of
every route of the app, so a new route or field is checked without being listed here. Bodies
decoded by hand (plain JSON objects) are listed in ``HAND_DECODED``. Runs on SQLite and
PostgreSQL: past 2**31 PostgreSQL's ``integer`` overflows, past 2**63 SQLite's."""

from __future__ import annotations

import re
from typing import Any

import msgspec.inspect as mi
import pytest

from labelloom.core.input_limits import ID_MAX, ID_MIN

from .helpers import choice, import_texts

TOO_BIG = (2**31, 2**63)


def _int_fields(info: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], mi.IntType]]:
    """(path, type) of every integer in a body type; a path step is a field name or ``[]``."""
    if isinstance(info, mi.IntType):
        return [(path, info)]
    found: list[tuple[tuple[Any, ...], mi.IntType]] = []
    if isinstance(info, mi.StructType | mi.DataclassType | mi.TypedDictType):
        for field in info.fields:
            found += _int_fields(field.type, (*path, field.encode_name))
    elif isinstance(info, mi.ListType | mi.SetType | mi.FrozenSetType | mi.VarTupleType):
        found += _int_fields(info.item_type, (*path, "[]"))
    elif isinstance(info, mi.UnionType):
        for member in info.types:
            found += _int_fields(member, path)
    return found


def body_int_fields(app: Any) -> list[tuple[str, str, tuple[Any, ...], mi.IntType]]:
    """(method, path, field path, type) of every integer of every route's body struct."""
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is None:
                continue
            for method in sorted(set(handler.http_methods) - {"HEAD", "OPTIONS"}):
                for path, info in _int_fields(mi.type_info(data.annotation)):
                    found.append((method, route.path, path, info))
    return found


def _body(path: tuple[Any, ...], value: int) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    return [1, _body(rest, value)] if head == "[]" else {head: _body(rest, value)}


def _field_name(path: tuple[Any, ...]) -> str:
    return next(step for step in reversed(path) if step != "[]")


@pytest.fixture
async def client(make_app):
    """The app, allowed to name a local webhook URL (nothing is delivered: no worker runs it)."""
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(make_app(allow_private_urls=True, workers=0)) as test_client:
        yield test_client


@pytest.fixture
async def rows(client, admin, project):
    """One row of each kind a body route's path may name, so each request reaches its body."""
    h, pid = admin.headers, project["id"]
    task, other = await import_texts(client, admin, pid, ["alpha", "beta"])
    annotation = (await client.post(f"/api/tasks/{task}/annotations", headers=h, json={"result": choice("Positive")})).json()["id"]
    draft = (await client.post(f"/api/tasks/{other}/drafts", headers=h, json={"result": []})).json()["id"]
    prediction = (await client.post("/api/predictions", headers=h, json={"task": task, "result": []})).json()["id"]
    view = (await client.post("/api/dm/views", headers=h, json={"project": pid, "data": {}})).json()["id"]
    webhook = (await client.post("/api/webhooks", headers=h, json={"project": pid, "url": "http://127.0.0.1:9/hook"})).json()["id"]
    comment = (await client.post("/api/comments", headers=h, json={"annotation": annotation, "text": "hm"})).json()["id"]
    review = (await client.post("/api/annotation-reviews", headers=h, json={"annotation": annotation, "accepted": True})).json()["id"]
    organization = (await client.get("/api/current-user", headers=h)).json().get("active_organization") or 1
    other_user = (await client.post("/api/users", headers=h, json={"email": "other@example.com", "password": "long enough password"})).json()["id"]
    return {
        "user_id": other_user, "token_id": 1, "job_id": 1, "delivery_id": 1, "upload_id": 1, "action_id": "delete_tasks",
        "export_id": 1, "annotator": str(other_user), "chart": "agreement", "version_id": 1, "rest": "x", "path": "x",
        "project_id": pid, "task_id": task, "annotation_id": annotation, "draft_id": draft,
        "prediction_id": prediction, "view_id": view, "webhook_id": webhook, "comment_id": comment,
        "review_id": review, "organization_id": organization, "backend_id": 1, "storage_id": 1, "kind": "s3",
    }


def _fill(path: str, rows: dict[str, Any]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in rows, f"add a row for the path parameter {name!r} of {path} to the rows fixture"
        return str(rows[name])

    return re.sub(r"\{(\w+)(?::\w+)?\}", one, path)


def test_every_integer_in_a_request_body_struct_is_bounded(make_app):
    """The class fix: an unbounded ``int`` in a body struct fails here before a client finds it."""
    fields = body_int_fields(make_app())
    assert len(fields) > 40  # the walk sees the app's bodies
    unbounded = [f"{method} {path} {'.'.join(p)}" for method, path, p, info in fields
                 if info.ge is None or info.le is None or info.ge < ID_MIN or info.le > ID_MAX]
    assert unbounded == [], "use labelloom.core.input_limits.Id for these body fields:\n" + "\n".join(unbounded)


async def test_too_big_ids_in_body_structs_are_400_naming_the_field(make_app, client, admin, rows):
    checked = 0
    for method, route, path, _ in body_int_fields(make_app()):
        url = _fill(route, rows)
        for big in TOO_BIG:
            response = await client.request(method, url, headers=admin.headers, json=_body(path, big))
            where = f"{method} {url} {_body(path, big)}"
            assert response.status_code == 400, f"{where}: {response.status_code} {response.text}"
            assert _field_name(path) in response.json()["detail"], f"{where}: {response.text}"
            checked += 1
    assert checked > 80


# Bodies read as plain JSON (no struct): method, path, body with {big} where the id goes, field named.
HAND_DECODED = [
    ("POST", "/api/dm/actions?id=delete_tasks&project={project_id}", {"selectedItems": {"all": False, "included": ["{big}"]}}, "selectedItems.included"),
    ("POST", "/api/dm/actions?id=delete_tasks&project={project_id}", {"selectedItems": {"all": True, "excluded": ["{big}"]}}, "selectedItems.excluded"),
    ("POST", "/api/projects/{project_id}/tasks/assignees", {"type": "AN", "users": ["{big}"], "selectedItems": {"all": True}}, "users"),
    ("POST", "/api/projects/{project_id}/members", {"user": "{big}"}, "user"),
    ("DELETE", "/api/projects/{project_id}/members", {"user": "{big}"}, "user"),
    ("DELETE", "/api/projects/{project_id}/tasks/{task_id}/assignees", {"users": ["{big}"]}, "users"),
    ("DELETE", "/api/projects/{project_id}/file-uploads", {"file_upload_ids": ["{big}"]}, "file_upload_ids"),
    ("POST", "/api/projects/{project_id}/import/predictions", [{"task": "{big}", "result": []}], "task"),
    ("POST", "/api/storages/s3", {"project": "{big}", "bucket": "b"}, "project"),
    ("POST", "/api/projects/{project_id}/exports", {"task_filter_options": {"view": "{big}"}}, None),
]


def _with_big(body: Any, big: int) -> Any:
    if body == "{big}":
        return big
    if isinstance(body, dict):
        return {k: _with_big(v, big) for k, v in body.items()}
    if isinstance(body, list):
        return [_with_big(v, big) for v in body]
    return body


@pytest.mark.parametrize("method,route,body,field", HAND_DECODED, ids=[f"{m} {r} {f}" for m, r, _, f in HAND_DECODED])
async def test_too_big_ids_in_hand_decoded_bodies_are_400_naming_the_field(client, admin, rows, method, route, body, field):
    url = _fill(route.replace("{project_id}", str(rows["project_id"])), rows)
    for big in TOO_BIG:
        response = await client.request(method, url, headers=admin.headers, json=_with_big(body, big))
        assert response.status_code < 500, response.text
        assert response.status_code in (400, 404), response.text
        if field is not None:
            assert response.status_code == 400, response.text
            assert field in response.json()["detail"], response.text


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


async def test_every_route_answers_very_deep_json_with_a_4xx(make_app, client, admin, rows):
    """Nesting past what a JSON decoder recurses into, on every route that takes a body (and
    the rest: a body where none is expected must not break them either). Deletes go last."""
    routes = []
    for route in make_app().routes:
        for handler in getattr(route, "route_handlers", []):
            for method in set(handler.http_methods) & {"POST", "PUT", "PATCH", "DELETE"}:
                routes.append((method == "DELETE", method, route.path))
    assert len(routes) > 80  # the whole API, plugins' routes included
    headers = {**admin.headers, "Content-Type": "application/json"}
    for _, method, route in sorted(routes):
        url = _fill(route, rows)
        for body in (_deep(200_000), '{"data": {"text": ' + _deep(5_000) + "}}"):
            response = await client.request(method, url, headers=headers, content=body)
            assert response.status_code < 500, f"{method} {url}: {response.status_code} {response.text[:300]}"
