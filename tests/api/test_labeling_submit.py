"""The API calls the labeling screen makes: idempotent submit, drafts of new and existing
annotations (trailing-slash routes as the client sends them), lead_time, skip."""

from .helpers import choice, import_texts


async def test_a_retried_submit_with_the_same_unique_id_does_not_duplicate(client, admin, project):
    [task] = await import_texts(client, admin, project["id"], ["a"])
    body = {"result": choice("Positive"), "lead_time": 12.5, "unique_id": "k3J9aa01bb02cc03"}
    first = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers, json=body)
    again = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers, json=body)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    listed = (await client.get(f"/api/tasks/{task}/annotations/", headers=admin.headers)).json()
    assert [a["id"] for a in listed] == [first.json()["id"]]
    assert listed[0]["lead_time"] == 12.5
    detail = (await client.get(f"/api/tasks/{task}/", headers=admin.headers)).json()
    assert detail["total_annotations"] == 1

    other = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers,
                              json={**body, "unique_id": "another-submit-id"})
    assert other.json()["id"] != first.json()["id"]


async def test_draft_lifecycle_of_a_new_annotation(client, admin, project):
    [task] = await import_texts(client, admin, project["id"], ["a"])
    created = await client.post(f"/api/tasks/{task}/drafts/", headers=admin.headers,
                                json={"result": choice("Negative"), "lead_time": 3.0})
    assert created.status_code == 201, created.text
    draft = created.json()
    assert draft["annotation"] is None
    patched = await client.patch(f"/api/drafts/{draft['id']}/", headers=admin.headers,
                                 json={"result": choice("Neutral"), "lead_time": 5.0})
    assert patched.status_code == 200, patched.text
    detail = (await client.get(f"/api/tasks/{task}/", headers=admin.headers)).json()
    assert [(d["id"], d["result"][0]["value"], d["lead_time"]) for d in detail["drafts"]] == [
        (draft["id"], {"choices": ["Neutral"]}, 5.0)]

    submitted = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers,
                                  json={"result": choice("Neutral"), "lead_time": 6.0, "draft_id": draft["id"]})
    assert submitted.status_code == 201
    assert submitted.json()["draft_created_at"] is not None
    assert (await client.get(f"/api/tasks/{task}/drafts/", headers=admin.headers)).json() == []


async def test_draft_of_an_existing_annotation_then_update(client, admin, project):
    [task] = await import_texts(client, admin, project["id"], ["a"])
    annotation = (await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers,
                                    json={"result": choice("Positive"), "lead_time": 2.0})).json()
    draft = await client.post(f"/api/tasks/{task}/annotations/{annotation['id']}/drafts/", headers=admin.headers,
                              json={"result": choice("Negative"), "lead_time": 4.0})
    assert draft.status_code == 201, draft.text
    assert draft.json()["annotation"] == annotation["id"]
    updated = await client.patch(f"/api/annotations/{annotation['id']}/", headers=admin.headers,
                                 json={"result": choice("Negative"), "lead_time": 4.5})
    assert updated.status_code == 200
    assert updated.json()["last_action"] == "updated"
    assert updated.json()["lead_time"] == 4.5
    deleted = await client.delete(f"/api/drafts/{draft.json()['id']}/", headers=admin.headers)
    assert deleted.status_code == 204


async def test_skip_is_a_cancelled_annotation_with_its_result(client, admin, project):
    [task] = await import_texts(client, admin, project["id"], ["a"])
    skipped = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers,
                                json={"result": [], "was_cancelled": True, "lead_time": 1.0, "unique_id": "skip-1"})
    assert skipped.status_code == 201
    assert skipped.json()["was_cancelled"] is True
    assert skipped.json()["last_action"] == "skipped"
    detail = (await client.get(f"/api/tasks/{task}/", headers=admin.headers)).json()
    assert detail["cancelled_annotations"] == 1
