"""What the label stream needs of a project, read in ONE statement per request.

The project's stream settings, its assignment mode (``project_assignment_settings``), whether
the "Rejected queue" can have anything (requeue enabled and some rejected review exists) and
whether the project ever had drafts or assignments come as one plain row, not an ORM object:
``next`` is the hottest write route and each statement and object showed in its profile. It is
read straight from the driver (db/direct.py). It takes no lock: a held task is only read, and
reserving takes the (project, user) advisory lock itself (service.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, exists, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from ..db.direct import DirectRead, read_direct
from ..errors import NotFound
from ..projects.models import Project, ProjectCounters
from ..review.models import AnnotationReview, ReviewSettings
from ..teams.models import ProjectAssignmentSettings


def lock_key(project_id: int, user_id: int) -> int:
    """The advisory-lock key of (project, user): one bigint (ids are int4), a key space nothing
    else uses (the data-key tuning and SAQ use the two-int4 form)."""
    return (project_id << 32) | user_id


def _statement() -> Any:
    p = Project.__table__.c
    assignment = ProjectAssignmentSettings.__table__
    review = ReviewSettings.__table__
    rejected = AnnotationReview.__table__.c
    counters = ProjectCounters.__table__
    requeue = and_(
        func.coalesce(review.c.requeue_rejected_tasks_to_annotator, true()),  # no row: the default, on
        exists().where(rejected.project_id == p.id, rejected.accepted.is_(False)),
    )
    columns = [
        p.id, p.sampling, p.skip_queue, p.show_overlap_first, p.maximum_annotations, p.model_version,
        assignment.c.label_stream_task_distribution.label("distribution"),
        requeue.label("requeue_rejected"),
        # Whether the project ever had drafts or assignments (sticky flags, migration 0019):
        # when not, the task's JSON skips asking (no counters row: ask).
        func.coalesce(counters.c.has_drafts | counters.c.has_assignments, true()).label("drafts_or_assignments"),
    ]
    return (
        select(*columns)
        .select_from(
            Project.__table__
            .outerjoin(assignment, assignment.c.project_id == p.id)
            .outerjoin(review, review.c.project_id == p.id)
            .outerjoin(counters, counters.c.project_id == p.id)
        )
        .where(p.id == bindparam("project_id"))
    )


_PLAIN = _statement()
_PLAIN_DIRECT = DirectRead(_PLAIN)


async def stream_project(db: AsyncSession, project_id: int) -> Any:
    """The row (``id, sampling, skip_queue, show_overlap_first, maximum_annotations,
    model_version, distribution, requeue_rejected, drafts_or_assignments``); a 404 for an unknown
    project."""
    found = await read_direct(db, _PLAIN_DIRECT, {"project_id": project_id})  # no SQLAlchemy round
    row = (await db.execute(_PLAIN, {"project_id": project_id})).first() if found is None else next(iter(found), None)
    if row is None:
        raise NotFound(f"Project {project_id} not found.")
    return row
