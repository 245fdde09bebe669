#!/usr/bin/env python3
"""Label Studio and Labelloom side by side, in one run: prints figures, asserts nothing.

Runs the shared target-agnostic workload (``ls_api_bench.py``, next to Label Studio's peer
script) against a running Label Studio (``start_ls_peer.sh``: 127.0.0.1:8090) and then against
Labelloom started here on SQLite (and on PostgreSQL with --postgres), with the same arguments,
one after the other, and prints each figure with the ratio Label Studio / Labelloom. Server RSS is
the whole process tree of each server, sampled by the workload script.

With ``--rounds N`` the three servers take turns N times (Label Studio, SQLite, PostgreSQL, then
again): each round's table is printed, then the median of every figure and the median of the
per-round ratios (each ratio is still of two figures from the same round). Single figures on
this machine move 20-50% between runs, and the import row is one import per round.

Usage: .venv/bin/python bench/side_by_side.py [--sizes 10000] [--postgres postgresql+psycopg://...]
       [--shared ../shared/bench] [--annotations 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
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


def figure(result: dict, size: str, step: str, key: str) -> float | None:
    return result["sizes"].get(size, {}).get(step, {}).get(key)


def table(results: dict[str, dict], size: str) -> None:
    names = list(results)
    print(f"\nN = {size}" + "".join(f" | {n}" for n in names) + "".join(f" | ratio {n}" for n in names[1:]))
    for step, key, label, _ in FIGURES:
        values = [figure(results[n], size, step, key) for n in names]
        cells = ["-" if v is None else f"{v:g}" for v in values]
        ratios = [f"{values[0] / v:.1f}x" if v and values[0] else "-" for v in values[1:]]
        print(f"{label} | " + " | ".join(cells + ratios))
    for key in ("rss_idle_start_mb", "rss_global_peak_mb"):
        print(f"server RSS {key[4:-3].replace('_', ' ')}, MB | " + " | ".join(str(results[n]["meta"].get(key, "-")) for n in names))


def median_table(rounds: list[dict[str, dict]], size: str) -> None:
    """Per figure: each server's median over the rounds, and the median of the rounds' ratios."""
    names = list(rounds[0])
    print(f"\nN = {size}, median of {len(rounds)} rounds" + "".join(f" | {n}" for n in names)
          + "".join(f" | ratio {n} (min-max)" for n in names[1:]))
    for step, key, label, _ in FIGURES:
        values = {n: [v for r in rounds if (v := figure(r[n], size, step, key))] for n in names}
        cells = [f"{statistics.median(values[n]):g}" if values[n] else "-" for n in names]
        for n in names[1:]:
            ratios = [ls / ours for r in rounds
                      if (ls := figure(r[names[0]], size, step, key)) and (ours := figure(r[n], size, step, key))]
            cells.append(f"{statistics.median(ratios):.1f}x ({min(ratios):.1f}-{max(ratios):.1f})" if ratios else "-")
        print(f"{label} | " + " | ".join(cells))
    for key in ("rss_idle_start_mb", "rss_global_peak_mb"):
        peaks = [max((r[n]["meta"].get(key) or 0) for r in rounds) for n in names]
        print(f"server RSS {key[4:-3].replace('_', ' ')}, MB (highest) | " + " | ".join(f"{p:g}" for p in peaks))


def fresh_postgres(url: str) -> None:
    """An empty public schema: each round's server migrates and signs up afresh."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--annotations", type=int, default=300)
    parser.add_argument("--next-reps", type=int, default=100)
    parser.add_argument("--list-reps", type=int, default=20)
    parser.add_argument("--postgres", default=None, help="also run Labelloom on this PostgreSQL URL (its public schema is wiped before each round)")
    parser.add_argument("--rounds", type=int, default=1, help="take turns this many times; then print medians")
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared" / "bench"))
    args = parser.parse_args()
    script = Path(args.shared) / "ls_api_bench.py"
    ls_pid_file = Path("/tmp/lsbench/ls.pid")
    ls_pid = int(ls_pid_file.read_text()) if ls_pid_file.exists() else None
    rounds = []
    with tempfile.TemporaryDirectory() as scratch:
        for number in range(args.rounds):
            out = Path(scratch) / str(number)
            out.mkdir()
            results = {"Label Studio": workload(script, LS_URL, LS_TOKEN, args, out / "ls.json", ls_pid)}
            results["Labelloom SQLite"] = labelloom(script, args, None, out / "sqlite.json")
            if args.postgres:
                fresh_postgres(args.postgres)
                results["Labelloom PostgreSQL"] = labelloom(script, args, args.postgres, out / "pg.json")
            for size in args.sizes.split(","):
                table(results, size.strip())
            rounds.append(results)
    if len(rounds) > 1:
        for size in args.sizes.split(","):
            median_table(rounds, size.strip())


if __name__ == "__main__":
    main()
