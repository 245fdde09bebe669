"""Snapshots whose job died: a worker killed mid-export never writes the export's end, so an
export still ``created``/``in_progress`` is compared with its job (``jobs.liveness``) by core's
periodic upkeep and, when that job is over, marked ``failed`` with a reason a user can act on.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..jobs.liveness import dead_reason
from ..jobs.models import JobRecord
from .models import Export
from .snapshots import SNAPSHOT_JOB

log = logging.getLogger(__name__)

RUNNING = ("created", "in_progress")
SETTLE_LIMIT = 100  # exports settled per upkeep run


async def settle_stalled_exports(ctx: dict[str, Any]) -> int:
    """Core's upkeep step: mark ``failed`` the snapshots left running by dead jobs (oldest first)."""
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    async with sessions() as db:
        running = list((await db.execute(
            select(Export).where(Export.status.in_(RUNNING)).order_by(Export.id).limit(SETTLE_LIMIT)
        )).scalars())
        if not running:
            return 0
        # The snapshot job's row names its export in its arguments; the newest row per export wins.
        records: dict[int, JobRecord] = {}
        query = select(JobRecord).where(JobRecord.function == SNAPSHOT_JOB,
                                        JobRecord.project_id.in_({e.project_id for e in running}))
        for record in (await db.execute(query.order_by(JobRecord.id))).scalars():
            export_id = (record.arguments or {}).get("export_id")
            if isinstance(export_id, int):
                records[export_id] = record
        now, changed = datetime.now(UTC), 0
        for export in running:
            reason = await dead_reason(records.get(export.id), ctx.get("jobs"), now, "the export")
            if reason is None:
                continue
            # Only while the row still says it runs: the job may have recorded its end after the
            # export was read and before its job row was.
            settled = await db.execute(
                update(Export)
                .where(Export.id == export.id, Export.status.in_(RUNNING))
                .values(status="failed", finished_at=now,
                        traceback=f"The export stopped without finishing: {reason}. Create the export again.")
                .execution_options(synchronize_session=False)
            )
            if settled.rowcount:
                log.warning("export %s was left %s: %s", export.id, export.status, reason)
                changed += 1
        await db.commit()
    return changed


__all__ = ["settle_stalled_exports"]
