"""What the API and the browser get from a parsed config.

- ``config_summary``: Label Studio's ``parsed_label_config`` ({control: {type, to_name, inputs,
  labels, labels_attrs}}), which SDKs and ML backends read.
- ``config_json``: the typed tree as JSON, plus keys the editor needs; with task data, Repeaters
  are expanded so the browser never parses or rewrites the XML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from typing import Any, Protocol

import msgspec

from .model import ControlInfo, ObjectInfo
from .tree import Node
from .variables import resolve

TREE_FORMAT = 1


class ParsedConfig(Protocol):
    """What the summaries read of a parsed config (``parse.ParsedConfig``, which calls them:
    this module does not import it back)."""

    @property
    def root(self) -> Node: ...
    @property
    def objects(self) -> Mapping[str, ObjectInfo]: ...
    @property
    def controls(self) -> Mapping[str, ControlInfo]: ...
    @property
    def data_keys(self) -> Sequence[str]: ...
    @property
    def data_types(self) -> Mapping[str, str]: ...
    @property
    def result_types(self) -> Set[str]: ...


def config_summary(parsed: ParsedConfig) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, control in parsed.controls.items():
        raw = control.ref.raw if control.ref is not None else {}
        inputs = []
        for target_name in control.to_names:
            obj = parsed.objects.get(target_name)
            if obj is None:
                continue
            entry: dict[str, Any] = {"type": obj.tag, "valueType": obj.ref.raw.get("valueType")}
            attribute = next((a for a in obj.spec.data_attrs if obj.ref.raw.get(a)), None)
            if attribute is not None:
                entry[attribute] = obj.ref.raw[attribute].lstrip("$")
            inputs.append(entry)
        info: dict[str, Any] = {
            "type": control.tag,
            "to_name": list(control.to_names),
            "inputs": inputs,
            "labels": list(control.labels),
            "labels_attrs": {label: dict(attrs) for label, attrs in control.labels_attrs.items()},
        }
        conditionals = _conditionals(raw)
        if conditionals:
            info["conditionals"] = conditionals
        if control.dynamic_labels:
            info["dynamic_labels"] = True
        if control.flag:
            info["regex"] = {control.flag: ".*"}
        out[name] = info
    return out


def _conditionals(raw: dict[str, str]) -> dict[str, str] | None:
    if raw.get("perRegion", "").lower() != "true":
        return None
    for attribute, kind in (("whenTagName", "tag"), ("whenLabelValue", "label"), ("whenChoiceValue", "choice")):
        if raw.get(attribute):
            return {"type": kind, "name": raw[attribute]}
    return None


def config_json(parsed: ParsedConfig, data: dict[str, Any] | None = None) -> dict[str, Any]:
    root = parsed.root if data is None else expand_repeaters(parsed.root, data)
    return {
        "format": TREE_FORMAT,
        "tree": msgspec.to_builtins(root),
        "data_keys": list(parsed.data_keys),
        "data_types": dict(parsed.data_types),
        "result_types": sorted(parsed.result_types),
        "controls": config_summary(parsed),
    }


def expand_repeaters(node: Node, data: dict[str, Any]) -> Node:
    """A copy of ``node`` where each Repeater holds one View per element of its list."""
    if node.tag == "Repeater":
        on = node.attrs.get("on", "")
        items = resolve(on, data) if isinstance(on, str) else None
        flag = node.attrs.get("indexFlag") or "{{idx}}"
        copies = []
        for index in range(len(items) if isinstance(items, list) else 0):
            children = [expand_repeaters(_substitute(child, flag, str(index)), data) for child in node.children]
            copies.append(Node(tag="View", kind="structural", line=node.line, children=children))
        return msgspec.structs.replace(node, children=copies)
    if not node.children:
        return node
    return msgspec.structs.replace(node, children=[expand_repeaters(c, data) for c in node.children])


def _substitute(node: Node, flag: str, index: str) -> Node:
    attrs = {k: v.replace(flag, index) if isinstance(v, str) else v for k, v in node.attrs.items()}
    text = node.text.replace(flag, index) if node.text else node.text
    children = [_substitute(child, flag, index) for child in node.children]
    return msgspec.structs.replace(node, attrs=attrs, text=text, children=children)
