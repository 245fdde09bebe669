"""Enqueues agreement updates for what a transaction changed, after it commits.

``tasks.counters.refresh_tasks`` notes every task whose annotations or predictions a
transaction changed (every write path recounts them there); deleted tasks come from the
``TASKS_DELETED`` events; ``LABELS_CHANGED`` (label renames rewrite results) asks for a full
recompute. Just before the commit this listener turns that into after-commit work that
enqueues ``core.quality_tasks`` jobs, a few hundred tasks per job.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import Session, SessionTransaction

from ..events import EVENTS_KEY, after_commit
from ..jobs.service import JobService
from ..tasks.counters import TOUCHED_TASKS
from .jobs import RECOMPUTE_JOB, TASKS_JOB
from .models import QualitySettings

log = logging.getLogger(__name__)

TRIGGER_KEY = "labelloom.quality_trigger"
PER_JOB = 500


class QualityTrigger:
    """Bound to a sessionmaker, like the event bus; its sessions enqueue quality jobs."""

    def __init__(self, jobs: JobService) -> None:
        self.jobs = jobs

    def bind(self, sessionmaker: async_sessionmaker[Any]) -> None:
        info = dict(sessionmaker.kw.get("info") or {})
        info[TRIGGER_KEY] = self
        sessionmaker.configure(info=info)

    def sender(self, touched: dict[int, set[int]], full: set[int]) -> Any:
        async def send() -> None:
            for project_id in sorted(full):
                await self.jobs.enqueue(RECOMPUTE_JOB, key=f"quality-recompute:{project_id}", project=project_id)
            for project_id, ids in sorted(touched.items()):
                ordered = sorted(ids)
                for start in range(0, len(ordered), PER_JOB):
                    await self.jobs.enqueue(TASKS_JOB, project=project_id, task_ids=ordered[start : start + PER_JOB])

        return send


@event.listens_for(Session, "before_commit")
def _enqueue_touched(session: Session) -> None:
    trigger = session.info.get(TRIGGER_KEY)
    touched: dict[int, set[int]] = session.info.pop(TOUCHED_TASKS, None) or {}
    if trigger is None:
        return
    full: set[int] = set()
    for item in session.info.get(EVENTS_KEY, ()):
        if item.project_id is None:
            continue
        if item.name == "TASKS_DELETED":
            try:
                tasks = item.payload.get("tasks", ())
            except RuntimeError:  # a payload factory: not built, so no ids to read
                continue
            ids = [t["id"] for t in tasks if isinstance(t, dict) and "id" in t]
            touched.setdefault(item.project_id, set()).update(ids)
        elif item.name == "LABELS_CHANGED":
            full.add(item.project_id)
    if touched or full:
        # Only projects whose quality tracking is on (a settings row: the dashboard or settings
        # were opened, which also ran a full recompute).
        wanted = sorted(set(touched) | full)
        on = set(session.execute(select(QualitySettings.project_id).where(QualitySettings.project_id.in_(wanted))).scalars())
        touched = {p: ids for p, ids in touched.items() if p in on}
        full = {p for p in full if p in on}
    if touched or full:
        after_commit(session, trigger.sender(touched, full))


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(TOUCHED_TASKS, None)
