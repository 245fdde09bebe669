"""Active learning: the label stream's "Uncertainty sampling" order.

Tasks whose prediction of the project's current model version has the lowest score come first;
tasks without such a prediction come after them (then at random, as Label Studio does). With
no model version chosen, the mean score of all predictions is used.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..predictions.models import Prediction
from ..projects.models import Project
from ..tasks.models import Task


def uncertainty_order(project: Project) -> list[Any]:
    if not project.model_version:
        return [Task.predictions_score.is_(None), Task.predictions_score.asc(), func.random()]
    score = (
        select(func.min(Prediction.score))
        .where(Prediction.task_id == Task.id, Prediction.model_version == project.model_version)
        .scalar_subquery()
    )
    return [score.is_(None), score.asc(), func.random()]
