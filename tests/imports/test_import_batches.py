"""Imports number their tasks from one lock on the project row taken at the first batch and
settled at the end, write each batch's rows as the database's bulk input prepared on the worker
thread, and read the new ids back once (issue 17). Batches are made small here so a few hundred
tasks cross several of them."""

from __future__ import annotations

import asyncio
import gc

import msgspec
import pytest

from labelloom.core.errors import ValidationFailed
from labelloom.core.imports import service
from labelloom.core.imports.parsers import RawItem
from tests.api.helpers import TEXT_CONFIG, choice


@pytest.fixture
async def project(client, admin):
    response = await client.post("/api/projects/", headers=admin.headers, json={"title": "T", "label_config": TEXT_CONFIG})
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(service, "FIRST_BATCH", 30)
    monkeypatch.setattr(service, "BATCH_TASKS", 100)


async def post(client, admin, pid, tasks, **params):
    return await client.post(f"/api/projects/{pid}/import", headers={**admin.headers, "Content-Type": "application/json"},
                             params=params, content=msgspec.json.encode(tasks))


async def all_tasks(client, admin, pid):
    r = await client.get("/api/tasks", params={"project": pid, "page_size": 2000, "fields": "all"}, headers=admin.headers)
    return r.json()["tasks"]


async def test_inner_ids_run_on_across_batches_imports_and_single_tasks(client, admin, project, small_batches):
    pid = project["id"]
    r = await post(client, admin, pid, [{"text": f"a{i}"} for i in range(250)], return_task_ids="true")
    assert r.status_code == 201, r.text
    first_ids = r.json()["task_ids"]
    assert len(first_ids) == 250 and first_ids == sorted(first_ids)
    r = await client.post("/api/tasks", headers=admin.headers, json={"project": pid, "data": {"text": "single"}})
    assert r.status_code == 201 and r.json()["inner_id"] == 251, r.text
    r = await post(client, admin, pid, [{"text": f"b{i}"} for i in range(140)], return_task_ids="true")
    assert r.status_code == 201 and r.json()["task_count"] == 140, r.text
    tasks = await all_tasks(client, admin, pid)
    assert [t["inner_id"] for t in tasks] == list(range(1, 392))
    assert [t["id"] for t in tasks[:250]] == first_ids and [t["id"] for t in tasks[251:]] == r.json()["task_ids"]
    assert [t["data"]["text"] for t in tasks] == [f"a{i}" for i in range(250)] + ["single"] + [f"b{i}" for i in range(140)]
    project_after = (await client.get(f"/api/projects/{pid}/", headers=admin.headers)).json()
    assert project_after["task_number"] == 391


async def test_concurrent_imports_number_their_tasks_apart(client, admin, project, small_batches):
    pid = project["id"]
    bodies = [[{"text": f"{name}{i}"} for i in range(230)] for name in ("x", "y")]
    results = await asyncio.gather(*(post(client, admin, pid, body, return_task_ids="true") for body in bodies))
    assert [r.status_code for r in results] == [201, 201], [r.text for r in results]
    tasks = await all_tasks(client, admin, pid)
    assert sorted(t["inner_id"] for t in tasks) == list(range(1, 461))
    for name, result in zip(("x", "y"), results):
        mine = [t for t in tasks if t["data"]["text"].startswith(name)]
        inner = [t["inner_id"] for t in mine]
        assert inner == list(range(inner[0], inner[0] + 230))  # one import's tasks are numbered together
        assert [t["id"] for t in mine] == result.json()["task_ids"]


async def test_rows_of_every_shape_come_back_as_sent(client, admin, project, small_batches):
    """Strings COPY and SQLite treat specially, meta on some tasks only, and tasks with
    annotations among plain ones in the same batches."""
    pid = project["id"]
    awkward = ["tab\there", "new\nline", "back\\slash", "\\N", "ünï ✓ \"q\"", "},{", "\r"]
    tasks = []
    for i in range(260):
        task = {"data": {"text": awkward[i % len(awkward)] + str(i), "n": i, "f": i / 4}}
        if i % 4 == 0:
            task["meta"] = {"m": awkward[i % len(awkward)]}
        if i % 10 == 0:
            task["annotations"] = [{"result": choice("Positive")}]
        tasks.append(task)
    r = await post(client, admin, pid, tasks)
    assert r.status_code == 201 and r.json()["annotation_count"] == 26, r.text
    got = await all_tasks(client, admin, pid)
    assert [t["data"] for t in got] == [t["data"] for t in tasks]
    assert [t["meta"] or None for t in got] == [t.get("meta") for t in tasks]
    assert [t["total_annotations"] for t in got] == [1 if i % 10 == 0 else 0 for i in range(260)]
    project_after = (await client.get(f"/api/projects/{pid}/", headers=admin.headers)).json()
    assert project_after["task_number"] == 260 and project_after["total_annotations_number"] == 26


async def test_the_project_row_is_written_twice_per_import_not_per_batch(client, admin, project, small_batches, statements):
    pid = project["id"]
    statements.clear()
    r = await post(client, admin, pid, [{"text": f"t{i}"} for i in range(530)], return_task_ids="true")
    assert r.status_code == 201 and len(r.json()["task_ids"]) == 530, r.text
    project_writes = [s for s in statements if s.startswith("UPDATE projects ")]
    assert len(project_writes) == 2, project_writes  # the lock at the first batch, the end at the last
    assert len([s for s in statements if s.startswith("SELECT tasks.id ")]) == 1  # the ids, once


async def test_a_bad_item_after_the_lock_leaves_nothing_and_numbering_intact(client, admin, project, small_batches):
    pid = project["id"]
    tasks = [{"text": f"t{i}"} for i in range(300)]
    tasks[250] = {"txt": "no text"}
    r = await post(client, admin, pid, tasks)
    assert r.status_code == 400 and r.json()["detail"].startswith('item 250: "text" key is expected'), r.text
    r = await post(client, admin, pid, [{"text": "after"}], return_task_ids="true")
    assert r.status_code == 201
    assert [t["inner_id"] for t in await all_tasks(client, admin, pid)] == [1]


def test_a_failing_batch_leaves_the_garbage_collector_on():
    def items():
        yield RawItem("item 0", {"text": "x"})
        yield RawItem("item 1", {})

    importer = service.TaskImporter.__new__(service.TaskImporter)
    importer.required_keys, importer.first_key, importer._user_refs = ["text"], "text", {}
    importer._next_inner = None
    assert gc.isenabled()
    with pytest.raises(ValidationFailed):
        importer._next_encoded(items(), 0, [])
    assert gc.isenabled()
