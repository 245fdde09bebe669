"""The tasks a data-manager query selects, as SQL: pages, filtered totals, id subqueries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..db.time_limit import FILTER_SECONDS, time_limit
from ..errors import NotFound
from ..projects.models import Project, ProjectCounters
from ..tasks.models import Task
from ..teams.visibility import visible_tasks_clause
from .filters import Compiler
from .query import DMQuery, view_query
from .totals import cached_totals
from .views import get_view


def dialect_of(db: AsyncSession) -> str:
    return db.get_bind().dialect.name


def conditions(db: AsyncSession, project_id: int, query: DMQuery, *, use_selection: bool = True) -> list[Any]:
    """WHERE terms: the project, the filters and (for actions and ``query=``) the selection."""
    terms: list[Any] = [Task.project_id == project_id]
    filtered = Compiler(dialect_of(db)).where(query)
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
    return terms, (Compiler(dialect_of(db)).order_by(query) if query.ordering else [])


def selected_ids(db: AsyncSession, project_id: int, query: DMQuery) -> Select[Any]:
    """A subquery of the selected task ids (actions use it inside set-based statements)."""
    return select(Task.id).where(and_(*conditions(db, project_id, query)))


async def filtered_totals(db: AsyncSession, project: Project, query: DMQuery) -> dict[str, int]:
    """``total``, ``total_annotations``, ``total_predictions`` of the selected tasks.

    Without filters or selection the project's trigger-kept counters answer (one row);
    otherwise one aggregate query over the matching tasks, cached per project revision.
    """
    if query.is_plain:
        stored = select(
            ProjectCounters.task_number,
            ProjectCounters.total_annotations_number,
            ProjectCounters.total_predictions_number,
        ).where(ProjectCounters.project_id == project.id)
        return _totals((await db.execute(stored)).one())

    async def count() -> dict[str, int]:
        matching = select(
            func.count(),
            func.coalesce(func.sum(Task.total_annotations), 0),
            func.coalesce(func.sum(Task.total_predictions), 0),
        ).where(and_(*conditions(db, project.id, query)))
        return _totals((await db.execute(matching)).one())

    if query.visible_to is not None:  # assignments do not move the project's revision
        return await count()
    return await cached_totals(db, project.id, query, count)


def _totals(row: Any) -> dict[str, int]:
    return {"total": int(row[0]), "total_annotations": int(row[1]), "total_predictions": int(row[2])}


def page_query(db: AsyncSession, project_id: int, query: DMQuery, page: int, page_size: int) -> Select[Any]:
    """One page of task rows in the query's order."""
    table = Task.__table__
    return (
        select(table)
        .where(and_(*conditions(db, project_id, query)))
        .order_by(*Compiler(dialect_of(db)).order_by(query))
        .limit(page_size)
        .offset((page - 1) * page_size)
    )


async def page_of_tasks(
    db: AsyncSession, project: Project, page: int, page_size: int, query: DMQuery | None = None
) -> tuple[list[Any], dict[str, int]]:
    """One page in data-manager order, and the totals over the tasks the query selects.

    Without a query: id order and the project's stored sums (kept by database triggers).
    With one: its filters, selection and ordering, compiled to SQL.
    A page past the end is a 404 "Invalid page." — the SDK's pager stops on it.
    """
    query = query or DMQuery()
    if not query.filters:
        return await _page(db, project, page, page_size, query)
    # User filters (a regex, a contains over big data) get a time budget (core/db/time_limit.py).
    async with time_limit(db, FILTER_SECONDS, _describe(query)):
        return await _page(db, project, page, page_size, query)


async def _page(
    db: AsyncSession, project: Project, page: int, page_size: int, query: DMQuery
) -> tuple[list[Any], dict[str, int]]:
    totals = await filtered_totals(db, project, query)
    if page > 1 and (page - 1) * page_size >= totals["total"]:
        raise NotFound("Invalid page.")
    return list(await db.execute(page_query(db, project.id, query, page, page_size))), totals


def _describe(query: DMQuery) -> str:
    named = ", ".join(f"filters.items[{i}] ({f.column} {f.operator})" for i, f in enumerate(query.filters))
    return f"Filtering by {named}"
