"""Estimated totals of a filter on a big project, from a sample of its tasks.

An exact filtered total reads every matching task: ~0.7 s for a ``data`` filter on a million
tasks on SQLite, far over a page's budget, and the data manager asks for it with every page.
Past ``EXACT_UP_TO`` tasks the total is instead estimated from a fixed sample: ``WINDOWS``
evenly spaced windows of ids across the project's id range, read through the primary key
(~5,000 tasks whatever the project's size). The share of sampled tasks that match, times the
project's task count (its stored counter), is the estimate; the sums of annotations and
predictions likewise. The sample is the same for every request (no jitter while scrolling)
and covers the whole id range, so tasks imported (or labeled) in runs are all represented.
The API says ``total_exact: false`` and ``exact_total=true`` asks for the real count.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..tasks.models import Task

EXACT_UP_TO = 25_000  # tasks in a project below which totals are always counted
WINDOWS = 20
SAMPLE = 5_000  # ids read in all, split over the windows


def sample_windows(low: int, high: int) -> list[tuple[int, int]]:
    """``WINDOWS`` id ranges spread evenly over ``[low, high]`` (the whole range when small)."""
    span = high - low + 1
    if span <= SAMPLE:
        return [(low, high)]
    width = SAMPLE // WINDOWS
    step = span / WINDOWS
    return [(low + int(i * step), low + int(i * step) + width - 1) for i in range(WINDOWS)]


async def estimate(
    db: AsyncSession, project_id: int, task_number: int, matching: list[Any], sums: tuple[bool, bool]
) -> dict[str, int] | None:
    """Estimated ``total``, ``total_annotations``, ``total_predictions`` of the tasks meeting
    ``matching`` (SQL conditions beyond the project); None when the project has no tasks.
    ``sums`` says which of the two sums can be non-zero (the project's counters)."""
    bounds = select(
        select(func.min(Task.id)).where(Task.project_id == project_id).scalar_subquery(),
        select(func.max(Task.id)).where(Task.project_id == project_id).scalar_subquery(),
    )
    low, high = (await db.execute(bounds)).one()
    if low is None:
        return None
    windows = sample_windows(low, high)
    hit = and_(*matching) if matching else literal(True)
    columns = [func.count(), func.coalesce(func.sum(case((hit, 1), else_=0)), 0)]
    for wanted, counter in zip(sums, (Task.total_annotations, Task.total_predictions), strict=True):
        columns.append(func.coalesce(func.sum(case((hit, counter), else_=0)), 0) if wanted else literal(0))
    sample = select(*columns).where(
        Task.project_id == project_id, or_(*(Task.id.between(a, b) for a, b in windows))
    )
    read, matched, annotations, predictions = (await db.execute(sample)).one()
    if not read:
        return {"total": 0, "total_annotations": 0, "total_predictions": 0}
    scale = task_number / read
    return {
        "total": round(matched * scale),
        "total_annotations": round(int(annotations) * scale),
        "total_predictions": round(int(predictions) * scale),
    }
