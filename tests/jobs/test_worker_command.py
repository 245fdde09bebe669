"""`labelloom worker` and `labelloom start --workers`, and the upkeep job that recovers work a
crash left behind."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta

from labelloom.core.cli import build_parser, settings_from
from labelloom.core.commands.db import migrate
from labelloom.core.jobs import JobRecord
from labelloom.core.builtin_jobs import upkeep
from labelloom.core.settings import Settings


def test_worker_and_start_flags():
    args = build_parser().parse_args(["start", "--workers", "0", "--queue-url", "redis://q:6379/1"])
    settings = settings_from(args)
    assert (settings.workers, settings.queue_url) == (0, "redis://q:6379/1")
    worker = build_parser().parse_args(["worker", "--concurrency", "8"])
    assert worker.concurrency == 8 and settings_from(worker).queue_url is None


async def test_worker_command_runs_jobs_and_stops_on_sigterm(tmp_path, make_background, wait_until):
    settings = Settings(data_dir=str(tmp_path / "data"), queue_name=f"cli-{uuid.uuid4().hex[:8]}").prepared()
    await migrate(settings)
    env = {**os.environ, "LABELLOOM_DATA_DIR": settings.data_dir, "LABELLOOM_QUEUE_NAME": settings.queue_name}
    process = subprocess.Popen(
        [sys.executable, "-m", "labelloom.core.cli", "worker", "--concurrency", "1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        assert "1 jobs at a time from the database" in await asyncio.to_thread(process.stdout.readline)
        background = make_background(settings)
        async with background.running(workers=0):
            job = await background.jobs.enqueue("core.upkeep")
            await job.refresh(until_complete=30)
        assert job.status == "complete" and job.result == {"jobs_resent": 0, "webhooks_resumed": 0, "storages_settled": 0, "exports_settled": 0}
        process.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(process.wait, 30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()


async def test_upkeep_enqueues_tracked_jobs_whose_enqueue_was_lost(settings_for, make_background):
    background = make_background(settings_for())
    async with background.running(workers=0):
        async with background.sessionmaker() as db:
            lost = JobRecord(
                key=str(uuid.uuid4()),
                function="testjobs.add",
                arguments={"a": 1, "b": 2},
                created_at=datetime.now(UTC) - timedelta(minutes=2),
            )
            fresh = JobRecord(key=str(uuid.uuid4()), function="testjobs.add", arguments={"a": 1, "b": 2})
            db.add_all([lost, fresh])
            await db.commit()
        outcome = await upkeep(background.job_context())
        assert outcome["jobs_resent"] == 1
        resent = await background.jobs.get(lost.key)
        assert resent.kwargs == {"a": 1, "b": 2} and resent.meta == {"record": lost.id}
        assert await background.jobs.get(fresh.key) is None  # may still be on its way
        assert (await upkeep(background.job_context()))["jobs_resent"] == 0
