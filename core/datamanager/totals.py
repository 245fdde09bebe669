"""Filtered totals, counted once per project revision.

Counting the matches of a filter is the one part of a data-manager page that must read every
matching task (a million-task project: ~100 ms on PostgreSQL, however small the page).
Scrolling a filtered view asks for the same total page after page, so the totals are kept per
engine under the project's ``revision`` (bumped by PostgreSQL triggers on every change of the
project's tasks, annotations, predictions and drafts, migration 0007): a cached total is never
stale, it just stops being found. SQLite has no revision triggers and always counts.

Totals carry ``total_exact``: an estimate (``estimate.py``) is cached like a count, and serves
later pages unless one asks for the exact count; a count serves every request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from weakref import WeakKeyDictionary

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession

from ..projects.models import ProjectCounters
from .columns import PER_USER
from .query import DMQuery

Totals = dict[str, int]  # total, total_annotations, total_predictions, total_exact (a bool)
CAPACITY = 512  # (project, filter) entries per engine


class TotalsCache:
    """Least-recently-used ``(project, filters) -> (revision, totals)``."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self.entries: OrderedDict[tuple[int, str], tuple[int, Totals]] = OrderedDict()

    def get(self, key: tuple[int, str], revision: int) -> Totals | None:
        found = self.entries.get(key)
        if found is None or found[0] != revision:
            return None
        self.entries.move_to_end(key)
        return found[1]

    def put(self, key: tuple[int, str], revision: int, totals: Totals) -> None:
        self.entries[key] = (revision, totals)
        self.entries.move_to_end(key)
        while len(self.entries) > self.capacity:
            self.entries.popitem(last=False)


# One cache per engine: tests and tools run several databases in one process.
_caches: WeakKeyDictionary[Engine, TotalsCache] = WeakKeyDictionary()


def _cache_of(db: AsyncSession) -> TotalsCache:
    engine = db.get_bind()
    cache = _caches.get(engine)
    if cache is None:
        cache = _caches[engine] = TotalsCache()
    return cache


def query_key(query: DMQuery) -> str:
    """What decides the totals: filters, conjunction and selection (ordering does not), and
    who asks when a filter is on a per-user column."""
    columns = {one.column for item in query.filters for one in (item, item.child) if one is not None}
    viewer = query.viewer if columns & PER_USER.keys() else None
    return repr((query.conjunction, query.filters, query.selection, viewer))


async def cached_totals(
    db: AsyncSession, project_id: int, query: DMQuery, count: Callable[[], Awaitable[Totals]], *,
    exact: bool = True, revision: int | None = None,
) -> Totals:
    """``count()``'s result, reused while the project's revision stays the same (an estimate
    only when ``exact`` is not asked for). ``revision``: the project's, when already read."""
    if db.get_bind().dialect.name != "postgresql":
        return await count()
    # The revision is read before counting: a change committed in between gives the entry an
    # older revision than its count, which later readers (seeing the newer one) never use.
    if revision is None:
        revision = (
            await db.execute(select(ProjectCounters.revision).where(ProjectCounters.project_id == project_id))
        ).scalar_one_or_none()
    if revision is None:
        return await count()
    cache, key = _cache_of(db), (project_id, query_key(query))
    totals = cache.get(key, revision)
    if totals is None or (exact and not totals.get("total_exact", True)):
        totals = await count()
        cache.put(key, revision, totals)
    return dict(totals)
