#!/usr/bin/env python3
"""Import benchmark: prints figures, asserts nothing.

Starts `labelloom start` on a fresh database (SQLite in a temp dir; PostgreSQL too with
--postgres URL) and, for each, measures through ``POST /api/projects/{id}/import``:
  - N-task imports as one JSON list body (the side-by-side bench's text tasks: ~200 characters
    under "data"): wall time, the server's CPU time, and the whole process tree's RSS before,
    at its peak and a moment after;
  - the largest import again with its last item bad (400, nothing kept, memory back);
  - hostile bodies of empty objects (``[{},{},...]``) of 5 and 20 MB, which must answer 400
    with the server's memory following the batch, not the body, and coming back afterwards.

The body is encoded before the clock starts (as the Label Studio side of the bench does).

Usage: .venv/bin/python bench/import_bench.py [--sizes 10000,100000] [--hostile 5,20]
                                              [--postgres postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time

import httpx
import msgspec
from benchkit import PeakRss, cpu_seconds, load, process_tree, rss_mb, signed_in, start

CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/></Choices>
</View>"""
WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike".split()


def text_tasks(n: int, seed: int = 42) -> list[dict]:
    """The same shape as the side-by-side bench's import: {"data": {"text": ~200 chars}}."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        words: list[str] = []
        length = 0
        while length < 200:
            word = rnd.choice(WORDS)
            words.append(word)
            length += len(word) + 1
        out.append({"data": {"text": f"#{i} " + " ".join(words)[:200]}})
    return out


def timed_import(http: httpx.Client, root: int, pid: int, body: bytes) -> tuple[httpx.Response, str]:
    tree = process_tree(root)
    before, cpu = rss_mb(tree), cpu_seconds(tree)
    peak = PeakRss(root)
    peak.start()
    t = time.perf_counter()
    response = http.post(f"/api/projects/{pid}/import", content=body, headers={"Content-Type": "application/json"})
    elapsed = time.perf_counter() - t
    peak.running = False
    peak.join()
    used = cpu_seconds(tree) - cpu
    time.sleep(1.0)  # what the server keeps a moment later
    after = rss_mb(process_tree(root))
    return response, (f"{elapsed:6.3f} s (server CPU {used:5.2f} s)   RSS {before:.0f} -> peak {peak.peak:.0f}"
                      f" (+{peak.peak - before:.0f}) -> after {after:.0f} MB   [{load()}]")


def run(label: str, database_url: str | None, sizes: list[int], hostile: list[int], reps: int) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        proc, url = start(database_url, data_dir)
        try:
            http = signed_in(url)
            time.sleep(1.0)
            print(f"[{label}] idle server RSS {rss_mb(process_tree(proc.pid)):.0f} MB "
                  f"({len(process_tree(proc.pid))} processes)", flush=True)
            for n in sizes:
                body = msgspec.json.encode(text_tasks(n))
                for rep in range(reps if n <= 10000 else 1):
                    pid = http.post("/api/projects/", json={"title": f"bench {n}", "label_config": CONFIG}).json()["id"]
                    r, figures = timed_import(http, proc.pid, pid, body)
                    status = "" if r.status_code == 201 else f"  status {r.status_code}: {r.text[:200]}"
                    print(f"[{label}] import {n:>7} tasks ({len(body) / 1e6:.1f} MB): {figures}{status}", flush=True)
                    http.delete(f"/api/projects/{pid}/")
            if sizes:  # all or nothing at scale: the last item is bad, after every batch was written
                n = max(sizes)
                tasks = text_tasks(n)
                tasks[-1] = {"data": {"txt": "no text key"}}
                pid = http.post("/api/projects/", json={"title": "bad last", "label_config": CONFIG}).json()["id"]
                r, figures = timed_import(http, proc.pid, pid, msgspec.json.encode(tasks))
                left = http.get(f"/api/projects/{pid}/").json()["task_number"]
                print(f"[{label}] import {n:>7} tasks, the last one bad -> {r.status_code}, {left} tasks kept: {figures}", flush=True)
                http.delete(f"/api/projects/{pid}/")
            pid = http.post("/api/projects/", json={"title": "hostile", "label_config": CONFIG}).json()["id"]
            for megabytes in hostile:
                count = megabytes * 1_000_000 // 3
                body = b"[" + b"{}," * (count - 1) + b"{}]"
                r, figures = timed_import(http, proc.pid, pid, body)
                detail = r.text[:120].replace("\n", " ")
                print(f"[{label}] hostile [{{}},...] {megabytes} MB -> {r.status_code}: {figures}  {detail}", flush=True)
        finally:
            proc.terminate()
            proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--hostile", default="5,20", help="sizes in MB of [{},{},...] bodies")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of imports of up to 10k tasks")
    parser.add_argument("--postgres", help="also run against this PostgreSQL URL (an empty database)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    hostile = [int(s) for s in args.hostile.split(",") if s]
    run("sqlite", None, sizes, hostile, args.reps)
    if args.postgres:
        run("postgres", args.postgres, sizes, hostile, args.reps)


if __name__ == "__main__":
    main()
