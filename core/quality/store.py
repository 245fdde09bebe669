"""Computing and storing quality figures: a few tasks at a time (on annotation changes) or a
whole project (after a settings change), both through :func:`compute.score_task`.

Incremental: the tasks' stored rows are locked, their new figures computed, and the rollups
moved by (new contrib - old contrib): the cost is that of the tasks' own annotations. Full:
the project's rows and rollups are rebuilt in one transaction, tasks read in id batches; the
data manager's copy (``tasks.agreement``) follows in short transactions of its own
(:func:`sync_agreement_column`).
Both take the project's ``quality_settings`` row first (shared for incremental, exclusive for
full, on PostgreSQL), so a recompute never interleaves with a task update.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import Text, and_, bindparam, cast, delete, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..annotations.models import Annotation
from ..db.bulk import bulk_insert, json_text
from ..gc_pause import gc_paused
from ..predictions.models import Prediction
from ..projects.models import Project
from ..projects.service import lock_counters, parsed_config
from ..registries import Registries
from ..tasks.models import Task
from . import rollups
from .compute import AnnotationRow, PredictionRow, TaskScores, score_task
from .models import QualityRollup, QualitySettings, QualityTask
from .scoring import Rules, Scorer

BATCH = 2000
IN_CHUNK = 900  # task ids per IN (...) list: below SQLite's parameter limit

_A = Annotation.__table__.c
_P = Prediction.__table__.c
_json_decode = msgspec.json.decode


def _dialect(db: AsyncSession) -> str:
    return db.get_bind().dialect.name


async def settings_row(db: AsyncSession, project_id: int, *, lock: str | None = None) -> QualitySettings:
    """The project's settings, created with the defaults on first use; ``lock`` = ``"share"``
    or ``"update"`` takes that row lock on PostgreSQL."""
    query = select(QualitySettings).where(QualitySettings.project_id == project_id)
    if lock and _dialect(db) == "postgresql":
        query = query.with_for_update(read=lock == "share")
    query = query.execution_options(populate_existing=True)
    found = (await db.execute(query)).scalar_one_or_none()
    if found is not None:
        return found
    insert_ = pg_insert if _dialect(db) == "postgresql" else sqlite_insert
    await db.execute(
        insert_(QualitySettings)
        .values(project_id=project_id, method="threshold", threshold=0.5, match_labels=True, version=1,
                updated_at=datetime.now(UTC))
        .on_conflict_do_nothing(index_elements=["project_id"])
    )
    return (await db.execute(query)).scalar_one()


_S = QualitySettings.__table__.c
_Q = QualityTask.__table__
_T = Task.__table__.c


async def rules_for(db: AsyncSession, project_id: int, *, lock: str | None = None) -> Rules:
    """The project's scoring rules (one Core query; the defaults row is created on first use)."""
    query = select(_S.method, _S.threshold, _S.match_labels).where(_S.project_id == project_id)
    if lock and _dialect(db) == "postgresql":
        query = query.with_for_update(read=lock == "share")
    connection = await db.connection()
    row = (await connection.execute(query)).first()
    if row is None:
        await settings_row(db, project_id)
        row = (await connection.execute(query)).first()
    return Rules(method=row.method, threshold=row.threshold, match_labels=row.match_labels)


async def never_recomputed(db: AsyncSession, project_id: int) -> bool:
    """True until the project's first full recompute (its older tasks have no figures yet)."""
    connection = await db.connection()
    found = (await connection.execute(select(_S.recomputed_at).where(_S.project_id == project_id))).first()
    return found is None or found[0] is None


def rules_of(settings: QualitySettings) -> Rules:
    return Rules(method=settings.method, threshold=settings.threshold, match_labels=settings.match_labels)


def scorer_for(project: Project, registries: Registries, rules: Rules) -> Scorer:
    return Scorer(parsed_config(project, registries), list(registries.metrics), rules)


def _day(column: Any, dialect: str) -> Any:
    """The UTC day (``YYYY-MM-DD``) of a timestamp column, made by the database: all scoring
    needs of a date, without building a datetime per row."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.substr(column, 1, 10)  # SQLite keeps UTC text, "YYYY-MM-DD HH:MM:SS..."


def _decode(text: str | bytes | None) -> Any:
    return _json_decode(text) if text is not None else None


async def rows_of(db: AsyncSession, task_ids: Sequence[int], predicted: Sequence[int] | None = None,
                  ) -> tuple[dict[int, list[AnnotationRow]], dict[int, list[PredictionRow]]]:
    """The tasks' annotations and predictions (of ``predicted`` only, when given: the tasks
    whose counters say they have some). Results come as JSON text decoded by msgspec and dates
    as day strings: a full recompute reads every annotation of a project through here."""
    return await rows_from(await db.connection(), task_ids, predicted)


async def rows_from(connection: Any, task_ids: Sequence[int], predicted: Sequence[int] | None = None,
                    ) -> tuple[dict[int, list[AnnotationRow]], dict[int, list[PredictionRow]]]:
    """:func:`rows_of` on a connection."""
    annotations: dict[int, list[AnnotationRow]] = defaultdict(list)
    predictions: dict[int, list[PredictionRow]] = defaultdict(list)
    dialect = connection.dialect.name
    annotation_columns = (_A.task_id, _A.id, _A.completed_by_id, _day(_A.created_at, dialect), _A.was_cancelled,
                          _A.lead_time, _A.ground_truth, cast(_A.result, Text))
    for start in range(0, len(task_ids), IN_CHUNK):
        chunk = list(task_ids[start : start + IN_CHUNK])
        query = select(*annotation_columns).where(_A.task_id.in_(chunk)).order_by(_A.task_id, _A.id)
        found = await connection.execute(query)
        with gc_paused():
            for task_id, id_, user, day, cancelled, lead, truth, result in found:
                annotations[task_id].append(
                    AnnotationRow(id_, user or 0, day, bool(cancelled), lead, bool(truth), _decode(result))
                )
    wanted = task_ids if predicted is None else sorted(predicted)
    prediction_columns = (_P.task_id, _P.id, _P.model_version, _day(_P.created_at, dialect), cast(_P.result, Text))
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = list(wanted[start : start + IN_CHUNK])
        query = select(*prediction_columns).where(_P.task_id.in_(chunk)).order_by(_P.task_id, _P.id)
        found = await connection.execute(query)
        with gc_paused():
            for task_id, id_, version, day, result in found:
                predictions[task_id].append(PredictionRow(id_, version or "", day, _decode(result)))
    return annotations, predictions


# -- incremental ----------------------------------------------------------------------------------
async def _lock_rows(connection: Any, project_id: int, ids: Sequence[int], postgres: bool,
                     old: dict[int, list[Any]], alive: set[int], predicted: list[int]) -> None:
    """Lock the tasks' ``quality_tasks`` rows (PostgreSQL) and note their old contributions,
    which tasks still exist, and which have predictions."""
    for start in range(0, len(ids), IN_CHUNK):
        query = (
            select(_Q.c.task_id, _Q.c.contrib, _T.id, _T.total_predictions)
            .select_from(_Q.outerjoin(Task.__table__, and_(_T.id == _Q.c.task_id, _T.project_id == project_id)))
            .where(_Q.c.task_id.in_(ids[start : start + IN_CHUNK]), _Q.c.project_id == project_id)
            .order_by(_Q.c.task_id)
        )
        if postgres:
            query = query.with_for_update(of=_Q)
        for task_id, contrib, live, predictions in await connection.execute(query):
            old[task_id] = contrib or []
            if live is not None:
                alive.add(task_id)
                if predictions:
                    predicted.append(task_id)


async def recompute_tasks(db: AsyncSession, registries: Registries, project: Project, task_ids: Sequence[int]) -> int:
    """Recompute these tasks of ``project`` (deleted ones leave the rollups); returns how many."""
    ids = sorted(set(task_ids))
    if not ids:
        return 0
    postgres = _dialect(db) == "postgresql"
    connection = await db.connection()  # Core statements: none of the ORM's per-statement work
    # PostgreSQL: a network round trip per statement was most of a one-task job's time, so the
    # locks come in one statement and all writes in another (:func:`_write_postgres`).
    rules = await _rules_and_counters(db, project.id) if postgres else await rules_for(db, project.id)
    scorer = scorer_for(project, registries, rules)
    # Every row locked in id order: two jobs on one task queue behind each other instead of
    # both subtracting the same old contributions. Tasks without a row yet (never scored) get
    # a placeholder first, then are locked too; tasks already scored (the usual case) cost no
    # insert.
    old: dict[int, list[Any]] = {}
    alive: set[int] = set()
    predicted: list[int] = []
    await _lock_rows(connection, project.id, ids, postgres, old, alive, predicted)
    missing = [i for i in ids if i not in old]
    if missing:
        insert_ = pg_insert if postgres else sqlite_insert
        now = datetime.now(UTC)
        await connection.execute(
            insert_(_Q).on_conflict_do_nothing(index_elements=["task_id"]),
            [{"task_id": i, "project_id": project.id, "agreement": None, "annotations": 0, "contrib": [],
              "updated_at": now} for i in missing],
        )
        await _lock_rows(connection, project.id, missing, postgres, old, alive, predicted)
        predicted.sort()
    annotations, predictions = await rows_of(db, sorted(alive), predicted)
    sums: dict[rollups.Key, list[float]] = {}
    updates = []
    for task_id in sorted(alive):
        scores = score_task(scorer, annotations.get(task_id, ()), predictions.get(task_id, ()))
        rollups.add_into(sums, old.get(task_id, ()), -1)
        rollups.add_into(sums, scores.contrib)
        updates.append({"tid": task_id, "agreement": scores.agreement, "annotations": scores.annotations,
                        "contrib": scores.contrib, "updated_at": datetime.now(UTC)})
    gone = [i for i in old if i not in alive]
    for task_id in gone:
        rollups.add_into(sums, old[task_id], -1)
    if postgres:
        await _write_postgres(connection, project.id, updates, rollups.deltas(sums), gone)
        return len(alive) + len(gone)
    await rollups.apply(db, project.id, sums)
    if updates:
        await connection.execute(
            update(QualityTask.__table__)
            .where(QualityTask.__table__.c.task_id == bindparam("tid"))
            .values(agreement=bindparam("agreement"), annotations=bindparam("annotations"),
                    contrib=bindparam("contrib"), updated_at=bindparam("updated_at")),
            updates,
        )
        # The data manager's copy (percent), in the same transaction; updated_at stays: the
        # task itself did not change.
        await lock_counters(connection, project.id)
        await connection.execute(
            update(Task.__table__)
            .where(_T.id == bindparam("tid"))
            .values(agreement=bindparam("percent"), updated_at=_T.updated_at),
            [{"tid": u["tid"], "percent": None if u["agreement"] is None else u["agreement"] * 100.0} for u in updates],
        )
    if gone:
        await connection.execute(delete(_Q).where(_Q.c.task_id.in_(gone)))
    return len(alive) + len(gone)


_RULES_AND_COUNTERS = text(
    # The settings row (shared) first, then the counters row: the scalar subquery runs per row
    # of ``s``, once that row is locked, so waiting behind a full recompute holds no counters.
    "WITH s AS (SELECT method, threshold, match_labels FROM quality_settings WHERE project_id = :p FOR SHARE) "
    "SELECT s.method, s.threshold, s.match_labels, "
    "(SELECT 1 FROM project_counters WHERE project_id = :p FOR UPDATE) AS counters FROM s"
)


async def _rules_and_counters(db: AsyncSession, project_id: int) -> Rules:
    """PostgreSQL: the project's rules under a share lock, and its ``project_counters`` row
    locked (see :func:`projects.service.lock_counters`: taken before any task row, as annotation writes do),
    in one statement."""
    connection = await db.connection()
    row = (await connection.execute(_RULES_AND_COUNTERS, {"p": project_id})).first()
    if row is None:  # first use: the defaults row is created, then locked the long way
        rules = await rules_for(db, project_id, lock="share")
        await lock_counters(connection, project_id)
        return rules
    return Rules(method=row.method, threshold=row.threshold, match_labels=row.match_labels)


_WRITES = text(
    # Arrays in, one statement out: the tasks' rows, the rollup deltas (in key order, so jobs
    # lock rollup rows in one order), the deleted tasks' rows and the data manager's copy.
    "WITH q AS ("
    " UPDATE quality_tasks SET agreement = v.agreement, annotations = v.annotations,"
    " contrib = CAST(v.contrib AS jsonb), updated_at = :now"
    " FROM unnest(CAST(:tids AS integer[]), CAST(:agreements AS float8[]), CAST(:counts AS integer[]),"
    " CAST(:contribs AS text[])) AS v(task_id, agreement, annotations, contrib)"
    " WHERE quality_tasks.task_id = v.task_id RETURNING 1"
    "), rolled AS ("
    " INSERT INTO quality_rollups AS r (project_id, kind, day, user_a, user_b, key, n, total)"
    " SELECT :p, d.kind, d.day, d.user_a, d.user_b, d.key, d.n, d.total"
    " FROM unnest(CAST(:kinds AS text[]), CAST(:days AS text[]), CAST(:users_a AS integer[]),"
    " CAST(:users_b AS integer[]), CAST(:keys AS text[]), CAST(:ns AS integer[]), CAST(:totals AS float8[]))"
    " WITH ORDINALITY AS d(kind, day, user_a, user_b, key, n, total, at) ORDER BY d.at"
    " ON CONFLICT (project_id, kind, day, user_a, user_b, key)"
    " DO UPDATE SET n = r.n + excluded.n, total = r.total + excluded.total RETURNING 1"
    "), g AS ("
    " DELETE FROM quality_tasks WHERE task_id = ANY(CAST(:gone AS integer[])) RETURNING 1"
    ") UPDATE tasks SET agreement = v.percent"
    " FROM unnest(CAST(:tids AS integer[]), CAST(:percents AS float8[])) AS v(id, percent)"
    " WHERE tasks.id = v.id"
)


async def _write_postgres(connection: Any, project_id: int, updates: list[dict[str, Any]],
                          deltas: list[tuple[rollups.Key, int, float]], gone: list[int]) -> None:
    """Every write of an incremental job in one statement (PostgreSQL; the counters row is
    already locked). ``tasks.updated_at`` stays: the task itself did not change."""
    if not updates and not deltas and not gone:
        return
    await connection.execute(_WRITES, {
        "p": project_id, "now": datetime.now(UTC),
        "tids": [u["tid"] for u in updates],
        "agreements": [u["agreement"] for u in updates],
        "counts": [u["annotations"] for u in updates],
        "contribs": [json_text(u["contrib"]) for u in updates],
        "percents": [None if u["agreement"] is None else u["agreement"] * 100.0 for u in updates],
        "kinds": [k[0] for k, _, _ in deltas], "days": [k[1] for k, _, _ in deltas],
        "users_a": [k[2] for k, _, _ in deltas], "users_b": [k[3] for k, _, _ in deltas],
        "keys": [k[4] for k, _, _ in deltas], "ns": [n for _, n, _ in deltas], "totals": [t for _, _, t in deltas],
        "gone": gone,
    })


# -- full -------------------------------------------------------------------------------------------
Progress = Callable[[float, str], Awaitable[None]]


async def recompute_project(db: AsyncSession, registries: Registries, project: Project,
                            progress: Progress | None = None, *, overlap_reads: bool = False) -> dict[str, Any]:
    """Rebuild the project's stored agreement and rollups from its annotations.

    ``overlap_reads`` (the job's choice; PostgreSQL only): read the next batch on a second
    connection while this one is scored and written, so the server's work overlaps ours
    instead of adding to it. That connection sees committed annotations only: for a session
    that has written none itself (the job's)."""
    settings = await settings_row(db, project.id, lock="update")
    scorer = scorer_for(project, registries, rules_of(settings))
    await db.execute(delete(QualityTask).where(QualityTask.project_id == project.id))
    await db.execute(delete(QualityRollup).where(QualityRollup.project_id == project.id))

    total = (await db.execute(
        select(Task.id).where(Task.project_id == project.id).order_by(Task.id.desc()).limit(1)
    )).scalar() or 0
    sums: dict[rollups.Key, list[float]] = {}
    tasks = 0
    columns = ("task_id", "project_id", "agreement", "annotations", "contrib", "updated_at")
    now = datetime.now(UTC)
    overlap = overlap_reads and _dialect(db) == "postgresql" and db.bind is not None
    reader = await db.bind.connect() if overlap else None
    source = reader if reader is not None else await db.connection()
    pending: Any = _read_batch(source, project.id, 0)
    try:
        while True:
            batch, annotations, predictions = await pending
            if not batch:
                break
            last = batch[-1]
            if reader is not None:
                pending = asyncio.ensure_future(_read_batch(reader, project.id, last))
                await asyncio.sleep(0)  # its first query is sent before scoring holds the loop
            rows = []
            with gc_paused():
                for task_id in batch:
                    scores: TaskScores = score_task(scorer, annotations.get(task_id, ()), predictions.get(task_id, ()))
                    rollups.add_into(sums, scores.contrib)
                    rows.append((task_id, project.id, scores.agreement, scores.annotations, json_text(scores.contrib),
                                 now))
            await bulk_insert(db, QualityTask.__table__, columns, rows)
            tasks += len(batch)
            if progress is not None and total:
                await progress(min(0.95, last / total), f"{tasks} tasks scored")
            if reader is None:
                pending = _read_batch(source, project.id, last)
    finally:
        if isinstance(pending, asyncio.Future) and not pending.done():
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending
        elif asyncio.iscoroutine(pending):
            pending.close()
        if reader is not None:
            await reader.close()
    changed = await rollups.apply(db, project.id, sums)
    settings.recomputed_at = datetime.now(UTC)
    return {"tasks": tasks, "rollups": changed}


async def _read_batch(connection: Any, project_id: int, last: int,
                      ) -> tuple[list[int], dict[int, list[AnnotationRow]], dict[int, list[PredictionRow]]]:
    """The next ``BATCH`` annotated tasks after ``last``, with their annotations and predictions."""
    found = (await connection.execute(
        select(_T.id, _T.total_predictions)
        .where(_T.project_id == project_id, _T.id > last, or_(_T.total_annotations > 0, _T.cancelled_annotations > 0))
        .order_by(_T.id)
        .limit(BATCH)
    )).all()
    if not found:
        return [], {}, {}
    batch = [task_id for task_id, _ in found]
    annotations, predictions = await rows_from(connection, batch, [task_id for task_id, n in found if n])
    return batch, annotations, predictions


SYNC_BATCH = 5000


async def sync_agreement_column(db: AsyncSession, project_id: int) -> int:
    """Copy the stored agreements into ``tasks.agreement`` (percent) where they differ, after a
    full recompute has committed: set-based, ``SYNC_BATCH`` tasks per short transaction. (In the
    recompute's own long transaction these writes would hold the project's counters row, which
    every task write's triggers update, for its whole length on PostgreSQL.) Returns how many
    tasks changed."""
    wanted = select(_Q.c.agreement * 100.0).where(_Q.c.task_id == _T.id).scalar_subquery()
    last, changed = 0, 0
    while True:
        upto = (await db.execute(
            select(func.max(_T.id)).where(_T.id.in_(
                select(_T.id).where(_T.project_id == project_id, _T.id > last).order_by(_T.id).limit(SYNC_BATCH)))
        )).scalar()
        if upto is None:
            return changed
        connection = await db.connection()
        await lock_counters(connection, project_id)
        result = await connection.execute(
            update(Task.__table__)
            .where(_T.project_id == project_id, _T.id > last, _T.id <= upto, _T.agreement.is_distinct_from(wanted))
            .values(agreement=wanted, updated_at=_T.updated_at)
        )
        changed += result.rowcount or 0
        await db.commit()
        last = upto
