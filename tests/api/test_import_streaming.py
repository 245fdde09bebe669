"""Imports stream: memory follows the batch, not the body, and the import stays all or nothing
(issue 17.2). Batches are made small here so that a few thousand tasks cross many of them."""

import io
import random

import msgspec
import pytest

from labelloom.core.errors import ValidationFailed
from labelloom.core.imports import jsonlist, service
from labelloom.core.imports.parsers import RawItem, from_json

from .helpers import choice


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 100 tasks, and the inserts counted, so a test can tell that batches were
    written before the item that failed."""
    monkeypatch.setattr(service, "BATCH_TASKS", 100)
    inserted = []
    original = service.TaskImporter._insert_batch

    async def counting(self, tasks, refs, *, want_ids):
        inserted.append(len(tasks))
        await original(self, tasks, refs, want_ids=want_ids)

    monkeypatch.setattr(service.TaskImporter, "_insert_batch", counting)
    return inserted


async def project_state(client, admin, pid):
    project = (await client.get(f"/api/projects/{pid}/", headers=admin.headers)).json()
    tasks = (await client.get("/api/tasks", params={"project": pid, "page_size": 10}, headers=admin.headers)).json()
    return project["task_number"], project["total_annotations_number"], len(tasks["tasks"])


async def post_json(client, admin, pid, body, **params):
    return await client.post(f"/api/projects/{pid}/import", headers={**admin.headers, "Content-Type": "application/json"},
                             params=params, content=body)


async def test_a_bad_item_deep_in_a_stream_changes_nothing(client, admin, project, small_batches):
    pid = project["id"]
    assert (await post_json(client, admin, pid, b'[{"text": "before"}]')).status_code == 201
    before = await project_state(client, admin, pid)
    tasks = [{"data": {"text": f"t{i}"}, "annotations": [{"result": choice("Positive")}]} for i in range(750)]
    tasks[620] = {"data": {"text": "bad"}, "annotations": [{"result": choice("Angry")}]}
    small_batches.clear()
    r = await post_json(client, admin, pid, msgspec.json.encode(tasks))
    assert r.status_code == 400, r.text
    assert r.json()["detail"].startswith("item 620: annotations[0]")
    assert list(r.json()["validation_errors"]) == ["item 620: annotations[0].result[0].value.choices[0]"]
    assert sum(small_batches) >= 600  # six batches had been written before item 620
    assert await project_state(client, admin, pid) == before
    r = await post_json(client, admin, pid, b'[{"text": "after"}]', return_task_ids="true")
    tasks = (await client.get("/api/tasks", params={"project": pid}, headers=admin.headers)).json()["tasks"]
    assert [t["inner_id"] for t in tasks] == [1, 2]  # the failed import's inner ids were rolled back too


async def test_malformed_json_deep_in_a_stream_names_the_item(client, admin, project, small_batches):
    pid = project["id"]
    body = msgspec.json.encode([{"text": f"t{i}"} for i in range(3000)])[:-1] + b', {"text": tru}]'
    r = await post_json(client, admin, pid, body)
    assert r.status_code == 400 and r.json()["detail"].startswith("item 3000: cannot be parsed"), r.text
    assert sum(small_batches) >= 2900
    assert (await project_state(client, admin, pid))[0] == 0


@pytest.mark.parametrize(("body", "detail"), [
    (b"[]", "No tasks found"),
    (b'[{"text": "a"},]', "item 1: cannot be parsed: a comma ends the list"),
    (b'[{"text": "a"}] [', "JSON: cannot be parsed: there is more after the list"),
    (b'[{"text": "a"}, {"text": "b"', "item 1: cannot be parsed: the list ends in the middle of it"),
    (b'"text"', "JSON: must be a list of tasks or one task object"),
    (b'[{"text": "a"}, 7]', "item 1: a task must be a JSON object, not int"),
    (b'[{"text": "a", "n": 1e999}]', "item 0: cannot be parsed (Number out of range"),
])
async def test_malformed_bodies(client, admin, project, body, detail):
    r = await post_json(client, admin, project["id"], body)
    assert r.status_code == 400 and r.json()["detail"].startswith(detail), r.text
    assert (await project_state(client, admin, project["id"]))[0] == 0


async def test_hostile_bodies_stop_at_the_first_bad_item(client, admin, project):
    pid = project["id"]
    r = await post_json(client, admin, pid, b"[" + b"{}," * 1_000_000 + b"{}]")
    assert r.status_code == 400
    assert r.json()["detail"] == 'item 0: "text" key is expected in task data (the task has: none)'
    r = await post_json(client, admin, pid, b"[" * 1_000_000 + b"]" * 1_000_000)
    assert r.status_code == 400 and r.json()["detail"].startswith("item 0: is nested more than"), r.text
    deep = b'[{"text": "a"}, {"text": "b", "deep": ' + b"[" * 1500 + b"]" * 1500 + b"}]"
    r = await post_json(client, admin, pid, deep)
    assert r.status_code == 400 and r.json()["detail"].startswith("item 1: is nested"), r.text
    assert (await project_state(client, admin, pid))[0] == 0


async def test_deep_but_reasonable_data_is_kept(client, admin, project):
    nested = "x"
    for _ in range(40):
        nested = [nested]
    r = await client.post(f"/api/projects/{project['id']}/import", headers=admin.headers,
                          json=[{"text": "a", "nested": nested}])
    assert r.status_code == 201, r.text
    task = (await client.get("/api/tasks", params={"project": project["id"]}, headers=admin.headers)).json()["tasks"][0]
    assert task["data"]["nested"] == nested


async def test_huge_strings_import_whole(client, admin, project):
    """One item far larger than the parser's buffer and regions, with the characters that
    confuse a splitter (quotes, brackets, "},{") inside its strings."""
    big = ('he said "},{" and [ { ] } \\ ' * 200_000)[:5_000_000]
    tasks = [{"text": "small"}, {"text": big, "other": "]"}, {"text": "},{"}]
    r = await post_json(client, admin, project["id"], msgspec.json.encode(tasks))
    assert r.status_code == 201, r.text[:300]
    got = (await client.get("/api/tasks", params={"project": project["id"]}, headers=admin.headers)).json()["tasks"]
    assert [t["data"] for t in got] == tasks


async def test_batches_keep_ids_order_counters_and_uploads(client, admin, project, small_batches):
    pid = project["id"]
    tasks = [{"data": {"text": f"t{i}"}, "predictions": [{"result": "Negative", "score": 0.5}]} for i in range(250)]
    r = await post_json(client, admin, pid, msgspec.json.encode(tasks), return_task_ids="true")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["task_count"] == 250 and body["prediction_count"] == 250 and len(small_batches) == 3
    assert body["task_ids"] == sorted(body["task_ids"]) and len(set(body["task_ids"])) == 250
    project_after = (await client.get(f"/api/projects/{pid}/", headers=admin.headers)).json()
    assert project_after["task_number"] == 250 and project_after["total_predictions_number"] == 250
    csv = b"text\n" + b"".join(f"c{i}\n".encode() for i in range(150))
    jsonl = b"".join(msgspec.json.encode({"text": f"j{i}"}) + b"\n" for i in range(120))
    r = await client.post(f"/api/projects/{pid}/import", headers=admin.headers,
                          files=[("a", ("a.csv", io.BytesIO(csv))), ("b", ("b.jsonl", io.BytesIO(jsonl)))])
    assert r.status_code == 201 and r.json()["task_count"] == 270, r.text
    first, second = r.json()["file_upload_ids"]
    got = (await client.get("/api/tasks", params={"project": pid, "page_size": 1000, "fields": "all"},
                            headers=admin.headers)).json()["tasks"][250:]
    made_by = {t["data"]["text"][0]: set() for t in got}
    for t in got:
        made_by[t["data"]["text"][0]].add(t["file_upload"].split("-", 1)[1])
    assert made_by == {"c": {"a.csv"}, "j": {"b.jsonl"}}
    uploads = (await client.get(f"/api/projects/{pid}/file-uploads", params={"ids": f"{first},{second}"},
                                headers=admin.headers)).json()
    assert [u["id"] for u in uploads] == [first, second]


async def test_a_bad_line_deep_in_an_uploaded_file_leaves_no_tasks_or_upload(client, admin, project, small_batches):
    pid = project["id"]
    csv = b"text,n\n" + b"".join(f"c{i},{i}\n".encode() for i in range(400)) + b"short\n" + b"x,1\n"
    r = await client.post(f"/api/projects/{pid}/import", headers=admin.headers, files={"file": ("big.csv", io.BytesIO(csv))})
    assert r.status_code == 400 and r.json()["detail"].startswith("big.csv line 402: has 1 column"), r.text
    assert sum(small_batches) >= 400
    assert (await project_state(client, admin, pid))[0] == 0
    r = await client.get(f"/api/projects/{pid}/file-uploads", params={"all": "true"}, headers=admin.headers)
    assert r.json() == []


async def test_preannotated_fields_stream_too(client, admin, project, small_batches):
    tasks = [{"text": f"t{i}", "label": "Positive"} for i in range(230)]
    r = await post_json(client, admin, project["id"], msgspec.json.encode(tasks), preannotated_from_fields="label")
    assert r.status_code == 201 and r.json()["prediction_count"] == 230 and len(small_batches) == 3


# -- the parser alone -------------------------------------------------------------------------

def parse(body):
    return [item.value for item in from_json(io.BytesIO(body))]


TRICKY = ['},{', '"', "\\", "[", "]", "{", "}", '\\"},{\\"', "ünï ✓", "\n\t", ""]


def random_document(rng):
    def value(depth):
        kind = rng.randrange(6 if depth < 6 else 3)
        if kind == 0:
            return rng.choice(TRICKY) * rng.randrange(1, 4)
        if kind == 1:
            return rng.choice([0, -1.5, 10**15, True, None])
        if kind == 2:
            return rng.choice(["a", "b"])
        if kind in (3, 4):
            return {rng.choice(TRICKY + ["k"]) + str(i): value(depth + 1) for i in range(rng.randrange(4))}
        return [value(depth + 1) for _ in range(rng.randrange(4))]
    return [{"data": {"text": value(0), "more": value(0)}} if rng.random() < 0.8 else value(0) for _ in range(rng.randrange(60))]


@pytest.mark.parametrize("seed", range(40))
def test_region_cutting_never_changes_the_document(monkeypatch, seed):
    rng = random.Random(seed)
    monkeypatch.setattr(jsonlist, "READ", rng.choice([1, 7, 64, 1 << 20]))
    monkeypatch.setattr(jsonlist, "REGION_BYTES", rng.choice([1, 50, 300, 256 * 1024]))
    monkeypatch.setattr(jsonlist, "REGION_ITEMS", rng.choice([1, 3, 1000]))
    document = random_document(rng)
    body = msgspec.json.encode(document)
    if rng.random() < 0.5:  # pretty-printed, as people's files are
        body = msgspec.json.format(body, indent=rng.choice([0, 2]))
    assert parse(body) == document


class CountingStream(io.BytesIO):
    def __init__(self, data):
        super().__init__(data)
        self.read_bytes = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.read_bytes += len(chunk)
        return chunk


@pytest.mark.parametrize("region", [10, 256 * 1024])
def test_a_comma_before_the_end_is_refused_whatever_the_region(monkeypatch, region):
    monkeypatch.setattr(jsonlist, "REGION_BYTES", region)
    with pytest.raises(ValidationFailed, match="item 3: cannot be parsed: a comma ends the list"):
        parse(b'[{"a": 1}, {"b": 2}, {"c": 3}, ]')


def test_memory_follows_the_region_not_the_body():
    body = b"[" + b"{}," * 7_000_000 + b"{}]"  # 21 MB of empty objects
    stream = CountingStream(body)
    items = from_json(stream)
    first = next(items)
    assert first == RawItem("item 0", {})
    assert stream.read_bytes <= 4 * jsonlist.READ  # not the whole body
    for _ in range(200_000):
        next(items)
    assert stream.read_bytes <= 4 * jsonlist.READ + 200_000 * 3


def test_the_importer_stops_at_the_first_bad_item():
    """Validation pulls items one at a time: an error ends the reading."""
    pulled = []

    def items():
        for i in range(1_000_000):
            pulled.append(i)
            yield RawItem(f"item {i}", {"text": "x"} if i != 3 else {})

    importer = service.TaskImporter.__new__(service.TaskImporter)
    importer.required_keys, importer.first_key, importer._user_refs = ["text"], "text", {}
    with pytest.raises(ValidationFailed) as caught:
        importer._next_batch(items(), 0)
    assert str(caught.value).startswith('item 3: "text" key is expected') and pulled == [0, 1, 2, 3]
