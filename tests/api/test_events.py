"""Every change publishes a Label Studio-named domain event after its transaction commits."""

import time
from importlib.metadata import entry_points

from litestar.testing import AsyncTestClient

from labelloom.core.manager import build_plugin_host
from labelloom.core.testing import plugin_module

from .helpers import TEXT_CONFIG, choice


def recording_host(seen):
    built_ins = {ep.name: ep.load() for ep in entry_points(group="labelloom") if ep.dist and ep.dist.name == "labelloom"}
    recorder = plugin_module("recorder", labelloom_on_event=lambda event, payload: seen.append((event, payload)))
    return build_plugin_host(modules={**built_ins, "recorder": recorder})


def wait_for(seen, count):
    deadline = time.monotonic() + 10
    while len(seen) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return [name for name, _ in seen]


async def test_api_changes_publish_events_in_order(make_app, admin):
    seen = []
    async with AsyncTestClient(make_app(host=recording_host(seen))) as client:
        h = admin.headers
        pid = (await client.post("/api/projects/", headers=h, json={"title": "E", "label_config": TEXT_CONFIG})).json()["id"]
        await client.patch(f"/api/projects/{pid}/", headers=h, json={"title": "E2"})
        ids = (await client.post(f"/api/projects/{pid}/import?return_task_ids=1", headers=h,
                                 json=[{"text": "a"}, {"text": "b"}])).json()["task_ids"]
        annotation = (await client.post(f"/api/tasks/{ids[0]}/annotations/", headers=h, json={"result": choice("Positive")})).json()
        await client.patch(f"/api/annotations/{annotation['id']}/", headers=h, json={"result": choice("Negative")})
        bad = await client.post(f"/api/tasks/{ids[0]}/annotations/", headers=h, json={"result": choice("Nope")})
        assert bad.status_code == 400  # refused writes publish nothing
        await client.delete(f"/api/annotations/{annotation['id']}/", headers=h)
        await client.delete(f"/api/tasks/{ids[1]}/", headers=h)
        await client.delete(f"/api/projects/{pid}/", headers=h)
        names = wait_for(seen, 8)
    assert names == [
        "PROJECT_CREATED", "PROJECT_UPDATED", "TASKS_CREATED", "ANNOTATION_CREATED", "ANNOTATION_UPDATED",
        "ANNOTATIONS_DELETED", "TASKS_DELETED", "PROJECT_DELETED",
    ]
    payloads = dict(seen)
    assert payloads["PROJECT_UPDATED"]["project"]["title"] == "E2"
    assert [t["data"] for t in payloads["TASKS_CREATED"]["tasks"]] == [{"text": "a"}, {"text": "b"}]
    created = payloads["ANNOTATION_CREATED"]
    assert created["annotation"]["result"] == choice("Positive") and created["task"]["id"] == ids[0]
    assert created["project"]["id"] == pid and "task_data_password" not in created["project"]
    assert payloads["ANNOTATIONS_DELETED"]["annotations"] == [{"id": annotation["id"]}]
    assert payloads["TASKS_DELETED"]["tasks"] == [{"id": ids[1]}]
    assert payloads["PROJECT_DELETED"]["project"] == {"id": pid}
