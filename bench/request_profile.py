#!/usr/bin/env python3
"""Per-request profile: prints figures, asserts nothing.

Builds the app in-process on a fresh database, seeds a project of N tasks, then for each hot
request (``next``, annotation create, page of 100, one task) prints:
  - SQL statements per request (an engine ``before_cursor_execute`` listener), and which;
  - wall and CPU time per request (median of --reps), driven through the raw ASGI interface
    (no HTTP client or socket in the figure);
  - with --profile NAME, the top of a cProfile of that request, sorted by cumulative time.

Usage: .venv/bin/python bench/request_profile.py [--tasks 10000] [--reps 200] [--postgres URL]
       [--profile next|create|page|task] [--workers N] [--show-sql] [--plain-aiosqlite] [--no-credential-cache]
       [--filtered-query '{"filters": ...}']
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import statistics
import tempfile
import time
import urllib.parse
from collections import Counter
from typing import Any

from sqlalchemy import event

from labelloom.core.app import create_app
from labelloom.core.settings import Settings

from api_bench import TEXT_CONFIG  # the same project as the HTTP bench

RESULT = [{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
           "value": {"start": 0, "end": 5, "text": "alpha", "labels": ["PER"]}}]


# The HTTP bench's data-manager page: total_annotations == 0, newest first.
FILTERED = urllib.parse.quote(json.dumps({
    "filters": {"conjunction": "and", "items": [
        {"filter": "filter:tasks:total_annotations", "operator": "equal", "type": "Number", "value": 0}]},
    "ordering": ["-tasks:id"]}, separators=(",", ":")))


class Asgi:
    """Calls the app like a server would, one request at a time."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.headers: list[tuple[bytes, bytes]] = []

    async def __call__(self, method: str, path: str, body: Any = None, query: str = "") -> tuple[int, Any]:
        raw = b"" if body is None else json.dumps(body).encode()
        headers = [*self.headers, (b"host", b"bench")]
        if body is not None:
            headers += [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
            "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
            "root_path": "", "headers": headers, "client": ("127.0.0.1", 1), "server": ("bench", 80),
        }
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}

        status, chunks = 0, []

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        data = b"".join(chunks)
        return status, (json.loads(data) if data and data[:1] in (b"{", b"[") else data)


async def lifespan(app: Any) -> tuple[asyncio.Queue, asyncio.Task]:
    inbox: asyncio.Queue = asyncio.Queue()
    outbox: asyncio.Queue = asyncio.Queue()
    await inbox.put({"type": "lifespan.startup"})
    task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, outbox.put))
    message = await outbox.get()
    assert message["type"] == "lifespan.startup.complete", message
    return inbox, task


hops: list[str] = []


def count_hops() -> None:
    """Record what crosses to aiosqlite's thread (SQLite), for --show-sql."""
    import aiosqlite

    original = aiosqlite.Connection._execute

    async def execute(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(getattr(fn, "__name__", str(fn)) + (f"({str(args[1])[:40]})" if len(args) > 1 else ""))
        return await original(self, fn, *args, **kwargs)

    aiosqlite.Connection._execute = execute


async def fresh_schema(settings: Settings, postgres: str | None) -> None:
    """The settings' database with every migration run; PostgreSQL's schema wiped first."""
    from sqlalchemy import create_engine, text

    from labelloom.core.db.engine import make_engine
    from labelloom.core.db.migrate import upgrade

    if postgres:
        sync = create_engine(postgres)
        with sync.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        sync.dispose()
    engine = make_engine(settings.prepared().resolved_database_url)
    await upgrade(engine)
    await engine.dispose()


async def api_token(app: Any, user_id: int) -> str:
    """The user's API token key: the one sign-up made, or a new one."""
    from sqlalchemy import select

    from labelloom.core.users.credentials import new_token_key
    from labelloom.core.users.models import ApiToken

    async with app.state.sessionmaker() as db:
        key = (await db.execute(select(ApiToken.key).where(ApiToken.user_id == user_id))).scalar()
        if key is None:
            key = new_token_key()
            db.add(ApiToken(key=key, user_id=user_id))
            await db.commit()
    return key


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=data_dir, secret_key="bench-secret-key-of-a-reasonable-length", workers=args.workers,
                            **({"database_url": args.postgres} if args.postgres else {}))
        await fresh_schema(settings, args.postgres)
        app = create_app(settings)
        if args.no_credential_cache:
            app.state.credential_cache = None  # every request loads its user and role again
        inbox, life = await lifespan(app)
        call = Asgi(app)
        status, body = await call("POST", "/api/auth/setup", {"email": "b@example.com", "password": "bench password"})
        assert status == 201, body
        app_engine = app.state.engine
        statements: list[str] = []
        event.listen(app_engine.sync_engine, "before_cursor_execute",
                     lambda conn, cursor, stmt, params, context, many: statements.append(stmt)
                     if asyncio.current_task() is request_task else None)
        request_task = asyncio.current_task()
        call.headers = [(b"authorization", f"Token {await api_token(app, body['user']['id'])}".encode())]
        status, project = await call("POST", "/api/projects/", {"title": "p", "label_config": TEXT_CONFIG})
        assert status == 201, project
        pid = project["id"]
        tasks = [{"text": f"alpha bravo charlie #{i}"} for i in range(args.tasks)]
        status, body = await call("POST", f"/api/projects/{pid}/import", tasks)
        assert status == 201, body
        status, page = await call("GET", "/api/tasks", query=f"project={pid}&page=2&page_size={args.reps + 10}")
        task_ids = [t["id"] for t in page["tasks"]]
        counter = iter(task_ids)
        filtered = urllib.parse.quote(args.filtered_query) if args.filtered_query else FILTERED

        requests = {
            "health": lambda: call("GET", "/health"),  # no user, no database
            "whoami": lambda: call("GET", "/api/current-user/whoami"),  # the floor: auth + guard only
            "next": lambda: call("GET", f"/api/projects/{pid}/next/"),
            "create": lambda: call("POST", f"/api/tasks/{next(counter)}/annotations/", {"result": RESULT}),
            "page": lambda: call("GET", "/api/tasks", query=f"project={pid}&page=1&page_size=100"),
            "filtered": lambda: call("GET", "/api/tasks", query=f"project={pid}&page=1&page_size=100&query={filtered}"),
            "task": lambda: call("GET", f"/api/tasks/{task_ids[0]}"),
        }
        for name, request in requests.items():
            if args.only and name not in args.only.split(","):
                continue
            for _ in range(5):
                status, body = await request()  # warm up
            assert status < 400, (name, status, body)
            statements.clear()
            hops.clear()
            status, _ = await request()
            seen = list(statements)
            if args.show_sql and hops:
                print("      thread hops:", hops)
            hops.clear()
            walls, cpus = [], []
            profiler = cProfile.Profile() if args.profile == name else None
            for _ in range(args.reps):
                wall, cpu = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                await request()
                if profiler:
                    profiler.disable()
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            print(f"{name:7s} {len(seen):2d} SQL statements   wall {statistics.median(walls):6.2f} ms median"
                  f"   cpu {statistics.median(cpus):6.2f} ms median", flush=True)
            if args.show_sql:
                for stmt, count in Counter(" ".join(s.split())[:160] for s in seen).items():
                    print(f"      {count} x {stmt}")
            if profiler:
                pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)
        await inbox.put({"type": "lifespan.shutdown"})
        await life


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=10000)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--postgres")
    parser.add_argument("--workers", type=int, default=2,
                        help="in-process job workers (0: none, so jobs the requests cause do not share the figures)")
    parser.add_argument("--profile")
    parser.add_argument("--only")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=45)
    parser.add_argument("--show-sql", action="store_true")
    parser.add_argument("--filtered-query", help="the data-manager query (JSON) of the 'filtered' request, "
                        "instead of the HTTP bench's total_annotations == 0, newest first")
    parser.add_argument("--no-credential-cache", action="store_true", help="load user and role per request")
    parser.add_argument("--plain-aiosqlite", action="store_true",
                        help="SQLite through stock aiosqlite (every call a thread hop), for comparison")
    parsed = parser.parse_args()
    if parsed.show_sql:
        count_hops()
    if parsed.plain_aiosqlite:
        from labelloom.core.db import engine as engine_module

        engine_module.loop_dbapi = lambda: None  # type: ignore[assignment]
    asyncio.run(main(parsed))
