"""Label Studio Enterprise's ``assignment_settings`` and ``review_settings`` inside the project's
own JSON: read by GET, applied by PATCH (and POST) with the dedicated endpoints' shapes; a bad
value is a 400 naming it and changes nothing. SQLite and PostgreSQL."""

from __future__ import annotations

from ..api.helpers import TEXT_CONFIG


async def test_project_json_reads_and_writes_both_settings(client, admin, project):
    pid = project["id"]
    got = (await client.get(f"/api/projects/{pid}", headers=admin.headers)).json()
    assert got["assignment_settings"] == {"id": pid, "project": pid, "label_stream_task_distribution": "auto_distribution"}
    assert got["review_settings"]["required_reviews"] == 1 and got["review_settings"]["requeue_rejected_tasks_mode"] == "requeue"

    r = await client.patch(f"/api/projects/{pid}", headers=admin.headers, json={
        "title": "Renamed",
        "assignment_settings": {"label_stream_task_distribution": "assigned_only", "project": pid},
        "review_settings": {"required_reviews": 3, "requeue_rejected_tasks_mode": "remove", "instruction": "Be strict"},
    })
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["title"] == "Renamed"
    assert body["assignment_settings"]["label_stream_task_distribution"] == "assigned_only"
    assert (body["review_settings"]["required_reviews"], body["review_settings"]["requeue_rejected_tasks_to_annotator"],
            body["review_settings"]["requeue_rejected_tasks_mode"], body["review_settings"]["instruction"]) == (3, False, "remove", "Be strict")
    # The dedicated endpoints see the same settings.
    assert (await client.get(f"/api/projects/{pid}/assignment-settings", headers=admin.headers)).json()[
        "label_stream_task_distribution"] == "assigned_only"
    assert (await client.get(f"/api/projects/{pid}/review-settings", headers=admin.headers)).json()["required_reviews"] == 3

    # Bad values: a 400 naming the section and field, and nothing changes (the title neither).
    for bad, field in (
        ({"review_settings": {"required_reviews": 0}}, "review_settings.required_reviews"),
        ({"review_settings": {"required_reviews": "many"}}, "review_settings.required_reviews"),
        ({"review_settings": {"requeue_rejected_tasks_mode": "sometimes"}}, "review_settings.requeue_rejected_tasks_mode"),
        ({"assignment_settings": {"label_stream_task_distribution": "random"}}, "assignment_settings.label_stream_task_distribution"),
        ({"assignment_settings": {"label_stream_task_distribution": "auto_distribution"}, "review_settings": {"required_reviews": 99}},
         "review_settings.required_reviews"),
    ):
        r = await client.patch(f"/api/projects/{pid}", headers=admin.headers, json={"title": "Changed", **bad})
        assert r.status_code == 400, (bad, r.text)
        assert field in r.json()["validation_errors"], r.text
    wrong_type = await client.patch(f"/api/projects/{pid}", headers=admin.headers, json={"review_settings": "strict"})
    assert wrong_type.status_code == 400 and "review_settings" in wrong_type.text
    after = (await client.get(f"/api/projects/{pid}", headers=admin.headers)).json()
    assert after["title"] == "Renamed" and after["assignment_settings"]["label_stream_task_distribution"] == "assigned_only"
    assert after["review_settings"]["required_reviews"] == 3


async def test_create_applies_settings_and_managers_only(client, admin, people):
    r = await client.post("/api/projects/", headers=admin.headers, json={
        "title": "With review", "label_config": TEXT_CONFIG, "review_settings": {"required_reviews": 2},
        "assignment_settings": {"label_stream_task_distribution": "assigned_only"}})
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    assert r.json()["review_settings"]["required_reviews"] == 2
    assert r.json()["assignment_settings"]["label_stream_task_distribution"] == "assigned_only"
    await client.post(f"/api/projects/{pid}/members/", headers=admin.headers, json={"user": people["RE"].id})
    denied = await client.patch(f"/api/projects/{pid}", headers=people["RE"].headers, json={"review_settings": {"required_reviews": 1}})
    assert denied.status_code == 403
    assert (await client.get(f"/api/projects/{pid}/review-settings", headers=admin.headers)).json()["required_reviews"] == 2
