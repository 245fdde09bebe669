#!/usr/bin/env python3
"""Export benchmark: prints figures, asserts nothing.

Starts `labelloom start` on a fresh database (SQLite in a temp dir; PostgreSQL too with
--postgres URL), imports N annotated tasks, then streams GET /api/projects/{id}/export in each
format (the client reads and drops the bytes) and builds a snapshot, printing time, bytes and
the server's peak RSS growth.

Usage: .venv/bin/python bench/export_bench.py [--tasks 20000] [--postgres postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import tempfile
import time

from api_bench import TEXT_CONFIG, WORDS, PeakRss, rss_mb, signed_in, start, worker_pid

RESULT = [{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
           "value": {"start": 0, "end": 5, "text": "alpha", "labels": ["PER"]}},
          {"id": "r2", "from_name": "label", "to_name": "text", "type": "labels",
           "value": {"start": 6, "end": 11, "text": "bravo", "labels": ["ORG"]}}]


def measure(label: str, what: str, worker: int, fn) -> None:
    before = rss_mb(worker)
    peak = PeakRss(worker)
    peak.start()
    t = time.perf_counter()
    size = fn()
    elapsed = time.perf_counter() - t
    peak.running = False
    peak.join()
    print(f"[{label}] {what:<22} {elapsed:6.2f} s  {size / 1e6:7.1f} MB   server RSS {before:.0f} -> peak "
          f"{peak.peak:.0f} MB (+{peak.peak - before:.0f} MB)", flush=True)


def run(label: str, database_url: str | None, n: int) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        proc, url = start(database_url, data_dir)
        worker = worker_pid(proc)
        try:
            http = signed_in(url, 3600)
            pid = http.post("/api/projects/", json={"title": "export bench", "label_config": TEXT_CONFIG}).json()["id"]
            t = time.perf_counter()
            for first in range(0, n, 10_000):
                body = [{"data": {"text": " ".join(WORDS[(i + j) % len(WORDS)] for j in range(12)) + f" #{i}"},
                         "annotations": [{"result": RESULT, "lead_time": 3.5}]}
                        for i in range(first, min(n, first + 10_000))]
                http.post(f"/api/projects/{pid}/import", json=body).raise_for_status()
            print(f"[{label}] imported {n} annotated tasks in {time.perf_counter() - t:.1f} s", flush=True)

            def stream(export_type: str):
                def go() -> int:
                    size = 0
                    with http.stream("GET", f"/api/projects/{pid}/export", params={"exportType": export_type}) as r:
                        r.raise_for_status()
                        for chunk in r.iter_bytes(1 << 16):
                            size += len(chunk)
                    return size
                return go

            for export_type in ("JSON", "JSON_MIN", "CSV"):
                measure(label, f"export {export_type}", worker, stream(export_type))

            def snapshot() -> int:
                eid = http.post(f"/api/projects/{pid}/exports/", json={"title": "bench"}).json()["id"]
                while (e := http.get(f"/api/projects/{pid}/exports/{eid}").json())["status"] not in ("completed", "failed"):
                    time.sleep(0.2)
                return len(http.get(f"/api/projects/{pid}/exports/{eid}/download").content)

            measure(label, "snapshot (job) + get", worker, snapshot)
        finally:
            proc.terminate()
            proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--postgres", help="also run on this PostgreSQL database (it is wiped)")
    args = parser.parse_args()
    run("sqlite", None, args.tasks)
    if args.postgres:
        from sqlalchemy import create_engine, text

        engine = create_engine(args.postgres)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        run("postgresql", args.postgres, args.tasks)


if __name__ == "__main__":
    main()
