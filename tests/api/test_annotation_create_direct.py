"""An annotation's writes and the label stream's reads run straight on the driver connection
(core/db/direct.py): the same rows as through SQLAlchemy (the task's ``updated_at`` computed as
its ``onupdate`` does), SQLAlchemy's errors, and on SQLite the usual way when another connection
holds the database's write lock; on PostgreSQL inside a lazy request's transaction."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import Integer, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from labelloom.core.db.direct import DirectRead, DirectWrite, read_direct, run_direct
from labelloom.core.db.lazy_begin import read_mostly
from labelloom.core.history.models import AnnotationHistory
from labelloom.core.tasks.models import Task

from .helpers import TEXT_CONFIG, choice, import_texts


async def _task(client, admin):
    r = await client.post("/api/projects/", headers=admin.headers, json={"title": "d", "label_config": TEXT_CONFIG})
    assert r.status_code == 201, r.text
    (task,) = await import_texts(client, admin, r.json()["id"], ["one"])
    return task


async def _updated_at(client, task):
    async with client.app.state.sessionmaker() as db:
        return (await db.execute(select(Task.updated_at).where(Task.id == task))).scalar_one()


async def test_the_task_is_recounted_and_its_updated_at_moves(client, admin):
    task = await _task(client, admin)
    before = await _updated_at(client, task)
    r = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    assert r.status_code == 201, r.text
    assert await _updated_at(client, task) > before
    listed = (await client.get(f"/api/tasks/{task}", headers=admin.headers)).json()
    assert (listed["total_annotations"], listed["is_labeled"]) == (1, True)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # SQLite's write lock
async def test_another_writer_holding_the_lock_is_waited_for(client, admin):
    task = await _task(client, admin)
    path = client.app.state.engine.url.database
    holder = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another connection takes the write lock first
    release = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        r = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers,
                              json={"result": choice("Negative"), "lead_time": 2.0})
    finally:
        release.join()
        holder.close()
    assert r.status_code == 201, r.text  # the lane gave way to the usual path, which waited
    async with client.app.state.sessionmaker() as db:
        versions = (await db.execute(select(AnnotationHistory.action).where(AnnotationHistory.annotation_id == r.json()["id"]))).scalars().all()
    assert versions == ["submitted"]
    assert (await client.get(f"/api/tasks/{task}", headers=admin.headers)).json()["total_annotations"] == 1


async def test_a_refused_write_raises_sqlalchemys_error_and_rollback_undoes_the_rest(client, admin):
    task = await _task(client, admin)
    table = AnnotationHistory.__table__
    bad = DirectWrite(insert(table).values(id=bindparam("id", type_=Integer), annotation_id=bindparam("annotation_id"),
                                           task_id=bindparam("task_id"), action="submitted"))
    async with client.app.state.sessionmaker() as db:
        with pytest.raises(IntegrityError):  # no annotation 999999: the foreign key refuses it
            await run_direct(db, [(bad, {"id": 1, "annotation_id": 999999, "task_id": task})])
        await db.rollback()
        assert (await db.execute(select(table.c.id))).all() == []


async def test_a_direct_read_gives_what_sqlalchemy_gives(client, admin):
    task = await _task(client, admin)
    r = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    assert r.status_code == 201, r.text
    statement = select(Task.__table__).where(Task.__table__.c.id == bindparam("task_id"))
    async with client.app.state.sessionmaker() as db:
        # Numbers a PostgreSQL driver could return as Decimal: processed by the type the server sent.
        await db.execute(update(Task).where(Task.id == task).values(agreement=0.25, predictions_score=0.5))
        await db.commit()
        expected = dict((await db.execute(statement, {"task_id": task})).one()._mapping)
        [row] = await read_direct(db, DirectRead(statement), {"task_id": task})
    assert row == expected  # JSON decoded, datetimes aware, booleans as booleans
    assert row.is_labeled is True and row.data == {"text": "one"} and row.created_at.tzinfo is not None
    assert (type(row.agreement), row.predictions_score) == (float, 0.5)
    with pytest.raises(AttributeError):
        row.no_such_column  # noqa: B018


async def test_a_lazy_request_begins_its_transaction_before_a_direct_write(client, admin):
    """PostgreSQL runs a lazy request's reads in autocommit (db/lazy_begin.py): a write sent to
    the driver directly must still be inside the transaction the request rolls back."""
    task = await _task(client, admin)
    r = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    table = AnnotationHistory.__table__
    version = DirectWrite(insert(table).values(annotation_id=bindparam("annotation_id"), task_id=bindparam("task_id"),
                                               project_id=bindparam("project_id"), action="updated").returning(table.c.id))
    async with client.app.state.sessionmaker() as db:
        await read_mostly(db)
        [row] = await read_direct(db, DirectRead(select(Task.__table__.c.id).where(Task.__table__.c.id == bindparam("t"))), {"t": task})
        assert row.id == task
        [[(written,)]] = await run_direct(db, [(version, {"annotation_id": r.json()["id"], "task_id": task, "project_id": r.json()["project"]})])
        await db.rollback()
    async with client.app.state.sessionmaker() as db:
        assert (await db.execute(select(table.c.id).where(table.c.id == written))).all() == []


@pytest.mark.parametrize("lazy", [False, True])
async def test_writes_sent_together_are_one_transaction(client, admin, lazy):
    """Writes that do not take each other's rows go to PostgreSQL in one pipeline (with a lazy
    request's BEGIN): their rows come back in order, and when the second is refused the error is
    SQLAlchemy's and the rollback undoes the first as well."""
    task = await _task(client, admin)
    r = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    annotation, project = r.json()["id"], r.json()["project"]
    table = AnnotationHistory.__table__
    version = DirectWrite(insert(table).values(annotation_id=bindparam("annotation_id"), task_id=bindparam("task_id"),
                                               project_id=bindparam("project_id"), action="updated").returning(table.c.id))
    values = {"annotation_id": annotation, "task_id": task, "project_id": project}
    async with client.app.state.sessionmaker() as db:
        if lazy:
            await read_mostly(db)
        [[(first,)], [(second,)]] = await run_direct(db, [(version, values), (version, values)])
        assert second > first
        taken = DirectWrite(insert(table).values(id=bindparam("id", type_=Integer), annotation_id=bindparam("annotation_id"),
                                                 task_id=bindparam("task_id"), action="updated"))
        with pytest.raises(IntegrityError):  # the second takes the first pair's id: the key refuses it
            await run_direct(db, [(version, values), (taken, values | {"id": first})])
        await db.rollback()
    async with client.app.state.sessionmaker() as db:
        kept = (await db.execute(select(table.c.id).where(table.c.action == "updated"))).scalars().all()
    assert kept == []  # the first pair was rolled back with the refused one: one transaction


async def test_after_a_commit_direct_statements_run_in_the_sessions_next_transaction(client, admin):
    """The session's connection is taken from its open transaction without asking the session
    (db/direct.py ``session_connection``); once that transaction ends, the next statement must
    not reuse what it held, but begin the session's next one, which the rollback undoes."""
    task = await _task(client, admin)
    r = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    table = AnnotationHistory.__table__
    version = DirectWrite(insert(table).values(annotation_id=bindparam("annotation_id"), task_id=bindparam("task_id"),
                                               project_id=bindparam("project_id"), action="updated").returning(table.c.id))
    values = {"annotation_id": r.json()["id"], "task_id": task, "project_id": r.json()["project"]}
    async with client.app.state.sessionmaker() as db:
        [[(kept,)]] = await run_direct(db, [(version, values)])
        await db.commit()
        [[(undone,)]] = await run_direct(db, [(version, values)])
        assert db.in_transaction()
        await db.rollback()
    async with client.app.state.sessionmaker() as db:
        found = (await db.execute(select(table.c.id).where(table.c.action == "updated"))).scalars().all()
    assert found == [kept] and undone != kept
