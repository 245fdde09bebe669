"""Reviews: accept, reject with a comment, fix and accept; the review queue; review states.

A review judges one version of an annotation (``last_annotation_history``: the annotation's
newest content version when it was reviewed). The annotation's review state is read from the
reviews of its *current* version, so an annotator's update after a rejection puts it back in the
review queue with nothing to reset.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import and_, case, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from ..annotations.models import Annotation
from ..annotations.service import AnnotationWrite, annotation_payload, update_annotation
from ..comments.service import CommentWrite, create_comment
from ..errors import NotFound, ValidationFailed
from ..events import record_event
from ..history import service as history
from ..input_limits import Id
from ..projects.models import Project
from ..projects.service import lock_project
from ..registries import Registries
from ..tasks.models import Task
from ..teams.models import TaskAssignment
from ..users.models import User
from . import payloads
from .models import AnnotationReview, ReviewReservation, ReviewSettings
from .settings import get_settings

UNSET = msgspec.UNSET
REVIEWER_ASSIGNMENT = "RE"
# How long the review stream reserves a served task for its reviewer: others are served other
# tasks meanwhile. Short, since a reviewer who walks away should not hold a task for a day.
REVIEW_LOCK_SECONDS = 300


class ReviewWrite(msgspec.Struct, forbid_unknown_fields=False):
    annotation: Id | msgspec.UnsetType = UNSET
    accepted: bool | msgspec.UnsetType = UNSET
    result: list[Any] | str | None | msgspec.UnsetType = UNSET
    comment: str | None | msgspec.UnsetType = UNSET
    remove_from_queue: bool | msgspec.UnsetType = UNSET
    started_at: datetime | None | msgspec.UnsetType = UNSET
    last_annotation_history: Id | None | msgspec.UnsetType = UNSET


# -- SQL views of review state ---------------------------------------------------------------
def _current(annotation: Any = Annotation) -> ColumnElement[int]:
    return history.latest_content_version(annotation.id)


def _reviews_of_current(annotation: Any = Annotation) -> Any:
    return and_(AnnotationReview.annotation_id == annotation.id,
                AnnotationReview.last_annotation_history_id == _current(annotation))


def rejected_now(annotation: Any = Annotation) -> ColumnElement[bool]:
    """SQL: the annotation's current version was rejected."""
    return exists().where(_reviews_of_current(annotation), AnnotationReview.accepted.is_(False))


def accepted_count_now(annotation: Any = Annotation) -> ColumnElement[int]:
    return (
        select(func.count()).where(_reviews_of_current(annotation), AnnotationReview.accepted.is_(True)).scalar_subquery()
    )


def pending_for(reviewer_id: int, required: int, annotation: Any = Annotation) -> ColumnElement[bool]:
    """SQL: the annotation waits for this reviewer: submitted, its current version not rejected,
    fewer accepting reviews than required, and not yet reviewed by them."""
    return and_(
        annotation.was_cancelled.is_(False),
        ~rejected_now(annotation),
        accepted_count_now(annotation) < required,
        ~exists().where(_reviews_of_current(annotation), AnnotationReview.created_by_id == reviewer_id),
    )


def review_queue(project: Project, reviewer: User, settings: ReviewSettings) -> Any:
    """SELECT of the tasks this reviewer's stream offers, in task order. Tasks with assigned
    reviewers go to them only; the others to every reviewer, unless only manual assignments count."""
    assigned_to_me = exists().where(TaskAssignment.task_id == Task.id, TaskAssignment.type == REVIEWER_ASSIGNMENT,
                                    TaskAssignment.user_id == reviewer.id)
    assigned_to_anyone = exists().where(TaskAssignment.task_id == Task.id, TaskAssignment.type == REVIEWER_ASSIGNMENT)
    who = assigned_to_me if settings.review_only_manual_assignments else or_(assigned_to_me, ~assigned_to_anyone)
    waiting = exists().where(Annotation.task_id == Task.id, pending_for(reviewer.id, settings.required_reviews))
    return select(Task).where(Task.project_id == project.id, Task.total_annotations > 0, who, waiting).order_by(Task.id)


async def next_for_review(db: AsyncSession, project: Project, reviewer: User, scope: Sequence[Any] = (),
                          lock_seconds: int = REVIEW_LOCK_SECONDS) -> tuple[Task | None, list[int]]:
    """The first task of the reviewer's queue and the ids of its annotations waiting for them,
    reserved for the reviewer (a ``review_reservations`` row) so that concurrent reviewers are
    served different tasks. A task the reviewer already holds comes first; one someone else
    holds is skipped. Choosing and reserving happen under the project's write lock (as in the
    label stream), and the table allows one reservation per task."""
    # End the request's read transaction so the write lock sees everything committed before it.
    await db.commit()
    await lock_project(db, project.id)
    now = datetime.now(UTC)
    settings = await get_settings(db, project.id)
    live = and_(ReviewReservation.task_id == Task.id, ReviewReservation.expire_at > now)
    held_by_others = exists().where(live, ReviewReservation.user_id != reviewer.id)
    held_by_me = exists().where(live, ReviewReservation.user_id == reviewer.id)
    query = (
        review_queue(project, reviewer, settings)
        .where(~held_by_others, *scope)
        .order_by(None)
        .order_by(case((held_by_me, 0), else_=1), Task.id)
        .limit(1)
    )
    task = (await db.execute(query)).scalar_one_or_none()
    if task is None:
        return None, []
    # One live reservation per reviewer; an expired one of anybody's on this task makes room.
    await db.execute(delete(ReviewReservation).where(or_(
        ReviewReservation.user_id == reviewer.id,
        and_(ReviewReservation.task_id == task.id, ReviewReservation.expire_at <= now),
    )))
    db.add(ReviewReservation(task_id=task.id, project_id=project.id, user_id=reviewer.id,
                             expire_at=now + timedelta(seconds=lock_seconds)))
    await db.flush()
    ids = await db.scalars(
        select(Annotation.id)
        .where(Annotation.task_id == task.id, pending_for(reviewer.id, settings.required_reviews))
        .order_by(Annotation.id)
    )
    return task, list(ids)


async def release_if_done(db: AsyncSession, task_id: int, reviewer_id: int, required: int) -> None:
    """End the reviewer's reservation of a task once nothing on it waits for them any more."""
    waiting = exists().where(Annotation.task_id == task_id, pending_for(reviewer_id, required))
    await db.execute(delete(ReviewReservation).where(
        ReviewReservation.task_id == task_id, ReviewReservation.user_id == reviewer_id, ~waiting,
    ))


async def queue_size(db: AsyncSession, project: Project, reviewer: User) -> int:
    settings = await get_settings(db, project.id)
    inner = review_queue(project, reviewer, settings).order_by(None).subquery()
    return int(await db.scalar(select(func.count()).select_from(inner)) or 0)


async def rejected_task_for(db: AsyncSession, project: Project, user: User, scope: Sequence[Any] = ()) -> Task | None:
    """The label stream's "Rejected queue": a task whose annotation by ``user`` was rejected (and
    not updated since), when the project requeues rejected tasks to their annotators."""
    settings = await get_settings(db, project.id)
    if not settings.requeue_rejected_tasks_to_annotator:
        return None
    if not await db.scalar(select(exists().where(AnnotationReview.project_id == project.id, AnnotationReview.accepted.is_(False)))):
        return None  # the common case costs one indexed probe
    query = (
        select(Task)
        .join(Annotation, Annotation.task_id == Task.id)
        .where(Task.project_id == project.id, Annotation.project_id == project.id, Annotation.completed_by_id == user.id,
               Annotation.was_cancelled.is_(False), rejected_now(), *scope)
        .order_by(Task.id)
        .limit(1)
    )
    return (await db.execute(query)).scalars().first()


async def annotation_states(db: AsyncSession, annotation_ids: Iterable[int], required: int) -> dict[int, dict[str, Any]]:
    """``{annotation id: {state, accepted, rejected, comment}}`` of the current versions:
    ``rejected``, ``accepted`` (enough accepting reviews), ``in_review`` (some) or ``pending``."""
    ids = list(annotation_ids)
    if not ids:
        return {}
    current = _current()
    rows = await db.execute(
        select(
            Annotation.id,
            func.count(AnnotationReview.id).filter(AnnotationReview.accepted.is_(True)),
            func.count(AnnotationReview.id).filter(AnnotationReview.accepted.is_(False)),
            func.max(case((AnnotationReview.accepted.is_(False), AnnotationReview.comment_id), else_=None)),
        )
        .select_from(Annotation)
        .outerjoin(AnnotationReview, and_(AnnotationReview.annotation_id == Annotation.id,
                                          AnnotationReview.last_annotation_history_id == current))
        .where(Annotation.id.in_(ids))
        .group_by(Annotation.id)
    )
    states: dict[int, dict[str, Any]] = {}
    for annotation_id, accepted, rejected, comment_id in rows:
        state = "rejected" if rejected else "accepted" if accepted >= required else "in_review" if accepted else "pending"
        states[annotation_id] = {"state": state, "accepted": accepted, "rejected": rejected, "comment_id": comment_id}
    return states


# -- writing reviews -------------------------------------------------------------------------
async def create_review(
    db: AsyncSession, registries: Registries, project: Project, annotation: Annotation, user: User, data: ReviewWrite,
) -> AnnotationReview:
    """Accept, reject (with a comment) or, with ``result``, fix and accept ``annotation``."""
    if annotation.was_cancelled:
        raise ValidationFailed("A skipped annotation cannot be reviewed.", validation_errors={"annotation": ["was skipped"]})
    accepted = data.accepted is not False
    fixing = data.result not in (UNSET, None)
    if fixing and not accepted:
        raise ValidationFailed("A fixed result is accepted: send accepted=true with result.",
                               validation_errors={"result": ["only with accepted=true"]})
    settings = await get_settings(db, project.id)
    comment_text = data.comment if isinstance(data.comment, str) and data.comment.strip() else None
    if not accepted and comment_text is None and settings.require_comment_on_reject:
        raise ValidationFailed("Rejecting needs a comment for the annotator.", validation_errors={"comment": ["required to reject"]})
    previous = await history.current_version(db, annotation.id)
    comment = None
    if comment_text is not None:
        comment = await create_comment(db, user, await db.get(Task, annotation.task_id), annotation.id,  # type: ignore[arg-type]
                                       CommentWrite(text=comment_text))
    review = AnnotationReview(
        annotation_id=annotation.id,
        task_id=annotation.task_id,
        project_id=project.id,
        created_by_id=user.id,
        accepted=accepted,
        comment_id=comment.id if comment else None,
        previous_annotation_history_id=previous or None,
        last_annotation_history_id=previous,
        remove_from_queue=data.remove_from_queue is True,
        started_at=data.started_at if isinstance(data.started_at, datetime) else None,
    )
    db.add(review)
    await db.flush()
    if fixing:
        await update_annotation(db, registries, project, annotation, user, AnnotationWrite(result=data.result),  # type: ignore[arg-type]
                                action="fixed_and_accepted", review_id=review.id)
        review.result = annotation.result
        review.fixed_annotation_history_id = review.last_annotation_history_id = await history.current_version(db, annotation.id)
        await db.flush()
    else:
        await history.record(db, annotation, "accepted" if accepted else "rejected", user.id,
                             review_id=review.id, comment_id=review.comment_id)
    # The reviewer's reservation of the task (review stream) ends with their last verdict on it.
    await release_if_done(db, annotation.task_id, user.id, settings.required_reviews)
    _record(db, "REVIEW_CREATED", review, annotation, project, comment_text)
    return review


async def update_review(db: AsyncSession, project: Project, review: AnnotationReview, user: User, data: ReviewWrite) -> AnnotationReview:
    """Change the verdict of a review (not its fix: a new fix is a new review)."""
    if data.result not in (UNSET, None):
        raise ValidationFailed("A review's fix cannot be changed; post a new review.", validation_errors={"result": ["read-only"]})
    annotation = await db.get(Annotation, review.annotation_id)
    if annotation is None:
        raise NotFound(f"Annotation {review.annotation_id} not found.")
    comment_text = data.comment if isinstance(data.comment, str) and data.comment.strip() else None
    if data.accepted is not UNSET and data.accepted != review.accepted:
        if review.fixed_annotation_history_id and data.accepted is False:
            raise ValidationFailed("A fixed-and-accepted review cannot become a rejection.", validation_errors={"accepted": ["fixed"]})
        settings = await get_settings(db, project.id)
        if data.accepted is False and comment_text is None and review.comment_id is None and settings.require_comment_on_reject:
            raise ValidationFailed("Rejecting needs a comment for the annotator.", validation_errors={"comment": ["required to reject"]})
        review.accepted = bool(data.accepted)
    if comment_text is not None:
        task = await db.get(Task, review.task_id)
        review.comment_id = (await create_comment(db, user, task, annotation.id, CommentWrite(text=comment_text))).id  # type: ignore[arg-type]
    if data.remove_from_queue is not UNSET:
        review.remove_from_queue = bool(data.remove_from_queue)
    await db.flush()
    await history.record(db, annotation, "accepted" if review.accepted else "rejected", user.id,
                         review_id=review.id, comment_id=review.comment_id)
    _record(db, "REVIEW_UPDATED", review, annotation, project, comment_text)
    return review


async def delete_review(db: AsyncSession, project: Project, review: AnnotationReview, user: User) -> None:
    annotation = await db.get(Annotation, review.annotation_id)
    review_id = review.id
    await db.delete(review)
    await db.flush()
    if annotation is not None:
        await history.record(db, annotation, "deleted_review", user.id, review_id=review_id)
    record_event(db, "REVIEWS_DELETED", payloads.reviews_deleted([review_id], project), project_id=project.id)


def _record(db: AsyncSession, name: str, review: AnnotationReview, annotation: Annotation, project: Project,
            comment: str | None) -> None:
    record_event(
        db, name,
        lambda _: payloads.review(review_json(review, comment), annotation_payload(annotation), project),
        project_id=project.id,
    )


async def get_review(db: AsyncSession, review_id: int) -> AnnotationReview:
    review = await db.get(AnnotationReview, review_id)
    if review is None:
        raise NotFound(f"Annotation review {review_id} not found.")
    return review


async def list_reviews(db: AsyncSession, *, annotation_id: int | None = None, project_ids: Iterable[int] | None = None,
                       task_id: int | None = None, descending: bool = False,
                       annotator_id: int | None = None) -> list[AnnotationReview]:
    """``annotator_id``: only the reviews of that annotator's annotations."""
    conditions = []
    if annotator_id is not None:
        conditions.append(exists().where(Annotation.id == AnnotationReview.annotation_id,
                                         Annotation.completed_by_id == annotator_id))
    if annotation_id is not None:
        conditions.append(AnnotationReview.annotation_id == annotation_id)
    if task_id is not None:
        conditions.append(AnnotationReview.task_id == task_id)
    if project_ids is not None:
        conditions.append(AnnotationReview.project_id.in_(list(project_ids)))
    order = AnnotationReview.id.desc() if descending else AnnotationReview.id
    return list((await db.execute(select(AnnotationReview).where(*conditions).order_by(order))).scalars())


def review_json(r: AnnotationReview, comment: str | None = None) -> dict[str, Any]:
    """Label Studio Enterprise's AnnotationReview (plus ``comment_id``, ``task``, ``project``)."""
    return {
        "id": r.id,
        "annotation": r.annotation_id,
        "task": r.task_id,
        "project": r.project_id,
        "created_by": r.created_by_id,
        "accepted": r.accepted,
        "result": r.result,
        "comment_id": r.comment_id,
        "comment": comment,
        "previous_annotation_history": r.previous_annotation_history_id,
        "last_annotation_history": r.last_annotation_history_id or None,
        "fixed_annotation_history": r.fixed_annotation_history_id,
        "remove_from_queue": r.remove_from_queue,
        "started_at": r.started_at,
        "created_at": r.created_at,
        "state": "accepted" if r.accepted else "rejected",
    }
