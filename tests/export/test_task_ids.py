"""Choosing the exported tasks in every form Label Studio's docs and SDK use (issue 15)."""

import json
import time

import pytest
from label_studio_sdk import LabelStudio

from .conftest import CONFIG, TASKS


async def exported_ids(client, admin, project_id, query):
    r = await client.get(f"/api/projects/{project_id}/export?exportType=JSON&download_all_tasks=true&{query}",
                         headers=admin.headers)
    assert r.status_code == 200, r.text
    return [t["id"] for t in r.json()]


async def test_every_query_form_of_ids(client, admin, project):
    a, b, c = project["task_ids"]
    pid = project["id"]
    assert await exported_ids(client, admin, pid, f"ids[]={a}&ids[]={c}") == [a, c]  # Label Studio's curl examples
    assert await exported_ids(client, admin, pid, f"ids%5B%5D={a}&ids%5B%5D={b}") == [a, b]  # the same, encoded
    assert await exported_ids(client, admin, pid, f"ids={b}&ids={c}") == [b, c]  # the SDK (httpx repeats keys)
    assert await exported_ids(client, admin, pid, f"ids={a},{c}") == [a, c]
    assert await exported_ids(client, admin, pid, f"ids={a}, {b}&ids[]={c}") == [a, b, c]
    assert await exported_ids(client, admin, pid, f"exclude_ids[]={a}&exclude_ids={b}") == [c]
    assert await exported_ids(client, admin, pid, "") == [a, b, c]


@pytest.mark.parametrize("query", ["ids=abc", "ids[]=1.5", "ids=1,x", "ids=-3", "exclude_ids[]=%E2%91%A0"])
async def test_a_bad_id_is_a_400_naming_it(client, admin, project, query):
    r = await client.get(f"/api/projects/{project['id']}/export?exportType=JSON&{query}", headers=admin.headers)
    assert r.status_code == 400, r.text
    field = query.split("=")[0].removesuffix("[]")
    assert field in r.json()["validation_errors"] and "is not a task id" in r.json()["detail"]


async def wait_for(client, admin, pid, export_id):
    for _ in range(300):
        r = await client.get(f"/api/projects/{pid}/exports/{export_id}", headers=admin.headers)
        if r.json()["status"] in ("completed", "failed"):
            return r.json()
        time.sleep(0.05)
    raise AssertionError("the snapshot did not finish")


async def test_snapshot_body_ids(client, admin, project):
    a, b, c = project["task_ids"]
    pid = project["id"]
    bodies = [
        ({"task_filter_options": {"ids": [a, c]}}, [a, c]),
        ({"ids": [b, c]}, [b, c]),
        ({"ids": f"{a},{b}"}, [a, b]),
        ({"task_filter_options": {"ids": f"{c}"}, "ids": [a]}, [c]),  # the options' own win
    ]
    for body, expected in bodies:
        r = await client.post(f"/api/projects/{pid}/exports/", headers=admin.headers, json={"title": "s", **body})
        assert r.status_code == 201, r.text
        assert r.json()["task_filter_options"]["ids"] == expected
        done = await wait_for(client, admin, pid, r.json()["id"])
        assert done["status"] == "completed" and done["counters"]["task_number"] == len(expected)
    r = await client.post(f"/api/projects/{pid}/exports/", headers=admin.headers, json={"ids": ["x"]})
    assert r.status_code == 400 and "ids" in r.json()["validation_errors"]


@pytest.fixture
def ls_project(live_server):
    admin = live_server.sign_up_admin()
    ls = LabelStudio(base_url=live_server.url, api_key=admin.token)
    project = ls.projects.create(title="SDK export ids", label_config=CONFIG)
    ls.projects.import_tasks(id=project.id, request=TASKS)
    ids = [t.id for t in ls.tasks.list(project=project.id)]
    return ls, project, ids, admin.token


def test_sdk_download_sync_with_ids(ls_project):
    ls, project, ids, _ = ls_project
    raw = b"".join(ls.projects.exports.download_sync(id=project.id, export_type="JSON", download_all_tasks=True,
                                                     ids=[str(ids[0]), str(ids[2])]))
    assert [t["id"] for t in json.loads(raw)] == [ids[0], ids[2]]
    raw = b"".join(ls.projects.exports.download_sync(id=project.id, export_type="JSON", download_all_tasks=True,
                                                     ids=f"{ids[1]},{ids[2]}"))
    assert [t["id"] for t in json.loads(raw)] == [ids[1], ids[2]]


def test_legacy_sdk_export_tasks_with_ids(ls_project, live_server):
    from label_studio_sdk._legacy import Client

    _, project, ids, token = ls_project
    legacy = Client(url=live_server.url, api_key=token)
    tasks = legacy.get_project(project.id).export_tasks(export_type="JSON", download_all_tasks=True, ids=[ids[1]])
    assert [t["id"] for t in tasks] == [ids[1]]
