"""Where an export's tasks come from: the database, or a snapshot's JSON file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import ijson
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .context import BatchSource
from .options import ExportOptions
from .rows import BATCH, task_batches


def database_source(sessions: async_sessionmaker[AsyncSession], project_id: int, options: ExportOptions) -> BatchSource:
    """Each pass opens its own session: a streamed response outlives the request's."""

    async def batches(raw_json: bool = False) -> AsyncIterator[list[dict[str, Any]]]:
        async with sessions() as db:
            async for batch in task_batches(db, project_id, options, raw_json=raw_json):
                yield batch

    return batches


def file_source(path: Path) -> BatchSource:
    """Tasks of a JSON list file, parsed incrementally (ijson) in a worker thread per batch."""

    async def batches(raw_json: bool = False) -> AsyncIterator[list[dict[str, Any]]]:
        # Parsed objects either way: the snapshot file is the only copy of its JSON text.
        handle = await anyio.to_thread.run_sync(path.open, "rb")
        try:
            items = ijson.items(handle, "item", use_float=True)

            def next_batch() -> list[dict[str, Any]]:
                out = []
                for item in items:
                    out.append(item)
                    if len(out) >= BATCH:
                        break
                return out

            while batch := await anyio.to_thread.run_sync(next_batch):
                yield batch
        finally:
            handle.close()

    return batches
