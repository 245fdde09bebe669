"""Creating an annotation writes, in one go (one statement on PostgreSQL, issue 17): the
annotation, its first history version, the release of the author's label-stream lock, the task's
counters; and answers with the row as stored. On SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from labelloom.core.annotations.models import Draft
from labelloom.core.history.models import AnnotationHistory
from labelloom.core.tasks.models import TaskLock

from .helpers import TEXT_CONFIG, choice, import_texts


async def _project(client, admin):
    r = await client.post("/api/projects/", headers=admin.headers, json={"title": "w", "label_config": TEXT_CONFIG})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def test_create_writes_history_releases_own_lock_and_answers_the_stored_row(client, admin):
    pid = await _project(client, admin)
    task, other_task = await import_texts(client, admin, pid, ["one", "two"])
    soon = datetime.now(UTC) + timedelta(minutes=5)
    async with client.app.state.sessionmaker() as db:
        # The admin holds both tasks (label-stream reservations): annotating one releases that one.
        await db.execute(insert(TaskLock.__table__), [
            {"task_id": task, "user_id": admin.id, "expire_at": soon, "created_at": datetime.now(UTC)},
            {"task_id": other_task, "user_id": admin.id, "expire_at": soon, "created_at": datetime.now(UTC)},
        ])
        await db.commit()

    r = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers,
                          json={"result": choice("Positive"), "lead_time": 3.5})
    assert r.status_code == 201, r.text
    created = r.json()
    stored = (await client.get(f"/api/annotations/{created['id']}/", headers=admin.headers)).json()
    assert created == stored
    assert created["last_action"] == "submitted" and created["lead_time"] == 3.5 and created["task"] == task

    async with client.app.state.sessionmaker() as db:
        locks = (await db.execute(select(TaskLock.task_id).where(TaskLock.user_id == admin.id))).scalars().all()
        assert locks == [other_task]  # the annotated task's lock only
        versions = (await db.execute(
            select(AnnotationHistory.action, AnnotationHistory.lead_time, AnnotationHistory.created_by_id,
                   AnnotationHistory.task_id, AnnotationHistory.project_id, AnnotationHistory.result)
            .where(AnnotationHistory.annotation_id == created["id"]))).all()
        assert [tuple(v) for v in versions] == [("submitted", 3.5, admin.id, task, pid, choice("Positive"))]

    listed = (await client.get(f"/api/tasks/{task}", headers=admin.headers)).json()
    assert listed["total_annotations"] == 1 and listed["is_labeled"] is True
    assert listed["annotations"] == [stored]


async def test_skip_without_lead_time_and_draft_handover(client, admin):
    pid = await _project(client, admin)
    (task,) = await import_texts(client, admin, pid, ["one"])
    r = await client.post(f"/api/tasks/{task}/drafts", headers=admin.headers, json={"result": choice("Negative")})
    assert r.status_code == 201, r.text
    draft = r.json()

    r = await client.post(f"/api/tasks/{task}/annotations/?was_cancelled=1", headers=admin.headers,
                          json={"result": [], "draft_id": draft["id"]})
    assert r.status_code == 201, r.text
    skipped = r.json()
    assert skipped["was_cancelled"] is True and skipped["last_action"] == "skipped" and skipped["lead_time"] is None
    assert skipped["draft_created_at"] is not None
    assert skipped == (await client.get(f"/api/annotations/{skipped['id']}/", headers=admin.headers)).json()
    async with client.app.state.sessionmaker() as db:
        assert (await db.execute(select(Draft.id).where(Draft.id == draft["id"]))).first() is None
        version = (await db.execute(select(AnnotationHistory.action, AnnotationHistory.lead_time)
                                    .where(AnnotationHistory.annotation_id == skipped["id"]))).one()
        assert tuple(version) == ("skipped", None)
    task_json = (await client.get(f"/api/tasks/{task}", headers=admin.headers)).json()
    assert (task_json["cancelled_annotations"], task_json["total_annotations"], task_json["drafts"]) == (1, 0, [])
