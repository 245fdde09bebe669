#!/usr/bin/env python3
"""API benchmark: prints figures, asserts nothing.

Starts `labelloom start` on a fresh database (SQLite in a temp dir, and PostgreSQL when
--postgres URL is given), then measures:
  - import of N tasks in ONE POST /api/projects/{id}/import (JSON list), and server RSS growth
  - GET /api/tasks?project=&page=1&page_size=100 (median of --reps)
  - GET /api/projects/{id}/next/ (median of --reps)
  - GET /api/tasks/{id} (median of --reps)
  - sequential POST /api/tasks/{id}/annotations/ (creates per second, median)
Each figure comes with the server's CPU time per request (all its processes, from /proc) and
the load average: on a shared machine wall times follow the neighbours, CPU time much less.

Usage: .venv/bin/python bench/api_bench.py [--sizes 10000,100000] [--postgres postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import threading
import time

import benchkit
from benchkit import free_port, load, signed_in, start  # noqa: F401  (free_port: other benches import it from here)

TEXT_CONFIG = """<View>
  <Labels name="label" toName="text">
    <Label value="PER"/><Label value="ORG"/><Label value="LOC"/><Label value="MISC"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""
WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike".split()


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants."""
    return benchkit.rss_mb(benchkit.process_tree(pid))


def cpu_ms(pid: int) -> float:
    """CPU time (user + system) of a process and its descendants so far, in milliseconds."""
    return benchkit.cpu_seconds(benchkit.process_tree(pid)) * 1000


class PeakRss(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0.0, True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.05)


def worker_pid(proc: subprocess.Popen) -> int:
    """The serving worker's pid (granian's child), whose memory the benches watch."""
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    return max((int(c) for c in children), default=proc.pid)


def median_ms(fn, reps: int) -> float:
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def measured(fn, reps: int, server: int) -> tuple[float, float]:
    """(median wall ms, server CPU ms per request)."""
    cpu = cpu_ms(server)
    wall = median_ms(fn, reps)
    return wall, (cpu_ms(server) - cpu) / reps


def run(label: str, database_url: str | None, sizes: list[int], reps: int, annotations: int) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        proc, url = start(database_url, data_dir)
        worker = worker_pid(proc)
        try:
            http = signed_in(url, 600)
            for n in sizes:
                project = http.post("/api/projects/", json={"title": f"bench {n}", "label_config": TEXT_CONFIG}).json()
                pid = project["id"]
                body = [{"text": " ".join(WORDS[(i + j) % len(WORDS)] for j in range(12)) + f" #{i}"} for i in range(n)]
                before = rss_mb(worker)
                peak = PeakRss(worker)
                peak.start()
                t = time.perf_counter()
                r = http.post(f"/api/projects/{pid}/import", json=body)
                elapsed = time.perf_counter() - t
                peak.running = False
                peak.join()
                assert r.status_code == 201, r.text[:300]
                print(f"[{label}] import {n:>7} tasks: {elapsed:6.2f} s   server RSS {before:.0f} -> peak {peak.peak:.0f} MB"
                      f" (+{peak.peak - before:.0f} MB)", flush=True)
                page, page_cpu = measured(
                    lambda: http.get("/api/tasks", params={"project": pid, "page": 1, "page_size": 100}), reps, proc.pid)
                deep = median_ms(lambda: http.get("/api/tasks", params={"project": pid, "page": n // 100, "page_size": 100}), reps)
                print(f"[{label}] tasks page 1 (100 tasks): {page:6.1f} ms median, server CPU {page_cpu:5.2f} ms/request;"
                      f" last page: {deep:6.1f} ms   ({load()})", flush=True)
                one = http.get("/api/tasks", params={"project": pid, "page": 1, "page_size": 1}).json()["tasks"][0]["id"]
                task, task_cpu = measured(lambda: http.get(f"/api/tasks/{one}"), reps, proc.pid)
                print(f"[{label}] one task: {task:6.1f} ms median, server CPU {task_cpu:5.2f} ms/request   ({load()})", flush=True)
                nxt, nxt_cpu = measured(lambda: http.get(f"/api/projects/{pid}/next/"), reps, proc.pid)
                print(f"[{label}] next task: {nxt:6.1f} ms median, server CPU {nxt_cpu:5.2f} ms/request   ({load()})", flush=True)
                tasks = http.get("/api/tasks", params={"project": pid, "page": 2, "page_size": annotations}).json()["tasks"]
                result = [{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
                           "value": {"start": 0, "end": 5, "text": "alpha", "labels": ["PER"]}}]
                t, cpu = time.perf_counter(), cpu_ms(proc.pid)
                times = []
                for task in tasks:
                    started = time.perf_counter()
                    http.post(f"/api/tasks/{task['id']}/annotations/", json={"result": result}).raise_for_status()
                    times.append((time.perf_counter() - started) * 1000)
                rate = len(tasks) / (time.perf_counter() - t)
                create_cpu = (cpu_ms(proc.pid) - cpu) / len(tasks)
                print(f"[{label}] annotation creates: {rate:6.0f} /s sequential ({len(tasks)} creates), median"
                      f" {statistics.median(times):5.1f} ms, server CPU {create_cpu:5.2f} ms/create (background"
                      f" jobs included)   ({load()})", flush=True)
                t = time.perf_counter()
                http.delete(f"/api/projects/{pid}/")
                print(f"[{label}] delete project of {n} tasks: {time.perf_counter() - t:6.2f} s", flush=True)
        finally:
            proc.terminate()
            proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--annotations", type=int, default=300)
    parser.add_argument("--postgres", help="also run on this PostgreSQL database (it is wiped)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    run("sqlite", None, sizes, args.reps, args.annotations)
    if args.postgres:
        from sqlalchemy import create_engine, text

        engine = create_engine(args.postgres.replace("+psycopg", "+psycopg"))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        run("postgresql", args.postgres, sizes, args.reps, args.annotations)


if __name__ == "__main__":
    main()
