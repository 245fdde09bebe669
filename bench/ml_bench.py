#!/usr/bin/env python3
"""ML benchmark: prints figures, asserts only that the work happened.

Starts `labelloom start` on a fresh SQLite database (LABELLOOM_ALLOW_PRIVATE_URLS=1) and the
real label-studio-ml server with the tests' tiny model (tests/ml/tiny_model.py, in its own
virtualenv), imports N text tasks, connects the model and then:

1. Retrieve predictions for all N tasks (the data manager's action: a tracked job, batches of
   LABELLOOM_ML_PREDICT_BATCH_SIZE=100), followed through GET /api/jobs/{id}: seconds,
   tasks per second, and the server worker's memory (VmRSS now, VmHWM peak) before and after.
2. Interactive round trips: the median time of POST /api/ml/{id}/interactive-annotating against
   the median of the same /predict body sent straight to the model server; the difference is
   what Labelloom adds (goal: under 10 ms).

Usage: .venv/bin/python bench/ml_bench.py [--tasks 10000] [--reps 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.ml.servers
from api_bench import signed_in, start, worker_pid  # noqa: E402
from tests.ml.conftest import CONFIG  # noqa: E402
from tests.ml.servers import start_model_server  # noqa: E402


def memory(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) // 1024
    return fields


def median_ms(call, reps: int) -> float:
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        call()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=200)
    args = parser.parse_args()
    import os

    os.environ["LABELLOOM_ALLOW_PRIVATE_URLS"] = "1"
    with tempfile.TemporaryDirectory() as data_dir:
        model = start_model_server(Path(data_dir) / "model")
        proc, url = start(None, data_dir)
        try:
            http = signed_in(url, 3600)
            pid = http.post("/api/projects/", json={"title": "ml bench", "label_config": CONFIG}).json()["id"]
            for first in range(0, args.tasks, 10_000):
                body = [{"text": f"task {i} is a good or bad review of Acme number {i % 97}"} for i in range(first, min(args.tasks, first + 10_000))]
                http.post(f"/api/projects/{pid}/import", json=body).raise_for_status()
            backend = http.post("/api/ml/", json={"url": model.url, "project": pid, "title": "tiny", "is_interactive": True}).json()
            assert backend["state"] == "CO", backend
            server = worker_pid(proc)
            before = memory(server)

            t = time.perf_counter()
            answer = http.post("/api/dm/actions/", params={"id": "retrieve_tasks_predictions", "project": pid},
                               json={"selectedItems": {"all": True, "excluded": []}}).json()
            job_id = answer["job"]["id"]
            while (job := http.get(f"/api/jobs/{job_id}").json())["status"] not in ("complete", "failed"):
                time.sleep(0.2)
            seconds = time.perf_counter() - t
            assert job["status"] == "complete" and job["result"]["predicted"] == args.tasks, job
            after = memory(server)
            print(f"retrieve predictions: {args.tasks} tasks in {seconds:.1f} s = {args.tasks / seconds:,.0f} tasks/s "
                  f"(server RSS {before['VmRSS']} -> {after['VmRSS']} MiB, peak {after['VmHWM']} MiB)", flush=True)

            task = http.get("/api/tasks/", params={"project": pid, "page_size": 1}).json()["tasks"][0]
            context = {"result": [{"from_name": "ner", "to_name": "text", "type": "labels",
                                   "value": {"start": len(task["data"]["text"]) - 7, "end": len(task["data"]["text"]) - 3,
                                             "labels": ["ORG"]}}]}
            full = http.get(f"/api/tasks/{task['id']}").json()
            direct_body = {"tasks": [full], "project": f"{pid}.0", "label_config": CONFIG,
                           "params": {"login": None, "password": None, "context": context}}
            with httpx.Client(base_url=model.url, timeout=30) as direct:
                direct.post("/predict", json=direct_body).raise_for_status()  # warm up
                http.post(f"/api/ml/{backend['id']}/interactive-annotating", json={"task": task["id"], "context": context})
                model_ms = median_ms(lambda: direct.post("/predict", json=direct_body).raise_for_status(), args.reps)
                via_ms = median_ms(lambda: http.post(f"/api/ml/{backend['id']}/interactive-annotating",
                                                     json={"task": task["id"], "context": context}).raise_for_status(), args.reps)
                base_ms = median_ms(lambda: http.get(f"/api/tasks/{task['id']}").raise_for_status(), args.reps)
            print(f"baseline: GET /api/tasks/{{id}} through Labelloom {base_ms:.2f} ms (median of {args.reps})", flush=True)
            print(f"interactive round trip: model server alone {model_ms:.2f} ms, through Labelloom {via_ms:.2f} ms "
                  f"-> overhead {via_ms - model_ms:.2f} ms (median of {args.reps})", flush=True)
        finally:
            proc.terminate()
            proc.wait(30)
            model.process.terminate()
            model.process.wait(10)


if __name__ == "__main__":
    main()
