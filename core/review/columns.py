"""Review state as data-manager columns: SQL for filters and ordering, values for a page.

``reviews_accepted`` / ``reviews_rejected`` count the task's reviews (Label Studio Enterprise's
columns). ``review_state`` is the verdict of the task's latest review *that judged its
annotation's current version*: ``accepted``, ``rejected``, or ``not_reviewed`` when no review
covers what the annotations say now — an annotation updated after a rejection is not reviewed
again until someone reviews the update. All are correlated subqueries over
``annotation_reviews`` (its ``task_id`` index) and, for the current version,
``annotation_history`` (its ``annotation_id, id`` index).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from ..history.service import latest_content_version
from ..tasks.models import Task
from .models import AnnotationReview

NOT_REVIEWED, ACCEPTED, REJECTED = "not_reviewed", "accepted", "rejected"

# The review judged what its annotation says now (the annotation has no newer content version).
_JUDGES_CURRENT = AnnotationReview.last_annotation_history_id == latest_content_version(AnnotationReview.annotation_id)


def _count(accepted: bool) -> ColumnElement[int]:
    return (
        select(func.count())
        .where(AnnotationReview.task_id == Task.id, AnnotationReview.accepted.is_(accepted))
        .scalar_subquery()
    )


REVIEWS_ACCEPTED = _count(True)
REVIEWS_REJECTED = _count(False)
_LATEST_VERDICT = (
    select(AnnotationReview.accepted)
    .where(AnnotationReview.task_id == Task.id, _JUDGES_CURRENT)
    .order_by(AnnotationReview.id.desc())
    .limit(1)
    .scalar_subquery()
)
REVIEW_STATE = case(
    (_LATEST_VERDICT.is_(True), ACCEPTED), (_LATEST_VERDICT.is_(False), REJECTED), else_=NOT_REVIEWED
)


async def add_review_columns(db: AsyncSession, items: Sequence[dict[str, Any]], *, any_reviews: bool = True) -> None:
    """Set the review columns on a page of serialised tasks, in one grouped query (and one for
    the verdicts of the latest current reviews). ``any_reviews=False``: the project has never
    had a review (its counters' flag): no query, every task unreviewed."""
    ids = [item["id"] for item in items]
    if not ids:
        return
    if not any_reviews:
        for item in items:
            item["reviews_accepted"], item["reviews_rejected"], item["review_state"] = 0, 0, NOT_REVIEWED
        return
    rows = await db.execute(
        select(
            AnnotationReview.task_id,
            func.count().filter(AnnotationReview.accepted.is_(True)),
            func.count().filter(AnnotationReview.accepted.is_(False)),
            func.max(case((_JUDGES_CURRENT, AnnotationReview.id), else_=None)),
        )
        .where(AnnotationReview.task_id.in_(ids))
        .group_by(AnnotationReview.task_id)
    )
    found = {task_id: (accepted, rejected, latest) for task_id, accepted, rejected, latest in rows}
    latest_ids = [latest for _, _, latest in found.values() if latest is not None]
    verdicts: dict[int, bool] = {}
    if latest_ids:
        query = select(AnnotationReview.id, AnnotationReview.accepted).where(AnnotationReview.id.in_(latest_ids))
        verdicts = {review_id: accepted for review_id, accepted in await db.execute(query)}
    for item in items:
        accepted, rejected, latest = found.get(item["id"], (0, 0, None))
        item["reviews_accepted"] = accepted
        item["reviews_rejected"] = rejected
        item["review_state"] = NOT_REVIEWED if latest is None else ACCEPTED if verdicts[latest] else REJECTED
