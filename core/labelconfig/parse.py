"""``parse_config``: XML -> checked, indexed :class:`ParsedConfig` (or :class:`ConfigInvalid`)."""

from __future__ import annotations

from typing import Any

import msgspec

from .checks import ConfigIndex, check_config, split_names
from .issues import ConfigInvalid
from .model import (
    ControlInfo,
    ControlLookup,
    ObjectInfo,
    is_dynamic,
    item_labels,
    label_of,
    repeater_pattern,
    value_fields_of,
)
from .summary import config_json, config_summary
from .tree import Node, TagRef, build_tree
from .variables import data_key, variables_in
from .xmlparse import parse_xml


class TopLevelInfo:
    """A result type written as top-level items (no ``from_name``), e.g. relations.

    ``labels`` is None when the config declares none (any label passes); ``present`` says
    whether the config contains a tag of this type.
    """

    __slots__ = ("labels", "present", "spec")

    def __init__(self, spec: Any) -> None:
        self.spec = spec
        self.labels: frozenset[str] | None = None
        self.present = False


class ParsedConfig:
    """A valid labeling config, indexed for the API, the browser and result validation.

    :ivar xml: the config as given.
    :ivar root: the typed tree (:class:`~labelloom.core.labelconfig.tree.Node`).
    :ivar objects: object tags by name.
    :ivar controls: control tags by name (Repeater templates keep their ``{{idx}}`` names).
    :ivar data_keys: task data keys the config reads, in order of first use.
    :ivar data_types: data key -> object tag showing it (Label Studio's ``data_types``).
    :ivar result_types: result ``type`` values this config can produce.
    :ivar sample_hint: the JSON sample-task comment of the config, if any.
    """

    def __init__(self, xml: str, root: TagRef, refs: list[TagRef], index: ConfigIndex,
                 registries: Any, sample_hint: dict[str, Any] | None) -> None:
        self.xml = xml
        self.root: Node = root.node
        self.refs = refs
        self.sample_hint = sample_hint
        self._summary: bytes | None = None
        self.objects: dict[str, ObjectInfo] = {
            ref.name: ObjectInfo.from_ref(ref, ref.name) for ref in refs if ref.kind == "object" and ref.name
        }
        self.controls: dict[str, ControlInfo] = _controls(refs, self.objects, registries)
        self.lookup = ControlLookup(self.controls)
        self.top_level: dict[str, TopLevelInfo] = _top_level(refs, registries)
        self.data_keys, self.data_types = _data_keys(refs)
        self.result_types: set[str] = {c.result_type for c in self.controls.values() if c.result_type}
        self.result_types.update(t for t, info in self.top_level.items() if info.present)

    def find_control(self, from_name: str) -> tuple[ControlInfo | None, str | None]:
        """The control writing ``from_name`` and, for Repeater names, the index it carries."""
        return self.lookup.find(from_name)

    def summary(self) -> dict[str, Any]:
        """Label Studio's ``parsed_label_config`` (a fresh copy each call; built once)."""
        if self._summary is None:
            self._summary = msgspec.json.encode(config_summary(self))
        return msgspec.json.decode(self._summary)

    def to_json(self, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """The tree for the browser; with task ``data``, Repeaters are expanded."""
        return config_json(self, data)


def parse_config(xml: str, registries: Any) -> ParsedConfig:
    """Parse and validate a labeling config against the registered tags.

    :raises ConfigInvalid: listing every problem found (tag, attribute, line, sentence).
    """
    document = parse_xml(xml)
    tree = build_tree(document.root, registries)
    index, issues = check_config(tree.root, tree.refs, registries)
    issues = tree.issues + issues
    if issues:
        raise ConfigInvalid(_dedupe(issues))
    return ParsedConfig(xml, tree.root, tree.refs, index, registries, document.sample_hint)


def _dedupe(issues: list[Any]) -> list[Any]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for issue in issues:
        key = (issue.line, issue.message)
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return out


def _controls(refs: list[TagRef], objects: dict[str, ObjectInfo], registries: Any) -> dict[str, ControlInfo]:
    controls: dict[str, ControlInfo] = {}
    for ref in refs:
        if ref.kind == "control" and not ref.spec.top_level and ref.name:
            to_names = tuple(split_names(ref.raw.get("toName")))
            controls[ref.name] = _control(ref, ref.spec, ref.name, to_names, objects, ref.typed, ref.node)
    for obj in objects.values():
        spec_name = getattr(obj.spec, "self_control", None)
        spec = registries.tags.get(spec_name) if spec_name else None
        if spec is not None and obj.name not in controls:
            controls[obj.name] = _control(obj.ref, spec, obj.name, (obj.name,), objects, obj.attrs, obj.node)
    _share_labels(controls)
    return controls


def _control(ref: TagRef, spec: Any, name: str, to_names: tuple[str, ...],
             objects: dict[str, ObjectInfo], attrs: Any, node: Node) -> ControlInfo:
    items = item_labels(ref)
    labels: dict[str, dict[str, str]] = {}
    for item in items:
        label = label_of(item)
        if label is not None:
            labels.setdefault(label, dict(item.raw))
    pattern, flag = repeater_pattern(name, ref.index_flags)
    return ControlInfo(
        name=name,
        tag=spec.name,
        spec=spec,
        attrs=attrs,
        node=node,
        ref=ref,
        to_names=to_names,
        targets={n: objects[n] for n in to_names if n in objects},
        labels=tuple(labels),
        labels_attrs=labels,
        dynamic_labels=is_dynamic(ref) if ref.kind == "control" else False,
        label_set=frozenset(labels),
        value_fields=value_fields_of(spec.value),
        pattern=pattern,
        flag=flag,
    )


def _share_labels(controls: dict[str, ControlInfo]) -> None:
    """Controls with ``shared_labels`` accept the labels of every control on the same object."""
    for control in controls.values():
        if not control.spec.shared_labels:
            continue
        mine = set(control.to_names)
        pooled = set(control.label_set)
        dynamic = control.dynamic_labels
        for other in controls.values():
            if other is not control and mine.intersection(other.to_names):
                pooled.update(other.label_set)
                dynamic = dynamic or other.dynamic_labels
        control.label_set = frozenset(pooled)
        control.dynamic_labels = dynamic


def _top_level(refs: list[TagRef], registries: Any) -> dict[str, TopLevelInfo]:
    """Every registered top-level result type, with the labels the config declares for it."""
    found = {spec.result_type: TopLevelInfo(spec) for spec in registries.tags if spec.top_level and spec.result_type}
    for ref in refs:
        spec = ref.spec
        if ref.kind == "control" and spec.top_level and spec.result_type in found:
            info = found[spec.result_type]
            info.present = True
            labels = {label for item in item_labels(ref) if (label := label_of(item))}
            if labels:
                info.labels = (info.labels or frozenset()) | labels
    return found


def _data_keys(refs: list[TagRef]) -> tuple[list[str], dict[str, str]]:
    keys: dict[str, None] = {}
    types: dict[str, str] = {}
    for ref in refs:
        if ref.kind == "item":
            continue  # labels and choices are literal text
        data_attrs = getattr(ref.spec, "data_attrs", ()) if ref.kind == "object" else ()
        for attr, value in ref.raw.items():
            for variable in variables_in(value):
                key = data_key(variable)
                keys.setdefault(key, None)
                if attr in data_attrs:
                    types.setdefault(key, ref.tag)
    return list(keys), types
