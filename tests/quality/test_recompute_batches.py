"""A full recompute read in several batches, on a second connection ahead of the scoring
(``overlap_reads``, the job's way on PostgreSQL), stores exactly what a one-batch recompute does."""

from __future__ import annotations

import pytest

from labelloom.core.annotations.models import Annotation
from labelloom.core.db.engine import make_engine, make_sessionmaker
from labelloom.core.quality import store
from labelloom.core.tasks.counters import refresh_tasks

from .test_consistency import _setup, result_json, snapshot


@pytest.fixture
def sessions(database_url):
    return make_sessionmaker(make_engine(database_url))


async def test_batched_overlapped_recompute_equals_one_batch(sessions, registries, monkeypatch):
    async with sessions() as db:
        project, users, tasks = await _setup(db)
        specs = [([(0, 0, "Car", 0)], "Day"), ([(5, 5, "Car", 0), (20, 0, "Person", 30)], "Night"),
                 ([], "Day"), ([(0, 5, "Person", 0)], None)]
        for t, task_id in enumerate(tasks):
            for u, user in enumerate(users):
                db.add(Annotation(task_id=task_id, project_id=project.id, completed_by_id=user,
                                  result=result_json(specs[(t + u) % len(specs)])))
        await db.flush()
        await refresh_tasks(db, project, tasks)
        await db.commit()  # the reading connection sees committed annotations only

    async with sessions() as db:
        whole = await store.recompute_project(db, registries, project)
        await db.commit()
        expected = await snapshot(db, project.id)

    monkeypatch.setattr(store, "BATCH", 1)
    async with sessions() as db:
        batched = await store.recompute_project(db, registries, project, overlap_reads=True)
        await db.commit()
        assert await snapshot(db, project.id) == expected
    assert batched == whole and whole["tasks"] == len(tasks)
    assert len(expected[0]) == len(tasks) and expected[1]
