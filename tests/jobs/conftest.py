"""Fixtures for the job tests: queue backends, a plugin with test jobs, worker subprocesses.

Redis tests use LABELLOOM_TEST_REDIS_URL (default redis://127.0.0.1:6379/15 when reachable);
PostgreSQL queue tests use the PostgreSQL test database. Either missing is a skip, except in CI
(CI=true), where it is a failure.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import jobs_testplugin
import pytest

from labelloom.core.db.engine import make_engine
from labelloom.core.models import Base
from labelloom.core.background import Background, build_background
from labelloom.core.manager import PluginHost, build_plugin_host
from labelloom.core.server import settings_to_env
from labelloom.core.settings import Settings
from labelloom.core.testing import clear_redis, postgres_url

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def postgres_queue_url() -> str:
    url = postgres_url()
    if url is None:
        pytest.skip("PostgreSQL is not available (set LABELLOOM_TEST_DATABASE_URL)")
    return url


async def _empty_tables(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            await conn.execute(table.delete())
    await engine.dispose()


@pytest.fixture(params=["embedded-sqlite", "embedded-postgresql", "redis", "postgres"])
def queue_settings(request: pytest.FixtureRequest, test_databases: Any, data_dir: str) -> Iterator[dict[str, Any]]:
    """Settings for one queue backend: the embedded queue on either database, or Redis or
    PostgreSQL (their app database does not matter, so it is SQLite). Every test gets a queue
    name of its own."""
    database = "postgresql" if request.param == "embedded-postgresql" else "sqlite"
    url = test_databases.url(database)
    name = f"test-{uuid.uuid4().hex[:10]}"
    settings: dict[str, Any] = {
        "data_dir": data_dir,
        "database_url": url,
        "secret_key": "test-secret",
        "queue_name": name,
        "job_sweep_interval": 1,
    }
    if request.param == "redis":
        settings["queue_url"] = request.getfixturevalue("redis_url")
    elif request.param == "postgres":
        settings["queue_url"] = request.getfixturevalue("postgres_queue_url")
    yield settings
    if request.param == "redis":
        clear_redis(settings["queue_url"], name)
    asyncio.run(_empty_tables(url))  # a sync fixture: outside the test loop, like database_url


@pytest.fixture
def queue_backend(queue_settings: dict[str, Any]) -> Settings:
    return Settings(**queue_settings)


@pytest.fixture
def jobs_host() -> PluginHost:
    return build_plugin_host(modules={"testjobs": jobs_testplugin})


@pytest.fixture
def settings_for(make_settings: Callable[..., Settings]) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        return make_settings(**{"job_sweep_interval": 1, **overrides})

    return make


@pytest.fixture
async def make_background(jobs_host: PluginHost) -> AsyncIterator[Callable[[Settings], Background]]:
    """Backgrounds (queue + job service + event bus) on their own engines, disposed after."""
    engines = []

    def make(settings: Settings) -> Background:
        engine = make_engine(settings.resolved_database_url)
        engines.append(engine)
        return build_background(settings, jobs_host, engine)

    yield make
    for engine in engines:
        await engine.dispose()


@pytest.fixture
def wait_until() -> Callable[..., Awaitable[Any]]:
    async def wait(check: Callable[[], Awaitable[Any]], timeout: float = 15.0, every: float = 0.1) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = await check()
            if result:
                return result
            if loop.time() > deadline:
                raise AssertionError(f"condition not met within {timeout} s (last: {result!r})")
            await asyncio.sleep(every)

    return wait


@pytest.fixture
def spawn() -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start a helper script of this folder as a real process with the given settings."""
    processes: list[subprocess.Popen[str]] = []

    def start(script: str, settings: Settings, *args: str) -> subprocess.Popen[str]:
        env = {**os.environ, **settings_to_env(settings), "PYTHONUNBUFFERED": "1"}
        process = subprocess.Popen(
            [sys.executable, str(HERE / script), *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(10)
        if process.stdout:
            # Shown with the test's captured output when it fails.
            print(f"--- output of {process.args[1]} ---\n{process.stdout.read()}")
            process.stdout.close()


@pytest.fixture
def markers(tmp_path: Path) -> Callable[[str], Path]:
    """Files where test jobs note each attempt (one line per attempt number)."""

    def marker(name: str) -> Path:
        return tmp_path / f"{name}.marker"

    return marker


def attempts_in(marker: Path) -> list[int]:
    return [int(line) for line in marker.read_text().split()] if marker.exists() else []


@pytest.fixture
def read_marker() -> Callable[[Path], list[int]]:
    return attempts_in


@pytest.fixture
def in_app() -> Callable[..., Awaitable[Any]]:
    """Run ``await fn(*args)`` in the event loop of an app under AsyncTestClient (its requests
    and its lifespan, hence its worker and event bus, run in the client's portal thread)."""

    async def run(client: Any, fn: Callable[..., Awaitable[Any]], *args: Any) -> Any:
        return await asyncio.to_thread(client.blocking_portal.call, fn, *args)

    return run
