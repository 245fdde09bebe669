"""The request body of an import, kept off the heap, and the heap given back afterwards.

The body goes to a spooled file (memory up to :data:`SPOOL_MEMORY`, then a temporary file), so
the parser reads it a region at a time and a slow client never holds the database's write lock
while its body trickles in. After a big or failed import the C allocator is asked to return its
free pages (glibc keeps freed memory of every thread's arena otherwise, and the server's RSS
would stay at its peak).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import tempfile
from typing import IO, Any

SPOOL_MEMORY = 4 << 20
TRIM_AFTER = 1 << 20  # bodies at least this big are followed by a trim


async def spool_body(request: Any) -> tuple[IO[bytes], int]:
    """The body as a readable file, and its size."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)  # noqa: SIM115 - the caller closes it
    size = 0
    async for chunk in request.stream():
        if chunk:
            spool.write(chunk)
            size += len(chunk)
    spool.seek(0)
    return spool, size


def _malloc_trim() -> Any:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to trim
        return None


_trim = _malloc_trim()


def release_memory() -> None:
    """Hand the allocator's free pages back to the operating system (glibc's ``malloc_trim``)."""
    if _trim is not None:
        _trim(0)
