"""Every project is scored without anyone opening its dashboard; a project from before quality
tracking gets its figures on the first visit; who may read whose figures."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from labelloom.core.quality.models import QualityRollup, QualitySettings, QualityTask
from labelloom.core.tasks.models import Task

from ..api.helpers import TEXT_CONFIG, import_texts
from ..teams.conftest import add_member, make_member
from .test_api import agreements, annotate, create_user, until, wait_job


async def new_project(client, admin, title="Tracked"):
    response = await client.post("/api/projects/", headers=admin.headers, json={"title": title, "label_config": TEXT_CONFIG})
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def recomputed_at(client, project):
    async with client.app.state.sessionmaker() as db:
        return (await db.execute(select(QualitySettings.recomputed_at).where(QualitySettings.project_id == project))).scalar()


async def test_annotations_are_scored_without_opening_the_dashboard(client, admin):
    project = await new_project(client, admin)  # quality settings never read
    u1 = await create_user(client, admin, "track1@example.com")
    t1, t2 = await import_texts(client, admin, project, ["a", "b"])
    await annotate(client, admin, t1, "Positive")
    await annotate(client, admin, t1, "Negative", u1)
    await annotate(client, admin, t2, "Neutral")
    await annotate(client, admin, t2, "Neutral", u1)

    async def scored():
        values = await agreements(client, admin, project)
        return values if None not in values.values() else None

    assert await until(scored, timeout=60) == {t1: 0.0, t2: 100.0}
    # The first job also asked for the project's one full recompute (older tasks' figures).
    assert await until(lambda: recomputed_at(client, project), timeout=60) is not None
    below = {"filters": {"conjunction": "and", "items": [
        {"filter": "filter:tasks:agreement", "operator": "less", "type": "Number", "value": 60}]}}
    assert list(await agreements(client, admin, project, below)) == [t1]
    board = (await client.get(f"/api/projects/{project}/quality/dashboard", headers=admin.headers)).json()
    assert board["summary"]["annotations"] == 4 and board["summary"]["scored_tasks"] == 2
    # A project fully scored does not start another recompute on a visit.
    settings = (await client.get(f"/api/projects/{project}/quality/settings", headers=admin.headers)).json()
    assert "job" not in settings


async def test_a_project_from_before_tracking_is_scored_on_its_first_visit(client, admin):
    project = await new_project(client, admin, "Old")
    u1 = await create_user(client, admin, "old1@example.com")
    (t1,) = await import_texts(client, admin, project, ["a"])
    await annotate(client, admin, t1, "Positive")
    await annotate(client, admin, t1, "Positive", u1)
    assert await until(lambda: recomputed_at(client, project), timeout=60) is not None
    # As an upgrade finds it: annotations, no quality rows at all.
    async with client.app.state.sessionmaker() as db:
        for model in (QualityTask, QualityRollup, QualitySettings):
            await db.execute(delete(model).where(model.project_id == project))
        await db.execute(update(Task).where(Task.project_id == project).values(agreement=None))
        await db.commit()
    board = (await client.get(f"/api/projects/{project}/quality/dashboard", headers=admin.headers)).json()
    assert board["summary"]["annotations"] == 0

    first = (await client.get(f"/api/projects/{project}/quality/settings", headers=admin.headers)).json()
    again = (await client.get(f"/api/projects/{project}/quality/settings", headers=admin.headers)).json()
    assert again["job"]["id"] == first["job"]["id"]  # one recompute, however many visits
    await wait_job(client, admin, first["job"]["id"])
    board = (await client.get(f"/api/projects/{project}/quality/dashboard", headers=admin.headers)).json()
    assert board["summary"]["annotations"] == 2
    assert board["summary"]["agreement"] == 1.0
    assert await agreements(client, admin, project) == {t1: 100.0}
    # The full recompute also refilled the data manager's indexed column.
    above = {"filters": {"conjunction": "and", "items": [
        {"filter": "filter:tasks:agreement", "operator": "greater", "type": "Number", "value": 50}]}}
    assert list(await agreements(client, admin, project, above)) == [t1]


async def test_an_annotator_reads_only_their_own_figures_and_managers_read_all(client, admin):
    project = await new_project(client, admin, "Private")
    annotator = await make_member(client, admin, "an-q@example.com", "AN")
    other = await make_member(client, admin, "an-q2@example.com", "AN")
    manager = await make_member(client, admin, "ma-q@example.com", "MA")
    for member in (annotator, other, manager):
        await add_member(client, admin, project, member.id)
    (t1,) = await import_texts(client, admin, project, ["a"])
    await annotate(client, admin, t1, "Positive", annotator.id)
    await annotate(client, admin, t1, "Negative", other.id)
    assert await until(lambda: recomputed_at(client, project), timeout=60) is not None
    base = f"/api/projects/{project}/quality"

    async def status(member, path):
        return (await client.get(f"{base}{path}", headers=member.headers)).status_code

    # Their own figures, by "me" or by id, as JSON and CSV.
    mine = await client.get(f"{base}/annotators/me", headers=annotator.headers)
    assert mine.status_code == 200
    assert [a["user"] for a in mine.json()["annotators"]] == [annotator.id]
    assert await status(annotator, f"/annotators/{annotator.id}") == 200
    assert await status(annotator, f"/annotators/{annotator.id}/annotators/csv") == 200
    # Not another annotator's, nor the project's dashboard or settings changes.
    assert await status(annotator, f"/annotators/{other.id}") == 403
    assert await status(annotator, f"/annotators/{other.id}/annotators/csv") == 403
    assert await status(annotator, "/dashboard") == 403
    assert await status(annotator, "/dashboard/labels/csv") == 403
    denied = await client.patch(f"{base}/settings", headers=annotator.headers, json={"threshold": 0.9})
    assert denied.status_code == 403
    # A manager reads everyone's.
    theirs = await client.get(f"{base}/annotators/{other.id}", headers=manager.headers)
    assert theirs.status_code == 200
    assert [a["user"] for a in theirs.json()["annotators"]] == [other.id]
    assert theirs.json()["annotators"][0]["agreement"] == 0.0
    assert await status(manager, f"/annotators/{annotator.id}/annotators/csv") == 200
    assert await status(manager, "/dashboard") == 200
    # Someone outside the project reads nothing of it.
    outsider = await make_member(client, admin, "an-out@example.com", "AN")
    assert await status(outsider, "/annotators/me") in (403, 404)


