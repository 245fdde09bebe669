"""Running data-manager actions: the context an action gets and the listing the SDK reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound
from ..host import PluginHost
from ..projects.models import Project
from ..teams.permissions import PERMISSIONS, require
from ..users.models import User
from .query import DMQuery
from .selection import selected_ids


@dataclass
class ActionContext:
    """What an action works on: the project and the tasks the request selected."""

    db: AsyncSession
    host: PluginHost
    project: Project
    user: User
    query: DMQuery
    params: dict[str, Any] = field(default_factory=dict)
    # The app's job service (``JobService``), for actions that hand their work to a tracked job.
    jobs: Any = None

    def selected_ids(self) -> Select[Any]:
        """A subquery of the selected task ids, for ``... WHERE task_id IN (<subquery>)``."""
        return selected_ids(self.db, self.project.id, self.query)


def action_json(spec: Any) -> dict[str, Any]:
    return {
        "id": spec.name,
        "title": spec.title,
        "order": spec.order,
        "permission": spec.permission,
        "experimental": spec.experimental,
        "dialog": dict(spec.dialog) if spec.dialog else None,
        # Labelloom: the dialog's form comes from GET /api/dm/actions/<id>/form?project= (it
        # depends on the project: the people to assign, the model versions).
        "has_form": spec.form is not None,
    }


def list_actions(host: PluginHost) -> list[dict[str, Any]]:
    specs = [s for s in host.registries.actions if not s.hidden]
    return [action_json(s) for s in sorted(specs, key=lambda s: (s.order, s.name))]


async def run_action(context: ActionContext, name: str) -> dict[str, Any]:
    spec = context.host.registries.actions.get(name)
    if spec is None:
        raise NotFound(f"Action {name!r} not found.")
    # The action's permission when it names one of the matrix's, else changing tasks (teams).
    needed = spec.permission if spec.permission in PERMISSIONS else "tasks.manage"
    await require(context.db, context.user, context.project.id, needed)
    result = dict(await spec.function(context))
    result.setdefault("processed_items", 0)
    result.setdefault("reload", False)
    return result
