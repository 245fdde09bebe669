"""Domain events reach plugins only after the transaction commits, in commit order; a raising
plugin is logged and the request does not notice."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest
from litestar import post
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from labelloom.core.errors import BadRequest
from labelloom.core.events import pending_events, record_event
from labelloom.core.manager import build_plugin_host
from labelloom.core.plugin import hookimpl
from labelloom.core.users.models import User


class Recorder:
    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, Any]]] = []

    @hookimpl
    def labelloom_on_event(self, event: str, payload: dict[str, Any]) -> None:
        self.received.append((event, payload))


class Broken:
    @hookimpl
    def labelloom_on_event(self, event: str, payload: dict[str, Any]) -> None:
        raise RuntimeError("this plugin is broken")


@post("/emit", status_code=200)
async def emit(db: AsyncSession, data: dict[str, Any]) -> dict[str, int]:
    """Records the given events in the request's transaction; ``fail`` makes the request fail."""
    for event in data["events"]:
        record_event(db, event["name"], event["payload"])
    if data.get("fail"):
        raise BadRequest("failing on purpose")
    return {"recorded": len(data["events"])}


class EmitRoutes:
    @hookimpl
    def labelloom_register_routes(self, router: Any) -> None:
        router.add(emit)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def app(make_app, recorder):
    # "broken" comes first, so a failure there must not stop "recorder" either.
    host = build_plugin_host(modules={"broken": Broken(), "recorder": recorder, "evtest": EmitRoutes()})
    return make_app(host=host)


@pytest.fixture
async def client(app):
    """Overrides the default client, so the ``admin`` fixture signs up on this app."""
    async with AsyncTestClient(app) as test_client:
        yield test_client


def event(name: str, **payload: Any) -> dict[str, Any]:
    return {"name": name, "payload": payload}


async def test_committed_request_events_reach_plugins_and_a_raising_plugin_is_only_logged(
    app, client, admin, recorder, caplog, in_app
):
    caplog.set_level(logging.ERROR, logger="labelloom.core.manager")
    body = {"events": [event("PROJECT_UPDATED", project={"id": 1}), event("TASKS_CREATED", tasks=[{"id": 5}])]}
    response = await client.post("/api/plugins/evtest/emit", json=body, headers=admin.headers)
    assert response.status_code == 200, response.text
    await in_app(client, app.state.background.events.drain)
    assert recorder.received == [
        ("PROJECT_UPDATED", {"project": {"id": 1}}),
        ("TASKS_CREATED", {"tasks": [{"id": 5}]}),
    ]
    failures = [r for r in caplog.records if "plugin 'broken' failed handling event" in r.getMessage()]
    assert len(failures) == 2 and "this plugin is broken" in failures[0].exc_text


async def test_a_failed_request_dispatches_nothing(app, client, admin, recorder, in_app):
    body = {"events": [event("PROJECT_UPDATED", project={"id": 1})], "fail": True}
    response = await client.post("/api/plugins/evtest/emit", json=body, headers=admin.headers)
    assert response.status_code == 400
    await in_app(client, app.state.background.events.drain)
    assert recorder.received == []


async def test_events_wait_for_the_commit_and_keep_commit_order(app, client, recorder, in_app):
    sessions, bus = app.state.sessionmaker, app.state.background.events

    async def scenario() -> None:
        async with sessions() as db:
            record_event(db, "ANNOTATION_CREATED", {"annotation": {"id": 1}})
            assert len(pending_events(db)) == 1
            await bus.drain()
            assert recorder.received == []  # not before the commit
            await db.commit()
            assert pending_events(db) == []
        async with sessions() as db:
            record_event(db, "ANNOTATION_UPDATED", {"annotation": {"id": 1}})
            await db.rollback()
        for n in range(2, 12):
            async with sessions() as db:
                record_event(db, "ANNOTATION_UPDATED", {"annotation": {"id": n}})
                await db.commit()
        await bus.drain()

    await in_app(client, scenario)
    assert [(name, p["annotation"]["id"]) for name, p in recorder.received] == [("ANNOTATION_CREATED", 1)] + [
        ("ANNOTATION_UPDATED", n) for n in range(2, 12)
    ]


async def test_payloads_are_copied_as_json_when_recorded(app, client, recorder, in_app):
    class Item(msgspec.Struct):
        id: int
        at: datetime

    item = {"tags": ["a"]}

    async def scenario() -> Any:
        async with app.state.sessionmaker() as db:
            recorded = record_event(
                db,
                "TASKS_CREATED",
                {"tasks": [Item(7, datetime(2026, 1, 2, tzinfo=UTC))], "project": {"id": 3}, "x": item},
            )
            item["tags"].append("changed later")  # the event keeps what was true when recorded
            with pytest.raises(TypeError, match="webhooks.payloads"):
                record_event(db, "TASKS_CREATED", {"tasks": [User(email="x@example.com")]})
            await db.commit()
        await app.state.background.events.drain()
        return recorded

    recorded = await in_app(client, scenario)
    assert recorded.project_id == 3
    assert recorder.received == [
        ("TASKS_CREATED", {"tasks": [{"id": 7, "at": "2026-01-02T00:00:00Z"}], "project": {"id": 3}, "x": {"tags": ["a"]}})
    ]


async def test_lazy_payloads_are_built_before_the_commit_when_plugins_listen(app, client, recorder, in_app):
    state = {"id": 1}

    async def scenario() -> None:
        async with app.state.sessionmaker() as db:
            recorded = record_event(db, "ANNOTATION_CREATED", lambda session: {"annotation": dict(state)}, project_id=4)
            with pytest.raises(RuntimeError, match="built before the commit"):
                recorded.payload  # noqa: B018 (not yet: it reflects the state at commit)
            state["id"] = 2
            await db.commit()
            state["id"] = 3  # after the commit: too late to matter
        await app.state.background.events.drain()

    await in_app(client, scenario)
    assert recorder.received == [("ANNOTATION_CREATED", {"annotation": {"id": 2}})]
