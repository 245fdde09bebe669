"""Generic config checks: names, references, placement, required items; then each tag's own.

Reference checks happen once here for every tag; a tag's ``validate`` function (registered by
its plugin) only adds what is particular to it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from .issues import ConfigIssue
from .tree import TagRef
from .variables import is_variable

log = logging.getLogger(__name__)

_CONTAINERS = ("structural", "visual")  # tags anything may sit in


@dataclass
class ConfigIndex:
    """What a tag's ``validate(tag, config)`` may consult about the rest of the config."""

    refs: list[TagRef]
    by_name: dict[str, TagRef]
    registries: Any

    def targets_of(self, ref: TagRef) -> list[TagRef]:
        return [self.by_name[n] for n in split_names(ref.raw.get("toName")) if n in self.by_name]


def split_names(value: str | None) -> list[str]:
    if not value:
        return []
    return [part.strip() for part in value.split(",") if part.strip()]


def check_config(root: TagRef, refs: list[TagRef], registries: Any) -> tuple[ConfigIndex, list[ConfigIssue]]:
    issues: list[ConfigIssue] = []
    if root.tag != "View":
        issues.append(ConfigIssue(f"the root tag must be <View>, not <{root.tag}>", root.line, root.tag))
    by_name = _unique_names(refs, issues)
    index = ConfigIndex(refs, by_name, registries)
    for ref in refs:
        kind = ref.kind
        if kind == "object":
            _check_object(ref, issues)
        elif kind == "control" and not ref.spec.top_level:
            _check_control(ref, index, issues)
        elif ref.raw.get("toName"):
            _check_names_exist(ref, "toName", by_name, issues)
        if kind in ("object", "control"):
            _check_not_nested(ref, issues)
        elif kind == "item":
            _check_item_placement(ref, registries, issues)
        if ref.tag == "Repeater" and ref.typed is not None and not is_variable(ref.typed.on):
            issues.append(
                ConfigIssue(
                    f'{ref.label}: on="{ref.typed.on}" must be a task variable such as "$items"',
                    ref.line, ref.tag, "on",
                )
            )
        if ref.raw.get("whenTagName"):
            _check_names_exist(ref, "whenTagName", by_name, issues)
        if ref.spec is not None and getattr(ref.spec, "validate", None) is not None and ref.typed is not None:
            issues.extend(_run_plugin_check(ref, index))
    return index, issues


def _unique_names(refs: list[TagRef], issues: list[ConfigIssue]) -> dict[str, TagRef]:
    by_name: dict[str, TagRef] = {}
    for ref in refs:
        name = ref.name
        if name is None:
            continue
        first = by_name.get(name)
        if first is not None:
            issues.append(
                ConfigIssue(
                    f'{ref.label}: the name "{name}" is already used by <{first.tag}> at line {first.line}',
                    ref.line, ref.tag, "name",
                )
            )
            continue
        by_name[name] = ref
    return by_name


def _check_object(ref: TagRef, issues: list[ConfigIssue]) -> None:
    data_attrs = getattr(ref.spec, "data_attrs", ("value",))
    if data_attrs and not any(ref.raw.get(attr) for attr in data_attrs):
        options = " or ".join(f'{a}="$field"' for a in data_attrs)
        issues.append(
            ConfigIssue(f"{ref.label}: needs {options} to show task data", ref.line, ref.tag, data_attrs[0])
        )


def _check_names_exist(ref: TagRef, attribute: str, by_name: dict[str, TagRef], issues: list[ConfigIssue]) -> None:
    for name in split_names(ref.raw.get(attribute)):
        if name not in by_name:
            issues.append(
                ConfigIssue(
                    f'{ref.label}: {attribute}="{name}" does not match the name of any tag',
                    ref.line, ref.tag, attribute,
                )
            )


def _check_control(ref: TagRef, index: ConfigIndex, issues: list[ConfigIssue]) -> None:
    spec = ref.spec
    if not split_names(ref.raw.get("toName")) and "toName" in ref.raw:
        issues.append(ConfigIssue(f"{ref.label}: toName must name an object tag", ref.line, ref.tag, "toName"))
    for name in split_names(ref.raw.get("toName")):
        target = index.by_name.get(name)
        if target is None:
            issues.append(
                ConfigIssue(
                    f'{ref.label}: toName="{name}" does not match the name of any tag',
                    ref.line, ref.tag, "toName",
                )
            )
            continue
        if target.kind != "object":
            issues.append(
                ConfigIssue(
                    f'{ref.label}: toName="{name}" must name an object tag, but {target.label} is not one',
                    ref.line, ref.tag, "toName",
                )
            )
            continue
        problem = _target_problem(spec, target, index.registries)
        if problem:
            issues.append(ConfigIssue(f"{ref.label}: {problem}", ref.line, ref.tag, "toName"))
    if spec.items_required and not is_dynamic_value(ref) and not _has_own_items(ref):
        wanted = " or ".join(f"<{item}>" for item in spec.items)
        issues.append(
            ConfigIssue(
                f'{ref.label}: needs at least one {wanted} inside (or value="$field" to take them from the task)',
                ref.line, ref.tag,
            )
        )


def _target_problem(spec: Any, target: TagRef, registries: Any) -> str | None:
    allowed = tuple(t.lower() for t in spec.to)
    region = spec.region
    target_regions = {r.name for r in getattr(target.spec, "regions", ())}
    if allowed and target.tag.lower() not in allowed:
        kinds = ", ".join(f"<{t}>" for t in spec.to)
        return f"cannot be used with {target.label}; it works with {kinds}"
    if region == "*" and not target_regions:
        return f"cannot be used with {target.label}, which has no regions to label"
    if region and region != "*" and region not in target_regions:
        offering = sorted(
            f"<{dt.name}>" for dt in registries.data_types if region in {r.name for r in dt.regions}
        )
        works = f"; it works with {', '.join(offering)}" if offering else ""
        return f"cannot be used with {target.label}, which has no {region} regions{works}"
    return None


def is_dynamic_value(ref: TagRef) -> bool:
    return is_variable(ref.raw.get("value")) or bool(ref.raw.get("apiUrl"))


def _has_own_items(ref: TagRef) -> bool:
    accepted = {item.lower() for item in ref.spec.items}
    stack = list(ref.children)
    while stack:
        child = stack.pop()
        if child.tag.lower() in accepted:
            return True
        if child.kind in _CONTAINERS:
            stack.extend(child.children)
    return False


def _check_not_nested(ref: TagRef, issues: list[ConfigIssue]) -> None:
    parent = ref.parent
    while parent is not None:
        if parent.kind in ("object", "control"):
            issues.append(
                ConfigIssue(f"{ref.label}: cannot be placed inside {parent.label}", ref.line, ref.tag)
            )
            return
        parent = parent.parent


def _check_item_placement(ref: TagRef, registries: Any, issues: list[ConfigIssue]) -> None:
    owner = ref.parent
    while owner is not None and owner.kind == "structural":
        owner = owner.parent
    me = ref.tag.lower()
    if owner is not None and owner.kind == "unknown":
        return  # the unknown parent is reported already
    if owner is not None and owner.spec is not None:
        if me in {i.lower() for i in getattr(owner.spec, "items", ())}:
            return
    hosts = sorted(
        f"<{spec.name}>"
        for registry in (registries.tags, registries.data_types)
        for spec in registry
        if me in {i.lower() for i in getattr(spec, "items", ())}
    )
    where = ", ".join(hosts[:6]) + (", ..." if len(hosts) > 6 else "")
    inside = f"inside {where}" if where else "inside a tag that accepts it"
    issues.append(ConfigIssue(f"<{ref.tag}>: can only be placed {inside}", ref.line, ref.tag))


def _run_plugin_check(ref: TagRef, index: ConfigIndex) -> list[ConfigIssue]:
    try:
        problems = ref.spec.validate(ref, index) or []
    except Exception:
        log.exception("validate() of tag %s failed", ref.tag)
        return [ConfigIssue(f"{ref.label}: could not be checked (its plugin failed)", ref.line, ref.tag)]
    return [
        ConfigIssue(f"{ref.label}: {p.message}", p.line or ref.line, ref.tag, p.attribute) for p in problems
    ]
