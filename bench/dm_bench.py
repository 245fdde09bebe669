"""Data-manager benchmark (issue 6, part 7; figures only): PostgreSQL, N tasks generated in bulk.

    LABELLOOM_BENCH_DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/dm_bench.py --tasks 1000000

The database is emptied first. Prints the median time of a filtered and ordered page
(``data.<key>`` contains, total_annotations >, ordered by a data key) through the HTTP API, of
the filtered count, and the time of a bulk ``delete_tasks`` on 100k selected tasks.
(The export half of part 7 belongs to the export benchmark.)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time

from litestar.testing import AsyncTestClient
from sqlalchemy import text

from labelloom.core.app import create_app
from labelloom.core.db.engine import make_engine
from labelloom.core.db.migrate import upgrade
from labelloom.core.settings import Settings

CONFIG = '<View><Text name="text" value="$text"/><Choices name="c" toName="text"><Choice value="A"/><Choice value="B"/></Choices></View>'
WORDS = ["apple", "banana", "cherry", "damson", "elder", "fig", "grape", "hazel"]


async def reset(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await upgrade(engine)
    await engine.dispose()


async def generate(url: str, project_id: int, user_id: int, tasks: int) -> None:
    """Tasks, and one annotation on every third task, in a few INSERT ... SELECT statements."""
    words = "ARRAY[" + ",".join(f"'{w}'" for w in WORDS) + "]"
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text(f"""
            INSERT INTO tasks (project_id, inner_id, data, overlap, is_labeled, total_annotations,
                               cancelled_annotations, total_predictions, created_at, updated_at)
            SELECT :p, g, jsonb_build_object('text', ({words})[1 + g % 8] || ' ' || g, 'rank', (g::bigint * 7919) % 100000),
                   1, false, 0, 0, 0, now(), now()
            FROM generate_series(1, :n) g"""), {"p": project_id, "n": tasks})
        await conn.execute(text("""
            INSERT INTO annotations (task_id, project_id, completed_by_id, result, was_cancelled, ground_truth,
                                     created_at, updated_at)
            SELECT id, project_id, :u, '[{"from_name":"c","to_name":"text","type":"choices","value":{"choices":["A"]}}]'::jsonb,
                   false, false, now(), now()
            FROM tasks WHERE project_id = :p AND id % 3 = 0"""), {"p": project_id, "u": user_id})
        # Counters as the API keeps them (set-based), then fresh planner statistics.
        await conn.execute(text("""
            UPDATE tasks t SET total_annotations = 1, is_labeled = true, completed_at = now()
            WHERE project_id = :p AND id % 3 = 0"""), {"p": project_id})
        # Tasks inserted behind TaskImporter's back: recount the project's stored counters.
        await conn.execute(text("""
            UPDATE project_counters c SET task_number = s.n, finished_task_number = s.l,
                   total_annotations_number = s.a, num_tasks_with_annotations = s.w
            FROM (SELECT count(*) n, count(*) FILTER (WHERE is_labeled) l, sum(total_annotations) a,
                         count(*) FILTER (WHERE total_annotations > 0) w
                  FROM tasks WHERE project_id = :p) s
            WHERE c.project_id = :p"""), {"p": project_id})
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE"))
    await engine.dispose()


async def tuned(url: str) -> None:
    """Wait until the statistics and the sort index of the benchmark's data keys exist."""
    engine = make_engine(url)
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


async def timed(call, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = await call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--delete", type=int, default=100_000)
    args = parser.parse_args()
    url = os.environ.get("LABELLOOM_BENCH_DATABASE_URL") or os.environ["LABELLOOM_TEST_DATABASE_URL"]
    await reset(url)
    settings = Settings(data_dir=tempfile.mkdtemp(), database_url=url, secret_key="bench-secret-key-of-a-reasonable-length")
    async with AsyncTestClient(create_app(settings)) as client:
        setup = (await client.post("/api/auth/setup", json={"email": "b@example.com", "password": "bench password 1"})).json()
        token = (await client.get("/api/current-user/token")).json()["token"]
        client.cookies.clear()
        h = {"Authorization": f"Token {token}"}
        pid = (await client.post("/api/projects/", headers=h, json={"title": "bench", "label_config": CONFIG})).json()["id"]
        start = time.perf_counter()
        await generate(url, pid, setup["user"]["id"], args.tasks)
        print(f"generated {args.tasks} tasks in {time.perf_counter() - start:.1f} s")

        query = {
            "filters": {"conjunction": "and", "items": [
                {"filter": "filter:tasks:data.text", "operator": "contains", "type": "String", "value": "cherry"},
                {"filter": "filter:tasks:total_annotations", "operator": "greater", "type": "Number", "value": 0},
            ]},
            "ordering": ["-tasks:data.rank"],
        }
        params = {"project": pid, "page_size": 30, "query": json.dumps(query)}

        async def page(number: int = 1, needle: str = "cherry"):
            query["filters"]["items"][0]["value"] = needle
            r = await client.get("/api/tasks/", headers=h, params={**params, "page": number, "query": json.dumps(query)})
            assert r.status_code == 200, r.text
            return r.json()

        start = time.perf_counter()
        body = await page()
        print(f"first filtered+ordered page (30 of {body['total']}), untuned: {(time.perf_counter() - start) * 1000:.1f} ms")
        # That page asked for the key's statistics and sort index (core.tune_data_key).
        start = time.perf_counter()
        await tuned(url)
        print(f"data keys tuned in the background within {time.perf_counter() - start:.1f} s")
        pages = iter(range(1, args.runs + 1))
        median, _ = await timed(lambda: page(next(pages)), args.runs)
        print(f"filtered+ordered pages 1, 2, 3 ... (scrolling; total counted once): median {median:.1f} ms")
        needles = iter(f"cherry {n}" if n else "cherry" for n in range(args.runs))
        median, _ = await timed(lambda: page(1, next(needles)), args.runs)
        print(f"filtered+ordered page with a new filter each time (counted afresh): median {median:.1f} ms")
        query["filters"]["items"][0]["value"] = "cherry"

        plain = {"project": pid, "page_size": 30, "page": 1000}
        median, _ = await timed(lambda: client.get("/api/tasks/", headers=h, params=plain), args.runs)
        print(f"unfiltered page 1000: median {median:.1f} ms")

        first = (await client.get("/api/tasks/", headers=h, params={"project": pid, "page_size": 1})).json()["tasks"][0]["id"]
        selection = {"filters": {"conjunction": "and", "items": [{"filter": "filter:tasks:id", "operator": "in", "type": "Number",
                                                                  "value": {"min": first, "max": first + args.delete - 1}}]}}
        start = time.perf_counter()
        r = await client.post("/api/dm/actions/", headers=h, params={"id": "delete_tasks", "project": pid}, json=selection)
        print(f"delete_tasks on {r.json()['processed_items']} tasks: {time.perf_counter() - start:.2f} s")
        project = (await client.get(f"/api/projects/{pid}/", headers=h)).json()
        print(f"project counters after delete: task_number={project['task_number']} "
              f"total_annotations_number={project['total_annotations_number']}")


if __name__ == "__main__":
    asyncio.run(main())
