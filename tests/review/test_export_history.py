"""Exports honour Label Studio's ``include_annotation_history``."""

import asyncio

from .conftest import choice, import_texts, submit


async def _snapshot(client, admin, pid, body):
    base = f"/api/projects/{pid}/exports"
    created = await client.post(f"{base}/", headers=admin.headers, json=body)
    assert created.status_code == 201, created.text
    for _ in range(200):
        state = (await client.get(f"{base}/{created.json()['id']}", headers=admin.headers)).json()
        if state["status"] == "completed":
            break
        assert state["status"] != "failed", state
        await asyncio.sleep(0.1)
    download = await client.get(f"{base}/{created.json()['id']}/download?exportType=JSON", headers=admin.headers)
    assert download.status_code == 200
    return download.json()


async def test_export_with_and_without_history(client, admin, project, reviewer):
    pid = project["id"]
    tasks = await import_texts(client, admin, pid, ["a", "b"])
    first = await submit(client, admin, tasks[0], "Positive")
    await client.patch(f"/api/annotations/{first['id']}/", headers=admin.headers, json={"result": choice("Negative")})
    await client.post("/api/annotation-reviews/", headers=reviewer.headers, json={"annotation": first["id"], "accepted": True})
    second = await submit(client, admin, tasks[1], "Neutral")

    plain = await _snapshot(client, admin, pid, {"title": "plain"})
    assert all("history" not in a for t in plain for a in t["annotations"])

    full = await _snapshot(client, admin, pid, {"title": "history", "serialization_options": {"include_annotation_history": True}})
    by_id = {a["id"]: a for t in full for a in t["annotations"]}
    assert [v["action"] for v in by_id[first["id"]]["history"]] == ["submitted", "updated", "accepted"]
    assert [v["result"][0]["value"]["choices"][0] for v in by_id[first["id"]]["history"]] == ["Positive", "Negative", "Negative"]
    assert by_id[first["id"]]["history"][2]["created_by"] == reviewer.id
    assert [v["action"] for v in by_id[second["id"]]["history"]] == ["submitted"]
