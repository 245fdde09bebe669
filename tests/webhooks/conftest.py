"""Fixtures for webhook tests: a real HTTP receiver on 127.0.0.1 and an app allowed to call it
(LABELLOOM_ALLOW_PRIVATE_URLS=1); the ``admin`` fixture signs up on that app."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from labelloom.core.annotations.models import Annotation
from labelloom.core.events import record_event
from labelloom.core.manager import build_plugin_host
from labelloom.core.projects.models import Project
from labelloom.core.tasks.models import Task


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Receiver:
    """Records every POST; answers with the queued (status, delay) replies, then 200."""

    url: str = ""
    requests: list[Received] = field(default_factory=list)
    replies: list[tuple[int, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reply(self, *replies: tuple[int, float]) -> None:
        self.replies.extend(replies)

    def bodies(self) -> list[Any]:
        return [r.body for r in self.requests]

    async def wait_for(self, count: int, timeout: float = 15.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.requests)} of {count} requests arrived within {timeout} s")
            await asyncio.sleep(0.02)
        return self.requests


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with state.lock:
                status, delay = state.replies.pop(0) if state.replies else (200, 0.0)
                state.requests.append(Received(self.path, dict(self.headers.items()), json.loads(raw or b"null")))
            time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status < 400 else b"receiver error")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the sender timed out and hung up

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield state
    server.shutdown()
    server.server_close()


WEBHOOK_SETTINGS = {
    "allow_private_urls": True,
    "webhook_timeout": 1.0,
    "webhook_retry_delay": 0.1,
    "webhook_max_attempts": 3,
    "webhook_batch_size": 2,
}


@pytest.fixture
def app_settings() -> dict[str, Any]:
    """Settings of the app under test; a test module may override this fixture."""
    return dict(WEBHOOK_SETTINGS)


@pytest.fixture
def app(make_app: Callable[..., Any], app_settings: dict[str, Any]) -> Any:
    return make_app(host=build_plugin_host(modules={}), **app_settings)


@pytest.fixture
async def client(app: Any) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app) as test_client:
        yield test_client


@pytest.fixture
def in_app(client: AsyncTestClient) -> Callable[..., Awaitable[Any]]:
    """Run ``await fn(*args)`` in the app's event loop (AsyncTestClient's portal thread)."""

    async def run(fn: Callable[..., Awaitable[Any]], *args: Any) -> Any:
        return await asyncio.to_thread(client.blocking_portal.call, fn, *args)

    return run


@dataclass
class World:
    """One project with a task and an annotation, plus a second project."""

    project_id: int
    other_project_id: int
    task_id: int
    annotation_id: int


@pytest.fixture
async def world(app: Any, admin: Any, in_app: Callable[..., Awaitable[Any]]) -> World:
    async def create() -> World:
        async with app.state.sessionmaker() as db:
            project = Project(title="Cats", label_config="<View/>", task_data_password="secret")
            other = Project(title="Dogs")
            db.add_all([project, other])
            await db.flush()
            task = Task(project_id=project.id, inner_id=1, data={"image": "cat.jpg"})
            db.add(task)
            await db.flush()
            annotation = Annotation(
                task_id=task.id, project_id=project.id, completed_by_id=admin.id, result=[{"id": "r1"}]
            )
            db.add(annotation)
            await db.commit()
            return World(project.id, other.id, task.id, annotation.id)

    return await in_app(create)


@pytest.fixture
def emit(app: Any, in_app: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[None]]:
    """Commit events in one transaction of the app (``make(db)`` returns ``[(name, payload)]``)
    and wait until they are dispatched and their deliveries enqueued."""

    async def run(make: Callable[[Any], Awaitable[list[tuple[str, Any]]]]) -> None:
        async def work() -> None:
            async with app.state.sessionmaker() as db:
                for name, payload in await make(db):
                    record_event(db, name, payload)
                await db.commit()
            await app.state.background.events.drain()

        await in_app(work)

    return run


@pytest.fixture
def create_webhook(client: AsyncTestClient, admin: Any) -> Callable[..., Awaitable[dict[str, Any]]]:
    async def create(**fields: Any) -> dict[str, Any]:
        response = await client.post("/api/webhooks/", json=fields, headers=admin.headers)
        assert response.status_code == 201, response.text
        return response.json()

    return create
