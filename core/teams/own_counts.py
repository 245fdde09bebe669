"""An annotator's own project counters: their tasks and their annotations, not the project's.

Project cards and the project page show Label Studio's counters (``task_number``,
``finished_task_number``, ``total_annotations_number`` ...). For an annotator these describe
their share of the work: the tasks they see (assigned, annotated or reserved for them, as in
``visibility``), the ones they finished, their own annotations and skips. Two grouped queries
for a whole page of projects. Other roles keep the project-wide counters.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, case, column, func, select, table
from sqlalchemy.ext.asyncio import AsyncSession

from .permissions import role_of
from .visibility import own_annotations_only, visible_tasks_clause

_TASKS = table("tasks", column("id"), column("project_id"), column("total_predictions", Integer))
_ANNOTATIONS = table("annotations", column("task_id"), column("project_id"), column("completed_by_id"),
                     column("was_cancelled"))


async def apply_own_counts(session: AsyncSession, user: Any, counts: dict[int, dict[str, int]]) -> None:
    """Replace ``counts`` (``{project id: counters}``) with the caller's own when an annotator."""
    if not counts or not own_annotations_only(await role_of(session, user)):
        return
    ids = list(counts)
    t, a = _TASKS.c, _ANNOTATIONS.c
    tasks = select(t.project_id, func.count(), func.coalesce(func.sum(t.total_predictions), 0)).where(
        t.project_id.in_(ids), visible_tasks_clause(user.id, t.id)
    ).group_by(t.project_id)
    submitted = a.was_cancelled.is_(False)
    mine = select(
        a.project_id,
        func.count(case((submitted, 1))),
        func.count(case((~submitted, 1))),
        func.count(func.distinct(case((submitted, a.task_id)))),
        func.count(func.distinct(a.task_id)),
    ).where(a.project_id.in_(ids), a.completed_by_id == user.id).group_by(a.project_id)
    for values in counts.values():
        values.update(task_number=0, total_predictions_number=0, total_annotations_number=0,
                      skipped_annotations_number=0, num_tasks_with_annotations=0, finished_task_number=0,
                      ground_truth_number=0, useful_annotation_number=0)
    for project_id, task_number, predictions in await session.execute(tasks):
        counts[project_id].update(task_number=int(task_number), total_predictions_number=int(predictions))
    for project_id, annotations, skipped, annotated, finished in await session.execute(mine):
        counts[project_id].update(total_annotations_number=int(annotations), skipped_annotations_number=int(skipped),
                                  num_tasks_with_annotations=int(annotated), finished_task_number=int(finished),
                                  useful_annotation_number=int(annotations))
