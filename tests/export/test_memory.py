"""Exports stream: memory held while exporting does not grow with the project's size."""

import asyncio
import time
import tracemalloc

from labelloom.core.export.context import ExportContext
from labelloom.core.jobs import jobs_of
from labelloom.core.export.options import easy_export_options
from labelloom.core.export.sources import database_source
from labelloom.core.projects.models import Project
from labelloom.core.projects.service import parsed_config
from labelloom.core.quality.trigger import TRIGGER_KEY
from labelloom.core.export.rows import BATCH

from .conftest import CONFIG, RESULT

# Both sizes span several batches, so both hold a batch being written and the next being read.
SMALL, TASKS = 2 * BATCH, 6 * BATCH


async def _measure(app, project_id, export_type):
    """Run the format's writer inside the app's loop; return (bytes written, peak traced bytes)."""
    sessions, registries = app.state.sessionmaker, app.state.host.registries
    async with sessions() as db:
        config = parsed_config(await db.get(Project, project_id), registries)
    options = easy_export_options(download_all_tasks=True, ids=None)
    context = ExportContext(project_id=project_id, config=config, options=options,
                            source=database_source(sessions, project_id, options))
    spec = registries.exporters[export_type]
    size = 0
    tracemalloc.start()
    try:
        async for chunk in spec.write(context):
            size += len(chunk)  # dropped at once, as a socket or file would take it
        return size, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


async def _quiet(app, timeout=120.0):
    """Wait until the app's in-process worker has nothing queued or running: tracemalloc counts
    the whole process, and imports enqueue background jobs (quality recomputes) of their own.
    The agreement trigger holds the imported tasks for a window before it enqueues them (one
    fired during a measured export once): it sends them now, and idle must be seen twice."""
    queue = jobs_of(app).queue
    trigger = (app.state.sessionmaker.kw.get("info") or {}).get(TRIGGER_KEY)
    deadline = time.monotonic() + timeout
    idle = 0
    while time.monotonic() < deadline:
        if trigger is not None:
            await trigger.drain()
        idle = idle + 1 if await queue.count("queued") + await queue.count("active") == 0 else 0
        if idle == 2:
            return
        await asyncio.sleep(0.2)
    raise AssertionError("background jobs still running")


async def test_export_memory_is_flat(client, admin):
    """Peak traced memory while exporting 2 batches of tasks, then 6: the same few MB (a batch
    being written and the next being read)."""
    response = await client.post("/api/projects/", headers=admin.headers, json={"title": "Big", "label_config": CONFIG})
    pid = response.json()["id"]
    peaks, imported = {}, 0
    for total in (SMALL, TASKS):
        tasks = [{"data": {"text": f"Anna lives in Paris {i}"}, "annotations": [{"result": RESULT, "lead_time": 1.0}]}
                 for i in range(imported, total)]
        response = await client.post(f"/api/projects/{pid}/import", headers=admin.headers, json=tasks)
        assert response.status_code == 201, response.text
        del tasks
        imported = total
        await asyncio.to_thread(client.blocking_portal.call, _quiet, client.app)
        for export_type in ("JSON", "CSV"):
            started = time.perf_counter()
            size, peak = await asyncio.to_thread(client.blocking_portal.call, _measure, client.app, pid, export_type)
            print(f"{export_type}: {total} tasks, {size / 1e6:.1f} MB written, peak {peak / 1e6:.1f} MB traced, "
                  f"{time.perf_counter() - started:.1f}s")
            peaks.setdefault(total, {})[export_type] = (size, peak)
    for export_type in ("JSON", "CSV"):
        (small_size, small_peak), (big_size, big_peak) = peaks[SMALL][export_type], peaks[TASKS][export_type]
        assert big_size > 2.5 * small_size
        assert big_peak < small_peak * 1.5 + 2_000_000, (export_type, small_peak, big_peak)
