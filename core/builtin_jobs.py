"""Core's own jobs: webhook delivery, export snapshots, data-key tuning and the periodic upkeep
that recovers lost work. Registered by the built-in ``core`` plugin (``coreplugin``).

These jobs belong to several packages (jobs, webhooks, export, datamanager), so the list that
gathers them sits above all of them, with the plugin that registers it.
"""

from __future__ import annotations

from typing import Any

from .datamanager.tuning import tuning_job_specs
from .export.snapshots import export_job_specs
from .export.stale import settle_stalled_exports
from .jobs.recovery import resend_lost_jobs
from .labelchanges.job import label_change_job_specs
from .storage.sync import storage_job_specs
from .storage.stale import settle_stalled_storages
from .ml.jobs import ml_job_specs
from .ml.train import train_job_specs
from .quality.jobs import quality_job_specs
from .jobs.worker import UPKEEP_JOB
from .specs import JobSpec
from .webhooks.delivery import deliver_webhook, resume_stalled
from .webhooks.fanout import DELIVER_JOB


async def upkeep(ctx: dict[str, Any]) -> dict[str, Any]:
    """``core.upkeep``, every minute on one worker: recover what crashes may have stranded."""
    return {"jobs_resent": await resend_lost_jobs(ctx), "webhooks_resumed": len(await resume_stalled(ctx)),
            # After the jobs: a job settled as failed just above is seen here in the same run.
            "storages_settled": await settle_stalled_storages(ctx),
            "exports_settled": await settle_stalled_exports(ctx)}


def core_job_specs() -> list[JobSpec]:
    return [
        # Attempts of single requests are counted per delivery; these retries only cover a
        # worker dying mid-run (the lease then expires and the rows are picked up again).
        JobSpec(name=DELIVER_JOB, function=deliver_webhook, timeout=900, retries=3, retry_delay=5.0, heartbeat=30),
        JobSpec(name=UPKEEP_JOB, function=upkeep, timeout=300, retries=1, heartbeat=60),
        *export_job_specs(),
        *tuning_job_specs(),
        *label_change_job_specs(),
        *storage_job_specs(),
        *ml_job_specs(),
        *train_job_specs(),
        *quality_job_specs(),
    ]
