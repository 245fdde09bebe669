"""Incremental updates equal a full recompute: after random writes (annotations added,
changed, deleted, marked ground truth; predictions; tasks deleted), each followed by the job's
incremental recompute of the touched task, the stored rows and rollups equal what a full
recompute builds from scratch. Also: dashboard numbers equal recounts of the annotations."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from labelloom.core.annotations.models import Annotation
from labelloom.core.db.engine import make_engine, make_sessionmaker
from labelloom.core.predictions.models import Prediction
from labelloom.core.projects.models import Project
from labelloom.core.quality import store
from labelloom.core.quality.dashboard import Filters, dashboard
from labelloom.core.quality.models import QualityRollup, QualityTask
from labelloom.core.tasks.counters import refresh_tasks
from labelloom.core.tasks.models import Task
from labelloom.core.users.models import User

CONFIG = """<View><Image name="img" value="$image"/>
<RectangleLabels name="box" toName="img"><Label value="Car"/><Label value="Person"/></RectangleLabels>
<Choices name="kind" toName="img"><Choice value="Day"/><Choice value="Night"/></Choices></View>"""

_counter = itertools.count()

boxes = st.lists(
    st.tuples(st.sampled_from([0, 5, 20]), st.sampled_from([0, 5]), st.sampled_from(["Car", "Person"]),
              st.sampled_from([0, 30])),
    max_size=3,
)
results = st.tuples(boxes, st.sampled_from([None, "Day", "Night"]))
operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 3), st.integers(0, 2), results, st.booleans(), st.integers(0, 3)),
        st.tuples(st.just("change"), st.integers(0, 50), results),
        st.tuples(st.just("delete"), st.integers(0, 50)),
        st.tuples(st.just("truth"), st.integers(0, 50)),
        st.tuples(st.just("predict"), st.integers(0, 3), results, st.sampled_from(["v1", "v2"])),
        st.tuples(st.just("drop_task"), st.integers(0, 3)),
    ),
    min_size=1,
    max_size=25,
)


def result_json(spec):
    shapes, kind = spec
    out = [{"from_name": "box", "to_name": "img", "type": "rectanglelabels", "original_width": 100,
            "original_height": 100,
            "value": {"x": x, "y": y, "width": 10, "height": 10, "rotation": r, "rectanglelabels": [label]}}
           for x, y, label, r in shapes]
    if kind:
        out.append({"from_name": "kind", "to_name": "img", "type": "choices", "value": {"choices": [kind]}})
    return out


async def snapshot(db, project_id):
    tasks = {
        r.task_id: (None if r.agreement is None else round(r.agreement, 9), r.annotations, len(r.contrib))
        for r in (await db.execute(select(QualityTask).where(QualityTask.project_id == project_id))).scalars()
        if r.annotations or r.contrib
    }
    rollups = {}
    for r in (await db.execute(select(QualityRollup).where(QualityRollup.project_id == project_id))).scalars():
        if r.n or abs(r.total) > 1e-9:
            rollups[(r.kind, r.day, r.user_a, r.user_b, r.key)] = (r.n, round(r.total, 9))
    return tasks, rollups


@pytest.fixture
def sessions(database_url):
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)


@pytest.fixture(scope="module")
def quality_registries():
    from labelloom.core.manager import build_plugin_host

    return build_plugin_host().register_all()


async def _setup(db):
    n = next(_counter)
    project = Project(title=f"q{n}", label_config=CONFIG)
    db.add(project)
    users = [User(email=f"q{n}-{i}@example.com") for i in range(3)]
    db.add_all(users)
    await db.flush()
    tasks = [Task(project_id=project.id, inner_id=i + 1, data={"image": "x.png"}) for i in range(4)]
    db.add_all(tasks)
    await db.flush()
    return project, [u.id for u in users], [t.id for t in tasks]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
async def test_incremental_equals_full_recompute(sessions, quality_registries, ops):
    base = datetime(2026, 3, 1, 9, tzinfo=UTC)
    async with sessions() as db:
        project, users, tasks = await _setup(db)
        live_tasks = set(tasks)
        annotation_ids: list[int] = []
        for step, op in enumerate(ops):
            touched = None
            if op[0] == "add":
                _, t, u, spec, skipped, day = op
                if tasks[t] not in live_tasks:
                    continue
                a = Annotation(task_id=tasks[t], project_id=project.id, completed_by_id=users[u],
                               result=result_json(spec), was_cancelled=skipped, lead_time=float(step),
                               created_at=base + timedelta(days=day))
                db.add(a)
                await db.flush()
                annotation_ids.append(a.id)
                touched = tasks[t]
            elif op[0] in ("change", "delete", "truth") and annotation_ids:
                a = await db.get(Annotation, annotation_ids[op[1] % len(annotation_ids)])
                if a is None:
                    continue
                touched = a.task_id
                if op[0] == "change":
                    a.result = result_json(op[2])
                elif op[0] == "truth":
                    a.ground_truth = not a.ground_truth
                else:
                    await db.delete(a)
                await db.flush()
            elif op[0] == "predict":
                _, t, spec, version = op
                if tasks[t] not in live_tasks:
                    continue
                db.add(Prediction(task_id=tasks[t], project_id=project.id, result=result_json(spec),
                                  model_version=version, score=0.5))
                await db.flush()
                touched = tasks[t]
            elif op[0] == "drop_task":
                tid = tasks[op[1]]
                if tid not in live_tasks:
                    continue
                await db.execute(delete(Task).where(Task.id == tid))
                live_tasks.discard(tid)
                for a in list(db.identity_map.values()):
                    if isinstance(a, Annotation) and a.task_id == tid:
                        db.expunge(a)
                        annotation_ids.remove(a.id)
                touched = tid
            if touched is not None:
                await refresh_tasks(db, project, [touched])  # as every write path does
                await store.recompute_tasks(db, quality_registries, project, [touched])
        incremental = await snapshot(db, project.id)
        # The data manager's indexed copy on the task row follows every incremental update.
        column = dict((await db.execute(select(Task.id, Task.agreement).where(Task.project_id == project.id))).all())
        stored = dict((await db.execute(select(QualityTask.task_id, QualityTask.agreement).where(
            QualityTask.project_id == project.id))).all())
        assert column == {t: None if stored.get(t) is None else stored[t] * 100.0 for t in column}
        figures = await dashboard(db, project.id, Filters())
        await store.recompute_project(db, quality_registries, project)
        full = await snapshot(db, project.id)
        assert incremental == full

        # Dashboard numbers equal recounts of the rows themselves.
        rows = (await db.execute(select(Annotation).where(Annotation.project_id == project.id))).scalars().all()
        assert figures["summary"]["annotations"] == sum(1 for a in rows if not a.was_cancelled)
        assert figures["summary"]["skipped"] == sum(1 for a in rows if a.was_cancelled)
        per_user = {a["user"]: a["done"] for a in figures["annotators"]}
        for uid in users:
            assert per_user.get(uid, 0) == sum(1 for a in rows if a.completed_by_id == uid and not a.was_cancelled)
        label_count = {l["label"]: l["count"] for l in figures["labels"]}
        for label in ("Car", "Person", "Day", "Night"):
            recount = sum(
                1 for a in rows if not a.was_cancelled for item in a.result
                if label in (item["value"].get("rectanglelabels") or item["value"].get("choices") or [])
            )
            assert label_count.get(label, 0) == recount
        through = {}
        for row in figures["throughput"]:
            through[row["user"]] = through.get(row["user"], 0) + row["done"]
        assert through == {u: n for u, n in per_user.items() if n}
        assert sum(p["done"] for p in figures["progress"]) == figures["summary"]["annotations"]
        ranged = await dashboard(db, project.id, Filters(since="2026-03-02", until="2026-03-03"))
        in_range = [a for a in rows if not a.was_cancelled and "2026-03-02" <= a.created_at.strftime("%Y-%m-%d") <= "2026-03-03"]
        assert ranged["summary"]["annotations"] == len(in_range)
        assert sum(r["done"] for r in ranged["throughput"]) == len(in_range)
        scored = (await db.execute(select(func.count()).select_from(QualityTask).where(
            QualityTask.project_id == project.id, QualityTask.agreement.is_not(None)))).scalar()
        assert sum(b["count"] for b in figures["agreement"]) == scored
        await db.rollback()
