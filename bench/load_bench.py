#!/usr/bin/env python3
"""Load benchmark of the scaled-out topology: prints figures, asserts nothing.

PostgreSQL + Redis, ``labelloom start --processes N --workers 0`` and M ``labelloom worker``s;
U simulated annotators (asyncio + httpx, closed loop, no think time) each repeat
``GET /api/projects/{id}/next`` -> ``POST /api/tasks/{id}/annotations`` -> ``GET /api/tasks`` (a
page of 100). Per process count and annotator count it prints requests/s, annotations/s and
p50/p99 latency per request kind, the servers' CPU seconds, and the PostgreSQL connections the
tree held at peak.

The load generator runs on the same machine: on 2 cores it takes a core of its own at high
rates, so the servers' figures above 1-2 processes say more about CPU sharing than scaling.

    .venv/bin/python bench/load_bench.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/labelloom_h8 \
        --redis redis://127.0.0.1:6379/8 [--processes 1,2,4] [--users 50,500] [--workers 1] [--seconds 15]
    .venv/bin/python bench/load_bench.py memory [--tasks 100000] [--processes 1]
        # whole-tree RSS of the SQLite default: idle, and its peak through an import + JSON export

The database named by --postgres is left alone: the bench creates ``<name>_load`` next to it
and drops it at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

CONFIG = """<View><Text name="text" value="$text"/>
<Choices name="label" toName="text"><Choice value="A"/><Choice value="B"/></Choices></View>"""
RESULT = [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": ["A"]}}]
LABELLOOM = str(Path(sys.executable).with_name("labelloom"))
ADMIN = ("bench@example.com", "bench password")


# -- processes ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it, from /proc."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            for thread in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{thread}/children") as fh:
                    stack += [int(child) for child in fh.read().split()]
        except OSError:
            pass
    return found


def tree_rss_mb(pid: int) -> float:
    total = 0
    for process in descendants(pid):
        try:
            with open(f"/proc/{process}/status") as fh:
                total += next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
        except OSError:
            pass
    return total / 1024


def tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process tree (live processes)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for process in descendants(pid):
        try:
            with open(f"/proc/{process}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / ticks


def wait_healthy(url: str, process: subprocess.Popen, log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url} exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not start:\n{log.read_text()[-3000:]}")


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def psql(url: str, sql: str) -> str:
    plain = url.replace("+psycopg", "")
    done = subprocess.run(["psql", plain, "-v", "ON_ERROR_STOP=1", "-Atc", sql], check=True, capture_output=True,
                          text=True)
    return done.stdout.strip()


# -- the simulated annotators ----------------------------------------------------------------
class Figures:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = {"next": [], "annotate": [], "page": []}
        self.errors: dict[str, int] = {}
        self.annotations = 0

    def took(self, kind: str, started: float) -> None:
        self.latency[kind].append((time.perf_counter() - started) * 1000)

    def failed(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


async def annotator(client: httpx.AsyncClient, token: str, pid: int, pages: int, until: float, figures: Figures,
                    counting: asyncio.Event) -> None:
    headers = {"Authorization": f"Token {token}"}
    rng = random.Random(token)
    while time.perf_counter() < until:
        try:
            started = time.perf_counter()
            answer = await client.get(f"/api/projects/{pid}/next", headers=headers)
            if answer.status_code != 200:
                figures.failed(f"next {answer.status_code}")
                await asyncio.sleep(0.05)
                continue
            if counting.is_set():
                figures.took("next", started)
            task_id = answer.json()["id"]
            started = time.perf_counter()
            answer = await client.post(f"/api/tasks/{task_id}/annotations", json={"result": RESULT}, headers=headers)
            if answer.status_code != 201:
                figures.failed(f"annotate {answer.status_code}")
                continue
            if counting.is_set():
                figures.took("annotate", started)
                figures.annotations += 1
            started = time.perf_counter()
            answer = await client.get("/api/tasks", params={"project": pid, "page": rng.randint(1, pages),
                                                           "page_size": 100}, headers=headers)
            if answer.status_code != 200:
                figures.failed(f"page {answer.status_code}")
                continue
            if counting.is_set():
                figures.took("page", started)
        except httpx.HTTPError as exc:
            figures.failed(type(exc).__name__)


async def drive(urls: list[str], tokens: list[str], pid: int, pages: int, warmup: float, seconds: float,
                on_start: Callable[[], None] = lambda: None) -> Figures:
    """Every annotator on one of the servers (round robin), a closed loop for warmup + seconds."""
    figures = Figures()
    counting = asyncio.Event()
    limits = httpx.Limits(max_connections=len(tokens) + 10, max_keepalive_connections=len(tokens) + 10)
    clients = [httpx.AsyncClient(base_url=url, timeout=120, limits=limits) for url in urls]
    until = time.perf_counter() + warmup + seconds
    runs = [asyncio.create_task(annotator(clients[i % len(clients)], token, pid, pages, until, figures, counting))
            for i, token in enumerate(tokens)]
    await asyncio.sleep(warmup)
    on_start()
    counting.set()
    await asyncio.gather(*runs)
    for client in clients:
        await client.aclose()
    return figures


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# -- the load run ------------------------------------------------------------------------------
def load(args: argparse.Namespace) -> None:
    base, _, name = args.postgres.rpartition("/")
    database = f"{name}_load"
    db_url = f"{base}/{database}"
    psql(args.postgres, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    psql(args.postgres, f"CREATE DATABASE {database}")
    work = Path(tempfile.mkdtemp(prefix="labelloom-load-"))
    env = {
        **os.environ,
        # Each process's pool (docs/deployment.md): this server is shared, keep well under its limit.
        "LABELLOOM_DATABASE_URL": f"{db_url}?pool_size={args.pool_size}&max_overflow={args.max_overflow}",
        "LABELLOOM_QUEUE_URL": args.redis,
        "LABELLOOM_QUEUE_NAME": f"load-{uuid.uuid4().hex[:8]}",
        "LABELLOOM_SECRET_KEY": "the load bench's shared secret, long enough",
        "LABELLOOM_DATA_DIR": str(work / "data"),
        "LABELLOOM_WORKERS": "0",
        "LABELLOOM_LOG_LEVEL": "warning",
    }
    subprocess.run([LABELLOOM, "migrate"], env=env, check=True, capture_output=True)
    max_users = max(args.users)
    print(f"# load bench: PostgreSQL {database}, Redis {args.redis}, {args.workers} worker(s), "
          f"{args.seconds:.0f} s measured after {args.warmup:.0f} s warm-up; {os.cpu_count()} cores; "
          f"PostgreSQL max_connections {psql(db_url, 'SHOW max_connections')}")
    print("| web processes | annotators | req/s | annotations/s | next p50/p99 ms | annotate p50/p99 ms "
          "| page p50/p99 ms | errors | server CPU s | req per server CPU s | client CPU s | PG conns peak "
          "| waiting on a lock (mean) | load avg |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    try:
        tokens: list[str] = []
        for processes in args.processes:
            logs = work / f"p{processes}"
            logs.mkdir()
            running: list[subprocess.Popen] = []
            try:
                port = free_port()
                url = f"http://127.0.0.1:{port}"
                log = logs / "web.log"
                web = subprocess.Popen(
                    [LABELLOOM, "start", "--no-migrate", "--host", "127.0.0.1", "--port", str(port),
                     "--processes", str(processes), "--username", ADMIN[0], "--password", ADMIN[1]],
                    env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
                running.append(web)
                for index in range(args.workers):
                    worker_log = logs / f"worker{index}.log"
                    running.append(subprocess.Popen([LABELLOOM, "worker", "--concurrency", "4"], env=env,
                                                    stdout=worker_log.open("w"), stderr=subprocess.STDOUT))
                wait_healthy(url, web, log)
                admin = admin_client(url)
                if not tokens:
                    tokens = make_annotators(admin, db_url, max_users)
                for users in args.users:
                    pid, pages = fresh_project(admin, args.tasks)
                    run_one(processes, users, url, tokens[:users], pid, pages, running, db_url, args)
                admin.close()
            finally:
                stop(running)
    finally:
        psql(args.postgres, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)


def admin_client(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=300)
    signed = client.post("/api/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]})
    signed.raise_for_status()
    token = client.get("/api/current-user/token").json()["token"]
    client.cookies.clear()
    client.headers["Authorization"] = f"Token {token}"
    return client


def make_annotators(admin: httpx.Client, db_url: str, count: int) -> list[str]:
    """Accounts without passwords (no Argon2 hashing to wait for); their API tokens are read
    from the database, as nobody can sign in to fetch them."""
    for i in range(count):
        made = admin.post("/api/users", json={"email": f"annotator{i}@load.example"})
        made.raise_for_status()
    rows = psql(db_url, "SELECT t.key FROM api_tokens t JOIN users u ON u.id = t.user_id "
                        "WHERE u.email LIKE '%@load.example' ORDER BY u.id")
    return rows.split()


def fresh_project(admin: httpx.Client, tasks: int) -> tuple[int, int]:
    project = admin.post("/api/projects/", json={"title": f"load {uuid.uuid4().hex[:6]}", "label_config": CONFIG})
    project.raise_for_status()
    pid = project.json()["id"]
    for start in range(0, tasks, 10_000):
        batch = [{"text": f"load item {i}"} for i in range(start, min(tasks, start + 10_000))]
        admin.post(f"/api/projects/{pid}/import", json=batch).raise_for_status()
    return pid, max(1, tasks // 100)


def run_one(processes: int, users: int, url: str, tokens: list[str], pid: int, pages: int,
            running: list[subprocess.Popen], db_url: str, args: argparse.Namespace) -> None:
    peak = {"conns": 0}
    lock_waits: list[int] = []
    stop_watch = False

    async def watch_connections() -> None:
        """Connections held, and how many wait on a lock: serialisation that no CPU fixes."""
        while not stop_watch:
            row = await asyncio.to_thread(
                psql, db_url, "SELECT count(*), count(*) FILTER (WHERE wait_event_type = 'Lock') "
                              "FROM pg_stat_activity WHERE datname = current_database()")
            count, waiting = (int(x) for x in row.split("|"))
            peak["conns"] = max(peak["conns"], count - 1)  # less the watcher's own
            lock_waits.append(waiting)
            await asyncio.sleep(0.5)

    async def main() -> Figures:
        nonlocal stop_watch
        watcher = asyncio.create_task(watch_connections())
        try:
            return await drive([url], tokens, pid, pages, args.warmup, args.seconds, on_start)
        finally:
            stop_watch = True
            await watcher

    before = {"cpu": 0.0, "client": 0.0}

    def on_start() -> None:  # CPU counted over the measured seconds only, not the warm-up
        before["cpu"] = sum(tree_cpu_s(p.pid) for p in running)
        before["client"] = time.process_time()

    figures = asyncio.run(main())
    cpu = sum(tree_cpu_s(p.pid) for p in running) - before["cpu"]
    client_cpu = time.process_time() - before["client"]
    requests = sum(len(v) for v in figures.latency.values())
    lat = {k: f"{pct(v, 0.5):.0f} / {pct(v, 0.99):.0f}" for k, v in figures.latency.items()}
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(figures.errors.items())) or "0"
    load_avg = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"| {processes} | {users} | {requests / args.seconds:.0f} | {figures.annotations / args.seconds:.0f} "
          f"| {lat['next']} | {lat['annotate']} | {lat['page']} | {errors} | {cpu:.1f} "
          f"| {requests / cpu if cpu else 0:.0f} | {client_cpu:.1f} | {peak['conns']} "
          f"| {statistics.fmean(lock_waits) if lock_waits else 0:.1f} | {load_avg} |", flush=True)


# -- memory ------------------------------------------------------------------------------------
def memory(args: argparse.Namespace) -> None:
    """Whole-tree RSS of ``labelloom start`` on SQLite: idle, then its peak (sampled every 20 ms)
    through an import of ``--tasks`` tasks and a JSON export of them."""
    from benchkit import PeakRss

    processes = args.processes[0]
    with tempfile.TemporaryDirectory() as data_dir:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = Path(data_dir) / "server.log"
        env = {**os.environ, "LABELLOOM_DATA_DIR": data_dir}
        env.pop("LABELLOOM_DATABASE_URL", None)
        env.pop("LABELLOOM_QUEUE_URL", None)
        server = subprocess.Popen(
            [LABELLOOM, "start", "--port", str(port), "--processes", str(processes),
             "--username", ADMIN[0], "--password", ADMIN[1]],
            env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        try:
            wait_healthy(url, server, log)
            time.sleep(args.settle)
            idle = tree_rss_mb(server.pid)
            print(f"idle (after {args.settle:.0f} s): {idle:.1f} MB in {len(descendants(server.pid))} processes"
                  f"   load avg {'/'.join(f'{x:.1f}' for x in os.getloadavg())}")
            admin = admin_client(url)
            pid = admin.post("/api/projects/", json={"title": "memory", "label_config": CONFIG}).json()["id"]
            body = json.dumps([{"text": f"memory item {i} " + "lorem ipsum " * 5} for i in range(args.tasks)])
            sampler = PeakRss(server.pid)
            sampler.start()
            started = time.perf_counter()
            admin.post(f"/api/projects/{pid}/import", content=body,
                       headers={"Content-Type": "application/json"}).raise_for_status()
            import_peak, import_s = sampler.stop(), time.perf_counter() - started
            after_import = tree_rss_mb(server.pid)
            del body
            sampler = PeakRss(server.pid)
            sampler.start()
            started = time.perf_counter()
            size = 0
            every_task = {"exportType": "JSON", "download_all_tasks": "true"}
            with admin.stream("GET", f"/api/projects/{pid}/export", params=every_task) as answer:
                answer.raise_for_status()
                for chunk in answer.iter_bytes():
                    size += len(chunk)
            export_peak, export_s = sampler.stop(), time.perf_counter() - started
            after = tree_rss_mb(server.pid)
            time.sleep(args.settle)
            settled = tree_rss_mb(server.pid)
            admin.close()
            print(f"import of {args.tasks} tasks ({import_s:.1f} s): peak {import_peak:.1f} MB,"
                  f" {after_import:.1f} MB after")
            print(f"JSON export ({size / 1e6:.0f} MB, {export_s:.1f} s): peak {export_peak:.1f} MB,"
                  f" {after:.1f} MB after, {settled:.1f} MB {args.settle:.0f} s later")
            print(f"peak through import + export: {max(import_peak, export_peak):.1f} MB"
                  f" in {len(descendants(server.pid))} processes")
        finally:
            stop([server])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", nargs="?", choices=["load", "memory"], default="load")
    parser.add_argument("--postgres", default=os.environ.get("LABELLOOM_TEST_DATABASE_URL"))
    parser.add_argument("--redis", default=os.environ.get("LABELLOOM_TEST_REDIS_URL"))
    parser.add_argument("--processes", default="1,2,4", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--users", default="50,500", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--pool-size", type=int, default=4, help="database pool per process (URL pool_size)")
    parser.add_argument("--max-overflow", type=int, default=4, help="burst connections per process")
    parser.add_argument("--tasks", type=int, default=20_000, help="tasks per project (memory: tasks imported)")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--settle", type=float, default=5.0, help="memory: seconds to wait before measuring")
    args = parser.parse_args()
    if args.mode == "memory":
        if args.tasks == 20_000:
            args.tasks = 100_000
        if args.processes == [1, 2, 4]:
            args.processes = [1]
        memory(args)
        return
    if not args.postgres or not args.redis:
        raise SystemExit("needs --postgres and --redis (or LABELLOOM_TEST_DATABASE_URL / LABELLOOM_TEST_REDIS_URL)")
    load(args)


if __name__ == "__main__":
    main()
