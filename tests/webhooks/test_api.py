"""``/api/webhooks/``: Label Studio's webhook CRUD and ``info``."""

from __future__ import annotations


async def test_webhook_crud(client, admin, world, receiver, create_webhook):
    created = await create_webhook(url=receiver.url, project=world.project_id, headers={"X-Token": "t"})
    assert created["project"] == world.project_id and created["organization"] == 1
    assert (created["send_payload"], created["send_for_all_actions"], created["is_active"]) == (True, True, True)
    assert created["headers"] == {"X-Token": "t"} and created["actions"] == []
    org_wide = await create_webhook(url=receiver.url, send_for_all_actions=False, actions=["PROJECT_CREATED"])
    assert org_wide["project"] is None

    h = admin.headers
    assert [w["id"] for w in (await client.get("/api/webhooks/", headers=h)).json()] == [created["id"], org_wide["id"]]
    listed = (await client.get("/api/webhooks/", params={"project": world.project_id}, headers=h)).json()
    assert [w["id"] for w in listed] == [created["id"]]
    assert (await client.get(f"/api/webhooks/{created['id']}/", headers=h)).json() == created

    patched = await client.patch(
        f"/api/webhooks/{created['id']}/",
        json={"is_active": False, "actions": ["TASKS_CREATED", "TASKS_CREATED"], "send_for_all_actions": False},
        headers=h,
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["is_active"], patched.json()["actions"]) == (False, ["TASKS_CREATED"])
    assert patched.json()["url"] == receiver.url

    replaced = await client.put(f"/api/webhooks/{created['id']}/", json={"url": receiver.url + "2"}, headers=h)
    assert replaced.status_code == 200
    assert (replaced.json()["project"], replaced.json()["is_active"], replaced.json()["actions"]) == (None, True, [])

    assert (await client.delete(f"/api/webhooks/{created['id']}/", headers=h)).status_code == 204
    assert (await client.get(f"/api/webhooks/{created['id']}/", headers=h)).status_code == 404


async def test_webhook_validation(client, admin, world, receiver):
    async def create(**fields):
        return await client.post("/api/webhooks/", json={"url": receiver.url, **fields}, headers=admin.headers)

    bad_action = await create(actions=["TASK_EXPLODED"])
    assert bad_action.status_code == 400 and "TASK_EXPLODED" in bad_action.json()["validation_errors"]["actions"][0]
    no_project = await create(project=world.project_id + 1000)
    assert no_project.status_code == 400 and "project" in no_project.json()["validation_errors"]
    too_many = await create(headers={f"X-{i}": "v" for i in range(11)})
    assert too_many.status_code == 400 and "headers" in too_many.json()["validation_errors"]
    not_http = await create(url="ftp://example.com/hook")
    assert not_http.status_code == 400 and "only http and https" in not_http.json()["detail"]
    assert (await create(url="hook")).status_code == 400
    assert (await client.get("/api/webhooks/", headers={})).status_code == 401


async def test_webhooks_info(client, admin):
    info = (await client.get("/api/webhooks/info/", headers=admin.headers)).json()
    assert set(info) == {
        "PROJECT_CREATED", "PROJECT_UPDATED", "PROJECT_DELETED", "TASKS_CREATED", "TASKS_DELETED",
        "ANNOTATION_CREATED", "ANNOTATIONS_CREATED", "ANNOTATION_UPDATED", "ANNOTATIONS_DELETED",
        "LABEL_LINK_CREATED", "LABEL_LINK_UPDATED", "LABEL_LINK_DELETED",
        "REVIEW_CREATED", "REVIEW_UPDATED", "REVIEWS_DELETED",
    }  # fmt: skip
    assert info["ANNOTATION_CREATED"] == {
        "name": "Annotation created", "description": "", "key": "annotation", "organization-only": False,
    }  # fmt: skip
    org_only = (await client.get("/api/webhooks/info/?organization-only=true", headers=admin.headers)).json()
    assert set(org_only) == {"PROJECT_CREATED", "PROJECT_DELETED"}
    others = (await client.get("/api/webhooks/info/?organization-only=false", headers=admin.headers)).json()
    assert len(others) == 13
