"""Views (data-manager tabs): CRUD, reset and order. Shared by every member of a project."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound
from .models import View
from .query import fail, parse_filters, parse_ordering


async def get_view(db: AsyncSession, view_id: int) -> View:
    view = await db.get(View, view_id)
    if view is None:
        raise NotFound(f"View {view_id} not found.")
    return view


def check_data(data: Any) -> dict[str, Any]:
    """A view's ``data``: stored as sent, but its filters and ordering must parse."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise fail("data", "must be a JSON object")
    parse_filters(data.get("filters"))
    parse_ordering(data.get("ordering"))
    return data


def filter_group(filters: Any) -> dict[str, Any] | None:
    """The view's filters as Label Studio's ``FilterGroup`` (root filters numbered by ``index``).
    Label Studio stores filters as rows and gives them ids; here they live in the view's data,
    so there are none to give."""
    if not isinstance(filters, dict) or not filters.get("items"):
        return None

    def one(item: dict[str, Any], index: int | None) -> dict[str, Any]:
        out = {key: item.get(key) for key in ("type", "operator", "value")}
        out["column"] = item.get("filter")
        if index is not None:
            out["index"] = index
        if item.get("child_filter"):
            out["child_filter"] = one(item["child_filter"], None)
        return out

    return {"conjunction": filters.get("conjunction") or "and",
            "filters": [one(item, i) for i, item in enumerate(filters["items"])]}


def view_json(view: View) -> dict[str, Any]:
    data = view.data or {}
    return {
        "id": view.id,
        "project": view.project_id,
        "user": view.user_id,
        "order": view.order,
        "data": data,
        "ordering": data.get("ordering") or [],
        "selected_items": data.get("selectedItems"),
        "filter_group": filter_group(data.get("filters")),
        "is_locked": False,
        "locked_at": None,
        "locked_by": None,
    }


async def list_views(db: AsyncSession, project_id: int | None) -> list[View]:
    query = select(View).order_by(View.order, View.id)
    if project_id is not None:
        query = query.where(View.project_id == project_id)
    return list((await db.execute(query)).scalars())


async def create_view(db: AsyncSession, project_id: int, user_id: int, data: Any) -> View:
    last = (await db.execute(select(func.max(View.order)).where(View.project_id == project_id))).scalar()
    view = View(project_id=project_id, user_id=user_id, data=check_data(data), order=(last or 0) + 1 if last is not None else 0)
    db.add(view)
    await db.flush()
    await db.refresh(view)
    return view


async def update_view(db: AsyncSession, view: View, data: Any, *, merge: bool) -> View:
    new = check_data(data)
    view.data = {**(view.data or {}), **new} if merge else new
    await db.flush()
    await db.refresh(view)
    return view


async def reset_views(db: AsyncSession, project_id: int) -> None:
    await db.execute(delete(View).where(View.project_id == project_id))


async def order_views(db: AsyncSession, project_id: int, ids: list[int]) -> None:
    views = {v.id: v for v in await list_views(db, project_id)}
    for position, view_id in enumerate(ids):
        if view_id in views:
            views[view_id].order = position
    await db.flush()
