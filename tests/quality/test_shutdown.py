"""Stopping the app while agreement updates are on their way always finishes, and leaves no
database work of the app behind (a transaction left open keeps its locks: the next TRUNCATE of
the test teardown, or a migration, would wait for it forever).

The app runs in this test's event loop (``app.lifespan()``), as a server runs it. Shutdown is
wrapped in a generous ``asyncio.timeout``: a hang detector, not a timing assertion.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from labelloom.core.quality.jobs import TASKS_JOB
from labelloom.core.testing import clear_redis

from ..api.helpers import TEXT_CONFIG, choice, import_texts

HANG = 60  # seconds: far above a healthy shutdown (well under a second here)


async def until(check, timeout: float = 30.0, every: float = 0.02) -> Any:
    async with asyncio.timeout(timeout):
        while not (result := await check()):
            await asyncio.sleep(every)
    return result


@asynccontextmanager
async def started(app: Any) -> AsyncIterator[Any]:
    """The app's lifespan, run in a task of its own as a server runs it; leaving the block shuts
    the app down, failing (not hanging) if the shutdown hangs. (Not ``asyncio.timeout``: tasks
    that wait for each other cannot even be cancelled.)"""
    up, stop = asyncio.Event(), asyncio.Event()

    async def serve() -> None:
        async with app.lifespan():
            up.set()
            await stop.wait()

    server = asyncio.create_task(serve())
    await asyncio.wait([server, asyncio.create_task(up.wait())], return_when=asyncio.FIRST_COMPLETED)
    if server.done():
        server.result()  # the start-up failed: say why
    try:
        yield app
    finally:
        stop.set()
        done, _ = await asyncio.wait([server], timeout=HANG)
        if not done:
            raise AssertionError(f"the app did not shut down within {HANG} s")
        server.result()


async def signed_up_admin(http: httpx.AsyncClient) -> dict[str, str]:
    r = await http.post("/api/auth/setup", json={"email": "admin@example.com", "password": "correct horse battery"})
    assert r.status_code == 201, r.text
    token = (await http.get("/api/current-user/token")).json()["token"]
    http.cookies.clear()
    return {"Authorization": f"Token {token}"}


class Setup:
    def __init__(self, http: httpx.AsyncClient, headers: dict[str, str], project: int, tasks: list[int]) -> None:
        self.http, self.headers, self.project, self.tasks = http, headers, project, tasks

    async def annotate(self, task_id: int) -> None:
        r = await self.http.post(f"/api/tasks/{task_id}/annotations/", headers=self.headers,
                                 json={"result": choice("Positive")})
        assert r.status_code == 201, r.text


async def project_with_tasks(app: Any, count: int) -> Setup:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    headers = await signed_up_admin(http)
    r = await http.post("/api/projects/", headers=headers, json={"title": "Stop", "label_config": TEXT_CONFIG})
    assert r.status_code == 201, r.text
    project = r.json()["id"]
    tasks = await import_texts(http, AsAdmin(headers), project, [f"t{i}" for i in range(count)])
    return Setup(http, headers, project, tasks)


class AsAdmin:  # what import_texts reads of an admin
    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers


@pytest.fixture(params=["embedded", "redis"])
def queue_overrides(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    name = f"stop-{uuid.uuid4().hex[:10]}"  # this app's jobs only, whatever else runs
    overrides: dict[str, Any] = {"queue_name": name}
    if request.param == "redis":
        overrides["queue_url"] = request.getfixturevalue("redis_url")
    yield overrides
    if request.param == "redis":
        clear_redis(overrides["queue_url"], name)


async def test_shutdown_finishes_while_two_agreement_sends_overlap(make_app, queue_overrides):
    """A window's send still enqueueing when the next window's send starts (a slow queue under
    load): the two sends and the shutdown's own drain used to wait for each other forever."""
    app = make_app(**queue_overrides)
    async with started(app):
        setup = await project_with_tasks(app, 4)
        jobs = app.state.background.jobs
        original, sent, gate = jobs.enqueue, [], asyncio.Event()

        async def slow_first_send(name: str, /, **kwargs: Any) -> Any:
            if name == TASKS_JOB:
                sent.append(kwargs["task_ids"])
                if len(sent) == 1:
                    await gate.wait()  # the queue answers late (the test lets it go below)
            return await original(name, **kwargs)

        jobs.enqueue = slow_first_send
        await setup.annotate(setup.tasks[0])
        await until(lambda: asyncio.sleep(0, len(sent) == 1))  # window 1 is being sent
        await setup.annotate(setup.tasks[1])
        await until(lambda: asyncio.sleep(0, len(sent) == 2))  # window 2 too, meanwhile
        await asyncio.sleep(0.2)  # window 2's enqueue is done
        gate.set()
        await asyncio.sleep(0.2)  # window 1's too
        await setup.annotate(setup.tasks[2])  # and window 3 is still gathering at shutdown
        await setup.http.aclose()
    # Left the block without hanging; every annotated task was sent.
    assert sorted(t for ids in sent for t in ids) == sorted(setup.tasks[:3])
    trigger = app.state.background.quality
    assert not trigger.pending and not trigger._sending


def open_transactions(database_url: str) -> list[tuple[Any, ...]]:
    """Other sessions of the test database inside a transaction (blocking: like a teardown)."""
    import psycopg

    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as conn:
        return conn.execute(
            "SELECT pid, state, left(query, 80) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
        ).fetchall()


def scoring_tasks() -> list[asyncio.Task[Any]]:
    return [t for t in asyncio.all_tasks() if "_score_tasks" in repr(t.get_coro()) and not t.done()]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # a table lock from another connection
@pytest.mark.parametrize("released", [True, False], ids=["lock-released", "lock-held"])
async def test_a_shielded_scoring_does_not_outlive_the_app(make_app, database_url, released):
    """A ``core.quality_tasks`` job still scoring when the grace period ends is cancelled, but its
    shielded section runs on: the worker waits for it (its ``settle`` seconds at most, then
    cancels it), so it never holds a transaction open past the engine's disposal."""
    import psycopg

    app = make_app(queue_name=f"stop-{uuid.uuid4().hex[:10]}", workers=1)
    holder = psycopg.connect(database_url.replace("+psycopg", ""))
    try:
        async with started(app):
            setup = await project_with_tasks(app, 2)
            worker = app.state.background.worker
            worker.grace = 1.0
            worker.worker.settle = 1.0  # then its section is cancelled
            # The scoring job waits on this lock, inside its shielded section.
            holder.execute("LOCK TABLE quality_tasks IN ACCESS EXCLUSIVE MODE")
            await setup.annotate(setup.tasks[0])
            await until(lambda: asyncio.sleep(0, bool(scoring_tasks())))
            await asyncio.sleep(0.3)  # it is waiting for the lock now

            async def release_once_the_job_is_cancelled() -> None:
                # The job itself is gone (cancelled, re-queued), its shielded section is not.
                await until(lambda: asyncio.sleep(0, not worker.worker.job_task_contexts), timeout=HANG)
                holder.rollback()

            if released:
                releasing = asyncio.create_task(release_once_the_job_is_cancelled())
            await setup.http.aclose()
        holder.rollback()
        # Nothing of the stopped app may still be running, nor hold a transaction open.
        assert scoring_tasks() == []
        assert open_transactions(database_url) == []
        if released:
            await releasing
            # The section ran to its end: the task was scored.
            assert scored(database_url, setup.tasks[0]) == 1
    finally:
        holder.close()
        for task in scoring_tasks():  # the bug's orphan: let it end before the teardown truncates
            await asyncio.wait([task], timeout=10)


def scored(database_url: str, task_id: int) -> int | None:
    import psycopg

    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as conn:
        row = conn.execute("SELECT annotations FROM quality_tasks WHERE task_id = %s", (task_id,)).fetchone()
    return row[0] if row else None


ROUNDS = int(os.environ.get("LABELLOOM_STOP_ROUNDS", "1"))  # more to hunt races: e.g. 30


async def test_stopping_right_after_a_burst_of_annotations(make_app, database_url, queue_overrides):
    """Annotations committed in several trigger windows, jobs queued and running, and the app
    stops at once: with a grace period so short that running jobs are cancelled mid-scoring."""
    for round_ in range(ROUNDS):
        app = make_app(**queue_overrides)
        async with started(app):
            app.state.background.worker.grace = 0.05
            if round_ == 0:
                setup = await project_with_tasks(app, 1)
                headers = setup.headers
                await setup.http.aclose()
            http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
            r = await http.post("/api/projects/", headers=headers, json={"title": f"R{round_}", "label_config": TEXT_CONFIG})
            tasks = await import_texts(http, AsAdmin(headers), r.json()["id"], [f"t{i}" for i in range(60)])
            burst = Setup(http, headers, r.json()["id"], tasks)

            async def annotate_some(ids: list[int]) -> None:
                for task_id in ids:
                    await burst.annotate(task_id)

            await asyncio.gather(*(annotate_some(tasks[i::6]) for i in range(6)))
            await http.aclose()
            with contextlib.suppress(TimeoutError):  # stop while a job scores, if one still does
                await until(lambda: asyncio.sleep(0, bool(scoring_tasks())), timeout=2, every=0.001)
        assert scoring_tasks() == [], f"round {round_}"
        if database_url.startswith("postgresql"):
            assert open_transactions(database_url) == [], f"round {round_}"
