"""The label stream: sampling, overlap, and 20 concurrent annotators without collisions."""

import asyncio
from collections import Counter

import httpx


from .helpers import choice, import_texts


async def make_annotators(client, admin, count):
    sessions = []
    for i in range(count):
        email, password = f"annotator{i}@example.com", "annotator password"
        r = await client.post("/api/users/", headers=admin.headers, json={"email": email, "password": password})
        assert r.status_code == 201
        sessions.append((email, password))
    return sessions


async def test_next_is_sequential_and_skips_done_tasks(client, admin, project):
    ids = await import_texts(client, admin, project["id"], ["a", "b", "c"])
    first = (await client.get(f"/api/projects/{project['id']}/next/", headers=admin.headers)).json()
    assert first["id"] == ids[0] and first["queue"] == "Sequence queue"
    again = (await client.get(f"/api/projects/{project['id']}/next/", headers=admin.headers)).json()
    assert again["id"] == ids[0]  # the reserved task comes back until it is done
    await client.post(f"/api/tasks/{ids[0]}/annotations/?was_cancelled=1", headers=admin.headers, json={"result": []})
    second = (await client.get(f"/api/projects/{project['id']}/next/", headers=admin.headers)).json()
    assert second["id"] == ids[1]
    for task in ids[1:]:
        await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    r = await client.get(f"/api/projects/{project['id']}/next/", headers=admin.headers)
    assert r.status_code == 404


async def test_overlap_two_serves_each_task_to_two_people(client, admin, project):
    await client.patch(f"/api/projects/{project['id']}/", headers=admin.headers, json={"maximum_annotations": 2})
    ids = await import_texts(client, admin, project["id"], ["a", "b"])
    (email, password), = await make_annotators(client, admin, 1)
    for _ in ids:
        task = (await client.get(f"/api/projects/{project['id']}/next/", headers=admin.headers)).json()
        await client.post(f"/api/tasks/{task['id']}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    login = await client.post("/api/auth/login", json={"email": email, "password": password})
    csrf = {"X-CSRFToken": login.json()["csrf_token"]}
    got = []
    for _ in ids:
        task = (await client.get(f"/api/projects/{project['id']}/next/")).json()
        assert task["queue"] == "Breadth first queue" and task["annotations"] == []
        got.append(task["id"])
        await client.post(f"/api/tasks/{task['id']}/annotations/", headers=csrf, json={"result": choice("Negative")})
    assert sorted(got) == ids
    assert (await client.get(f"/api/projects/{project['id']}/next/")).status_code == 404


async def test_twenty_concurrent_annotators_never_collide(make_app, client, admin, project):
    ids = await import_texts(client, admin, project["id"], [f"t{i}" for i in range(500)])
    annotators = await make_annotators(client, admin, 20)
    done_by: Counter[str] = Counter()

    async def annotate(email, password):
        # One client per annotator on the already running app (no second lifespan), truly concurrent.
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as own:
            login = await own.post("/api/auth/login", json={"email": email, "password": password})
            csrf = {"X-CSRFToken": login.json()["csrf_token"]}
            while True:
                r = await own.get(f"/api/projects/{project['id']}/next/")
                if r.status_code == 404:
                    return
                assert r.status_code == 200, r.text
                created = await own.post(f"/api/tasks/{r.json()['id']}/annotations/", headers=csrf,
                                         json={"result": choice("Positive")})
                assert created.status_code == 201, created.text
                done_by[email] += 1

    async def everyone() -> None:
        await asyncio.gather(*(annotate(e, p) for e, p in annotators))

    # In the app's own event loop (the test client's portal thread), where its engine, worker and
    # quality jobs run: one engine must never be awaited from two loops.
    await asyncio.to_thread(client.blocking_portal.call, everyone)
    tasks = []
    page = 1
    while True:
        r = await client.get("/api/tasks", params={"project": project["id"], "page": page, "page_size": 100},
                             headers=admin.headers)
        if r.status_code == 404:
            break
        tasks.extend(r.json()["tasks"])
        page += 1
    assert len(tasks) == 500
    assert all(t["total_annotations"] == 1 for t in tasks), "a task was annotated twice or never"
    assert sum(done_by.values()) == 500
    assert len(done_by) >= 10, f"work was not spread: {done_by}"
    assert sorted(t["id"] for t in tasks) == ids
