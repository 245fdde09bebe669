"""The export rows are read as plain values and built into dicts by hand (core/export/rows.py):
the JSON they make must hold exactly what the ORM objects serialised the API's way hold, for
every field (drafts, predictions, ground truth, cancelled annotations, history, expanded users,
odd JSON values), whichever path chooses the related rows (id range or the batch's query), and
across batch boundaries with other projects' rows interleaved."""

from datetime import UTC, datetime

import msgspec
import pytest
from sqlalchemy import select, text, update

from labelloom.core.annotations.models import Annotation, Draft
from labelloom.core.export.options import ExportOptions, easy_export_options
from labelloom.core.export.rows import _Plan, export_conditions, task_batches
from labelloom.core.export.writer import tasks_json, write_tasks_json
from labelloom.core.history.models import AnnotationHistory
from labelloom.core.history.service import version_json
from labelloom.core.predictions.models import Prediction
from labelloom.core.tasks.models import Task
from labelloom.core.tasks.serialize import annotation_json, draft_json, prediction_json
from labelloom.core.users.models import User

from .conftest import CONFIG, RESULT

ODD = {"text": "naïve \"q\" \\ / ✓", "f": 0.30000000000000004, "big": 12345678901234567, "neg": -1e-7,
       "nested": {"l": [1, 2.5, None, True, {"d": "x"}], "e": {}, "el": []}, "n": None}
TASKS = [
    {"data": {"text": "Anna lives in Paris", **ODD}, "meta": {"origin": "import", "w": 1.5},
     "annotations": [{"result": RESULT, "lead_time": 42.7}, {"result": RESULT[2:3], "lead_time": 0.1}],
     "predictions": [{"model_version": "v1", "score": 0.5, "result": RESULT[2:3]},
                     {"model_version": "v2", "score": 1.0 / 3, "result": []}]},
    {"data": {"text": "Nothing here"}},
    {"data": {"text": "Skipped one"}, "annotations": [{"result": [], "was_cancelled": True, "lead_time": 1.5}]},
    {"data": {"text": "Ground truth"}, "annotations": [{"result": RESULT[3:4]}]},
    {"data": {"text": "Only a prediction"}, "predictions": [{"model_version": "v1", "result": RESULT[:1]}]},
]


async def _import(client, admin, pid, tasks):
    r = await client.post(f"/api/projects/{pid}/import?return_task_ids=true", headers=admin.headers, json=tasks)
    assert r.status_code == 201, r.text
    return r.json()["task_ids"]


@pytest.fixture
async def rich(client, admin):
    """A project whose tasks interleave (by id) with another project's, with every kind of row."""
    h = admin.headers
    pids = [(await client.post("/api/projects/", headers=h, json={"title": t, "label_config": CONFIG})).json()["id"]
            for t in ("Rich", "Other")]
    ids = []
    for task in TASKS:  # one task here, one task there: the id ranges of the two projects overlap
        ids += await _import(client, admin, pids[0], [task])
        await _import(client, admin, pids[1], [task])
    first_annotation = (await client.get(f"/api/tasks/{ids[0]}/annotations/", headers=h)).json()[0]["id"]
    r = await client.patch(f"/api/annotations/{first_annotation}/", headers=h, json={"result": RESULT[:1]})
    assert r.status_code == 200, r.text  # a second version in the annotation's history
    for task_id in (ids[0], ids[1]):
        r = await client.post(f"/api/tasks/{task_id}/drafts", headers=h, json={"result": RESULT[2:3], "lead_time": 2.25})
        assert r.status_code in (200, 201), r.text
    async with client.app.state.sessionmaker() as db:
        await db.execute(update(Annotation).where(Annotation.task_id == ids[3]).values(ground_truth=True))
        await db.execute(update(Prediction).where(Prediction.task_id == ids[4]).values(neighbors={"k": [1, 2]}, cluster=3))
        await db.execute(update(Task).where(Task.id == ids[1]).values(file_upload="upload.json", meta=None))
        # A whole second (no fraction written) and a microsecond one, as timestamps can be.
        await db.execute(update(Task).where(Task.id == ids[2]).values(created_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
                                                                     updated_at=datetime(2024, 1, 2, 3, 4, 5, 1, tzinfo=UTC)))
        await db.commit()
    return {"id": pids[0], "task_ids": ids}


async def _reference(db, project_id, options: ExportOptions, task_ids=None):
    """The export the slow way: ORM objects through the API's serialisers."""
    serial = options.serialization_options
    query = select(Task).where(Task.project_id == project_id).order_by(Task.id)
    if task_ids:
        query = query.where(Task.id.in_(task_ids))
    out = []
    for task in (await db.execute(query)).scalars():
        annotations = []
        for a in (await db.execute(select(Annotation).where(Annotation.task_id == task.id).order_by(Annotation.id))).scalars():
            filters = options.annotation_filter_options
            if filters.usual and (a.was_cancelled or a.ground_truth):
                continue
            item = annotation_json(a)
            if serial.annotations__completed_by and not serial.annotations__completed_by.only_id and a.completed_by_id:
                u = await db.get(User, a.completed_by_id)
                item["completed_by"] = {"id": u.id, "first_name": u.first_name, "last_name": u.last_name, "avatar": None,
                                        "email": u.email, "initials": ((u.first_name[:1] + u.last_name[:1]) or u.email[:2]).lower()}
            if serial.include_annotation_history:
                versions = select(AnnotationHistory).where(AnnotationHistory.annotation_id == a.id).order_by(AnnotationHistory.id)
                item["history"] = [version_json(v) for v in (await db.execute(versions)).scalars()]
            annotations.append(item)
        predictions = [p.id if serial.predictions.only_id else prediction_json(p) for p in (await db.execute(
            select(Prediction).where(Prediction.task_id == task.id).order_by(Prediction.id))).scalars()]
        drafts = [d.id if serial.drafts.only_id else draft_json(d) for d in (await db.execute(
            select(Draft).where(Draft.task_id == task.id).order_by(Draft.id))).scalars()]
        out.append({
            "id": task.id, "data": task.data, "annotations": annotations, "predictions": predictions, "drafts": drafts,
            "meta": task.meta or {}, "created_at": task.created_at, "updated_at": task.updated_at,
            "inner_id": task.inner_id, "total_annotations": task.total_annotations,
            "cancelled_annotations": task.cancelled_annotations, "total_predictions": task.total_predictions,
            "comment_count": 0, "unresolved_comment_count": 0, "last_comment_updated_at": None,
            "project": task.project_id, "updated_by": task.updated_by_id, "file_upload": task.file_upload,
            "comment_authors": [],
        })
    return msgspec.json.decode(msgspec.json.encode(out))


async def _exported(db, project_id, options, *, raw_json, batch):
    chunks = [c async for c in write_tasks_json(task_batches(db, project_id, options, raw_json=raw_json, batch=batch))]
    return b"".join(chunks)


FULL = {"serialization_options": {"annotations__completed_by": {"only_id": False}, "include_annotation_history": True}}
USERS = {"serialization_options": {"annotations__completed_by": {"only_id": False}}}  # records, users expanded
IDS_ONLY = {"serialization_options": {"predictions": {"only_id": True}, "drafts": {"only_id": True}},
            "annotation_filter_options": {"usual": True}}


@pytest.mark.parametrize("body", [None, FULL, USERS, IDS_ONLY], ids=["easy", "full", "users", "ids-only"])
async def test_export_rows_hold_what_the_orm_serialises(client, rich, body):
    options = easy_export_options(download_all_tasks=True, ids=None) if body is None else ExportOptions.from_json(body)
    async with client.app.state.sessionmaker() as db:
        expected = await _reference(db, rich["id"], options)
        assert len(expected) == len(TASKS) and expected[0]["drafts"] and expected[4]["predictions"]
        assert expected[2]["created_at"] == "2024-01-02T03:04:05Z" and expected[2]["updated_at"].endswith("05.000001Z")
        for batch in (1, 2, 500):  # every batch boundary, the read-ahead, and one batch for all
            for raw_json in (True, False):
                text = await _exported(db, rich["id"], options, raw_json=raw_json, batch=batch)
                assert msgspec.json.decode(text) == expected, (batch, raw_json)
    if body is FULL:
        annotation = expected[0]["annotations"][0]
        assert annotation["history"][-1]["action"] == "updated", annotation["history"]
    if body in (FULL, USERS):
        assert isinstance(expected[0]["annotations"][0]["completed_by"], dict)


@pytest.mark.parametrize("body", [None, USERS, IDS_ONLY], ids=["easy", "users", "ids-only"])
async def test_records_write_the_bytes_of_the_raw_dicts(client, rich, body):
    """The JSON writers get records (core/export/records.py), not dicts: same keys, same order,
    same values, so the same bytes, on either database (both hold JSON columns as Raw text)."""
    options = easy_export_options(download_all_tasks=True, ids=None) if body is None else ExportOptions.from_json(body)
    async with client.app.state.sessionmaker() as db:
        plan = _Plan(db, rich["id"], options, await export_conditions(db, rich["id"], options), 500, True)
        batch = await plan.read(0)
        records = plan.records(batch)
        assert type(plan.build(batch, True)[0]) is type(records[0]) is not dict
        assert tasks_json(records) == tasks_json(plan.dicts(batch, True))
        annotated = [r for r in records if r["annotations"]]  # none kept by IDS_ONLY (all are ground truth)
        assert body is IDS_ONLY or annotated[0]["annotations"][0]["id"] == annotated[0].annotations[0].id


async def test_timestamps_are_utc_whatever_the_session_time_zone(client, rich, database_url):
    """The database formats timestamps (``...Z``), in UTC even when the session's zone is not."""
    options = easy_export_options(download_all_tasks=True, ids=None)
    async with client.app.state.sessionmaker() as db:
        expected = await _exported(db, rich["id"], options, raw_json=True, batch=500)
    async with client.app.state.sessionmaker() as db:
        if database_url.startswith("postgresql"):
            await db.execute(text("SET TIME ZONE 'Asia/Kolkata'"))
        assert await _exported(db, rich["id"], options, raw_json=True, batch=500) == expected
    tasks = msgspec.json.decode(expected)
    assert tasks[2]["created_at"] == "2024-01-02T03:04:05Z" and tasks[2]["updated_at"] == "2024-01-02T03:04:05.000001Z"
    assert all(t["created_at"].endswith("Z") and t["annotations"][0]["created_at"].endswith("Z")
               for t in tasks if t["annotations"])


async def test_chosen_tasks_take_their_related_rows_from_the_batch_query(client, rich):
    """With a task filter the related rows are chosen by the batch's own query, not an id range:
    the tasks between the chosen ones (and the other project's) give nothing."""
    chosen = [rich["task_ids"][0], rich["task_ids"][3], rich["task_ids"][4]]
    options = easy_export_options(download_all_tasks=True, ids=chosen)
    async with client.app.state.sessionmaker() as db:
        expected = await _reference(db, rich["id"], options, task_ids=chosen)
        assert [t["id"] for t in expected] == chosen
        for batch in (1, 2, 500):
            for raw_json in (True, False):
                text = await _exported(db, rich["id"], options, raw_json=raw_json, batch=batch)
                assert msgspec.json.decode(text) == expected, (batch, raw_json)


async def test_a_writer_that_stops_early_leaves_the_session_usable(client, rich):
    """The next batch is read while this one is written: closing the stream mid-way waits for
    that read, so the session can still be used (and closed) cleanly."""
    options = easy_export_options(download_all_tasks=True, ids=None)
    async with client.app.state.sessionmaker() as db:
        batches = task_batches(db, rich["id"], options, batch=1)
        first = await anext(batches)
        assert [t["id"] for t in first] == [rich["task_ids"][0]]
        await batches.aclose()
        assert (await db.execute(select(Task.id).where(Task.project_id == rich["id"]).order_by(Task.id))).scalars().all() == rich["task_ids"]


async def test_a_view_filter_on_a_datetime_chooses_the_tasks(client, admin, rich):
    """The batch statements run on the DBAPI cursor with their parameters processed as SQLAlchemy
    would (a datetime becomes SQLite's stored text form): a task created exactly at the bound
    is not "greater", one a microsecond later is."""
    view = {"project": rich["id"], "data": {"filters": {"conjunction": "and", "items": [
        {"filter": "filter:tasks:created_at", "operator": "greater", "type": "Datetime",
         "value": "2024-01-02T03:04:05.000Z"}]}}}
    response = await client.post("/api/dm/views/", headers=admin.headers, json=view)
    assert response.status_code == 201, response.text
    options = easy_export_options(download_all_tasks=True, ids=None, view=response.json()["id"])
    async with client.app.state.sessionmaker() as db:
        await db.execute(update(Task).where(Task.id == rich["task_ids"][3])
                         .values(created_at=datetime(2024, 1, 2, 3, 4, 5, 1, tzinfo=UTC)))
        await db.commit()
        for raw_json in (True, False):
            tasks = msgspec.json.decode(await _exported(db, rich["id"], options, raw_json=raw_json, batch=2))
            ids = rich["task_ids"]
            assert [t["id"] for t in tasks] == [ids[0], ids[1], ids[3], ids[4]], raw_json
