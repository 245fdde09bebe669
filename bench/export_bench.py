#!/usr/bin/env python3
"""Export benchmark: prints figures, asserts nothing.

Starts `labelloom start` on a fresh database (SQLite in a temp dir; PostgreSQL too with
--postgres URL, which is wiped), imports annotated tasks up to each size in --sizes, and at
each size streams ``GET /api/projects/{id}/export?exportType=...&download_all_tasks=true`` in
each format (the client reads and drops the bytes), then builds a snapshot. For each it
prints (once the server is idle) wall time, bytes, the server's CPU seconds (all its processes: steadier than wall time
on a shared machine) and the peak RSS of the server's whole process tree.

With ``--baseline DIR`` (a directory holding a ``labelloom`` package: ``core``, ``plugins``,
``web``, e.g. a copy of the tree before a change), every measurement at a size is made twice on
the same data: first by a server running the baseline code (``[label before]``), then by one
running this checkout (``[label after]``): before/after figures from one run.

Usage: .venv/bin/python bench/export_bench.py [--sizes 10000,100000] [--postgres postgresql+psycopg://...]
       [--formats JSON,CSV] [--baseline /tmp/base [--rounds 2]]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from api_bench import TEXT_CONFIG, WORDS
from benchkit import PeakRss, cpu_seconds, load, process_tree, rss_mb, signed_in, start

RESULT = [{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
           "value": {"start": 0, "end": 5, "text": "alpha", "labels": ["PER"]}},
          {"id": "r2", "from_name": "label", "to_name": "text", "type": "labels",
           "value": {"start": 6, "end": 11, "text": "bravo", "labels": ["ORG"]}}]


def settle(root: int, timeout: float = 120.0) -> None:
    """Wait until the server is idle (under 5% of a core over half a second): imports enqueue
    background jobs (quality recomputes) whose CPU and memory would count as the export's."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = cpu_seconds(process_tree(root))
        time.sleep(0.5)
        if cpu_seconds(process_tree(root)) - before < 0.025:
            return


def measure(label: str, what: str, root: int, fn) -> None:
    settle(root)
    pids = process_tree(root)
    before, cpu = rss_mb(pids), cpu_seconds(pids)
    peak = PeakRss(root)
    peak.start()
    t = time.perf_counter()
    size = fn()
    elapsed = time.perf_counter() - t
    peak.running = False
    peak.join()
    used = cpu_seconds(process_tree(root)) - cpu
    print(f"[{label}] {what:<30} {elapsed:6.2f} s  cpu {used:5.2f} s  {size / 1e6:7.1f} MB   tree RSS "
          f"{before:.0f} -> peak {peak.peak:.0f} MB   {load()}", flush=True)


def start_with(code: str | None, database_url: str | None, data_dir: str):
    """A server running this checkout (``code`` None) or the ``labelloom`` package under ``code``."""
    saved = os.environ.get("PYTHONPATH")
    if code:
        os.environ["PYTHONPATH"] = code  # ahead of the editable install's finder
    try:
        return start(database_url, data_dir)
    finally:
        if code:
            if saved is None:
                os.environ.pop("PYTHONPATH")
            else:
                os.environ["PYTHONPATH"] = saved


def measure_all(label: str, n: int, http, pid: int, proc, formats: list[str], snapshot: bool) -> None:
    def stream(export_type: str):
        def go() -> int:
            size = 0
            params = {"exportType": export_type, "download_all_tasks": "true"}
            with http.stream("GET", f"/api/projects/{pid}/export", params=params) as r:
                r.raise_for_status()
                for chunk in r.iter_bytes(1 << 16):
                    size += len(chunk)
            return size
        return go

    for export_type in formats:
        measure(label, f"{n // 1000}k export {export_type}", proc.pid, stream(export_type))

    def build_snapshot() -> int:
        eid = http.post(f"/api/projects/{pid}/exports/", json={"title": "bench"}).json()["id"]
        while http.get(f"/api/projects/{pid}/exports/{eid}").json()["status"] not in ("completed", "failed"):
            time.sleep(0.1)
        size = 0
        with http.stream("GET", f"/api/projects/{pid}/exports/{eid}/download") as r:
            for chunk in r.iter_bytes(1 << 16):
                size += len(chunk)
        return size

    if snapshot:
        measure(label, f"{n // 1000}k snapshot (job) + get", proc.pid, build_snapshot)


def run(label: str, database_url: str | None, sizes: list[int], formats: list[str], snapshot: bool,
        baseline: str | None = None, rounds: int = 1) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        proc, url = start(database_url, data_dir)
        try:
            http = signed_in(url, 3600)
            pid = http.post("/api/projects/", json={"title": "export bench", "label_config": TEXT_CONFIG}).json()["id"]
            imported = 0
            for n in sizes:
                t = time.perf_counter()
                for first in range(imported, n, 10_000):
                    body = [{"data": {"text": " ".join(WORDS[(i + j) % len(WORDS)] for j in range(12)) + f" #{i}"},
                             "annotations": [{"result": RESULT, "lead_time": 3.5}]}
                            for i in range(first, min(n, first + 10_000))]
                    http.post(f"/api/projects/{pid}/import", json=body).raise_for_status()
                print(f"[{label}] imported {n - imported} annotated tasks (now {n}) in "
                      f"{time.perf_counter() - t:.1f} s", flush=True)
                imported = n

                variants = [("before", baseline), ("after", None)] if baseline else [("", None)]
                for variant, code in variants * rounds:  # alternating: a busy spell hits both
                    if baseline:  # a fresh server per variant, on the same data
                        proc.terminate()
                        proc.wait(30)
                        proc, url = start_with(code, database_url, data_dir)
                        http = signed_in(url, 3600)
                    measure_all(f"{label} {variant}".strip(), n, http, pid, proc, formats, snapshot)
        finally:
            proc.terminate()
            proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated task counts, ascending")
    parser.add_argument("--formats", default="JSON,JSON_MIN,CSV")
    parser.add_argument("--no-snapshot", action="store_true")
    parser.add_argument("--postgres", help="also run on this PostgreSQL database (it is wiped)")
    parser.add_argument("--only-postgres", action="store_true")
    parser.add_argument("--baseline", help="also measure the labelloom package under this directory, first")
    parser.add_argument("--rounds", type=int, default=1, help="with --baseline: before/after pairs per size")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    formats = args.formats.split(",")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    if not args.only_postgres:
        run("sqlite", None, sizes, formats, not args.no_snapshot, args.baseline, args.rounds)
    if args.postgres:
        from sqlalchemy import create_engine, text

        engine = create_engine(args.postgres)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        run("postgresql", args.postgres, sizes, formats, not args.no_snapshot, args.baseline, args.rounds)


if __name__ == "__main__":
    main()
