"""Training: ``POST /api/ml/{id}/train`` and the every-Nth-annotation trigger.

Label Studio 1.23 asks a model server to train by posting ``{"action": "START_TRAINING",
"project": {...}}`` to its ``/webhook``; with ``LABELLOOM_ML_LEGACY_TRAIN=1`` the legacy
``/train`` body (every annotated task, exported) is sent instead.
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from ..annotations.models import Annotation
from ..db.epochs import HOOKS, EpochCache
from ..errors import LabelloomError
from ..events import AfterCommit, DomainEvent, serialize
from ..host import PluginHost
from ..jobs.service import JobService
from ..projects.models import Project
from ..settings import Settings
from ..specs import JobSpec
from ..tasks.models import Task
from ..tasks.serialize import tasks_json
from .connect import connector, project_key
from .models import MLBackend

TRAIN_JOB = "core.ml_train"
TRAIN_EVENTS = ("ANNOTATION_CREATED", "ANNOTATIONS_CREATED", "ANNOTATION_UPDATED")


def legacy_training() -> bool:
    return os.environ.get("LABELLOOM_ML_LEGACY_TRAIN", "").lower() in ("1", "true", "yes")


async def legacy_body(db: AsyncSession, host: PluginHost, project: Project, use_ground_truth: bool) -> dict[str, Any]:
    query = select(Task).where(Task.project_id == project.id, Task.total_annotations > 0).order_by(Task.id)
    tasks = list((await db.execute(query)).scalars())
    exported = await tasks_json(db, host, tasks, user_id=-1, full=True, resolve_uri=False)
    if use_ground_truth:
        for task in exported:
            task["annotations"] = [a for a in task["annotations"] if a.get("ground_truth")]
    return {
        "annotations": [t for t in exported if t["annotations"]],
        "project": project_key(project),
        "label_config": project.label_config,
        "params": {"login": project.task_data_login, "password": project.task_data_password},
    }


async def train_backend(db: AsyncSession, host: PluginHost, settings: Settings, backend: MLBackend,
                        *, use_ground_truth: bool = False) -> dict[str, Any]:
    """Ask the model server to train; its answer is returned, a failure is kept as state ``ER``."""
    project = await db.get(Project, backend.project_id)
    assert project is not None
    try:
        async with connector(host, settings, backend) as client:
            if legacy_training():
                backend.state = "TR"
                answer = await client.train(await legacy_body(db, host, project, use_ground_truth))
            else:
                answer = await client.webhook({"action": "START_TRAINING", "project": serialize(project)})
    except LabelloomError as exc:
        backend.state, backend.error_message = "ER", f"Training failed: {exc.detail}"
        await db.flush()
        raise
    backend.state, backend.error_message = "CO", None
    await db.flush()
    return answer


async def train_job(ctx: dict[str, Any], *, backend: int) -> dict[str, Any]:
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    async with sessions() as db:
        row = await db.get(MLBackend, backend)
        if row is None:
            return {"skipped": "backend deleted"}
        try:
            answer = await train_backend(db, ctx["host"], ctx["settings"], row)
        finally:
            await db.commit()
    return {"answer": answer}


class TrainingStage:
    """An event-bus stage: after every Nth saved annotation of a project whose
    ``min_annotations_to_start_training`` is N > 0, its backends are asked to train."""

    def __init__(self, jobs: JobService) -> None:
        self.jobs = jobs
        # Kept while the ``hooks`` epoch stands (db/epochs.py): most projects never train.
        self._training = EpochCache(HOOKS, _training_projects)

    def __call__(self, session: Session, events: list[DomainEvent]) -> list[AfterCommit]:
        project_ids = sorted({e.project_id for e in events if e.name in TRAIN_EVENTS and e.project_id is not None})
        if not project_ids:
            return []
        training = self._training.get(session)
        work: list[AfterCommit] = []
        for project_id in project_ids:
            if project_id not in training:
                continue
            every, backends = training[project_id]
            count = session.execute(
                select(func.count()).select_from(Annotation).where(
                    Annotation.project_id == project_id, Annotation.ground_truth.is_(False),
                    Annotation.was_cancelled.is_(False))
            ).scalar_one()
            if count and count % every == 0:
                work.extend(self._enqueue(b) for b in backends)
        return work

    def _enqueue(self, backend_id: int) -> AfterCommit:
        async def send() -> None:
            await self.jobs.enqueue(TRAIN_JOB, backend=backend_id)

        return send


def _training_projects(session: Session) -> dict[int, tuple[int, list[int]]]:
    """``{project id: (every N annotations, [backend ids])}`` of projects that train."""
    rows = session.execute(
        select(Project.id, Project.min_annotations_to_start_training, MLBackend.id)
        .join(MLBackend, MLBackend.project_id == Project.id)
        .where(Project.min_annotations_to_start_training > 0)
        .order_by(Project.id, MLBackend.id)
    ).all()
    found: dict[int, tuple[int, list[int]]] = {}
    for project_id, every, backend_id in rows:
        found.setdefault(project_id, (every, []))[1].append(backend_id)
    return found


def train_job_specs() -> list[JobSpec]:
    return [JobSpec(name=TRAIN_JOB, function=train_job, timeout=600, retries=2, retry_delay=5.0)]
