"""A receiver slower than ``webhook_timeout``: each attempt times out and is logged."""

from __future__ import annotations

import asyncio
import time

import pytest


@pytest.fixture
def app_settings():
    return {"allow_private_urls": True, "webhook_timeout": 0.3, "webhook_retry_delay": 0.1, "webhook_max_attempts": 2}


async def test_a_slow_receiver_times_out_and_is_retried(client, admin, world, receiver, emit, create_webhook):
    hook = await create_webhook(url=receiver.url)
    receiver.reply((200, 1.0), (200, 1.0))

    async def event(db):
        return [("PROJECT_UPDATED", {"project": {"id": world.project_id}})]

    await emit(event)
    deadline = time.monotonic() + 15
    while True:
        log = (await client.get(f"/api/webhooks/{hook['id']}/deliveries", headers=admin.headers)).json()
        if log["results"] and log["results"][0]["status"] == "failed":
            break
        assert time.monotonic() < deadline, log
        await asyncio.sleep(0.05)
    entry = log["results"][0]
    assert (entry["attempts"], entry["status_code"], entry["error"]) == (2, None, "timed out after 0.3 s")
    assert len(receiver.requests) == 2
