"""Cyclic garbage collection held off around bulk work that makes no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block. Decoding, validating or scoring thousands
    of records makes thousands of dicts and lists; the collector, started every few hundred of
    them, walked everything the process made since start-up (a fifth to a quarter of an import
    batch or a quality recompute), and none of them form cycles. The switch is process-wide:
    keep the block short and free of ``await``. Left alone if collection is already off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
