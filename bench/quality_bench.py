#!/usr/bin/env python3
"""Quality benchmark: prints figures, asserts only that the work was done.

Wall-clock and CPU time are both printed: on a shared machine the wall clock also counts
waiting for a core; on SQLite the CPU figure includes the database's own work (same process),
on PostgreSQL it leaves out the server's.

1. Full agreement recompute of a project of N tasks (default 100,000) x 3 annotators with mixed
   result types (choices, boxes, some rotated, polygons, text areas, text spans), read and
   written by ``store.recompute_project`` and ``store.sync_agreement_column`` as the
   ``core.quality_recompute`` job does.
2. Incremental update: the ``core.quality_tasks`` job's own work for one task (session, load,
   recompute, rollup deltas, commit), repeated on random tasks; median and p95 milliseconds.
   Also the data manager's "agreement < 60" page (ordered by agreement) and count on it.
3. Dashboard load of a 1,000,000-task project: its rollups (as 1M tasks x 3 annotations by 20
   annotators over a year with 8 labels and 3 model versions would leave them) are written,
   then ``GET .../quality/dashboard``'s query + assembly is timed, unfiltered and filtered.

Runs in-process on a fresh SQLite file (and on PostgreSQL with --postgres URL; that database's
public schema is wiped). Usage:
    .venv/bin/python bench/quality_bench.py [--tasks 100000] [--postgres postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text

from labelloom.core.db.bulk import bulk_insert, json_text
from labelloom.core.db.engine import make_engine, make_sessionmaker
from labelloom.core.db.migrate import upgrade
from labelloom.core.manager import build_plugin_host
from labelloom.core.models import Annotation, Project, Task, User
from labelloom.core.quality import store
from labelloom.core.quality.dashboard import Filters, dashboard
from labelloom.core.quality.models import QualityRollup, QualityTask
from labelloom.core.quality.rollups import add_into, apply

CONFIG = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="Car"/><Label value="Person"/><Label value="Bike"/></RectangleLabels>
  <PolygonLabels name="poly" toName="img"><Label value="Road"/></PolygonLabels>
  <Choices name="scene" toName="img"><Choice value="Day"/><Choice value="Night"/></Choices>
  <TextArea name="caption" toName="img"/>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
</View>"""


def result(rng: random.Random) -> list[dict]:
    out = [{"from_name": "scene", "to_name": "img", "type": "choices", "value": {"choices": [rng.choice(["Day", "Night"])]}}]
    for _ in range(rng.randint(1, 3)):
        out.append({"from_name": "box", "to_name": "img", "type": "rectanglelabels", "original_width": 640,
                    "original_height": 480,
                    "value": {"x": rng.choice([10, 12, 40]), "y": rng.choice([10, 11, 50]), "width": 20, "height": 15,
                              "rotation": rng.choice([0, 0, 0, 15]),
                              "rectanglelabels": [rng.choice(["Car", "Person", "Bike"])]}})
    if rng.random() < 0.3:
        dx = rng.choice([0, 2])
        out.append({"from_name": "poly", "to_name": "img", "type": "polygonlabels",
                    "value": {"points": [[10 + dx, 60], [40, 60], [40, 80], [25, 70], [10, 80]], "polygonlabels": ["Road"]}})
    out.append({"from_name": "caption", "to_name": "img", "type": "textarea",
                "value": {"text": [rng.choice(["a red car", "a red cart", "two people"])]}})
    for start in rng.sample([0, 6, 12, 18], rng.randint(0, 2)):
        out.append({"from_name": "ner", "to_name": "text", "type": "labels",
                    "value": {"start": start, "end": start + rng.choice([5, 6]), "labels": [rng.choice(["PER", "ORG"])]}})
    return out


async def build(sessions, n: int, rng: random.Random) -> tuple[int, list[int]]:
    async with sessions() as db:
        project = Project(title="quality bench", label_config=CONFIG)
        users = [User(email=f"bench{i}@example.com") for i in range(3)]
        db.add(project)
        db.add_all(users)
        await db.flush()
        pid, uids = project.id, [u.id for u in users]
        now = datetime(2026, 1, 1, tzinfo=UTC)
        first = (await db.execute(select(func.coalesce(func.max(Task.id), 0)))).scalar() + 1
        a_id = (await db.execute(select(func.coalesce(func.max(Annotation.id), 0)))).scalar() + 1
        for start in range(0, n, 10_000):
            count = min(10_000, n - start)
            tasks = [(first + start + i, pid, start + i + 1, json_text({"image": "x.jpg", "text": "Alice Bob Carol Dave"}),
                      1, True, 3, 0, 0, now, now, now) for i in range(count)]
            await bulk_insert(db, Task.__table__, ("id", "project_id", "inner_id", "data", "overlap", "is_labeled",
                                                     "total_annotations", "cancelled_annotations", "total_predictions",
                                                     "completed_at", "created_at", "updated_at"), tasks)
            rows = []
            for i in range(count):
                for u in uids:
                    at = now + timedelta(days=rng.randrange(60), seconds=rng.randrange(86400))
                    rows.append((a_id, first + start + i, pid, u, u, json_text(result(rng)), False, False,
                                 float(rng.randint(5, 60)), at, at))
                    a_id += 1
            await bulk_insert(db, Annotation.__table__, ("id", "task_id", "project_id", "completed_by_id", "updated_by_id",
                                                           "result", "was_cancelled", "ground_truth", "lead_time",
                                                           "created_at", "updated_at"), rows)
        await db.commit()
    return pid, uids


async def dashboard_project(sessions, rng: random.Random) -> int:
    """Rollups as a 1,000,000-task project leaves them (the dashboard reads nothing else)."""
    async with sessions() as db:
        project = Project(title="dashboard bench", label_config=CONFIG)
        db.add(project)
        await db.flush()
        pid = project.id
        users, labels, versions = list(range(1, 21)), ["Car", "Person", "Bike", "Road", "Day", "Night", "PER", "ORG"], ["v1", "v2", "v3"]
        per_day = 1_000_000 * 3 // (365 * 20)
        sums: dict = {}
        start = datetime(2025, 1, 1)
        for d in range(365):
            day = (start + timedelta(days=d)).strftime("%Y-%m-%d")
            contrib = []
            for u in users:
                contrib += [["done", day, u, 0, "", per_day, 0.0], ["skipped", day, u, 0, "", 3, 0.0],
                            ["lead", day, u, 0, "", per_day, per_day * 20.0], ["agree", day, u, 0, "", per_day, per_day * 0.7],
                            ["gt", day, u, 0, "", 10, 8.0]]
                contrib += [["label", day, u, 0, label, rng.randint(50, 500), 0.0] for label in labels]
                contrib += [["ahist", day, u, 0, str(b), rng.randint(0, 80), 0.0] for b in range(10)]
            contrib += [["pair", day, a, b, "", 10, 7.0] for a in users for b in users if a < b]
            contrib += [["plabel", day, 0, 0, label, 400, 300.0] for label in labels]
            contrib += [["thist", day, 0, 0, str(b), rng.randint(100, 500), 0.0] for b in range(10)]
            contrib += [["tagree", day, 0, 0, "", 2740, 2000.0]]
            contrib += [[k, day, 0, 0, v, 900, 600.0] for v in versions for k in ("model_gt", "model_ann")]
            add_into(sums, contrib)
        await apply(db, pid, sums)
        await db.commit()
        rows = (await db.execute(select(func.count()).select_from(QualityRollup).where(QualityRollup.project_id == pid))).scalar()
        print(f"  dashboard project: {rows} rollup rows for 1,000,000 tasks", flush=True)
    return pid


async def run(label: str, url: str, n: int) -> None:
    engine = make_engine(url)
    await upgrade(engine)
    sessions = make_sessionmaker(engine)
    registries = build_plugin_host().register_all()
    rng = random.Random(7)
    print(f"[{label}]", flush=True)
    t = time.perf_counter()
    pid, _ = await build(sessions, n, rng)
    print(f"  built {n} tasks x 3 annotations in {time.perf_counter() - t:.1f} s", flush=True)
    if url.startswith("postgresql"):
        async with engine.begin() as conn:
            await conn.execute(text("ANALYZE"))

    t, cpu = time.perf_counter(), time.process_time()
    async with sessions() as db:
        project = await db.get(Project, pid)
        outcome = await store.recompute_project(db, registries, project, overlap_reads=True)  # as the job
        await db.commit()
        outcome["column_updates"] = await store.sync_agreement_column(db, pid)
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    print(f"  full recompute: {elapsed:.1f} s wall, {cpu:.1f} s CPU of this process, for {outcome['tasks']} tasks"
          f" ({outcome['rollups']} rollup rows, {outcome['column_updates']} tasks.agreement set)  goal < 30 s", flush=True)
    async with sessions() as db:
        mean = (await db.execute(select(func.avg(QualityTask.agreement)).where(QualityTask.project_id == pid))).scalar()
        assert outcome["tasks"] == n and mean is not None
        print(f"  mean task agreement {mean:.3f}", flush=True)

    await dm_agreement(engine, pid, url.startswith("postgresql"))

    first = (await _first_task(sessions, pid))
    times, cpus = [], []
    for _ in range(300):
        task_id = first + rng.randrange(n)
        t, cpu = time.perf_counter(), time.process_time()
        async with sessions() as db:
            project = await db.get(Project, pid)
            await store.recompute_tasks(db, registries, project, [task_id])
            await db.commit()
        times.append((time.perf_counter() - t) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    times.sort()
    print(f"  incremental (one task, 3 annotations, job work incl. commit): median {statistics.median(times):.2f} ms"
          f" wall ({statistics.median(cpus):.2f} ms CPU), p95 {times[int(len(times) * 0.95)]:.2f} ms  goal < 5 ms",
          flush=True)

    big = await dashboard_project(sessions, rng)
    for name, filters in (("unfiltered", Filters()), ("last 90 days", Filters(since="2025-10-03")),
                          ("2 annotators", Filters(annotators=(3, 7)))):
        samples, cpus = [], []
        for _ in range(7):
            t, cpu = time.perf_counter(), time.process_time()
            async with sessions() as db:
                data = await dashboard(db, big, filters)
            samples.append((time.perf_counter() - t) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        assert data["progress"]
        print(f"  dashboard 1M-task project, {name}: median {statistics.median(samples):.0f} ms wall"
              f" ({statistics.median(cpus):.0f} ms CPU), best {min(samples):.0f} ms  goal < 300 ms", flush=True)
    await engine.dispose()


DM_PAGE = ("SELECT tasks.id FROM tasks WHERE tasks.project_id = :p AND tasks.agreement < 60 "
           "ORDER BY tasks.agreement DESC, tasks.id LIMIT 100")
DM_COUNT = "SELECT count(*) FROM tasks WHERE tasks.project_id = :p AND tasks.agreement < 60"


async def dm_agreement(engine, pid: int, postgres: bool) -> None:
    """The data manager's "agreement < 60" filter ordered by agreement (its SQL: the stored
    ``tasks.agreement``, indexed with the project), on the project just recomputed."""
    async with engine.connect() as conn:
        if postgres:
            await conn.execute(text("ANALYZE tasks"))
        for name, sql in (("page of 100", DM_PAGE), ("count", DM_COUNT)):
            plan = (await conn.execute(text(("EXPLAIN " if postgres else "EXPLAIN QUERY PLAN ") + sql), {"p": pid})).all()
            samples = []
            for _ in range(7):
                t = time.perf_counter()
                (await conn.execute(text(sql), {"p": pid})).all()
                samples.append((time.perf_counter() - t) * 1000)
            shown = " / ".join(str(r[-1] if not postgres else r[0]).strip() for r in plan[:2])
            print(f"  data manager 'agreement < 60' by agreement, {name}: median {statistics.median(samples):.1f} ms"
                  f"  [{shown}]", flush=True)


async def _first_task(sessions, pid: int) -> int:
    async with sessions() as db:
        return (await db.execute(select(func.min(Task.id)).where(Task.project_id == pid))).scalar()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--postgres", help="also run on this PostgreSQL database (its public schema is wiped)")
    parser.add_argument("--no-sqlite", action="store_true", help="run on PostgreSQL only")
    args = parser.parse_args()
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(run("sqlite", f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}", args.tasks))
    if args.postgres:
        from sqlalchemy import create_engine

        engine = create_engine(args.postgres)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        asyncio.run(run("postgresql", args.postgres, args.tasks))


if __name__ == "__main__":
    main()
