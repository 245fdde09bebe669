"""The snapshot file's own layout: Label Studio's JSON export, one indented task per record."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import msgspec

_encode = msgspec.json.Encoder().encode
_format = msgspec.json.format


def tasks_json(batch: list[Any]) -> bytes:
    """The batch's records, each indented on its own, joined by ``,\\n`` (formatting each task
    is half the cost of formatting the batch's list and taking its extra indent back out)."""
    return b",\n".join([_format(_encode(task), indent=2) for task in batch])


async def write_tasks_json(batches: AsyncIterator[list[dict[str, Any]]]) -> AsyncIterator[bytes]:
    yield b"[\n"
    first = True
    async for batch in batches:
        if not batch:
            continue
        chunk = tasks_json(batch)
        yield chunk if first else b",\n" + chunk
        first = False
    yield b"\n]"
