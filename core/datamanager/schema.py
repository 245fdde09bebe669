"""``GET /api/dm/columns/``: the config's data keys, other keys seen in tasks, built-ins."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..host import PluginHost
from ..projects.models import Project
from ..projects.service import parsed_config
from ..tasks.models import Task
from .columns import BUILTIN
from .model_scores import PREFIX, version_columns
from .types import T

# Keys "seen at import" come from the newest tasks: reading every task's data would make this
# endpoint as slow as the project is large.
SAMPLE_TASKS = 200


async def seen_data_keys(db: AsyncSession, project_id: int) -> list[str]:
    rows = await db.execute(
        select(Task.data).where(Task.project_id == project_id).order_by(Task.id.desc()).limit(SAMPLE_TASKS)
    )
    keys: dict[str, None] = {}
    for (data,) in rows:
        if isinstance(data, dict):
            keys.update(dict.fromkeys(data))
    return list(keys)


def _column(id: str, title: str, type: str, help: str = "", *, explore: bool = True, labeling: bool = False,
            project_defined: bool = False, parent: str | None = None) -> dict[str, Any]:
    column: dict[str, Any] = {
        "id": id,
        "title": title,
        "type": str(getattr(type, "value", type)),
        "target": "tasks",
        "help": help,
        "visibility_defaults": {"explore": explore, "labeling": labeling},
        "project_defined": project_defined,
    }
    if parent:
        column["parent"] = parent
    return column


async def project_columns(db: AsyncSession, host: PluginHost, project: Project) -> list[dict[str, Any]]:
    data_types: dict[str, str] = {}
    try:
        data_types = dict(parsed_config(project, host.registries).data_types)
    except Exception:  # a project without a usable config still lists the keys of its tasks
        data_types = {}
    keys = list(data_types)
    keys += [k for k in sorted(await seen_data_keys(db, project.id)) if k not in data_types]
    data_columns = [
        _column(key, key, data_types.get(key, T.Unknown), explore=True, labeling=key in data_types, parent="data")
        for key in keys
    ]
    root = _column("data", "data", T.List.value, "Task data")
    root["children"] = [key for key in keys]
    builtin = [
        _column(c.id, c.title, c.type, c.help, explore=c.explore, labeling=c.labeling) for c in BUILTIN
    ]
    scores = [
        _column(name, f"Score · {name[len(PREFIX):]}", T.Number, "Prediction score of this model version", explore=False)
        for name in await version_columns(db, project.id)
    ]
    return [*data_columns, root, *builtin, *scores]
