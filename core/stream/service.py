"""``GET /api/projects/{id}/next/``: the next task for this annotator, reserved with a lock.

A task has room while its finished annotations plus other annotators' live locks are fewer than
its overlap. A task this user already holds comes back first; finding it is a plain read (no
lock, no write), as a page reload or a second tab asks for it.

Reserving a new task differs by database, each keeping "never beyond the overlap" exact:

- **SQLite** (one writer at a time anyway): choose and lock under the per-project write lock
  (a no-op UPDATE of the project row), as every multi-row writer does.
- **PostgreSQL**: annotators must not queue behind one project lock. The chosen task's row is
  taken ``FOR NO KEY UPDATE SKIP LOCKED`` (concurrent choosers pass on to the next task), the
  lock row is inserted only if a fresh re-check of the room still passes (a chooser who locked
  the row after someone else committed a claim on it sees that claim), and the claim commits
  before the task JSON is built. When every candidate was skipped, one pass waits on the row
  locks instead, so a busy row never reads as "no more tasks". A (project, user) advisory lock
  keeps one user's concurrent calls from reserving two tasks. The request reads in autocommit
  until it reserves (db/lazy_begin.py), so a held ``next`` is two statements and no
  transaction; reserving takes the advisory lock inside the statement that chooses the task,
  and the claim re-checks in its own fresh snapshot that the user still holds nothing (a twin
  call that waited on the lock and chose from an older snapshot loses the re-check and returns
  the twin's task). A scoped call (a tab's filters, chosen tasks) or a rejected-task requeue
  takes the lock first and reads the held task after it, in a snapshot taken after the lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import BigInteger, Integer, Select, and_, bindparam, delete, exists, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..annotations.models import Annotation, Draft
from ..db.direct import DirectRead, DirectRow, read_direct, take_read_ahead
from ..db.sqlite_loop import short_writes
from ..errors import NotFound
from ..ml.uncertainty import uncertainty_order
from ..projects.models import Project
from ..projects.service import lock_project
from ..review.service import rejected_task_for
from ..tasks.models import Task, TaskLock
from ..users.models import User
from .project import lock_key, statement as project_statement

QUEUES = {
    "Sequential sampling": "Sequence queue",
    "Uniform sampling": "Uniform queue",
    "Uncertainty sampling": "Uncertainty queue",
}
TASKS = Task.__table__  # plain rows: the task goes straight to JSON
LOCKS = TaskLock.__table__
MAX_ATTEMPTS = 1000  # PostgreSQL claims that lost their re-check; each loss is someone else's win
# The statements take these as bound parameters (``_params``), so the common ones (no tab, no
# chosen tasks, no assignment scope) are built once: building one cost more than running it.
T, L, A, D = TASKS.c, LOCKS.c, Annotation.__table__.c, Draft.__table__.c
# Named unlike any column: an INSERT would take a column's name among its parameters for a value.
_PROJECT = bindparam("stream_project", type_=Integer)
_USER = bindparam("stream_user", type_=Integer)
_NOW = bindparam("stream_now", type_=L.expire_at.type)


def _params(project: Any, user_id: int, now: datetime) -> dict[str, Any]:
    return {"stream_project": project.id, "stream_user": user_id, "stream_now": now}


def _done_by() -> Any:
    return exists().where(A.task_id == T.id, A.completed_by_id == _USER)


def _postponed_by() -> Any:
    return exists().where(D.task_id == T.id, D.user_id == _USER, D.was_postponed.is_(True))


def _has_room(skip_queue: str) -> list[Any]:
    done = T.total_annotations + (T.cancelled_annotations if skip_queue == "IGNORE_SKIPPED" else 0)
    others_locks = select(func.count()).where(L.task_id == T.id, L.expire_at > _NOW, L.user_id != _USER).scalar_subquery()
    return [T.is_labeled.is_(False), done + others_locks < T.overlap]


async def _first(db: AsyncSession, query: Select[Any], params: dict[str, Any]) -> Any:
    return (await db.execute(query, params)).first()


def _held(scope: Sequence[Any]) -> Select[Any]:
    """A task in ``scope`` this user holds and has not finished."""
    return (
        select(TASKS)
        .join(LOCKS, L.task_id == T.id)
        .where(T.project_id == _PROJECT, L.user_id == _USER, L.expire_at > _NOW, ~_done_by(), *scope)
        .order_by(L.id)
        .limit(1)
    )


def _held_lock(project: Any = _PROJECT, one: bool = True) -> Select[Any]:
    """The id of the task this user holds in ``project`` and has not finished (``one``: the
    first; else every such lock), found from the user's few locks: the task's project and
    annotations are looked up per lock, by key, so no plan can start from the project's tasks
    (with no statistics yet after a big import, PostgreSQL chose to scan them all)."""
    mine, owner = LOCKS.alias("mine"), TASKS.alias("lock_task")
    projects_task = select(owner.c.project_id).where(owner.c.id == mine.c.task_id).correlate(mine).scalar_subquery()
    finished = exists().where(A.task_id == mine.c.task_id, A.completed_by_id == _USER).correlate(mine)
    query = select(mine.c.task_id).where(mine.c.user_id == _USER, mine.c.expire_at > _NOW, projects_task == project, ~finished)
    return query.order_by(mine.c.id).limit(1) if one else query


_HELD = select(TASKS).where(T.id == _held_lock().scalar_subquery())
_HELD_DIRECT = DirectRead(_HELD)
_HELD_PREFIX = "held_"


def _project_and_held() -> Any:
    """The project row (project.py) and, joined to it, the task this user holds with no scope:
    a held ``next`` (a reload, a second tab) is this one plain read."""
    held = TASKS.alias("held")
    held_id = _held_lock().scalar_subquery()
    columns = [column.label(_HELD_PREFIX + column.name) for column in held.c]
    return project_statement(columns, (held, held.c.id == held_id))


_PROJECT_AND_HELD = _project_and_held()
_PROJECT_AND_HELD_DIRECT = DirectRead(_PROJECT_AND_HELD)
# PostgreSQL: the (project, user) advisory lock, held until the transaction ends; as a
# condition, evaluated once before any row is read or locked (``void IS NOT NULL`` is true).
_LOCK = select(func.pg_advisory_xact_lock(bindparam("lock_key", type_=BigInteger)))
_TAKE_LOCK = _LOCK.scalar_subquery().is_not(None)


def _project_and_held_values(project_id: int, user_id: int) -> dict[str, Any]:
    return _params(SimpleNamespace(id=project_id), user_id, datetime.now(UTC)) | {"project_id": project_id}


def project_and_held_ahead(scope: Any, user_id: int) -> tuple[DirectRead, dict[str, Any]]:
    """:func:`project_and_held`'s read, made with the credential epochs (users/auth.py)."""
    return _PROJECT_AND_HELD_DIRECT, _project_and_held_values(scope["path_params"]["project_id"], user_id)


async def project_and_held(db: AsyncSession, project_id: int, user_id: int) -> tuple[Any, Any]:
    """The stream's project row (project.py) and the task this user holds (a row, or None),
    as if no scope applied; a 404 for an unknown project."""
    ahead = take_read_ahead(db, _PROJECT_AND_HELD_DIRECT, {"project_id": project_id, "stream_user": user_id})
    if ahead is not None:
        values, found = ahead  # read at the start of this request, in autocommit as below
    else:
        values = _project_and_held_values(project_id, user_id)
        found = await read_direct(db, _PROJECT_AND_HELD_DIRECT, values)  # no SQLAlchemy round
    if found is None:
        row = (await db.execute(_PROJECT_AND_HELD, values)).first()
        found = [] if row is None else [row._mapping]
    if not found:
        raise NotFound(f"Project {project_id} not found.")
    project, held = DirectRow(), DirectRow()
    for name, value in found[0].items():
        if name.startswith(_HELD_PREFIX):
            held[name[len(_HELD_PREFIX):]] = value
        else:
            project[name] = value
    return project, (held if held["id"] is not None else None)


async def next_task(
    db: AsyncSession, project: Any, user: User, lock_ttl: int, scope: Sequence[Any] = (),
    tab_order: Sequence[Any] = (), held: Any = None,
) -> tuple[Any, str]:
    """``project``: the row of project.py. ``scope``: extra conditions on tasks (a data-manager
    tab's filters, chosen task ids), so "Label all tasks" from a filtered tab streams only that
    tab's tasks. ``tab_order``: a sorted tab's ORDER BY terms; as in Label Studio, they replace
    the sampling ("Data manager queue": the first task with room in the tab's order), after
    breadth-first and overlap-first. ``held``: the task :func:`project_and_held` found held
    without a scope. Returns the task (a row) and its queue's name."""
    user_id = user.id
    now = datetime.now(UTC)
    params = _params(project, user_id, now)
    if scope:
        held = await _held_task(db, scope, params)
    if held is not None:
        return held, QUEUES.get(project.sampling, "Sequence queue")
    expire_at = now + timedelta(seconds=lock_ttl)
    if db.bind.dialect.name == "postgresql":
        return await _reserve_concurrently(db, project, user, now, expire_at, scope, tab_order)
    return await _reserve_single_writer(db, project, user, now, expire_at, scope, tab_order)


async def _held_task(db: AsyncSession, scope: Sequence[Any], params: dict[str, Any]) -> Any:
    if scope:
        return await _first(db, _held(scope), params)
    # The common case, prebuilt: read straight from the driver (db/direct.py).
    found = await read_direct(db, _HELD_DIRECT, params)
    return await _first(db, _HELD, params) if found is None else next(iter(found), None)


async def _reserve_single_writer(
    db: AsyncSession, project: Any, user: User, now: datetime, expire_at: datetime,
    scope: Sequence[Any], tab_order: Sequence[Any],
) -> tuple[Any, str]:
    # End the read transaction the request started, so the write lock below sees everything
    # committed before it (SQLite cannot upgrade a stale read snapshot).
    await db.commit()
    with short_writes():  # one row, by key: no thread hop on SQLite unless another writer holds the lock
        await lock_project(db, project.id)
    params = _params(project, user.id, now)
    held = await _held_task(db, scope, params)  # another process's claim for this user
    if held is not None:
        return held, QUEUES.get(project.sampling, "Sequence queue")
    task, queue = await _rejected(db, project, user, scope)
    if task is None:
        task, queue = await _main_queue(db, project, params, scope, tab_order)
    if task is None:
        task, queue = await _post_queues(db, project, params, scope)
        if task is None:
            return None, ""
    with short_writes():  # this user's few expired locks and the new one
        await db.execute(delete(LOCKS).where(LOCKS.c.user_id == user.id, LOCKS.c.expire_at <= now))
        await db.execute(insert(LOCKS).values(task_id=task.id, user_id=user.id, expire_at=expire_at, created_at=now))
    return task, queue


async def _reserve_concurrently(
    db: AsyncSession, project: Any, user: User, now: datetime, expire_at: datetime,
    scope: Sequence[Any], tab_order: Sequence[Any],
) -> tuple[Any, str]:
    """PostgreSQL (see the module's docstring). No transaction is open on entry."""
    user_id = user.id
    params = _params(project, user_id, now) | {"lock_key": lock_key(project.id, user_id)}
    # Unscoped, the claim itself re-checks that the user holds nothing, so the lock can be
    # taken by the statement that chooses; otherwise it is taken, and the held task read, first.
    lock_first = bool(scope) or bool(project.requeue_rejected)
    check = _Claim(db, user_id, now, expire_at, scope)
    for attempt in range(MAX_ATTEMPTS):
        if attempt or lock_first:
            # After a lost re-check, end that transaction (dropping its row locks, so a waiting
            # pass below never holds one while it waits) and start over.
            await db.commit()
            await db.execute(_LOCK, params)
            held = await _held_task(db, scope, params)
            if held is not None:
                return held, QUEUES.get(project.sampling, "Sequence queue")
        task, queue = await _rejected(db, project, user, scope)
        if task is not None:
            if await check.claim(task.id, None):
                return task, queue
            continue
        take_lock = not (attempt or lock_first)
        for row_lock in ("skip", "wait"):
            task, queue = await _main_queue(db, project, params, scope, tab_order, row_lock, take_lock)
            if task is not None:
                break
        if task is not None:
            if await check.claim(task.id, project.skip_queue):
                return task, queue
            continue
        task, queue = await _post_queues(db, project, params, scope)
        if task is None:
            return None, ""
        if await check.claim(task.id, None):
            return task, queue
    return None, ""


class _Claim:
    """PostgreSQL: insert the lock row and delete this user's expired locks, in one statement,
    then commit the claim (:meth:`claim`).

    The insert happens only while, in the statement's fresh snapshot, the task still has room
    (given ``skip_queue``) and, for an unscoped call, the user holds no other live task in the
    project (a twin call's claim committed while this one waited on the advisory lock).

    The expired locks are deleted SKIP LOCKED: a lock row another transaction holds is being
    deleted by it (a task deletion's cascade, an annotation's unlock), and waiting for it while
    holding the task row could close a cycle with a writer that waits for that task row."""

    def __init__(self, db: AsyncSession, user_id: int, now: datetime, expire_at: datetime, scope: Sequence[Any]) -> None:
        self.db, self.user_id, self.now, self.expire_at, self.scope = db, user_id, now, expire_at, scope

    async def claim(self, task_id: int, skip_queue: str | None) -> bool:
        """True when the claim committed; False when a re-check failed (nothing inserted)."""
        statement = _claim_statement(skip_queue, holds_check=not self.scope)
        params = {"claim_task": task_id, "stream_user": self.user_id, "stream_now": self.now,
                  "claim_expire_at": self.expire_at}
        if (await self.db.execute(statement, params)).first() is None:
            return False
        await self.db.commit()  # the claim is visible now; the task JSON is built outside its locks
        return True


@lru_cache(maxsize=16)
def _claim_statement(skip_queue: str | None, holds_check: bool) -> Any:
    expired = select(L.id).where(L.user_id == _USER, L.expire_at <= _NOW).with_for_update(skip_locked=True)
    gone = delete(LOCKS).where(L.id.in_(expired)).cte("expired_locks")
    conditions = [T.id == bindparam("claim_task", type_=Integer)]
    if skip_queue is not None:
        conditions += _has_room(skip_queue)
    if holds_check:
        conditions.append(~_holds_another())
    values = select(
        T.id, _USER, bindparam("claim_expire_at", type_=L.expire_at.type), _NOW.label("created_at")
    ).where(*conditions)
    return (
        insert(LOCKS)
        .from_select(["task_id", "user_id", "expire_at", "created_at"], values)
        .add_cte(gone)
        .returning(L.id)
    )


def _holds_another() -> Any:
    """This user holds a live lock on an unfinished task of the candidate's project."""
    return _held_lock(T.project_id, one=False).exists()


async def _rejected(db: AsyncSession, project: Any, user: User, scope: Sequence[Any]) -> tuple[Any, str]:
    """A task whose annotation by this user a reviewer rejected (when the project requeues
    rejected tasks to their annotators): they update it, and it returns to the review stream.
    Asked only when the project row said some rejection can apply (project.py)."""
    if not project.requeue_rejected:
        return None, ""
    full = await db.get(Project, project.id)  # the review module takes the ORM object (rare path)
    task = await rejected_task_for(db, full, user, scope) if full is not None else None
    return (task, "Rejected queue") if task is not None else (None, "")


async def _main_queue(
    db: AsyncSession, project: Any, params: dict[str, Any], scope: Sequence[Any], tab_order: Sequence[Any],
    row_lock: str | None = None, take_lock: bool = False,
) -> tuple[Any, str]:
    """The first task with room in the project's order. ``row_lock`` (PostgreSQL): ``skip``
    passes over rows other choosers hold, ``wait`` waits for them; ``take_lock``: the statement
    takes the (project, user) advisory lock first (``params["lock_key"]``)."""
    queue = QUEUES.get(project.sampling, "Sequence queue")
    if project.maximum_annotations > 1:
        queue = "Breadth first queue"
    elif tab_order:
        queue = "Data manager queue"
    settings = (project.skip_queue, project.sampling, project.show_overlap_first, project.maximum_annotations > 1,
                project.model_version, row_lock, take_lock)
    if scope or tab_order:
        query = _main_statement(*settings, tuple(scope), tuple(tab_order))
    else:
        query = _main_statement_cached(*settings)
    task = await _first(db, query, params)
    return (task, queue) if task is not None else (None, "")


def _main_statement(
    skip_queue: str, sampling: str, overlap_first: bool, breadth_first: bool, model_version: str,
    row_lock: str | None, take_lock: bool, scope: tuple[Any, ...] = (), tab_order: tuple[Any, ...] = (),
) -> Select[Any]:
    query = select(TASKS).where(T.project_id == _PROJECT, ~_done_by(), ~_postponed_by(), *_has_room(skip_queue), *scope)
    if take_lock:
        query = query.where(_TAKE_LOCK)
    order: list[Any] = []
    if overlap_first:
        order.append(T.overlap.desc())
    if breadth_first:
        # Breadth first: finish tasks others started before opening new ones.
        order.append(T.total_annotations.desc())
    if tab_order:
        order.extend(tab_order)  # ends with a unique key (the tab's own or tasks:id)
    else:
        if sampling == "Uniform sampling":
            order.append(func.random())
        elif sampling == "Uncertainty sampling":
            # The current model version's scores (uncertainty_order reads only model_version).
            order.extend(uncertainty_order(cast(Project, SimpleNamespace(model_version=model_version))))
        order.append(T.id)
    query = query.order_by(*order).limit(1)
    if row_lock is not None:
        # NO KEY UPDATE: enough to exclude other choosers, without blocking inserts that only
        # reference the task (annotations, drafts take KEY SHARE).
        query = query.with_for_update(key_share=True, skip_locked=row_lock == "skip", of=TASKS)
    return query


_main_statement_cached = lru_cache(maxsize=256)(_main_statement)


async def _post_queues(db: AsyncSession, project: Any, params: dict[str, Any], scope: Sequence[Any]) -> tuple[Any, str]:
    """After the main queue: the user's postponed drafts, then (REQUEUE_FOR_ME) their skips."""
    postponed = await _first(
        db,
        select(TASKS)
        .join(Draft.__table__, and_(D.task_id == T.id, D.user_id == _USER, D.was_postponed.is_(True)))
        .where(T.project_id == _PROJECT, ~_done_by(), *scope)
        .order_by(D.updated_at)
        .limit(1),
        params,
    )
    if postponed is not None:
        return postponed, "Postponed queue"
    if project.skip_queue == "REQUEUE_FOR_ME":
        skipped = await _first(
            db,
            select(TASKS)
            .join(Annotation.__table__, and_(A.task_id == T.id, A.completed_by_id == _USER))
            .where(T.project_id == _PROJECT, A.was_cancelled.is_(True), T.is_labeled.is_(False), *scope)
            .order_by(A.id)
            .limit(1),
            params,
        )
        if skipped is not None:
            return skipped, "Skipped queue"
    return None, ""

