#!/usr/bin/env python3
"""Label Studio and Labelloom side by side, in one run: prints figures, asserts nothing.

Runs the shared target-agnostic workload (``ls_api_bench.py``, next to Label Studio's peer
script) against a running Label Studio (``start_ls_peer.sh``: 127.0.0.1:8090) and then against
Labelloom started here on SQLite (and on PostgreSQL with --postgres), with the same arguments,
one after the other, and prints each figure with the ratio Label Studio / Labelloom. Server RSS is
the whole process tree of each server, sampled by the workload script.

Usage: .venv/bin/python bench/side_by_side.py [--sizes 10000] [--postgres postgresql+psycopg://...]
       [--shared ../shared/bench] [--annotations 300]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchkit import load, signed_in, start

LS_URL = "http://127.0.0.1:8090"
LS_TOKEN = os.environ.get("LS_TOKEN", "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12")  # start_ls_peer.sh's default

# (step, key, label, lower is better)
FIGURES = [
    ("next_task", "median_ms", "next (label stream), median ms", True),
    ("create_annotations", "median_ms", "annotation create, median ms", True),
    ("list_page1_filter_order", "median_ms", "filtered + ordered page of 100, ms", True),
    ("list_page1", "median_ms", "page of 100, ms", True),
    ("import_image", "total_s", "import N tasks, s", True),
    ("export_JSON", "time_s", "export JSON, s", True),
    ("export_CSV", "time_s", "export CSV, s", True),
]


def workload(script: Path, url: str, token: str, args: argparse.Namespace, out: Path, pid: int | None) -> dict:
    command = [sys.executable, str(script), "--base-url", url, "--token", token, "--auth-scheme", "Token",
               "--sizes", args.sizes, "--annotations", str(args.annotations), "--next-reps", str(args.next_reps),
               "--list-reps", str(args.list_reps), "--export-formats", "JSON,CSV", "--out", str(out)]
    if pid is not None:
        command += ["--server-pid", str(pid)]
    print(f"-- {url} ({load()})", flush=True)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text())


def labelloom(script: Path, args: argparse.Namespace, database_url: str | None, out: Path) -> dict:
    with tempfile.TemporaryDirectory() as data_dir:
        proc, url = start(database_url, data_dir)
        try:
            token = signed_in(url, 60).headers["Authorization"].split()[1]
            return workload(script, url, token, args, out, proc.pid)
        finally:
            proc.terminate()
            proc.wait(30)


def table(results: dict[str, dict], size: str) -> None:
    names = list(results)
    print(f"\nN = {size}" + "".join(f" | {n}" for n in names) + "".join(f" | ratio {n}" for n in names[1:]))
    for step, key, label, _ in FIGURES:
        values = [results[n]["sizes"].get(size, {}).get(step, {}).get(key) for n in names]
        cells = ["-" if v is None else f"{v:g}" for v in values]
        ratios = [f"{values[0] / v:.1f}x" if v and values[0] else "-" for v in values[1:]]
        print(f"{label} | " + " | ".join(cells + ratios))
    for key in ("rss_idle_start_mb", "rss_global_peak_mb"):
        print(f"server RSS {key[4:-3].replace('_', ' ')}, MB | " + " | ".join(str(results[n]["meta"].get(key, "-")) for n in names))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--annotations", type=int, default=300)
    parser.add_argument("--next-reps", type=int, default=100)
    parser.add_argument("--list-reps", type=int, default=20)
    parser.add_argument("--postgres", default=None, help="also run Labelloom on this PostgreSQL URL")
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared" / "bench"))
    args = parser.parse_args()
    script = Path(args.shared) / "ls_api_bench.py"
    ls_pid_file = Path("/tmp/lsbench/ls.pid")
    ls_pid = int(ls_pid_file.read_text()) if ls_pid_file.exists() else None
    with tempfile.TemporaryDirectory() as scratch:
        results = {"Label Studio": workload(script, LS_URL, LS_TOKEN, args, Path(scratch) / "ls.json", ls_pid)}
        results["Labelloom SQLite"] = labelloom(script, args, None, Path(scratch) / "sqlite.json")
        if args.postgres:
            results["Labelloom PostgreSQL"] = labelloom(script, args, args.postgres, Path(scratch) / "pg.json")
    for size in args.sizes.split(","):
        table(results, size.strip())


if __name__ == "__main__":
    main()
