#!/usr/bin/env python3
"""Label-change benchmark: prints figures, asserts only that the rename happened.

Starts `labelloom start` on a fresh database (SQLite in a temp dir; PostgreSQL too with
--postgres URL), imports N tasks with one annotation each (two spans, one "PER"), then renames
PER -> Person: POST .../label-changes/preview, then POST .../label-changes/apply (a tracked job
above 20k annotations, followed to completion through GET /api/jobs/{id}), printing seconds.

Usage: .venv/bin/python bench/label_changes_bench.py [--tasks 100000] [--postgres postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import tempfile
import time

from api_bench import TEXT_CONFIG, WORDS, signed_in, start

RESULT = [{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
           "value": {"start": 0, "end": 5, "text": "alpha", "labels": ["PER"]}},
          {"id": "r2", "from_name": "label", "to_name": "text", "type": "labels",
           "value": {"start": 6, "end": 11, "text": "bravo", "labels": ["ORG"]}}]
NEW_CONFIG = TEXT_CONFIG.replace('<Label value="PER"/>', '<Label value="Person"/>')
CHANGES = [{"from_name": "label", "from": "PER", "to": "Person"}]


def run(label: str, database_url: str | None, n: int) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        proc, url = start(database_url, data_dir)
        try:
            http = signed_in(url, 3600)
            pid = http.post("/api/projects/", json={"title": "label changes bench", "label_config": TEXT_CONFIG}).json()["id"]
            t = time.perf_counter()
            for first in range(0, n, 10_000):
                body = [{"data": {"text": " ".join(WORDS[(i + j) % len(WORDS)] for j in range(12)) + f" #{i}"},
                         "annotations": [{"result": RESULT, "lead_time": 3.5}]}
                        for i in range(first, min(n, first + 10_000))]
                http.post(f"/api/projects/{pid}/import", json=body).raise_for_status()
            print(f"[{label}] imported {n} annotated tasks in {time.perf_counter() - t:.1f} s", flush=True)

            body = {"label_config": NEW_CONFIG, "changes": CHANGES}
            t = time.perf_counter()
            response = http.post(f"/api/projects/{pid}/label-changes/preview", json=body)
            response.raise_for_status()
            preview = response.json()
            print(f"[{label}] preview  {time.perf_counter() - t:6.2f} s  annotations={preview['changes'][0]['annotations']}"
                  f" valid={preview['valid']} background={preview['background']}", flush=True)

            t = time.perf_counter()
            response = http.post(f"/api/projects/{pid}/label-changes/apply", json=body)
            response.raise_for_status()
            outcome = response.json()
            if not outcome["applied"]:
                job_id = outcome["job"]["id"]
                while (job := http.get(f"/api/jobs/{job_id}").json())["status"] not in ("complete", "failed"):
                    time.sleep(0.1)
                assert job["status"] == "complete", job
                outcome = job["result"]
            print(f"[{label}] apply    {time.perf_counter() - t:6.2f} s  rows={outcome['rows']}", flush=True)
            task = http.get("/api/tasks/", params={"project": pid, "page_size": 1, "fields": "all"}).json()["tasks"][0]
            labels = task["annotations"][0]["result"][0]["value"]["labels"]
            assert labels == ["Person"], labels
        finally:
            proc.terminate()
            proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=100_000)
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
