"""The parsed config: objects, controls and the per-control caches result validation relies on.

Everything a result item needs (its control, the control's labels, the target object, the
geometry to check) is computed once here, so validating 100k results never re-reads the tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import msgspec

from .specs import RegionSpec
from .tree import Node, TagRef
from .variables import is_variable

# Pattern-matched from_names (Repeater templates) are remembered up to this many.
_MATCH_CACHE_LIMIT = 10_000


@dataclass(eq=False)
class ObjectInfo:
    """An object tag (data shown to the annotator) and the geometries its regions can have."""

    name: str
    tag: str
    spec: Any
    attrs: Any
    node: Node
    ref: TagRef
    regions: dict[str, RegionSpec] = field(default_factory=dict)
    # (identifying keys, region), most specific first, for values that do not say their shape
    detectors: list[tuple[frozenset[str], RegionSpec]] = field(default_factory=list)

    @classmethod
    def from_ref(cls, ref: TagRef, name: str) -> ObjectInfo:
        spec = ref.spec
        regions = {r.name: r for r in getattr(spec, "regions", ())}
        detectors = sorted(
            ((r.identifying_keys(), r) for r in regions.values()), key=lambda kr: -len(kr[0])
        )
        return cls(name, spec.name, spec, ref.typed, ref.node, ref, regions, detectors)

    def detect_region(self, value: dict[str, Any]) -> RegionSpec | None:
        for keys, region in self.detectors:
            if keys and keys.issubset(value.keys()):
                return region
        return None


@dataclass(eq=False)
class ControlInfo:
    """A control tag with everything result validation reuses for each of its items."""

    name: str
    tag: str
    spec: Any
    attrs: Any
    node: Node
    ref: TagRef | None
    to_names: tuple[str, ...]
    targets: dict[str, ObjectInfo]
    labels: tuple[str, ...] = ()
    labels_attrs: dict[str, dict[str, str]] = field(default_factory=dict)
    dynamic_labels: bool = False
    label_set: frozenset[str] = frozenset()
    value_fields: frozenset[str] = frozenset()
    pattern: re.Pattern[str] | None = None  # for names templated by a Repeater
    flag: str | None = None
    _choices: dict[str | None, dict[str, ObjectInfo | None]] = field(default_factory=dict, repr=False)

    @property
    def result_type(self) -> str | None:
        return self.spec.result_type

    @property
    def checks_labels(self) -> bool:
        return bool(self.spec.labels_key) and not self.dynamic_labels

    @property
    def declares_labels(self) -> bool:
        """Results may only use declared labels (so removing a used label orphans data)."""
        return not self.dynamic_labels and bool(self.spec.labels_key or self.label_set)

    def region_for(self, target: ObjectInfo | None, value: dict[str, Any]) -> RegionSpec | None:
        """The geometry to check in ``value``: the control's own, or whatever the value carries."""
        if target is None:
            return None
        wanted = self.spec.region
        if wanted and wanted != "*":
            return target.regions.get(wanted)
        return target.detect_region(value)

    def to_name_choices(self, index: str | None) -> dict[str, ObjectInfo | None]:
        """Accepted ``to_name`` values: each target, all targets comma-joined, or the control."""
        cached = self._choices.get(index)
        if cached is None:
            cached = self._compute_choices(index)
            if len(self._choices) < _MATCH_CACHE_LIMIT:
                self._choices[index] = cached
        return cached

    def _compute_choices(self, index: str | None) -> dict[str, ObjectInfo | None]:
        names = self.to_names
        if index is not None and self.flag:
            names = tuple(n.replace(self.flag, index) for n in names)
        choices: dict[str, ObjectInfo | None] = {}
        for template, name in zip(self.to_names, names):
            choices[name] = self.targets.get(template)
        if len(names) > 1:
            choices.setdefault(",".join(names), None)
        choices.setdefault(self.name if index is None else self.name.replace(self.flag or "", index), None)
        return choices


def value_fields_of(struct: type | None) -> frozenset[str]:
    if struct is None:
        return frozenset()
    return frozenset(f.encode_name for f in msgspec.structs.fields(struct))


def item_labels(control_ref: TagRef) -> list[TagRef]:
    """Items inside ``control_ref`` that declare its labels (``alias`` or ``value``)."""
    found: list[TagRef] = []
    stack = list(reversed(control_ref.children))
    while stack:
        ref = stack.pop()
        if ref.kind == "item" and ref.spec.label:
            found.append(ref)
        stack.extend(reversed(ref.children))
    return found


def label_of(item: TagRef) -> str | None:
    value = item.raw.get("alias") or item.raw.get("value")
    return value if value else None


def is_dynamic(ref: TagRef) -> bool:
    """The control's labels come from the task (``value="$field"``) or from an API."""
    return is_variable(ref.raw.get("value")) or bool(ref.raw.get("apiUrl"))


def repeater_pattern(name: str, flags: tuple[str, ...]) -> tuple[re.Pattern[str] | None, str | None]:
    for flag in flags:
        if flag in name:
            parts = name.split(flag)
            # the first placeholder captures the index, later ones must repeat it
            regex = re.escape(parts[0]) + r"(\d+)" + re.escape(parts[1])
            regex += "".join(r"\1" + re.escape(part) for part in parts[2:])
            return re.compile(regex + r"\Z"), flag
    return None, None


class ControlLookup:
    """``from_name`` -> control, including names a Repeater expands (``box_{{idx}}`` -> ``box_3``)."""

    def __init__(self, controls: dict[str, ControlInfo]) -> None:
        self._exact = controls
        self._templated = [c for c in controls.values() if c.pattern is not None]
        self._matched: dict[str, tuple[ControlInfo, str] | None] = {}

    def find(self, from_name: str) -> tuple[ControlInfo | None, str | None]:
        control = self._exact.get(from_name)
        if control is not None:
            return control, None
        if not self._templated:
            return None, None
        hit = self._matched.get(from_name, False)
        if hit is False:
            hit = None
            for candidate in self._templated:
                match = candidate.pattern.match(from_name) if candidate.pattern else None
                if match:
                    hit = (candidate, match.group(1))
                    break
            if len(self._matched) < _MATCH_CACHE_LIMIT:
                self._matched[from_name] = hit
        if hit is None:
            return None, None
        return hit
