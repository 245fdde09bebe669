"""Per-model-version prediction scores as data-manager columns (issue 22: compare models).

``tasks:predictions_score.<model version>`` filters and sorts by the score of the task's
prediction of that version (the lowest, if it has several); tasks without one have none (NULL).
``GET /api/dm/columns/`` lists one such column per model version of the project.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from ..predictions.models import Prediction
from ..tasks.models import Task

PREFIX = "predictions_score."
MAX_VERSION_COLUMNS = 50  # the newest versions; a project with hundreds lists only these


def version_of(column: str) -> str | None:
    return column[len(PREFIX):] if column.startswith(PREFIX) and len(column) > len(PREFIX) else None


def version_score(version: str) -> ColumnElement[Any]:
    return (
        select(func.min(Prediction.score))
        .where(Prediction.task_id == Task.id, Prediction.model_version == version)
        .scalar_subquery()
    )


async def version_columns(db: AsyncSession, project_id: int) -> list[str]:
    rows = await db.execute(
        select(Prediction.model_version)
        .where(Prediction.project_id == project_id)
        .group_by(Prediction.model_version)
        .order_by(func.max(Prediction.id).desc())
        .limit(MAX_VERSION_COLUMNS)
    )
    return [PREFIX + v for v in rows.scalars()]
