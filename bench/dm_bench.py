"""Data-manager benchmark (issue 17, part 3; figures only): N tasks generated in bulk with SQL.

    .venv/bin/python bench/dm_bench.py --db sqlite --tasks 1000000
    LABELLOOM_BENCH_DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/dm_bench.py --db postgres

Tasks (and an annotation on every third one) are made by a few ``INSERT ... SELECT`` statements,
not through the API, so a million take seconds. ``--reuse`` keeps the data of an earlier run
(the SQLite file in ``--dir``; the PostgreSQL database as it is). Every figure is the median of
``--runs`` requests through the HTTP app in this process (no network), with the CPU time
the process spent per request (on SQLite that includes the database's work):

- page 1 of 100, no filter; a deep page by number (``page=10000``) and the same page reached by
  keyset (``cursor=`` from the page before it, what the data manager's scroll sends);
- the side-by-side benchmark's filtered + ordered page (``total_annotations == 0``, ``-id``);
- a data-key filter + sort (``data.text contains <word>`` and ``total_annotations > 0``, ordered
  by ``-data.rank``) with a new filter value each time, so no cached total helps;
- the exact count of that filter (``exact_total=true``), what the UI asks for on demand;
- optionally (``--delete N``) a bulk ``delete_tasks`` of N selected tasks.

Load moves these figures: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import tempfile
import time

import httpx
from sqlalchemy import text

from labelloom.core.app import create_app
from labelloom.core.db.engine import make_engine
from labelloom.core.db.migrate import upgrade
from labelloom.core.settings import Settings

CONFIG = '<View><Text name="text" value="$text"/><Choices name="c" toName="text"><Choice value="A"/><Choice value="B"/></Choices></View>'
WORDS = ["apple", "banana", "cherry", "damson", "elder", "fig", "grape", "hazel"]
RESULT = '[{"from_name":"c","to_name":"text","type":"choices","value":{"choices":["A"]}}]'
EMAIL, PASSWORD = "b@example.com", "bench password 1"


async def reset(url: str) -> None:
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    await upgrade(engine)
    await engine.dispose()


def _postgres_sql() -> list[str]:
    words = "ARRAY[" + ",".join(f"'{w}'" for w in WORDS) + "]"
    return [
        f"""INSERT INTO tasks (project_id, inner_id, data, overlap, is_labeled, total_annotations,
                               cancelled_annotations, total_predictions, created_at, updated_at)
            SELECT :p, g, jsonb_build_object('text', ({words})[1 + g % 8] || ' ' || g, 'rank', (g::bigint * 7919) % 100000),
                   1, false, 0, 0, 0, now(), now()
            FROM generate_series(1, :n) g""",
        f"""INSERT INTO annotations (task_id, project_id, completed_by_id, result, was_cancelled, ground_truth,
                                     created_at, updated_at)
            SELECT id, project_id, :u, '{RESULT}'::jsonb, false, false, now(), now()
            FROM tasks WHERE project_id = :p AND inner_id % 3 = 0""",
        """UPDATE tasks SET total_annotations = 1, is_labeled = true, completed_at = now()
           WHERE project_id = :p AND inner_id % 3 = 0""",
    ]


def _sqlite_sql() -> list[str]:
    words = json.dumps(WORDS)
    now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    return [
        f"""WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < :n)
            INSERT INTO tasks (project_id, inner_id, data, overlap, is_labeled, total_annotations,
                               cancelled_annotations, total_predictions, created_at, updated_at)
            SELECT :p, n, json_object('text', json_extract('{words}', '$[' || (n % 8) || ']') || ' ' || n,
                                      'rank', (n * 7919) % 100000),
                   1, 0, 0, 0, 0, {now}, {now}
            FROM g""",
        f"""INSERT INTO annotations (task_id, project_id, completed_by_id, result, was_cancelled, ground_truth,
                                     created_at, updated_at)
            SELECT id, project_id, :u, '{RESULT}', 0, 0, {now}, {now}
            FROM tasks WHERE project_id = :p AND inner_id % 3 = 0""",
        f"""UPDATE tasks SET total_annotations = 1, is_labeled = 1, completed_at = {now}
           WHERE project_id = :p AND inner_id % 3 = 0""",
    ]


async def generate(url: str, project_id: int, user_id: int, tasks: int) -> None:
    """Tasks, and one annotation on every third task, in a few INSERT ... SELECT statements."""
    engine = make_engine(url)
    postgres = engine.dialect.name == "postgresql"
    async with engine.begin() as conn:
        for sql in _postgres_sql() if postgres else _sqlite_sql():
            await conn.execute(text(sql), {"p": project_id, "n": tasks, "u": user_id})
        # Tasks inserted behind TaskImporter's back: recount the project's stored counters.
        await conn.execute(text("""
            UPDATE project_counters SET
                task_number = (SELECT count(*) FROM tasks WHERE project_id = :p),
                finished_task_number = (SELECT count(*) FROM tasks WHERE project_id = :p AND is_labeled),
                total_annotations_number = (SELECT coalesce(sum(total_annotations), 0) FROM tasks WHERE project_id = :p),
                num_tasks_with_annotations = (SELECT count(*) FROM tasks WHERE project_id = :p AND total_annotations > 0)
            WHERE project_id = :p"""), {"p": project_id})
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE" if postgres else "ANALYZE"))
    await engine.dispose()


async def tuned(url: str) -> None:
    """PostgreSQL: wait until the statistics and the sort index of the benchmark's data keys exist."""
    engine = make_engine(url)
    if engine.dialect.name != "postgresql":
        await engine.dispose()
        return
    async with engine.connect() as conn:
        for _ in range(600):
            stats = (await conn.execute(text("SELECT count(*) FROM pg_statistic_ext WHERE stxname LIKE 'st_tasks_data_%'"))).scalar()
            index = (await conn.execute(text(
                "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE c.relname LIKE 'ix_tasks_data_%' AND i.indisvalid"))).scalar()
            analyzed = (await conn.execute(text("SELECT count(*) FROM pg_stats_ext_exprs WHERE statistics_name LIKE 'st_tasks_data_%'"))).scalar()
            if stats and index and analyzed:
                break
            await conn.rollback()
            await asyncio.sleep(0.2)
    await engine.dispose()


CPU: list[float] = []  # this process's CPU time per request of the last timed() (server + SQLite thread)


async def timed(call, runs: int) -> tuple[float, object]:
    times, result = [], None
    cpu = time.process_time()
    for _ in range(runs):
        start = time.perf_counter()
        result = await call()
        times.append((time.perf_counter() - start) * 1000)
    CPU[:] = [(time.process_time() - cpu) * 1000 / runs]
    return statistics.median(times), result


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--deep", type=int, default=10_000, help="the deep page's number (pages of 100)")
    parser.add_argument("--delete", type=int, default=0, help="bulk-delete this many tasks at the end")
    parser.add_argument("--dir", default=None, help="where the SQLite file lives (default: a new temporary folder)")
    parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier run with the same --dir / database")
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    data_dir = args.dir or tempfile.mkdtemp()
    if args.db == "postgres":
        url = os.environ.get("LABELLOOM_BENCH_DATABASE_URL") or os.environ["LABELLOOM_TEST_DATABASE_URL"]
    else:
        url = f"sqlite+aiosqlite:///{os.path.join(data_dir, 'dm_bench.sqlite3')}"
    fresh = not args.reuse
    if args.reuse:
        engine = make_engine(url)
        try:
            async with engine.connect() as conn:
                fresh = not (await conn.execute(text("SELECT count(*) FROM tasks"))).scalar()
        except Exception:
            fresh = True
        if not fresh:  # the schema may have moved on since
            await upgrade(engine)
        await engine.dispose()
    if fresh:
        if args.db == "sqlite" and os.path.exists(url.split("///", 1)[1]):
            os.remove(url.split("///", 1)[1])
        await reset(url)
    settings = Settings(data_dir=data_dir, database_url=url, secret_key="bench-secret-key-of-a-reasonable-length")
    app = create_app(settings)
    # In this thread and event loop, as a server runs it (the test client's thread hop left out).
    async with app.lifespan(), httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        if fresh:
            setup = (await client.post("/api/auth/setup", json={"email": EMAIL, "password": PASSWORD})).json()
        else:
            r = await client.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
            assert r.status_code < 300, r.text
        token = (await client.get("/api/current-user/token")).json()["token"]
        client.cookies.clear()
        h = {"Authorization": f"Token {token}"}
        if fresh:
            pid = (await client.post("/api/projects/", headers=h, json={"title": "bench", "label_config": CONFIG})).json()["id"]
            start = time.perf_counter()
            await generate(url, pid, setup["user"]["id"], args.tasks)
            print(f"[{args.db}] generated {args.tasks} tasks in {time.perf_counter() - start:.1f} s")
        else:
            pid = (await client.get("/api/projects/", headers=h)).json()["results"][0]["id"]
        print(f"[{args.db}] {load()}")

        async def get(params: dict) -> dict:
            r = await client.get("/api/tasks/", headers=h, params={"project": pid, "page_size": 100, **params})
            assert r.status_code == 200, r.text
            return r.json()

        def report(name: str, median: float, body: dict) -> None:
            exact = "" if body.get("total_exact", True) else " (estimated)"
            print(f"[{args.db}] {name}: median {median:.1f} ms, CPU {CPU[0]:.1f} ms/request; total {body['total']}{exact}")

        median, body = await timed(lambda: get({"page": 1}), args.runs)
        report("page 1 of 100, no filter", median, body)
        median, body = await timed(lambda: get({"page": args.deep}), args.runs)
        report(f"page {args.deep} by number (OFFSET)", median, body)
        before = await get({"page": args.deep - 1})
        if before.get("next_cursor"):
            median, body = await timed(lambda: get({"cursor": before["next_cursor"]}), args.runs)
            report(f"page {args.deep} by keyset (cursor)", median, body)
        else:
            print(f"[{args.db}] page {args.deep} by keyset: no cursor in this version")

        ls_query = json.dumps({
            "filters": {"conjunction": "and", "items": [
                {"filter": "filter:tasks:total_annotations", "operator": "equal", "type": "Number", "value": 0}]},
            "ordering": ["-tasks:id"],
        })
        median, body = await timed(lambda: get({"page": 1, "query": ls_query}), args.runs)
        report("filtered+ordered page 1 (total_annotations == 0, -id)", median, body)

        def data_query(needle: str) -> str:
            return json.dumps({
                "filters": {"conjunction": "and", "items": [
                    {"filter": "filter:tasks:data.text", "operator": "contains", "type": "String", "value": needle},
                    {"filter": "filter:tasks:total_annotations", "operator": "greater", "type": "Number", "value": 0}]},
                "ordering": ["-tasks:data.rank"],
            })

        start = time.perf_counter()
        body = await get({"page": 1, "query": data_query("cherry")})
        print(f"[{args.db}] data-key filter+sort page 1, first time: {(time.perf_counter() - start) * 1000:.1f} ms")
        await tuned(url)  # PostgreSQL: that page asked for the key's statistics and sort index
        needles = iter(f"cherry {n}" if n else "cherry" for n in range(args.runs))
        median, body = await timed(lambda: get({"page": 1, "query": data_query(next(needles))}), args.runs)
        report("data-key filter+sort page 1, a new filter each time", median, body)
        pages = iter(range(2, args.runs + 2))
        median, body = await timed(lambda: get({"page": next(pages), "query": data_query("cherry")}), args.runs)
        report("data-key filter+sort pages 2, 3 ... (scrolling)", median, body)
        median, body = await timed(lambda: get({"page": 1, "page_size": 1, "query": data_query("cherry"), "exact_total": "true"}), args.runs)
        report("exact count on demand (exact_total=true) of that filter", median, body)
        print(f"[{args.db}] {load()}")

        if args.delete:
            first = (await get({"page_size": 1}))["tasks"][0]["id"]
            selection = {"filters": {"conjunction": "and", "items": [{"filter": "filter:tasks:id", "operator": "in", "type": "Number",
                                                                      "value": {"min": first, "max": first + args.delete - 1}}]}}
            start = time.perf_counter()
            r = await client.post("/api/dm/actions/", headers=h, params={"id": "delete_tasks", "project": pid}, json=selection)
            print(f"[{args.db}] delete_tasks on {r.json()['processed_items']} tasks: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
