"""Helpers of the REST-level storage tests: wait for a sync, list a project's tasks, wait for objects."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from .conftest import TERMINAL


async def wait_sync(client: Any, admin: Any, path: str, timeout: float = 60.0) -> dict[str, Any]:
    """Poll a storage until its sync has finished; returns the storage JSON."""
    deadline = time.monotonic() + timeout
    while True:
        body = (await client.get(path, headers=admin.headers)).json()
        if body["status"] in TERMINAL:
            return body
        assert time.monotonic() < deadline, f"sync did not finish: {body}"
        await asyncio.sleep(0.05)


async def sync(client: Any, admin: Any, path: str) -> dict[str, Any]:
    response = await client.post(f"{path}/sync", headers=admin.headers)
    assert response.status_code == 200, response.text
    return await wait_sync(client, admin, path)


async def tasks_of(client: Any, admin: Any, project: int) -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = []
    page = 1
    while True:
        response = await client.get(f"/api/tasks/?project={project}&page={page}&page_size=1000&fields=all", headers=admin.headers)
        if response.status_code == 404:
            return tasks
        assert response.status_code == 200, response.text
        batch = response.json()["tasks"]
        tasks += batch
        if len(batch) < 1000:
            return tasks
        page += 1


async def eventually(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    """Poll ``check`` (blocking, run in a thread) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = await asyncio.to_thread(check)
        if value:
            return value
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


TERMINAL_WAIT_SECONDS = 60.0


def wait_storage(http: Any, path: str, timeout: float = TERMINAL_WAIT_SECONDS) -> dict[str, Any]:
    """:func:`wait_sync` for a blocking httpx client (browser tests, benchmarks)."""
    deadline = time.monotonic() + timeout
    while True:
        body = http.get(path).json()
        if body["status"] in TERMINAL:
            return body
        assert time.monotonic() < deadline, f"sync did not finish: {body}"
        time.sleep(0.05)
