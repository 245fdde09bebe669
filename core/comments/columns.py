"""Comments as data-manager columns: SQL for filters and ordering, values for a page.

``comment_count`` and ``unresolved_comment_count`` are Label Studio Enterprise's columns.
``unread_comments`` depends on who asks: comments by others newer than the requesting user's
read position on the task (``comment_reads``), so its SQL is built per request from the user's
id. All are correlated subqueries served by ``comments(task_id, id)`` and the primary key of
``comment_reads``; a page's values come from one grouped query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, and_, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from ..tasks.models import Task
from .models import Comment, CommentRead
from .service import about_others_annotation


def _count(*conditions: Any) -> ColumnElement[int]:
    return select(func.count()).where(Comment.task_id == Task.id, *conditions).scalar_subquery()


COMMENT_COUNT = _count()
UNRESOLVED_COMMENT_COUNT = _count(Comment.is_resolved.is_(False))


def _unread(viewer_id: int | None) -> ColumnElement[bool]:
    """A comment by someone else, newer than what ``viewer_id`` read on its task (correlated on
    the comment's own task: one read row at most). Without a viewer (a tab's filters used by a
    job) every comment counts as unread."""
    viewer = literal(viewer_id, Integer)
    last_read = (
        select(CommentRead.last_read_id)
        .where(CommentRead.user_id == viewer, CommentRead.task_id == Comment.task_id)
        .scalar_subquery()
    )
    return and_(Comment.created_by_id.is_distinct_from(viewer), Comment.id > func.coalesce(last_read, 0))


def unread_comments(viewer_id: int | None) -> ColumnElement[int]:
    """SQL: how many comments of the task ``viewer_id`` has not read."""
    return _count(_unread(viewer_id))


async def add_comment_columns(db: AsyncSession, items: Sequence[dict[str, Any]], viewer_id: int, *,
                              annotator: bool = False, any_comments: bool = True) -> None:
    """Set ``comment_count``, ``unresolved_comment_count``, ``last_comment_updated_at``,
    ``comment_authors`` and ``unread_comments`` on a page of serialised tasks: two queries.
    ``annotator``: comments about other people's annotations are left out (they cannot read them).
    ``any_comments=False``: the project has never had a comment (its counters' flag): no query."""
    ids = [item["id"] for item in items]
    if not ids:
        return
    if not any_comments:
        for item in items:
            item["comment_count"] = item["unresolved_comment_count"] = item["unread_comments"] = 0
            item["last_comment_updated_at"], item["comment_authors"] = None, []
        return
    readable = [~about_others_annotation(viewer_id)] if annotator else []
    rows = await db.execute(
        select(
            Comment.task_id,
            func.count(),
            func.count().filter(Comment.is_resolved.is_(False)),
            func.max(Comment.updated_at),
            func.sum(case((_unread(viewer_id), 1), else_=0)),
        )
        .where(Comment.task_id.in_(ids), *readable)
        .group_by(Comment.task_id)
    )
    found = {row[0]: row[1:] for row in rows}
    authors: dict[int, list[int]] = {}
    if found:
        query = (
            select(Comment.task_id, Comment.created_by_id)
            .where(Comment.task_id.in_(list(found)), Comment.created_by_id.is_not(None), *readable)
            .distinct()
            .order_by(Comment.task_id, Comment.created_by_id)
        )
        for task_id, author in await db.execute(query):
            authors.setdefault(task_id, []).append(author)
    for item in items:
        total, unresolved, updated, unread = found.get(item["id"], (0, 0, None, 0))
        item["comment_count"] = int(total)
        item["unresolved_comment_count"] = int(unresolved)
        item["last_comment_updated_at"] = updated
        item["comment_authors"] = authors.get(item["id"], [])
        item["unread_comments"] = int(unread or 0)
