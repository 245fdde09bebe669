"""The snapshot file's own layout: Label Studio's JSON export, one indented task per record."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import msgspec


async def write_tasks_json(batches: AsyncIterator[list[dict[str, Any]]]) -> AsyncIterator[bytes]:
    yield b"[\n"
    first = True
    async for batch in batches:
        chunk = bytearray()
        for task in batch:
            if not first:
                chunk += b",\n"
            chunk += msgspec.json.format(msgspec.json.encode(task), indent=2)
            first = False
        yield bytes(chunk)
    yield b"\n]"
