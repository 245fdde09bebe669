"""Issue 16: the data-key statistics and sort indexes (core/datamanager/tuning.py) are a shared,
global budget; one project's junk keys must not spend it, and only keys a project's tasks have
are tuned. PostgreSQL builds them; SQLite has nothing to tune and asks for nothing."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from labelloom.core.datamanager import tuning
from labelloom.core.datamanager.query import parse_query

JUNK_KEYS = 2000


@pytest.fixture
async def pg(database_url):
    """A sessionmaker context for the tuning job, with no data-key index or statistics left
    over from earlier tests (they outlive the emptied tables), or None on SQLite."""
    if not database_url.startswith("postgresql"):
        yield None
        return
    from labelloom.core.db.engine import make_engine, make_sessionmaker

    engine = make_engine(database_url)
    await _drop_all_tuning(engine)
    yield engine, {"sessionmaker": make_sessionmaker(engine)}
    await _drop_all_tuning(engine)
    await engine.dispose()


async def _drop_all_tuning(engine) -> None:
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        for (name,) in (await conn.execute(text(
                f"SELECT relname FROM pg_class WHERE relname LIKE '{tuning.INDEX_PREFIX}%' AND relkind = 'i'"))).all():
            await conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
        for (name,) in (await conn.execute(text(
                f"SELECT stxname FROM pg_statistic_ext WHERE stxname LIKE '{tuning.STATISTICS_PREFIX}%'"))).all():
            await conn.exec_driver_sql(f"DROP STATISTICS IF EXISTS {name}")


async def _indexes(engine) -> dict[str, bool]:
    async with engine.connect() as conn:
        rows = await conn.execute(text(
            "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            f"WHERE i.indrelid = 'tasks'::regclass AND c.relname LIKE '{tuning.INDEX_PREFIX}%'"))
        return dict(rows.all())


async def _statistics(engine) -> set[str]:
    async with engine.connect() as conn:
        rows = await conn.execute(text(f"SELECT stxname FROM pg_statistic_ext WHERE stxname LIKE '{tuning.STATISTICS_PREFIX}%'"))
        return set(rows.scalars())


async def _claims(engine, project_id) -> dict[str, bool]:
    async with engine.connect() as conn:
        rows = await conn.execute(text("SELECT data_key, sort FROM data_key_tuning WHERE project_id = :p"), {"p": project_id})
        return dict(rows.all())


async def _project(client, admin, title, rows) -> int:
    r = await client.post("/api/projects/", headers=admin.headers, json={"title": title})
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    r = await client.post(f"/api/projects/{pid}/import", headers=admin.headers, json=rows)
    assert r.status_code == 201, r.text
    return pid


async def test_junk_keys_cannot_starve_another_projects_indexes(client, admin, pg, monkeypatch):
    junk = {f"junk{n:05d}": n for n in range(JUNK_KEYS)}
    spammer = await _project(client, admin, "Junk", [{"text": "x", **junk}])
    victim = await _project(client, admin, "Real", [{"text": "a", "score": 2}, {"text": "b", "score": 1}])
    if pg is None:  # SQLite: nothing is tuned, so nothing can be exhausted
        query = {"ordering": ["tasks:data.junk00001"]}
        r = await client.get("/api/tasks/", headers=admin.headers, params={"project": spammer, "query": json.dumps(query)})
        assert r.status_code == 200, r.text
        assert not any(tuning._requested.values())
        return
    engine, ctx = pg
    # A global budget the spammer alone could fill many times over without per-project shares.
    monkeypatch.setattr(tuning, "MAX_INDEXES", tuning.PROJECT_INDEXES + 2)
    monkeypatch.setattr(tuning, "MAX_STATISTICS", tuning.PROJECT_STATISTICS + 4)

    for key in junk:
        await tuning.tune_data_key(ctx, key, sort=True, project_id=spammer)
    claims = await _claims(engine, spammer)
    assert len(claims) == tuning.PROJECT_STATISTICS
    assert sum(claims.values()) == tuning.PROJECT_INDEXES
    assert len(await _indexes(engine)) == tuning.PROJECT_INDEXES
    assert len(await _statistics(engine)) == tuning.PROJECT_STATISTICS

    # The other project still gets its statistics and its sort index.
    assert (await tuning.tune_data_key(ctx, "score", sort=True, project_id=victim))["created"] is True
    assert (await _indexes(engine)).get(tuning.index_name("score")) is True
    assert tuning.statistics_name("score") in await _statistics(engine)

    # A key none of the project's tasks has is never tuned (nor claimed).
    assert (await tuning.tune_data_key(ctx, "junk00001", sort=True, project_id=victim))["created"] is False
    assert (await tuning.tune_data_key(ctx, "nowhere", sort=False, project_id=victim))["created"] is False
    assert await _claims(engine, victim) == {"score": True}


async def test_keys_of_deleted_projects_make_room_at_the_global_limit(client, admin, pg, monkeypatch):
    first = await _project(client, admin, "First", [{"text": "x", "a": 1, "b": 2}])
    second = await _project(client, admin, "Second", [{"text": "y", "c": 3}])
    if pg is None:
        return  # SQLite has no indexes to make room for (checked in the test above)
    engine, ctx = pg
    monkeypatch.setattr(tuning, "MAX_INDEXES", 2)
    monkeypatch.setattr(tuning, "MAX_STATISTICS", 2)
    for key in ("a", "b"):
        assert (await tuning.tune_data_key(ctx, key, sort=True, project_id=first))["created"] is True
    assert (await tuning.tune_data_key(ctx, "c", sort=True, project_id=second))["created"] is False  # full
    assert (await client.delete(f"/api/projects/{first}", headers=admin.headers)).status_code == 204
    assert (await tuning.tune_data_key(ctx, "c", sort=True, project_id=second))["created"] is True
    assert await _indexes(engine) == {tuning.index_name("c"): True}
    assert await _statistics(engine) == {tuning.statistics_name("c")}


async def test_tuning_rebuilds_an_invalid_index_and_respects_the_budget(client, admin, pg, monkeypatch):
    pid = await _project(client, admin, "K", [{"text": "x", "k1": 1, "k2": 2}])
    if pg is None:
        return  # nothing to tune on SQLite
    engine, ctx = pg
    assert (await tuning.tune_data_key(ctx, "k1", sort=True, project_id=pid))["created"] is True
    assert (await tuning.tune_data_key(ctx, "k1", sort=True, project_id=pid))["created"] is False  # already there
    async with engine.connect() as conn:  # what an interrupted CONCURRENTLY build leaves behind
        await conn.execute(text(
            f"UPDATE pg_index SET indisvalid = false WHERE indexrelid = '{tuning.index_name('k1')}'::regclass"))
        await conn.commit()
    assert (await tuning.tune_data_key(ctx, "k1", sort=True, project_id=pid))["created"] is True
    monkeypatch.setattr(tuning, "MAX_INDEXES", 1)
    monkeypatch.setattr(tuning, "MAX_STATISTICS", 1)
    assert (await tuning.tune_data_key(ctx, "k2", sort=True, project_id=pid))["created"] is False
    assert await _indexes(engine) == {tuning.index_name("k1"): True}
    # A job queued before per-project budgets (no project) changes nothing.
    assert (await tuning.tune_data_key(ctx, "k2", sort=True))["created"] is False


async def test_a_query_naming_many_keys_asks_for_a_few(pg, monkeypatch):
    if pg is None:
        return  # request_tuning answers at once on SQLite (first test)
    engine, _ = pg
    monkeypatch.setattr(tuning, "_requested", type(tuning._requested)())
    asked = []

    class Jobs:
        async def enqueue(self, name, **kwargs):
            asked.append(kwargs)

    items = [{"filter": f"filter:tasks:data.k{n}", "operator": "equal", "type": "String", "value": "x"} for n in range(500)]
    query = parse_query({"filters": {"conjunction": "and", "items": items}, "ordering": ["-tasks:data.sorted"]})
    async with AsyncSession(engine) as db:
        await tuning.request_tuning(db, Jobs(), query, 7)
        await tuning.request_tuning(db, Jobs(), query, 7)  # asked once per process
        assert len(asked) == tuning.QUERY_KEYS
        assert asked[0]["data_key"] == "sorted" and asked[0]["sort"] is True  # sorting first
        assert {a["project_id"] for a in asked} == {7}
        await tuning.request_tuning(db, Jobs(), query, 8)  # another project asks for itself
        assert len(asked) == 2 * tuning.QUERY_KEYS


async def test_tuning_jobs_for_two_keys_at_once_never_deadlock(client, admin, pg):
    """Two workers tune two keys of a project at the same time (a filter and a sort in one
    query enqueue both). The second once waited for the table-work lock inside a statement;
    the first's CREATE INDEX CONCURRENTLY waits for every statement's snapshot, so each waited
    for the other and PostgreSQL failed the build with DeadlockDetected."""
    pid = await _project(client, admin, "Both", [{"text": "x", "rank": 1, "group": "a"}])
    if pg is None:
        return  # nothing to tune on SQLite
    engine, ctx = pg
    lock = {"table": "tasks"}
    # Both jobs start while the lock is taken (an import's ANALYZE), so both wait for it.
    async with engine.connect() as holder:
        holder = await holder.execution_options(isolation_level="AUTOCOMMIT")
        await holder.execute(text(f"SELECT pg_advisory_lock({tuning.TABLE_WORK_LOCK})"), lock)
        jobs = [asyncio.create_task(tuning.tune_data_key(ctx, key, sort=True, project_id=pid)) for key in ("rank", "group")]
        await asyncio.sleep(0.5)
        await holder.execute(text(f"SELECT pg_advisory_unlock({tuning.TABLE_WORK_LOCK})"), lock)
    results = await asyncio.wait_for(asyncio.gather(*jobs, return_exceptions=True), 60)
    assert [r if isinstance(r, Exception) else r["created"] for r in results] == [True, True]
    assert await _indexes(engine) == {tuning.index_name("rank"): True, tuning.index_name("group"): True}
