"""Issue 17: each process keeps the active webhooks while the ``hooks`` cache epoch stands; a
webhook created, changed or switched off through ANY process is honoured by every other on its
next event (the epoch is bumped by triggers, migration 0018)."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from labelloom.core.manager import build_plugin_host
from labelloom.core.webhooks.models import WebhookDelivery



@pytest.fixture
async def other(make_app, app_settings):
    """A second server process on the same database, with its own caches."""
    async with AsyncTestClient(make_app(host=build_plugin_host(modules={}), **app_settings)) as second:
        yield second


async def _deliveries(app) -> int:
    async with app.state.sessionmaker() as db:
        return int(await db.scalar(select(func.count()).select_from(WebhookDelivery)))


async def test_webhook_changes_made_elsewhere_reach_the_cached_subscribers(client, other, admin, receiver):
    project = (await other.post("/api/projects/", headers=admin.headers, json={"title": "Cats"})).json()

    async def rename(title: str) -> None:
        r = await other.patch(f"/api/projects/{project['id']}", headers=admin.headers, json={"title": title})
        assert r.status_code == 200, r.text

    await rename("no hook yet")  # the other process now keeps "no webhooks"
    await rename("still none")
    assert await _deliveries(client.app) == 0

    created = await client.post("/api/webhooks/", headers=admin.headers,
                                json={"url": receiver.url, "project": project["id"]})
    assert created.status_code == 201, created.text
    await rename("hooked")
    assert await _deliveries(client.app) == 1
    await rename("hooked again")  # from the other process's copy, now with the hook
    assert await _deliveries(client.app) == 2

    off = await client.patch(f"/api/webhooks/{created.json()['id']}", headers=admin.headers, json={"is_active": False})
    assert off.status_code == 200, off.text
    await rename("switched off")
    assert await _deliveries(client.app) == 2
