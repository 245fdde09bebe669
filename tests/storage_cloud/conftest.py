"""Session-wide S3 (moto server) and GCS (fake-gcs-server) servers over HTTP on loopback.

Without the packages the tests skip, except in CI (``CI=true``), where a missing server fails.
Each test gets its own, freshly created bucket.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from labelloom.core.testing import IN_CI

from .services import FakeGCS, MotoS3, unavailable


def require(service: str) -> None:
    reason = unavailable(service)
    if reason:
        if IN_CI:
            pytest.fail(f"CI needs the {service} test server: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def moto_s3() -> Iterator[MotoS3]:
    require("s3")
    with MotoS3() as server:
        yield server


@pytest.fixture(scope="session")
def fake_gcs() -> Iterator[FakeGCS]:
    require("gcs")
    with FakeGCS() as server:
        previous = os.environ.get("STORAGE_EMULATOR_HOST")
        os.environ["STORAGE_EMULATOR_HOST"] = server.url  # google-cloud-storage's emulator switch
        try:
            yield server
        finally:
            if previous is None:
                os.environ.pop("STORAGE_EMULATOR_HOST", None)
            else:
                os.environ["STORAGE_EMULATOR_HOST"] = previous


def bucket_name() -> str:
    return f"lbl-{uuid.uuid4().hex[:16]}"


@pytest.fixture(scope="session")
def s3(moto_s3: MotoS3) -> Any:
    """A boto3 client of the moto server (for arranging and checking bucket contents)."""
    return moto_s3.client()


@pytest.fixture
def s3_bucket(s3: Any) -> str:
    name = bucket_name()
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture(scope="session")
def gcs(fake_gcs: FakeGCS) -> Any:
    return fake_gcs.client()


@pytest.fixture
def gcs_bucket(gcs: Any) -> str:
    name = bucket_name()
    gcs.create_bucket(name)
    return name


# -- the app with the cloud storage plugins --------------------------------------------------------
IMAGE_CONFIG = (
    '<View><Image name="image" value="$image"/>'
    '<Choices name="c" toName="image"><Choice value="Cat"/><Choice value="Dog"/></Choices></View>'
)
TERMINAL = {"completed", "completed_with_errors", "failed", "cancelled"}
PLUGINS = ["controls", "image", "text", "storage_s3", "storage_gcs"]


@pytest.fixture
async def client(make_app: Any) -> Any:
    """An app allowed to reach the loopback test servers (LABELLOOM_ALLOW_PRIVATE_URLS)."""
    from litestar.testing import AsyncTestClient

    from labelloom.core.testing import plugin_host

    async with AsyncTestClient(make_app(host=plugin_host(only=PLUGINS), allow_private_urls=True)) as test_client:
        yield test_client


@pytest.fixture
async def project(client: Any, admin: Any) -> int:
    response = await client.post("/api/projects/", json={"title": "Cloud", "label_config": IMAGE_CONFIG}, headers=admin.headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.fixture
def admin_headers_factory() -> Any:
    """Signs up the first administrator on another app's client; returns its token headers."""

    async def make(client: Any) -> dict[str, str]:
        response = await client.post("/api/auth/setup", json={"email": "admin@example.com", "password": "correct horse battery"})
        assert response.status_code == 201, response.text
        token = (await client.get("/api/current-user/token")).json()["token"]
        client.cookies.clear()
        return {"Authorization": f"Token {token}"}

    return make
