"""The label stream's queues after the main one: postponed drafts, the user's own skips
(REQUEUE_FOR_ME), and skips that count as done for everyone (IGNORE_SKIPPED)."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from labelloom.core.db.engine import make_engine
from labelloom.core.tasks.models import TaskLock

from .helpers import choice, import_texts
from .test_stream_scope import make_user  # noqa: F401  (fixture)


async def _next(client, project, headers):
    return await client.get(f"/api/projects/{project['id']}/next/", headers=headers)


async def test_a_postponed_task_comes_back_after_the_others(client, admin, project, database_url):
    ids = await import_texts(client, admin, project["id"], ["a", "b"])
    first = (await _next(client, project, admin.headers)).json()
    assert first["id"] == ids[0]
    r = await client.post(f"/api/tasks/{ids[0]}/drafts", headers=admin.headers,
                          json={"result": choice("Positive"), "was_postponed": True})
    assert r.status_code == 201, r.text
    # Its lock runs out (a draft keeps it; expiry is simulated, not waited for).
    engine = make_engine(database_url)
    async with engine.begin() as conn:
        await conn.execute(update(TaskLock).values(expire_at=datetime.now(UTC) - timedelta(hours=1)))
    await engine.dispose()
    # The postponed task is not served from the main queue while another task has room.
    second = (await _next(client, project, admin.headers)).json()
    assert second["id"] == ids[1] and second["queue"] == "Sequence queue"
    await client.post(f"/api/tasks/{ids[1]}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    back = (await _next(client, project, admin.headers)).json()
    assert back["id"] == ids[0] and back["queue"] == "Postponed queue"
    assert back["drafts"] and back["drafts"][0]["was_postponed"] is True
    await client.post(f"/api/tasks/{ids[0]}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    assert (await _next(client, project, admin.headers)).status_code == 404


async def test_requeue_for_me_serves_my_skips_last(client, admin, project):
    await client.patch(f"/api/projects/{project['id']}/", headers=admin.headers, json={"skip_queue": "REQUEUE_FOR_ME"})
    ids = await import_texts(client, admin, project["id"], ["a", "b"])
    assert (await _next(client, project, admin.headers)).json()["id"] == ids[0]
    await client.post(f"/api/tasks/{ids[0]}/annotations/?was_cancelled=1", headers=admin.headers, json={"result": []})
    assert (await _next(client, project, admin.headers)).json()["id"] == ids[1]
    await client.post(f"/api/tasks/{ids[1]}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    again = (await _next(client, project, admin.headers)).json()
    assert again["id"] == ids[0] and again["queue"] == "Skipped queue"


async def test_skips_count_as_done_only_when_ignored(client, admin, project, make_user):
    other = await make_user("other@example.com")
    ids = await import_texts(client, admin, project["id"], ["a"])
    await _next(client, project, admin.headers)
    await client.post(f"/api/tasks/{ids[0]}/annotations/?was_cancelled=1", headers=admin.headers, json={"result": []})
    # REQUEUE_FOR_OTHERS (the default): the skipped task goes to someone else.
    assert (await _next(client, project, other.headers)).json()["id"] == ids[0]
    await client.post(f"/api/tasks/{ids[0]}/annotations/?was_cancelled=1", headers=other.headers, json={"result": []})
    third = await make_user("third@example.com")
    await client.patch(f"/api/projects/{project['id']}/", headers=admin.headers, json={"skip_queue": "IGNORE_SKIPPED"})
    assert (await _next(client, project, third.headers)).status_code == 404
