"""Preview and apply label changes (rename, merge, remove) with the new config, in one transaction.

``preview`` counts the annotations, predictions and drafts each change touches (SQL, set-based),
shows a few items before and after, and lists what the new config would still orphan.
``apply`` checks the same, rewrites the results set-based (``sql.py``), saves the config and
records the events, all in the caller's transaction; big projects go through the tracked job
``core.label_changes`` (``job.py``), which does the same in its own transaction.

There is no annotation history table yet: when one exists, ``apply`` should add an entry per
rewritten annotation (set-based, ``INSERT ... SELECT`` over the touched ids).
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..annotations.models import Annotation
from ..errors import ValidationFailed
from ..events import record_event
from ..labelconfig import ControlUse, ParsedConfig, UsedLabels, removed_in_use, used_in_results
from ..projects import payloads
from ..projects.models import Project, ProjectCounters
from ..projects.service import lock_project, parsed_config
from ..registries import Registries
from . import sql
from .plan import Plan, build_plan, rewrite_item, touches, transform

# Projects with more annotations and predictions than this are migrated by a tracked job.
JOB_THRESHOLD = 20_000
LABELS_CHANGED = "LABELS_CHANGED"  # for plugins (labelloom_on_event); webhooks get PROJECT_UPDATED


def config_digest(config: str) -> str:
    return hashlib.sha256(config.encode()).hexdigest()[:16]


def prepare(project: Project, registries: Registries, label_config: Any, changes: Any) -> tuple[ParsedConfig, ParsedConfig, Plan]:
    if not isinstance(label_config, str) or not label_config.strip():
        raise ValidationFailed("label_config is required", validation_errors={"label_config": ["This field is required."]})
    old = parsed_config(project, registries)
    # The projects service caches parsed configs by text; a throwaway Project reuses that cache.
    new = parsed_config(Project(label_config=label_config), registries)
    return old, new, build_plan(changes if changes is not None else [], old, new)


async def problems_after(db: AsyncSession, project_id: int, plan: Plan, new: ParsedConfig) -> list[str]:
    """What the new config would orphan once the plan has rewritten the annotations (Label
    Studio's rule, as for any config change).

    First from what SQL says the annotations use, with the plan applied to those labels: that
    is a superset of the use after the rewrite (deleted regions only lower it), so no problem
    there means none. Otherwise the annotations are read and rewritten in memory, exactly.
    """
    if not removed_in_use(new, await _used_approximately(db, project_id, plan)):
        return []
    return await _problems_exactly(db, project_id, plan, new)


def only_planned_removals(old: ParsedConfig, new: ParsedConfig, plan: Plan) -> bool:
    """Whether the new config takes away nothing but labels the plan maps or removes.

    Annotations are validated against the config on every write, and a config change that
    orphans them is refused, so they use only what the old config declares: when the new one
    keeps every control, result type and target and loses only labels the plan handles, the
    rewritten annotations fit it without reading them (a plain rename, merge or removal).
    """
    for name, before in old.controls.items():
        after = new.controls.get(name)
        if after is None or before.pattern is not None or after.pattern is not None:
            return False
        if before.result_type != after.result_type or not set(before.to_names) <= set(after.to_names):
            return False
        if after.declares_labels:
            if not before.declares_labels:
                return False
            mapped = plan.controls[name].mapping if name in plan.controls else {}
            if any(label not in mapped for label in before.label_set - after.label_set):
                return False
    return True


async def _used_approximately(db: AsyncSession, project_id: int, plan: Plan) -> UsedLabels:
    controls, labels = await sql.usage_rows(db, project_id)
    used = UsedLabels()
    for from_name, result_type, to_name, count in controls:
        if not isinstance(from_name, str) or not isinstance(result_type, str):
            continue
        use = used.controls.setdefault(from_name, ControlUse())
        use.types.add(result_type)
        use.count += int(count)
        if isinstance(to_name, str):
            use.to_names.add(to_name)
    for from_name, key, entry in labels:
        use = used.controls.get(from_name)
        if use is None:
            continue
        control = plan.controls.get(from_name)
        mapping = control.mapping if control is not None and control.key == key else {}
        for label in entry if isinstance(entry, list) else (entry,):
            if not isinstance(label, str):
                continue
            if isinstance(entry, str) and label in mapping:  # the plan maps a list's own strings
                target = mapping[label]
                if target is not None:
                    use.labels.add(target)
                continue
            use.labels.add(label)
    return used


async def _problems_exactly(db: AsyncSession, project_id: int, plan: Plan, new: ParsedConfig) -> list[str]:
    used = used_in_results([])
    stream = await db.stream_scalars(
        select(Annotation.result).where(Annotation.project_id == project_id).execution_options(yield_per=2000)
    )
    async for result in stream:
        rewritten = transform(result, plan)
        used.add(result if rewritten is None else rewritten)
    return removed_in_use(new, used)


def _item_example(source: str, row_id: int, task_id: int, result: Any, plan: Plan, from_name: str, label: str) -> dict[str, Any] | None:
    """The first item of ``result`` holding the label, before and after (None: deleted)."""
    for position, item in enumerate(result or []):
        control = touches(item, plan)
        if control is None or control.from_name != from_name or label not in item["value"][control.key]:
            continue
        return {"source": source[:-1], "id": row_id, "task": task_id, "position": position,
                "before": item, "after": rewrite_item(item, control)}
    return None


async def preview(db: AsyncSession, registries: Registries, project: Project, label_config: Any, changes: Any,
                  *, examples: int = 3) -> dict[str, Any]:
    old, new, plan = prepare(project, registries, label_config, changes)
    counts = await sql.count_touched(db, project.id, plan)
    out = []
    for change in plan.changes:
        found = await sql.examples(db, project.id, plan, change.from_name, change.label, limit=examples)
        samples = [s for s in (_item_example(*row, plan, change.from_name, change.label) for row in found) if s]
        out.append({**change.to_json(), **counts[(change.from_name, change.label)], "examples": samples})
    totals = {name: sum(c[name] for c in counts.values()) for name in sql.TABLES}
    problems = [] if only_planned_removals(old, new, plan) else await problems_after(db, project.id, plan, new)
    return {
        "changes": out,
        "totals": totals,
        "problems": problems,
        "valid": not problems,
        "background": await runs_in_background(db, project.id),
        "config_digest": config_digest(project.label_config),
    }


async def runs_in_background(db: AsyncSession, project_id: int) -> bool:
    row = (await db.execute(
        select(ProjectCounters.total_annotations_number + ProjectCounters.skipped_annotations_number
               + ProjectCounters.total_predictions_number).where(ProjectCounters.project_id == project_id)
    )).scalar()
    return int(row or 0) > JOB_THRESHOLD


def refuse(problems: list[str]) -> ValidationFailed:
    return ValidationFailed(
        "The new config would still leave annotations with labels or tags it lacks: " + "; ".join(problems),
        validation_errors={"label_config": problems},
    )


async def check(db: AsyncSession, registries: Registries, project: Project, label_config: Any, changes: Any) -> Plan:
    """Raise ValidationFailed unless the changes and the config can be applied."""
    old, new, plan = prepare(project, registries, label_config, changes)
    problems = [] if only_planned_removals(old, new, plan) else await problems_after(db, project.id, plan, new)
    if problems:
        raise refuse(problems)
    return plan


async def apply(db: AsyncSession, registries: Registries, project: Project, label_config: str, changes: Any,
                *, progress: sql.Progress | None = None, checked: bool = False) -> dict[str, Any]:
    """Rewrite the results and save the config in ``db``'s transaction (the caller commits)."""
    await lock_project(db, project.id)
    old, new, plan = prepare(project, registries, label_config, changes)
    if not checked and not only_planned_removals(old, new, plan):
        problems = await problems_after(db, project.id, plan, new)
        if problems:
            raise refuse(problems)
    rows = await sql.rewrite(db, project.id, plan, progress)
    # Row counts do not change (no annotation, prediction or draft is added or deleted), so task
    # and project counters stay exact; PostgreSQL's revision triggers saw the UPDATEs, so the
    # data manager's cached totals are dropped, and parsed configs are cached by config text.
    project.label_config = label_config
    project.parsed_config = new.summary()
    await db.flush()
    summary = [c.to_json() for c in plan.changes]
    record_event(db, "PROJECT_UPDATED", payloads.project(project))
    record_event(db, LABELS_CHANGED, {"project": {"id": project.id}, "changes": summary}, project_id=project.id)
    return {"applied": True, "rows": rows, "changes": summary}
