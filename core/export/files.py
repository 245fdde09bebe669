"""Export files under ``<data_dir>/export``: names, streaming a writer into a file."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import anyio


def export_root(data_dir: str) -> Path:
    return Path(data_dir) / "export"


def export_filename(project_id: int, extension: str) -> str:
    """Label Studio's ``project-<id>-at-<time>-<token>.<ext>`` naming."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d-%H-%M")
    suffix = f".{extension}" if extension else ""
    return f"project-{project_id}-at-{stamp}-{secrets.token_hex(4)}{suffix}"


async def write_file(
    path: Path, chunks: AsyncIterator[bytes], on_chunk: Callable[[int], Awaitable[None]] | None = None
) -> str:
    """Write the chunks to ``path`` (via a temporary name, so a crash leaves no half file under
    the real one); return the content's md5."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    digest = hashlib.md5()
    written = 0
    async with await anyio.open_file(partial, "wb") as handle:
        async for chunk in chunks:
            digest.update(chunk)
            await handle.write(chunk)
            written += len(chunk)
            if on_chunk is not None:
                await on_chunk(written)
    partial.replace(path)
    return digest.hexdigest()


def remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
