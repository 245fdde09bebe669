"""ML test fixtures: a real label-studio-ml server with a tiny model, a fault server, an app
allowed to reach loopback addresses (LABELLOOM_ALLOW_PRIVATE_URLS=1) and a text project."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from .servers import FaultServer, ModelServer, start_fault_server, start_model_server

CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/></Choices>
  <Labels name="ner" toName="text" smart="true"><Label value="ORG"/><Label value="PER"/></Labels>
</View>"""

TEXTS = ["a good day", "bad weather today", "good good", "nothing at all here", "Acme hired Acme staff"]


@pytest.fixture(scope="module")
def model_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModelServer]:
    server = start_model_server(tmp_path_factory.mktemp("model"))
    yield server
    server.process.terminate()
    server.process.wait(10)


@pytest.fixture
def fault_server() -> Iterator[FaultServer]:
    state, server = start_fault_server()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def app(make_app: Callable[..., Any]) -> Any:
    return make_app(allow_private_urls=True)


@pytest.fixture
async def client(app: Any) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app) as test_client:
        yield test_client


@dataclass
class Project:
    id: int
    task_ids: list[int]


@pytest.fixture
async def project(client: AsyncTestClient, admin: Any) -> Project:
    response = await client.post("/api/projects/", json={"title": "Reviews", "label_config": CONFIG}, headers=admin.headers)
    assert response.status_code == 201, response.text
    project_id = response.json()["id"]
    response = await client.post(f"/api/projects/{project_id}/import", json=[{"text": t} for t in TEXTS], headers=admin.headers)
    assert response.status_code == 201, response.text
    tasks = (await client.get("/api/tasks/", params={"project": project_id, "page_size": 100}, headers=admin.headers)).json()
    return Project(project_id, sorted(t["id"] for t in tasks["tasks"]))


async def connect(client: AsyncTestClient, admin: Any, project_id: int, url: str, **fields: Any) -> dict[str, Any]:
    response = await client.post("/api/ml/", json={"url": url, "project": project_id, **fields}, headers=admin.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def wait_job(client: AsyncTestClient, admin: Any, job_id: int, timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job = (await client.get(f"/api/jobs/{job_id}", headers=admin.headers)).json()
        if job["status"] in ("complete", "failed", "aborted"):
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {job['status']} after {timeout} s")
        await asyncio.sleep(0.1)


async def retrieve(client: AsyncTestClient, admin: Any, project_id: int, task_ids: list[int] | None = None) -> dict[str, Any]:
    selected = {"all": True, "excluded": []} if task_ids is None else {"all": False, "included": task_ids}
    response = await client.post("/api/dm/actions/", params={"id": "retrieve_tasks_predictions", "project": project_id},
                                 json={"selectedItems": selected}, headers=admin.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def predictions(client: AsyncTestClient, admin: Any, project_id: int) -> list[dict[str, Any]]:
    response = await client.get("/api/predictions/", params={"project": project_id}, headers=admin.headers)
    assert response.status_code == 200, response.text
    return response.json()
