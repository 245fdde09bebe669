"""Sample task data and sample results for a config (editor previews, template checks).

Sample values come from the specs: each object's ``sample_value``, each tag's ``sample_value``
for data it reads, each region's ``example`` and each control's ``example``.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from .variables import get_path, path_of, set_path, variables_in

if TYPE_CHECKING:
    from .parse import ParsedConfig
    from .tree import TagRef

# Repeaters get this many sample entries, to show that they repeat.
SAMPLE_REPEATS = 2


def sample_task(parsed: ParsedConfig, registries: Any = None) -> dict[str, Any]:
    """Task ``data`` that fits ``parsed``: the config's own JSON hint first, then samples."""
    data: dict[str, Any] = {}
    if parsed.sample_hint:
        data = copy.deepcopy(parsed.sample_hint["data"])
    # Children before parents, so a Repeater's list is built from what its children read.
    for ref in reversed(parsed.refs):
        if ref.kind == "item":
            continue
        for attribute, raw in ref.raw.items():
            for variable in variables_in(raw):
                for path in _concrete_paths(path_of(variable)):
                    if get_path(data, path) is None:
                        set_path(data, path, _sample_for(ref, attribute, path))
    ordered = {key: data[key] for key in parsed.data_keys if key in data}
    ordered.update((k, v) for k, v in data.items() if k not in ordered)
    return ordered


def _concrete_paths(path: list[str | int]) -> list[list[str | int]]:
    """Replace Repeater placeholders by indexes 0..SAMPLE_REPEATS-1."""
    if not any(isinstance(step, str) and step.startswith("{{") for step in path):
        return [path]
    return [
        [index if isinstance(step, str) and step.startswith("{{") else step for step in path]
        for index in range(SAMPLE_REPEATS)
    ]


def _sample_for(ref: TagRef, attribute: str, path: list[str | int]) -> Any:
    spec = ref.spec
    sampler = getattr(spec, "sample_value", None)
    if ref.kind == "object" and attribute in getattr(spec, "data_attrs", ()) and sampler:
        return sampler(ref.node)
    if ref.kind != "object" and attribute == "value" and sampler:
        return sampler(ref.node)
    if ref.tag == "Repeater":
        return []
    return f"Sample {path[-1]}" if isinstance(path[-1], str) else "Sample text"


def sample_results(parsed: ParsedConfig) -> list[dict[str, Any]]:
    """One plausible result item per control (first label, example geometry and value)."""
    results: list[dict[str, Any]] = []
    for position, control in enumerate(parsed.controls.values()):
        spec = control.spec
        if not spec.result_type:
            continue
        index = "0" if control.flag else None
        choices = list(control.to_name_choices(index).items())
        to_name, target = choices[0]
        value: dict[str, Any] = {}
        if spec.region and target is not None:
            region = (
                target.regions.get(spec.region) if spec.region != "*" else next(iter(target.regions.values()), None)
            )
            if region is None:
                continue
            value.update(copy.deepcopy(dict(region.example)))
        if spec.example is not None:
            value.update(spec.example(control))
        elif spec.labels_key:
            declared = control.labels or tuple(sorted(control.label_set))
            value[spec.labels_key] = list(declared[:1]) if not control.dynamic_labels else []
        name = control.name.replace(control.flag, index) if control.flag and index else control.name
        results.append(
            {"id": f"sample{position}", "from_name": name, "to_name": to_name, "type": spec.result_type, "value": value}
        )
    return results
