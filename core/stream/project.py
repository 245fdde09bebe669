"""What the label stream needs of a project, read in ONE statement per request.

The project's stream settings, its assignment mode (``project_assignment_settings``), whether
the "Rejected queue" can have anything (requeue enabled and some rejected review exists) and
whether the project ever had drafts or assignments come as one plain row, not an ORM object:
``next`` is the hottest write route and each statement and object showed in its profile. It
is read straight from the driver (db/direct.py): on SQLite together with the task the user
holds, on PostgreSQL together with the (project, user) advisory lock (service.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, bindparam, exists, func, select, true

from ..projects.models import Project, ProjectCounters
from ..review.models import AnnotationReview, ReviewSettings
from ..teams.models import ProjectAssignmentSettings


def lock_key(project_id: int, user_id: int) -> int:
    """The advisory-lock key of (project, user): one bigint (ids are int4), a key space nothing
    else uses (the data-key tuning and SAQ use the two-int4 form)."""
    return (project_id << 32) | user_id


def statement(extra_columns: Sequence[Any] = (), also_join: tuple[Any, Any] | None = None) -> Any:
    """The project row's SELECT (``project_id`` bound); ``extra_columns`` and an outer join
    (``also_join``: table, on-clause) let the label stream read more in the same statement."""
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
    source = (
        Project.__table__
        .outerjoin(assignment, assignment.c.project_id == p.id)
        .outerjoin(review, review.c.project_id == p.id)
        .outerjoin(counters, counters.c.project_id == p.id)
    )
    if also_join is not None:
        source = source.outerjoin(*also_join)
    return select(*columns, *extra_columns).select_from(source).where(p.id == bindparam("project_id"))
