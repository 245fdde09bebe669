"""Issue 16, finding 5: a large import, a data-key index build (``CREATE INDEX CONCURRENTLY``)
and annotators writing, all at once, on their own connections: nothing may fail.

The import once ran ANALYZE inside its transaction. The index build waits for that transaction
to end while the ANALYZE waits for the index build's lock, and PostgreSQL broke the cycle by
failing one of them with DeadlockDetected. The test makes that moment happen every time: once
the import's rows are inserted (its transaction still open) the index build starts, and the
import goes on only when the build waits for it. Statistics and index work now run outside
request transactions (core/imports/service.py, core/datamanager/tuning.py).

A live server (its own thread and event loop) and a real HTTP client: the in-process test
client would run the requests one after the other. On SQLite there is no index build; the
import and the annotators still run side by side.
"""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
from sqlalchemy import text

from labelloom.core.datamanager import tuning
from labelloom.core.imports import service as import_service

from .helpers import TEXT_CONFIG, choice

ROUNDS = 3
IMPORTED = import_service.ANALYZE_AFTER + 1000  # big enough to refresh the planner statistics
ANNOTATORS = 4


async def test_an_import_beside_an_index_build_and_annotators_never_deadlocks(live_server, database_url, monkeypatch):
    postgres = database_url.startswith("postgresql")
    admin = live_server.sign_up_admin()
    http = httpx.AsyncClient(base_url=live_server.url, headers=admin.headers, timeout=120)
    keys = [f"sort_key_{n}" for n in range(ROUNDS)]
    pid = (await http.post("/api/projects", json={"title": "Race", "label_config": TEXT_CONFIG})).json()["id"]
    seed = [{"text": "seed", **dict.fromkeys(keys, 1)}, *({"text": f"to annotate {n}"} for n in range(ANNOTATORS * 10))]
    r = await http.post(f"/api/projects/{pid}/import?return_task_ids=true", json=seed)
    assert r.status_code == 201, r.text
    targets = r.json()["task_ids"][1:]
    engine = ctx = None
    if postgres:
        from labelloom.core.db.engine import make_engine, make_sessionmaker

        engine = make_engine(database_url)
        ctx = {"sessionmaker": make_sessionmaker(engine)}
        await _drop_indexes(engine, keys)

    failures: list[str] = []
    # The server runs on its own event loop (another thread): the two sides meet through
    # thread-safe events, and the import side watches the build on a connection of its own.
    armed, inserted = threading.Event(), threading.Event()
    original_insert = import_service.bulk_insert

    async def insert_then_wait_for_the_index_build(db, table, *args, **kwargs):
        await original_insert(db, table, *args, **kwargs)
        if armed.is_set() and table.name == "tasks" and not inserted.is_set():
            inserted.set()
            assert await asyncio.to_thread(_index_build_waits, database_url), "the index build never waited"

    monkeypatch.setattr(import_service, "bulk_insert", insert_then_wait_for_the_index_build)

    async def annotate(worker: int, done: asyncio.Event) -> None:
        count = 0
        while not done.is_set() or count == 0:
            task = targets[(worker * 10 + count) % len(targets)]
            r = await http.post(f"/api/tasks/{task}/annotations", json={"result": choice("Positive")})
            if r.status_code != 201:
                failures.append(f"annotator {worker}: {r.status_code} {r.text[:200]}")
            count += 1

    async def build_index(key: str) -> None:
        while not inserted.is_set():
            await asyncio.sleep(0.01)
        try:
            result = await tuning.tune_data_key(ctx, key, sort=True, project_id=pid)
        except Exception as exc:  # DeadlockDetected, once
            failures.append(f"index build on {key}: {exc!r}")
            return
        if not result["created"]:
            failures.append(f"index build on {key}: {result}")

    async def run_import(rows: list[dict], done: asyncio.Event) -> None:
        try:
            r = await http.post(f"/api/projects/{pid}/import", json=rows)
            if r.status_code != 201:
                failures.append(f"import: {r.status_code} {r.text[:200]}")
        finally:
            done.set()

    for key in keys:
        rows = [{"text": f"row {n}", key: n} for n in range(IMPORTED)]
        done = asyncio.Event()
        inserted.clear()
        work = [run_import(rows, done), *(annotate(n, done) for n in range(ANNOTATORS))]
        if postgres:
            armed.set()
            work.append(build_index(key))
        await asyncio.gather(*work)
        armed.clear()
    assert failures == []

    total = (await http.get(f"/api/projects/{pid}")).json()["task_number"]
    assert total == len(seed) + ROUNDS * IMPORTED
    await http.aclose()
    if postgres:
        async with engine.connect() as conn:
            valid = (await conn.execute(text(
                "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE c.relname = ANY(:names) AND i.indisvalid"), {"names": [tuning.index_name(k) for k in keys]})).scalar()
        assert valid == ROUNDS
        await _drop_indexes(engine, keys)
        await engine.dispose()


def _index_build_waits(database_url: str, timeout: float = 15.0) -> bool:
    import psycopg

    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as conn:
        for _ in range(int(timeout / 0.05)):
            waiting = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND query LIKE 'CREATE INDEX CONCURRENTLY%%' AND wait_event_type = 'Lock'").fetchone()[0]
            if waiting:
                return True
            time.sleep(0.05)
    return False


async def _drop_indexes(engine, keys) -> None:
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        for key in keys:
            await conn.exec_driver_sql(f"DROP INDEX IF EXISTS {tuning.index_name(key)}")
