"""Enqueues agreement updates for what a transaction changed, after it commits.

``tasks.counters.refresh_tasks`` notes every task whose annotations or predictions a
transaction changed (every write path recounts them there); deleted tasks come from the
``TASKS_DELETED`` events; ``LABELS_CHANGED`` (label renames rewrite results) asks for a full
recompute. Every project is tracked; what runs in the transaction is only bookkeeping in
``session.info`` (no query); after the commit the ids join the trigger's pending set, sent as
``core.quality_tasks`` jobs every ``WINDOW`` seconds, up to ``PER_JOB`` tasks per job (see
:class:`QualityTrigger`).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import Session, SessionTransaction

from ..events import EVENTS_KEY, after_commit
from ..jobs.service import JobService
from ..tasks.counters import TOUCHED_TASKS
from .jobs import TASKS_JOB, request_recompute

log = logging.getLogger(__name__)

TRIGGER_KEY = "labelloom.quality_trigger"
PER_JOB = 500
WINDOW = 0.5  # seconds: task ids committed within it go out as one job per project


class QualityTrigger:
    """Bound to a sessionmaker, like the event bus; its sessions enqueue quality jobs.

    Committed task ids are gathered for ``WINDOW`` seconds and sent as one job per project (or
    per ``PER_JOB`` tasks): a burst of annotations costs one enqueue and one job, not one of each
    per annotation, and the annotation request itself does no queue work. :meth:`drain` sends
    what is gathered (the process stopping).
    """

    def __init__(self, jobs: JobService) -> None:
        self.jobs = jobs
        self.sessionmaker: async_sessionmaker[Any] | None = None
        self.pending: dict[int, set[int]] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._timer_loop: asyncio.AbstractEventLoop | None = None
        self._sending: set[asyncio.Task[None]] = set()

    def bind(self, sessionmaker: async_sessionmaker[Any]) -> None:
        self.sessionmaker = sessionmaker
        info = dict(sessionmaker.kw.get("info") or {})
        info[TRIGGER_KEY] = self
        sessionmaker.configure(info=info)

    def sender(self, touched: dict[int, set[int]], full: set[int]) -> Any:
        async def send() -> None:
            if full and self.sessionmaker is not None:
                async with self.sessionmaker() as db:  # one pending recompute per project
                    for project_id in sorted(full):
                        await request_recompute(db, self.jobs, project_id)
                    await db.commit()
            for project_id, ids in touched.items():
                self.pending.setdefault(project_id, set()).update(ids)
            if sum(len(ids) for ids in self.pending.values()) >= PER_JOB:
                await self.drain()
            elif self.pending and self._timer is None:
                self._timer_loop = asyncio.get_running_loop()
                self._timer = self._timer_loop.call_later(WINDOW, self._send_later)

        return send

    def _send_later(self) -> None:
        self._timer = None
        # Only sends: a window's send never waits for another one. (It used to drain: two sends
        # overlapping under load, each waiting for the other's end, waited forever, and so
        # did the shutdown's drain waiting for both.)
        task = asyncio.create_task(self._send())
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def drain(self) -> None:
        """Enqueue every gathered task id now, and wait for the sends in flight in this loop."""
        await self._send()
        loop = asyncio.get_running_loop()
        # Only window sends are in ``_sending``, and they wait for nothing: no cycle.
        mine = [t for t in self._sending if t.get_loop() is loop and t is not asyncio.current_task()]
        if mine:
            await asyncio.gather(*mine, return_exceptions=True)

    async def _send(self) -> None:
        """Enqueue every gathered task id (one job per project and ``PER_JOB`` tasks)."""
        loop = asyncio.get_running_loop()
        if self._timer is not None:
            timer, self._timer = self._timer, None
            # A commit made on another event loop (a test's own client, a script sharing the
            # sessionmaker) armed the timer there: cancel it in its own loop, never gather it here.
            timer_loop = self._timer_loop
            if timer_loop is None or timer_loop is loop:
                timer.cancel()
            elif not timer_loop.is_closed():
                timer_loop.call_soon_threadsafe(timer.cancel)
        pending, self.pending = self.pending, {}
        for project_id, ids in sorted(pending.items()):
            ordered = sorted(ids)
            for start in range(0, len(ordered), PER_JOB):
                try:
                    await self.jobs.enqueue(TASKS_JOB, project=project_id, task_ids=ordered[start : start + PER_JOB])
                except Exception:  # the queue is down: the next recompute brings these tasks back
                    log.exception("could not enqueue agreement updates of project %s", project_id)


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
    if touched or full:  # every project: no query here, the hot path only notes what to enqueue
        after_commit(session, trigger.sender(touched, full))


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(TOUCHED_TASKS, None)
