"""``/api/jobs``: status, progress and error of tracked background jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, get
from litestar.params import Parameter
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound
from ..users.models import User
from .models import JobRecord


class JobOut(msgspec.Struct):
    id: int
    function: str
    status: str  # queued | active | complete | failed | aborted
    progress: float
    message: str
    error: str | None
    result: Any
    attempts: int
    max_attempts: int
    project: int | None
    created_by: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime


class JobPage(msgspec.Struct):
    count: int
    results: list[JobOut]


def job_out(record: JobRecord) -> JobOut:
    return JobOut(
        id=record.id,
        function=record.function,
        status=record.status,
        progress=record.progress,
        message=record.message,
        error=record.error,
        result=record.result,
        attempts=record.attempts,
        max_attempts=record.max_attempts,
        project=record.project_id,
        created_by=record.created_by_id,
        created_at=record.created_at,
        started_at=record.started_at,
        finished_at=record.finished_at,
        updated_at=record.updated_at,
    )


class JobsController(Controller):
    path = "/api/jobs"
    tags = ["Jobs"]

    @get("/", operation_id="jobs_list")
    async def list_jobs(
        self,
        db: AsyncSession,
        user: User,
        project: int | None = None,
        status: str | None = None,
        page: Annotated[int, Parameter(ge=1)] = 1,
        page_size: Annotated[int, Parameter(ge=1, le=100)] = 30,
    ) -> JobPage:
        """Tracked jobs, newest first, optionally of one project or in one status."""
        where = []
        if project is not None:
            where.append(JobRecord.project_id == project)
        if status:
            where.append(JobRecord.status == status)
        count = (await db.execute(select(func.count()).select_from(JobRecord).where(*where))).scalar_one()
        rows = await db.execute(
            select(JobRecord).where(*where).order_by(JobRecord.id.desc()).offset((page - 1) * page_size).limit(page_size)
        )
        return JobPage(count=count, results=[job_out(r) for r in rows.scalars()])

    @get("/{job_id:int}", operation_id="jobs_get")
    async def get_one(self, db: AsyncSession, user: User, job_id: int) -> JobOut:
        record = await db.get(JobRecord, job_id)
        if record is None:
            raise NotFound("No job matches the given query.")
        return job_out(record)
