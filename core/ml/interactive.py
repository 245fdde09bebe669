"""Smart tools: ``POST /api/ml/{id}/interactive-annotating`` forwards the region just drawn
(``context``) with the task to ``/predict`` and hands the first result back to the editor.

As in Label Studio the answer is HTTP 200 either way: ``{"data": {...}}`` or ``{"errors": [...]}``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import LabelloomError
from ..host import PluginHost
from ..projects.models import Project
from ..settings import Settings
from ..tasks.models import Task
from ..tasks.serialize import tasks_json
from .connect import connector
from .models import MLBackend
from .predict import ask


async def interactive_annotating(db: AsyncSession, host: PluginHost, settings: Settings, backend: MLBackend,
                                 project: Project, task: Task, context: Any, user_id: int) -> dict[str, Any]:
    if not backend.is_interactive:
        return {"errors": [f"ML backend {backend.title or backend.id} is not interactive (turn on “Interactive preannotations”)."]}
    payload = await tasks_json(db, host, [task], user_id=user_id, full=True, resolve_uri=True)
    try:
        async with connector(host, settings, backend) as client:
            results, version = await ask(client, project, payload, context=context if context is not None else {})
    except LabelloomError as exc:
        return {"errors": [exc.detail]}
    if not results:
        return {"errors": ["The model answered no result for this region."]}
    data = results[0]
    if isinstance(data, dict) and version and "model_version" not in data:
        data = {**data, "model_version": version}
    return {"data": data}
