"""Where Litestar's general machinery costs Labelloom's requests more than it gives them.

Litestar resolves each batch of independent dependencies in an anyio task group, one task per
dependency, so that slow async dependencies overlap. Labelloom's dependencies (core/deps.py)
are synchronous lookups into the request that take microseconds; the task group around them
took ~0.1 ms of a ~1 ms request (``next``, a task). :func:`resolve_dependencies_in_order`
resolves them one after another instead. A plugin's async dependency still works, it only
stops overlapping with its siblings.

Litestar also hands every guard a shallow copy of the route handler (an object of some forty
attributes), so that a guard could not change the handler for later requests: ~9% of an
unauthenticated request's CPU here. Labelloom's guards (``app_guard``, ``requires``) only read
it, so :func:`guards_read_the_handler` passes the handler itself; a guard must not mutate it.
"""

from __future__ import annotations

from typing import Any

from litestar._kwargs import kwargs_model
from litestar._kwargs.cleanup import DependencyCleanupGroup
from litestar._kwargs.dependencies import resolve_dependency
from litestar.handlers.base import BaseRouteHandler


async def _in_order(self: Any, connection: Any, kwargs: dict[str, Any]) -> DependencyCleanupGroup:
    cleanup_group = DependencyCleanupGroup()
    for batch in self.dependency_batches:  # each batch only needs the ones before it
        for dependency in batch:
            await resolve_dependency(dependency, connection, kwargs, cleanup_group)
    return cleanup_group


def resolve_dependencies_in_order() -> None:
    """Install the in-order resolution (idempotent; every app in the process gets it)."""
    kwargs_model.KwargsModel.resolve_dependencies = _in_order  # type: ignore[method-assign]


async def _authorize(self: Any, connection: Any) -> None:
    for guard in self.resolve_guards():
        await guard(connection, self)


def guards_read_the_handler() -> None:
    """Guards get the route handler itself, not a copy per call (idempotent)."""
    BaseRouteHandler.authorize_connection = _authorize  # type: ignore[method-assign]
