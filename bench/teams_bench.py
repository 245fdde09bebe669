#!/usr/bin/env python3
"""Teams benchmark: prints figures, asserts nothing.

In-process app on a fresh SQLite database (and PostgreSQL with --postgres URL): imports N tasks,
then times bulk assignment of every task to 5 people (one INSERT ... SELECT), distribution over
20 people, an annotator's data-manager page (their tasks only) and the permission guard's cost
on a task read (owner vs annotator, medians).

Usage: .venv/bin/python bench/teams_bench.py [--tasks 20000] [--postgres postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from labelloom.core.app import create_app
from labelloom.core.db.engine import make_engine
from labelloom.core.db.migrate import upgrade
from labelloom.core.settings import Settings
from labelloom.core.users import service as users
from labelloom.core.users.models import User


async def token_of(app, user_id: int) -> str:
    async with app.state.sessionmaker() as db:
        user = (await db.execute(select(User).where(User.id == user_id))).scalar_one()
        key = await users.api_token(db, user)
        await db.commit()
        return key


async def median_ms(call, reps: int = 30) -> float:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        await call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


async def run(url: str, n: int) -> None:
    data = tempfile.mkdtemp()
    engine = make_engine(url)
    await upgrade(engine)
    await engine.dispose()
    app = create_app(Settings(data_dir=data, database_url=url, secret_key="bench-secret-key-of-some-length"))
    async with AsyncTestClient(app) as client:
        setup = await client.post("/api/auth/setup", json={"email": "o@example.com", "password": "correct horse battery"})
        assert setup.status_code == 201, setup.text
        owner = {"Authorization": f"Token {await token_of(app, setup.json()['user']['id'])}"}
        client.cookies.clear()
        project = (await client.post("/api/projects/", headers=owner, json={"title": "bench"})).json()["id"]
        await client.post(f"/api/projects/{project}/import", headers=owner, json=[{"text": f"t{i}"} for i in range(n)])
        people = []
        for i in range(20):
            made = (await client.post("/api/users/", headers=owner, json={"email": f"a{i}@example.com"})).json()
            await client.patch("/api/organizations/1/memberships", headers=owner, json={"user_id": made["id"], "role": "AN"})
            people.append(made["id"])
        start = time.perf_counter()
        bulk = await client.post(f"/api/projects/{project}/tasks/assignees", headers=owner,
                                 json={"type": "RE", "users": people[:5], "selectedItems": {"all": True}})
        bulk_s = time.perf_counter() - start
        start = time.perf_counter()
        spread = await client.post(f"/api/dm/actions?id=distribute_annotators&project={project}", headers=owner,
                                   json={"selectedItems": {"all": True}, "users": people})
        spread_s = time.perf_counter() - start
        annotator = {"Authorization": f"Token {await token_of(app, people[0])}"}
        page = await client.get(f"/api/tasks?project={project}&page_size=100", headers=annotator)
        task_id = page.json()["tasks"][0]["id"]
        dm_ms = await median_ms(lambda: client.get(f"/api/tasks?project={project}&page_size=100", headers=annotator), 10)
        owner_ms = await median_ms(lambda: client.get(f"/api/tasks/{task_id}", headers=owner))
        ann_ms = await median_ms(lambda: client.get(f"/api/tasks/{task_id}", headers=annotator))
        print(f"[{url.split(':')[0]}] tasks={n}")
        print(f"  bulk assign 5 reviewers to all: {bulk.json()['assignments']} rows in {bulk_s:.2f} s")
        print(f"  distribute over 20 annotators: {spread.json()['processed_items']} rows in {spread_s:.2f} s")
        print(f"  annotator DM page (total {page.json()['total']}): median {dm_ms:.1f} ms")
        print(f"  GET /api/tasks/<id>: owner {owner_ms:.1f} ms, annotator (visibility check) {ann_ms:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=20000)
    parser.add_argument("--postgres")
    args = parser.parse_args()
    urls = [f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.sqlite3"]
    if args.postgres:
        urls.append(args.postgres)
    for url in urls:
        asyncio.run(run(url, args.tasks))


if __name__ == "__main__":
    main()
