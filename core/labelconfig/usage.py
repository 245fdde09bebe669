"""What existing results use, and what a new config would orphan (Label Studio refuses that).

``used_in_results`` reads result lists without a config (the caller aggregates them from the
database, possibly in chunks, and may store the JSON form); ``removed_in_use`` compares such a
summary with a newly parsed config.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .issues import tag_label

if TYPE_CHECKING:
    from .parse import ParsedConfig

# Label Studio puts a region's labels under its own type key ("choices": [...]); region types
# whose own key holds geometry carry them under this generic key instead.
GENERIC_LABELS_KEY = "labels"


@dataclass
class ControlUse:
    """How results use one ``from_name``."""

    to_names: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    count: int = 0


@dataclass
class UsedLabels:
    """Accumulated use of controls, objects and labels by result lists."""

    controls: dict[str, ControlUse] = field(default_factory=dict)

    def add(self, results: Any) -> UsedLabels:
        """Count one result list (annotation, draft or prediction); non-lists are ignored."""
        if not isinstance(results, list):
            return self
        for item in results:
            if not isinstance(item, dict):
                continue
            from_name = item.get("from_name")
            result_type = item.get("type")
            if not isinstance(from_name, str) or not isinstance(result_type, str):
                continue  # top-level items (relations) name no control
            use = self.controls.get(from_name)
            if use is None:
                use = self.controls[from_name] = ControlUse()
            use.count += 1
            use.types.add(result_type)
            to_name = item.get("to_name")
            if isinstance(to_name, str):
                use.to_names.add(to_name)
            value = item.get("value")
            if isinstance(value, dict):
                for key in {result_type, GENERIC_LABELS_KEY}:
                    _collect(value.get(key), use.labels)
        return self

    def merge(self, other: UsedLabels) -> UsedLabels:
        for name, theirs in other.controls.items():
            mine = self.controls.setdefault(name, ControlUse())
            mine.to_names |= theirs.to_names
            mine.types |= theirs.types
            mine.labels |= theirs.labels
            mine.count += theirs.count
        return self

    def to_json(self) -> dict[str, Any]:
        return {
            name: {"to_names": sorted(u.to_names), "types": sorted(u.types), "labels": sorted(u.labels), "count": u.count}
            for name, u in sorted(self.controls.items())
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> UsedLabels:
        used = cls()
        for name, u in (data or {}).items():
            used.controls[name] = ControlUse(
                set(u.get("to_names", ())), set(u.get("types", ())), set(u.get("labels", ())), int(u.get("count", 0))
            )
        return used


def _collect(values: Any, into: set[str]) -> None:
    if not isinstance(values, list):
        return
    for entry in values:
        if isinstance(entry, str):
            into.add(entry)
        elif isinstance(entry, list):  # nested choices and taxonomy paths
            into.update(part for part in entry if isinstance(part, str))


def used_in_results(results: Any, into: UsedLabels | None = None) -> UsedLabels:
    """Add one result list to ``into`` (or a new accumulator) and return it."""
    return (into if into is not None else UsedLabels()).add(results)


def used_in_many(result_lists: Iterable[Any]) -> UsedLabels:
    used = UsedLabels()
    for results in result_lists:
        used.add(results)
    return used


def removed_in_use(new_parsed: ParsedConfig, used: UsedLabels) -> list[str]:
    """Sentences naming each control, object or label results use that ``new_parsed`` lacks."""
    problems: list[str] = []
    for from_name, use in sorted(used.controls.items()):
        control, index = new_parsed.find_control(from_name)
        if control is None:
            problems.append(f'control "{from_name}" is used by {use.count} result(s) but is not in the new config')
            continue
        subject = tag_label(control.tag, control.name)
        for result_type in sorted(use.types - {control.result_type}):
            problems.append(f'{subject} no longer writes "{result_type}" results, which existing results have')
        accepted = control.to_name_choices(index)
        for to_name in sorted(use.to_names - accepted.keys()):
            problems.append(f'object "{to_name}" used by results of {subject} is not among its targets any more')
        if control.declares_labels:
            for label in sorted(use.labels - control.label_set):
                problems.append(f'label "{label}" of {subject} is used by existing results')
    return problems
