"""The label stream's PostgreSQL path (row locks skipped or waited on, a re-check of the room,
a per-user advisory lock): a claim racing a waiting chooser, and two app instances on one
database (as two web processes) with many annotators, overlap 2, each also asking twice at once."""

import asyncio
from collections import Counter

import httpx
import pytest
from sqlalchemy import text

from labelloom.core.db.engine import make_engine
from labelloom.core.testing import LiveServer

from .helpers import TEXT_CONFIG, choice, import_texts

POSTGRES_ONLY = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

ANNOTATORS = 24
TASKS = 120
OVERLAP = 2


async def _token(http: httpx.AsyncClient, admin_headers: dict, email: str) -> str:
    password = "annotator password"
    made = await http.post("/api/users/", headers=admin_headers, json={"email": email, "password": password})
    assert made.status_code == 201, made.text
    signed = await http.post("/api/auth/login", json={"email": email, "password": password})
    assert signed.status_code == 200, signed.text
    token = (await http.get("/api/current-user/token")).json()["token"]
    http.cookies.clear()
    return token


@POSTGRES_ONLY
@pytest.mark.parametrize("overlap, status", [(1, 404), (2, 200)])
async def test_a_chooser_waits_on_a_claimed_row_then_sees_the_claim(client, admin, project, database_url, overlap, status):
    """One task. Another transaction holds the task's row and a lock on it, uncommitted; the
    annotator's ``next`` skips the row, finds nothing else, and waits on it (a busy row is not
    "no more tasks") with a snapshot from before that claim. Once it commits, the re-check sees
    it: overlap 1 leaves no room (404, not a second holder), overlap 2 leaves one (the task)."""
    await client.patch(f"/api/projects/{project['id']}/", headers=admin.headers, json={"maximum_annotations": overlap})
    [task] = await import_texts(client, admin, project["id"], ["the only task"])
    email, password = "waiter@example.com", "annotator password"
    assert (await client.post("/api/users/", headers=admin.headers, json={"email": email, "password": password})).status_code == 201
    await client.post("/api/auth/login", json={"email": email, "password": password})
    headers = {"Authorization": f"Token {(await client.get('/api/current-user/token')).json()['token']}"}
    client.cookies.clear()

    async def ask() -> httpx.Response:  # in the app's own event loop, like a second server request
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=client.app), base_url="http://testserver") as own:
            return await own.get(f"/api/projects/{project['id']}/next/", headers=headers)

    engine = make_engine(database_url)
    try:
        async with engine.connect() as holder, engine.connect() as watcher:
            await holder.execute(text("SELECT id FROM tasks WHERE id = :t FOR NO KEY UPDATE"), {"t": task})
            await holder.execute(text("INSERT INTO task_locks (task_id, user_id, expire_at, created_at) "
                                      "VALUES (:t, :u, now() + interval '1 hour', now())"), {"t": task, "u": admin.id})
            waiting = asyncio.create_task(asyncio.to_thread(client.blocking_portal.call, ask))
            waited = 0
            for _ in range(400):
                waited = (await watcher.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                ))).scalar()
                await watcher.commit()  # the activity view is a per-transaction snapshot
                if waited or waiting.done():
                    break
                await asyncio.sleep(0.05)
            assert waited, f"the annotator's next never waited on the held row: {waiting.done() and (await waiting).text}"
            await holder.commit()
        response = await asyncio.wait_for(waiting, 60)
    finally:
        await engine.dispose()
    assert response.status_code == status, response.text
    if status == 200:
        assert response.json()["id"] == task


@POSTGRES_ONLY
async def test_two_instances_never_exceed_overlap_nor_give_one_user_two_tasks(make_app, database_url):
    with LiveServer(make_app()) as one, LiveServer(make_app()) as two:
        admin = one.sign_up_admin()
        async with httpx.AsyncClient(base_url=one.url, timeout=120) as http:
            made = await http.post("/api/projects/", headers=admin.headers,
                                   json={"title": "P", "label_config": TEXT_CONFIG, "maximum_annotations": OVERLAP})
            assert made.status_code == 201, made.text
            project = made.json()["id"]
            imported = await http.post(f"/api/projects/{project}/import?return_task_ids=true", headers=admin.headers,
                                       json=[{"text": f"t{i}"} for i in range(TASKS)])
            assert imported.status_code == 201, imported.text
            ids = imported.json()["task_ids"]
            tokens = [await _token(http, admin.headers, f"annotator{i}@example.com") for i in range(ANNOTATORS)]

        done: Counter[int] = Counter()  # task id -> annotations made through the stream
        mine: dict[int, set[int]] = {}

        async def annotate(index: int, token: str) -> None:
            headers = {"Authorization": f"Token {token}"}
            # Half the annotators start on each instance; each call pair hits both.
            first, second = (one.url, two.url) if index % 2 else (two.url, one.url)
            async with httpx.AsyncClient(base_url=first, headers=headers, timeout=120) as a, \
                    httpx.AsyncClient(base_url=second, headers=headers, timeout=120) as b:
                seen = mine.setdefault(index, set())
                while True:
                    # The same user asking twice at once (two tabs, two instances): one reservation.
                    r1, r2 = await asyncio.gather(a.get(f"/api/projects/{project}/next/"),
                                                  b.get(f"/api/projects/{project}/next/"))
                    assert r1.status_code == r2.status_code, (r1.text, r2.text)
                    if r1.status_code == 404:
                        return
                    assert r1.status_code == 200, r1.text
                    task = r1.json()["id"]
                    assert r2.json()["id"] == task, "one user got two tasks reserved at once"
                    assert task not in seen, "a task came back to a user who annotated it"
                    created = await b.post(f"/api/tasks/{task}/annotations/", json={"result": choice("Positive")})
                    assert created.status_code == 201, created.text
                    seen.add(task)
                    done[task] += 1

        await asyncio.gather(*(annotate(i, t) for i, t in enumerate(tokens)))

        assert sorted(done) == ids, "a task was never served"
        assert set(done.values()) == {OVERLAP}, f"a task went to more (or fewer) annotators than its overlap: {done}"
        async with httpx.AsyncClient(base_url=two.url, headers=admin.headers, timeout=120) as http:
            r = await http.get("/api/tasks", params={"project": project, "page_size": TASKS})
            assert {t["total_annotations"] for t in r.json()["tasks"]} == {OVERLAP}
        assert sum(1 for s in mine.values() if s) >= ANNOTATORS // 2, "work was not spread"


@POSTGRES_ONLY
async def test_a_claim_never_waits_on_an_expired_lock_row_another_transaction_holds(client, admin, project, database_url):
    """Claiming deletes the user's expired locks. A transaction deleting one of them (a task
    deletion's cascade) may be waiting for the very task row the claim holds: the claim must pass
    over that row, not wait for it (a deadlock otherwise)."""
    tasks = await import_texts(client, admin, project["id"], ["a", "b"])
    engine = make_engine(database_url)
    try:
        async with engine.begin() as setup:
            await setup.execute(text("INSERT INTO task_locks (task_id, user_id, expire_at, created_at) "
                                     "VALUES (:t, :u, now() - interval '1 hour', now() - interval '2 hours')"),
                                {"t": tasks[1], "u": admin.id})
        async with engine.connect() as holder:
            await holder.execute(text("SELECT id FROM task_locks WHERE task_id = :t FOR UPDATE"), {"t": tasks[1]})

            async def ask() -> httpx.Response:
                async with httpx.AsyncClient(transport=httpx.ASGITransport(app=client.app), base_url="http://testserver") as own:
                    return await own.get(f"/api/projects/{project['id']}/next/", headers=admin.headers)

            try:
                response = await asyncio.wait_for(asyncio.to_thread(client.blocking_portal.call, ask), 30)
            except TimeoutError:
                pytest.fail("the claim waited on an expired lock row another transaction holds")
            await holder.rollback()
    finally:
        await engine.dispose()
    assert response.status_code == 200, response.text
    assert response.json()["id"] == tasks[0]

