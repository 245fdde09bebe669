"""No database connection to be had in time is an overload, not a bug: 503 with Retry-After, so a
client retries and a load balancer can send the request elsewhere (issue 17, scale-out)."""

from __future__ import annotations

import asyncio

import pytest
from litestar.testing import AsyncTestClient


@pytest.mark.postgresql
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite has no pool to exhaust
async def test_an_exhausted_pool_answers_503_with_retry_after(make_app, database_url):
    app = make_app(database_url=f"{database_url}?pool_size=1&max_overflow=0&pool_timeout=1")
    async with AsyncTestClient(app) as client:
        r = await client.post("/api/auth/setup", json={"email": "a@example.com", "password": "correct horse battery"})
        assert r.status_code == 201, r.text
        # Hold the pool's only connection, in the app's own event loop (the client's portal thread).
        held = app.state.engine.connect()
        await asyncio.to_thread(client.blocking_portal.call, held.start)
        try:
            busy = await client.get("/api/projects")
        finally:
            await asyncio.to_thread(client.blocking_portal.call, held.close)
        assert busy.status_code == 503, busy.text
        assert busy.headers["retry-after"] == "5"
        assert "busy" in busy.json()["detail"]
        assert (await client.get("/api/projects")).status_code == 200  # free again, served again
