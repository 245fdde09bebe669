"""The tasks a data-manager query selects, as SQL: pages, filtered totals, id subqueries."""

from __future__ import annotations

from functools import reduce
from typing import Any, NamedTuple

from sqlalchemy import Select, Text, and_, bindparam, cast, func, literal, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..db.time_limit import FILTER_SECONDS, time_limit
from ..errors import BadRequest, NotFound
from ..projects.models import Project, ProjectCounters
from ..tasks.models import Task
from ..teams.visibility import visible_tasks_clause
from .columns import PER_USER
from . import keyset
from . import estimate as sampling
from .filters import Compiler
from .implied import every_task_matches, needs_time_limit
from .keyset import SortKey
from .query import DMQuery, view_query
from .totals import Totals, cached_totals
from .views import get_view

DEFERRED_FROM = 1_000  # rows skipped from which a page by number reads ids first


def dialect_of(db: AsyncSession) -> str:
    return db.get_bind().dialect.name


def conditions(db: AsyncSession, project_id: int, query: DMQuery, *, use_selection: bool = True) -> list[Any]:
    """WHERE terms: the project, the filters and (for actions and ``query=``) the selection."""
    terms: list[Any] = [Task.project_id == project_id]
    filtered = Compiler(dialect_of(db), query.viewer).where(query)
    if filtered is not None:
        terms.append(filtered)
    selection = query.selection
    if use_selection:
        if selection.all and selection.ids:
            terms.append(Task.id.not_in(selection.ids))
        elif not selection.all:
            terms.append(Task.id.in_(selection.ids))
    if query.visible_to is not None:
        terms.append(visible_tasks_clause(query.visible_to, Task.id, project_id))
    return terms


async def view_conditions(db: AsyncSession, project_id: int, view_id: int | None) -> list[Any]:
    """The filters of a data-manager view (tab) as SQL conditions, for whatever works on "the
    tasks of this tab" (exports, the label stream); 404 for an unknown or foreign view."""
    return (await view_scope(db, project_id, view_id))[0]


async def view_scope(db: AsyncSession, project_id: int, view_id: int | None) -> tuple[list[Any], list[Any]]:
    """A tab's filters as SQL conditions and its ordering as ORDER BY terms (empty when the tab
    is not sorted), for the label stream: "Label all tasks" from a tab follows the tab's order."""
    if view_id is None:
        return [], []
    view = await get_view(db, view_id)
    if view.project_id != project_id:
        raise NotFound("View not found in this project.")
    query = view_query(view.data or {})
    terms = conditions(db, project_id, query, use_selection=False)
    return terms, (Compiler(dialect_of(db), query.viewer).order_by(query) if query.ordering else [])


def selected_ids(db: AsyncSession, project_id: int, query: DMQuery) -> Select[Any]:
    """A subquery of the selected task ids (actions use it inside set-based statements)."""
    return select(Task.id).where(and_(*conditions(db, project_id, query)))


def _totals(row: Any, exact: bool = True) -> Totals:
    return {"total": int(row[0]), "total_annotations": int(row[1]), "total_predictions": int(row[2]), "total_exact": exact}


class Counters(NamedTuple):
    """The project's stored counters a page needs (kept by triggers, migration 0003)."""

    task_number: int
    total_annotations_number: int
    total_predictions_number: int
    revision: int
    has_reviews: bool  # whether the project ever had reviews, comments, drafts, assignments
    has_comments: bool
    has_drafts: bool
    has_assignments: bool
    skipped_annotations_number: int
    finished_task_number: int


_COUNTERS = ProjectCounters.__table__.c
# A Core statement (table columns): the ORM's stages cost more than running it.
_STORED_COUNTERS = select(*(_COUNTERS[name] for name in Counters._fields)).where(
    _COUNTERS.project_id == bindparam("project_id")
)
_SPACE = literal_column("' '", Text)
# The project's counters in every page row, as ONE text column (an uncorrelated subquery, run
# once per statement): the page and its counters come in one statement, one round trip, one
# snapshot. One column, not ten: ten more values in each of 100 rows cost more to read than
# the statement saved. Booleans read "1"/"0" on SQLite and "true"/"false" on PostgreSQL.
_PACKED_COUNTERS = (
    select(reduce(lambda a, b: a + _SPACE + b, (cast(_COUNTERS[name], Text) for name in Counters._fields)))
    .where(_COUNTERS.project_id == bindparam("counters_project_id"))
    .scalar_subquery()
    .label("_counters")
)
_FLAGS = frozenset(name for name in Counters._fields if name.startswith("has_"))


def _counters_of(row: Any) -> Counters | None:
    """The counters a page row carries; None when the project has no counters row."""
    packed = row._mapping["_counters"]
    if packed is None:
        return None
    return Counters(*(
        value in ("1", "true") if name in _FLAGS else int(value)
        for name, value in zip(Counters._fields, packed.split(" "), strict=True)
    ))


async def stored_counters(db: AsyncSession, project_id: int) -> Counters:
    """The project's task count, annotation and prediction sums, revision, and whether it ever
    had reviews, comments, drafts, task assignments; a 404 for an unknown project (every
    project has its counters row, migration 0003)."""
    row = (await db.execute(_STORED_COUNTERS, {"project_id": project_id})).one_or_none()
    if row is None:
        raise NotFound(f"Project {project_id} not found.")
    return Counters(*row)


async def filtered_totals(
    db: AsyncSession, project_id: int, query: DMQuery, *, exact: bool = True, page: Page | None = None,
    stored: Any = None,
) -> Totals:
    """``total``, ``total_annotations``, ``total_predictions`` of the selected tasks, and
    ``total_exact``: whether they were counted or estimated (``estimate.py``).

    Without filters or selection the project's trigger-kept counters answer (one row), and
    also when they show that every task meets the filters (``implied.py``). Otherwise: a total
    cached for the project's revision (PostgreSQL); else the page itself when it is the last
    one (it holds every remaining match); else a count when ``exact`` or the project is small;
    else an estimate from a sample. ``stored``: the project's counters, read with the page or
    before it (so a total cached for their revision is never older than it).
    """
    stored = stored or await stored_counters(db, project_id)
    if query.is_plain or every_task_matches(query, stored):
        return _totals(stored)
    conditions_ = conditions(db, project_id, query)
    sums = (bool(stored[1]), bool(stored[2]))  # a project without any has zero sums whatever the filter

    async def count() -> Totals:
        matching = select(
            func.count(),
            func.coalesce(func.sum(Task.total_annotations), 0) if sums[0] else literal(0),
            func.coalesce(func.sum(Task.total_predictions), 0) if sums[1] else literal(0),
        ).where(and_(*conditions_))
        return _totals((await db.execute(matching)).one())

    async def best() -> Totals:
        if page is not None and page.tells_total:
            return page.totals()
        # Chosen ids are counted through the primary key, whatever the project's size.
        if exact or stored[0] <= sampling.EXACT_UP_TO or not query.selection.all:
            return await count()
        guess = await sampling.estimate(db, project_id, stored[0], conditions_[1:], sums)
        if guess is None:
            return await count()
        if page is not None:  # never fewer than the tasks paged through; exact at the end
            guess["total"] = page.seen if page.is_last else max(guess["total"], page.seen + page.full)
        return {**guess, "total_exact": False}

    if query.visible_to is not None or _per_user(query):  # assignments and comment reads do not move the revision
        return await best()
    return await cached_totals(db, project_id, query, best, exact=exact, revision=stored[3])


def _per_user(query: DMQuery) -> bool:
    """A filter on a column whose value depends on who asks and on what they read (unread comments)."""
    return any(one.column in PER_USER for item in query.filters for one in (item, item.child) if one is not None)


class Page:
    """One page of task rows, with the keyset cursors around it."""

    def __init__(self, rows: list[Any], keys: list[SortKey], query: DMQuery, *, offset: int | None,
                 page_size: int, backwards: bool = False) -> None:
        if backwards:
            rows.reverse()
        self.rows, self.keys, self.query = rows, keys, query
        self.offset, self.page_size, self.backwards = offset, page_size, backwards
        self.full = len(rows) >= page_size
        # Whether the project may have reviews / comments / drafts or assignments (its
        # counters' sticky flags, read with the page): False lets the page skip those queries.
        # Unknown: True.
        self.has_reviews = self.has_comments = self.has_drafts_or_assignments = True

    @property
    def is_last(self) -> bool:
        """A page by number with fewer rows than asked for: nothing matches after it."""
        return self.offset is not None and not self.full and (self.offset == 0 or bool(self.rows))

    @property
    def tells_total(self) -> bool:
        """The first page is also the last: its rows are all the matches."""
        return self.is_last and self.offset == 0

    @property
    def seen(self) -> int:
        return (self.offset or 0) + len(self.rows)

    def totals(self) -> Totals:
        return {
            "total": len(self.rows),
            "total_annotations": sum(r.total_annotations for r in self.rows),
            "total_predictions": sum(r.total_predictions for r in self.rows),
            "total_exact": True,
        }

    def _cursor(self, row: Any, direction: str) -> str:
        values = tuple(row._mapping[f"_key{i}"] for i in range(len(self.keys)))
        return keyset.encode(direction, self.query, values)

    @property
    def next_cursor(self) -> str | None:
        more = self.full if not self.backwards else bool(self.rows)
        return self._cursor(self.rows[-1], keyset.NEXT) if self.rows and more else None

    @property
    def previous_cursor(self) -> str | None:
        if not self.rows:
            return None
        more = self.full if self.backwards else (self.offset is None or self.offset > 0)
        return self._cursor(self.rows[0], keyset.PREVIOUS) if more else None


def page_query(
    db: AsyncSession, project_id: int, query: DMQuery, page_size: int, *, offset: int = 0,
    cursor: keyset.Cursor | None = None, counters: bool = False,
) -> Select[Any]:
    """One page of task rows in the query's order, each with its sort-key values (``_key0``...)
    for cursors: by number (``offset``), or after/before a ``cursor``'s row; with ``counters``,
    also the project's counters (``_counters``, read by ``_counters_of``)."""
    compiler = Compiler(dialect_of(db), query.viewer)
    keys = compiler.sort_keys(query)
    backwards = cursor is not None and cursor.direction == keyset.PREVIOUS
    where = conditions(db, project_id, query)
    if cursor is not None:
        where.append(keyset.after(keys, cursor.values, dialect_of(db), backwards=backwards))
    table = Task.__table__
    values = [keyset.selected_value(key).label(f"_key{i}") for i, key in enumerate(keys)]
    if counters:  # its parameter: ``counters_project_id``
        values.append(_PACKED_COUNTERS)
    order = compiler.order_by(query, backwards=backwards)
    if offset < DEFERRED_FROM or cursor is not None:
        return select(table, *values).where(and_(*where)).order_by(*order).limit(page_size).offset(offset)
    # Deep pages by number: skip rows reading only what the ordering needs (often just an
    # index), then read the page's own rows.
    ids = select(Task.id).where(and_(*where)).order_by(*order).limit(page_size).offset(offset)
    return select(table, *values).where(Task.id.in_(ids.scalar_subquery())).order_by(*order)


async def page_of_tasks(
    db: AsyncSession, project: Project | int, page: int, page_size: int, query: DMQuery | None = None,
    *, cursor: str | None = None, exact_total: bool = False,
) -> tuple[Page, Totals]:
    """One page in data-manager order, and the totals over the tasks the query selects.

    Without a query: id order and the project's stored sums (kept by database triggers).
    With one: its filters, selection and ordering, compiled to SQL. ``cursor`` (from an
    earlier page's ``next_cursor``/``previous_cursor``) replaces ``page``.
    A page past the end is a 404 "Invalid page." — the SDK's pager stops on it.
    """
    query = query or DMQuery()
    project_id = project if isinstance(project, int) else project.id
    if not needs_time_limit(query):
        return await _page(db, project_id, page, page_size, query, cursor, exact_total)
    # User filters (a regex, a contains over big data) get a time budget (core/db/time_limit.py);
    # comparisons of the task row's own columns cost what the unfiltered page costs.
    async with time_limit(db, FILTER_SECONDS, _describe(query)):
        return await _page(db, project_id, page, page_size, query, cursor, exact_total)


async def _page(
    db: AsyncSession, project_id: int, page: int, page_size: int, query: DMQuery, cursor: str | None,
    exact_total: bool,
) -> tuple[Page, Totals]:
    keys = Compiler(dialect_of(db), query.viewer).sort_keys(query)
    offset, parsed = (page - 1) * page_size, None
    try:
        if cursor:
            offset, parsed = 0, keyset.decode(cursor, query, keys)
        statement = page_query(db, project_id, query, page_size, offset=offset, cursor=parsed, counters=True)
    except BadRequest:
        await stored_counters(db, project_id)  # an unknown project is a 404 before a bad filter's 400
        raise
    # The page's rows through the session's connection: plain rows, without the ORM's loading
    # stage that the mapped attributes in the statement would route them through (~4 us a row).
    connection = await db.connection()
    rows = list(await connection.execute(statement, {"counters_project_id": project_id}))
    # No rows (an empty page, or no such project): the counters by themselves, or the 404.
    stored = (_counters_of(rows[0]) if rows else None) or await stored_counters(db, project_id)
    if parsed is not None:
        result = Page(rows, keys, query, offset=None, page_size=page_size, backwards=parsed.direction == keyset.PREVIOUS)
    else:
        if page > 1 and not rows:
            raise NotFound("Invalid page.")
        result = Page(rows, keys, query, offset=offset, page_size=page_size)
    result.has_reviews, result.has_comments = bool(stored.has_reviews), bool(stored.has_comments)
    result.has_drafts_or_assignments = bool(stored.has_drafts or stored.has_assignments)
    return result, await filtered_totals(db, project_id, query, exact=exact_total, page=result, stored=stored)

def _describe(query: DMQuery) -> str:
    named = ", ".join(f"filters.items[{i}] ({f.column} {f.operator})" for i, f in enumerate(query.filters))
    return f"Filtering by {named}"
