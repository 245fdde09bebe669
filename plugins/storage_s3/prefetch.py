"""Fetch the next listing page while the caller handles the current one.

A sync alternates between waiting for S3 (a 1,000-key page) and writing tasks to the database;
with one page fetched ahead the two overlap, so a large bucket syncs in about the time its
listing takes. At most two pages are held at once: memory stays flat at any bucket size.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
_END = object()


def prefetched(pages: Iterator[list[T]]) -> Iterator[T]:
    """The items of ``pages``, the next page being fetched in a helper thread meanwhile.

    Exceptions raised while fetching come out here, in the caller's thread. Closing the
    generator early waits for the page in flight (never more than one) and drops it.
    """
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="s3-list")
    try:
        ahead = pool.submit(next, pages, _END)
        while True:
            page = ahead.result()
            if page is _END:
                return
            ahead = pool.submit(next, pages, _END)
            yield from page  # type: ignore[misc]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
