"""The data manager's agreement column: the stored value in percent, as Label Studio
Enterprise shows it. Filters and ordering use ``tasks.agreement`` (indexed with the project);
a page's values come from ``quality_tasks`` by primary key."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..tasks.models import Task
from .models import QualityTask

# Kept in step with quality_tasks.agreement * 100 by the quality jobs (store.py).
AGREEMENT_PERCENT = Task.agreement


async def add_agreement(db: AsyncSession, items: list[dict[str, Any]]) -> None:
    """Set ``agreement`` (percent, or None below two annotations) on a page of task dicts."""
    ids = [item["id"] for item in items if item.get("total_annotations", 0) >= 2]
    found: dict[int, float | None] = {}
    if ids:
        rows = await db.execute(select(QualityTask.task_id, QualityTask.agreement).where(QualityTask.task_id.in_(ids)))
        found = {task_id: agreement for task_id, agreement in rows}
    for item in items:
        value = found.get(item["id"])
        item["agreement"] = round(value * 100.0, 2) if value is not None else None
