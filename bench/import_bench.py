#!/usr/bin/env python3
"""Import benchmark: prints figures, asserts nothing.

Starts `labelloom start` on a fresh database (SQLite in a temp dir; PostgreSQL too with
--postgres URL) and, for each, measures through ``POST /api/projects/{id}/import``:
  - N-task imports as one JSON list body, in the side-by-side bench's two shapes (``image``:
    ``{"data": {"image": URL}}``; ``text``: ~200 characters under "data"), each on a new
    connection with ``Connection: close`` as that bench sends it: wall time, the server's CPU
    time, and the whole process tree's RSS before, at its peak and a moment after;
  - the largest import again with its last item bad (400, nothing kept, memory back);
  - hostile bodies of empty objects (``[{},{},...]``) of 5 and 20 MB, which must answer 400
    with the server's memory following the batch, not the body, and coming back afterwards.

The body is encoded before the clock starts (as the Label Studio side of the bench does).

With --in-process the app runs in this process instead (raw ASGI calls, no server or socket):
per import the wall and CPU time (every thread of the process), the SQL statements the engine
saw (PostgreSQL's COPY is not among them) and, on PostgreSQL, the CPU time of the database
server's backends, which bounds the import there.

Usage: .venv/bin/python bench/import_bench.py [--sizes 10000,100000] [--shapes image,text]
                                              [--hostile 5,20] [--postgres postgresql+psycopg://...]
       .venv/bin/python bench/import_bench.py --in-process [--sizes 10000] [--reps 9] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import http.client as http_client
import random
import statistics
import tempfile
import time
import urllib.parse

from typing import Any

import httpx
import msgspec
from benchkit import PeakRss, cpu_seconds, load, process_tree, rss_mb, signed_in, start

CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/></Choices>
</View>"""
IMAGE_CONFIG = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image">
    <Label value="Car" background="red"/><Label value="Person" background="blue"/>
  </RectangleLabels>
</View>"""
WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike".split()


def image_tasks(n: int) -> list[dict]:
    """The side-by-side bench's image import: {"data": {"image": URL}}."""
    return [{"data": {"image": f"https://example.invalid/img/{i}.jpg"}} for i in range(n)]


SHAPES = {"image": (IMAGE_CONFIG, image_tasks), "text": (CONFIG, lambda n: text_tasks(n))}


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


def post_on_new_connection(http: httpx.Client, path: str, body: bytes) -> httpx.Response:
    """One POST on a connection of its own, closed after the answer (as the side-by-side bench)."""
    url = urllib.parse.urlsplit(str(http.base_url))
    connection = http_client.HTTPConnection(url.hostname, url.port, timeout=600)
    try:
        connection.request("POST", path, body=body, headers={
            "Content-Type": "application/json", "Authorization": http.headers["Authorization"], "Connection": "close"})
        answer = connection.getresponse()
        return httpx.Response(answer.status, content=answer.read())
    finally:
        connection.close()


def timed_import(http: httpx.Client, root: int, pid: int, body: bytes) -> tuple[httpx.Response, str]:
    tree = process_tree(root)
    before, cpu = rss_mb(tree), cpu_seconds(tree)
    peak = PeakRss(root)
    peak.start()
    t = time.perf_counter()
    response = post_on_new_connection(http, f"/api/projects/{pid}/import", body)
    elapsed = time.perf_counter() - t
    peak.running = False
    peak.join()
    used = cpu_seconds(tree) - cpu
    time.sleep(1.0)  # what the server keeps a moment later
    after = rss_mb(process_tree(root))
    return response, (f"{elapsed:6.3f} s (server CPU {used:5.2f} s)   RSS {before:.0f} -> peak {peak.peak:.0f}"
                      f" (+{peak.peak - before:.0f}) -> after {after:.0f} MB   [{load()}]")


def run(label: str, database_url: str | None, sizes: list[int], shapes: list[str], hostile: list[int], reps: int) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        proc, url = start(database_url, data_dir)
        try:
            http = signed_in(url)
            time.sleep(1.0)
            print(f"[{label}] idle server RSS {rss_mb(process_tree(proc.pid)):.0f} MB "
                  f"({len(process_tree(proc.pid))} processes)", flush=True)
            for n in sizes:
                for shape in shapes:
                    config, make_tasks = SHAPES[shape]
                    body = msgspec.json.encode(make_tasks(n))
                    for rep in range(reps if n <= 10000 else 1):
                        pid = http.post("/api/projects/", json={"title": f"bench {n}", "label_config": config}).json()["id"]
                        r, figures = timed_import(http, proc.pid, pid, body)
                        status = "" if r.status_code == 201 else f"  status {r.status_code}: {r.text[:200]}"
                        print(f"[{label}] import {n:>7} {shape} tasks ({len(body) / 1e6:.2f} MB): {figures}{status}", flush=True)
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


def backend_cpu(database_url: str | None) -> float:
    """CPU seconds used so far by the PostgreSQL backends serving ``database_url`` (0 on SQLite)."""
    if not database_url:
        return 0.0
    import psycopg

    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        me = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        pids = [row[0] for row in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> %s", (me,))]
    return cpu_seconds(pids)


async def in_process(label: str, database_url: str | None, sizes: list[int], shapes: list[str], reps: int) -> None:
    """Imports through the app's ASGI interface in this process (see the module's docstring)."""
    from request_profile import Asgi, api_token, fresh_schema, lifespan
    from sqlalchemy import event

    from labelloom.core.app import create_app
    from labelloom.core.server import settle_heap
    from labelloom.core.settings import Settings

    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=data_dir, secret_key="bench-secret-key-of-a-reasonable-length",
                            **({"database_url": database_url} if database_url else {}))
        await fresh_schema(settings, database_url)
        app = create_app(settings)
        inbox, life = await lifespan(app)
        settle_heap()  # as `labelloom start` does
        call = RawBodyAsgi(Asgi(app))
        status, body = await call("POST", "/api/auth/setup", {"email": "b@example.com", "password": "bench password"})
        assert status == 201, body
        call.asgi.headers = [(b"authorization", f"Token {await api_token(app, body['user']['id'])}".encode())]
        statements: list[str] = []
        event.listen(app.state.engine.sync_engine, "before_cursor_execute",
                     lambda conn, cursor, stmt, params, context, many: statements.append(stmt))
        for n in sizes:
            for shape in shapes:
                config, make_tasks = SHAPES[shape]
                raw = msgspec.json.encode(make_tasks(n))
                walls, cpus, db_cpus, counts = [], [], [], []
                for _ in range(reps):
                    status, project = await call("POST", "/api/projects/", {"title": "bench", "label_config": config})
                    statements.clear()
                    db_before = backend_cpu(database_url)
                    wall, cpu = time.perf_counter(), time.process_time()
                    status, answer = await call("POST", f"/api/projects/{project['id']}/import", raw)
                    walls.append(time.perf_counter() - wall)
                    cpus.append(time.process_time() - cpu)
                    db_cpus.append(backend_cpu(database_url) - db_before)
                    counts.append(len(statements))
                    assert status == 201 and answer["task_count"] == n, (status, str(answer)[:200])
                    await call("DELETE", f"/api/projects/{project['id']}/")
                    await asyncio.sleep(0.3)  # after-commit work (ANALYZE) outside the next figure
                db = f"   database CPU {statistics.median(db_cpus) * 1000:4.0f} ms" if database_url else ""
                print(f"[{label} in-process] import {n:>7} {shape} tasks ({len(raw) / 1e6:.2f} MB): "
                      f"wall {statistics.median(walls) * 1000:6.1f} ms median ({min(walls) * 1000:.1f} min)   "
                      f"CPU {statistics.median(cpus) * 1000:5.1f} ms median ({min(cpus) * 1000:.1f} min){db}   "
                      f"{statistics.median(counts):.0f} statements   [{load()}]", flush=True)
        await inbox.put({"type": "lifespan.shutdown"})
        await life


class RawBodyAsgi:
    """request_profile's ``Asgi`` for a body already encoded (the clock starts after encoding)."""

    def __init__(self, asgi: Any) -> None:
        self.asgi = asgi

    async def __call__(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        if not isinstance(body, bytes):
            return await self.asgi(method, path, body)
        headers = [*self.asgi.headers, (b"host", b"bench"), (b"content-type", b"application/json"),
                   (b"content-length", str(len(body)).encode())]
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
                 "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": headers,
                 "client": ("127.0.0.1", 1), "server": ("bench", 80)}
        messages = [{"type": "http.request", "body": body, "more_body": False}]
        status, chunks = 0, []

        async def receive() -> dict[str, Any]:
            if messages:
                return messages.pop()
            await asyncio.sleep(3600)
            return {}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.asgi.app(scope, receive, send)
        return status, msgspec.json.decode(b"".join(chunks) or b"null")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--shapes", default="image,text", help="task shapes: image, text")
    parser.add_argument("--hostile", default="5,20", help="sizes in MB of [{},{},...] bodies")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of imports of up to 10k tasks")
    parser.add_argument("--postgres", help="also run against this PostgreSQL URL (an empty database)")
    parser.add_argument("--in-process", action="store_true", help="the app in this process, no server")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    shapes = [s for s in args.shapes.split(",") if s]
    hostile = [int(s) for s in args.hostile.split(",") if s]
    if args.in_process:
        asyncio.run(in_process("sqlite", None, sizes, shapes, args.reps))
        if args.postgres:
            asyncio.run(in_process("postgres", args.postgres, sizes, shapes, args.reps))
        return
    run("sqlite", None, sizes, shapes, hostile, args.reps)
    if args.postgres:
        run("postgres", args.postgres, sizes, shapes, hostile, args.reps)


if __name__ == "__main__":
    main()
