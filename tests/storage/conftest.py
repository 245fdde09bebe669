"""Storage tests: an app with the image, text and controls plugins, local files and the in-test
``mem`` storage kind; a local-files root in a temporary folder; helpers that wait for syncs."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from labelloom.core.testing import plugin_host

from . import memstore

IMAGE_CONFIG = '<View><Image name="image" value="$image"/><Choices name="c" toName="image"><Choice value="Cat"/><Choice value="Dog"/></Choices></View>'
TERMINAL = {"completed", "completed_with_errors", "failed", "cancelled"}


@pytest.fixture
def files_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "files"
    root.mkdir()
    monkeypatch.setenv("LABELLOOM_LOCAL_FILES_ROOT", str(root))
    return root


@pytest.fixture(autouse=True)
def clean_buckets() -> None:
    memstore.BUCKETS.clear()
    memstore.FAIL.clear()
    memstore.DELAY.clear()


@pytest.fixture
def host() -> Any:
    return plugin_host(only=["controls", "image", "text", "storage_local"], mem=sys.modules[memstore.__name__])


@pytest.fixture
async def client(make_app: Callable[..., Any], host: Any, files_root: Path) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(make_app(host=host)) as test_client:
        yield test_client


@pytest.fixture
async def project(client: AsyncTestClient, admin: Any) -> int:
    response = await client.post("/api/projects/", json={"title": "Storage", "label_config": IMAGE_CONFIG},
                                 headers=admin.headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def wait_sync(client: AsyncTestClient, admin: Any, path: str, timeout: float = 30.0) -> dict[str, Any]:
    """Poll a storage until its sync has finished; returns the storage JSON."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        response = await client.get(path, headers=admin.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        if body["status"] in TERMINAL:
            return body
        assert asyncio.get_running_loop().time() < deadline, f"sync did not finish: {body}"
        await asyncio.sleep(0.05)


async def task_list(client: AsyncTestClient, admin: Any, project: int) -> list[dict[str, Any]]:
    response = await client.get(f"/api/tasks/?project={project}&page_size=1000&fields=all", headers=admin.headers)
    assert response.status_code == 200, response.text
    return response.json()["tasks"]
