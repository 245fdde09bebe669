"""Label changes as data: what the user asked (rename, merge, remove), checked against the old
and new configs, and the pure rewrite of one result list.

A change names a control (``from_name``) and one of its labels:

- ``{"from_name", "from", "to"}``: rename ``from`` to ``to``; when ``to`` is a label the old
  config already had, it is a *merge* (the label list is deduplicated, first occurrence kept);
- ``{"from_name", "remove"}``: delete the label from every label list; an item whose list
  becomes empty is deleted with the region's per-region classification items (same ``id``, a
  control that draws no region) and the relations that point at it.

Labels are the control's ``labels_key`` list in ``value`` (the tag spec says which key); every
other field of an item is kept. :func:`transform` is the reference behaviour: SQLite applies it
in batches, previews show its output, and PostgreSQL's jsonb statement (``sql.py``) does the
same in the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import ValidationFailed
from ..labelconfig import ParsedConfig


@dataclass(frozen=True)
class Change:
    from_name: str
    label: str
    to: str | None  # None: remove
    kind: str  # rename | merge | remove

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"from_name": self.from_name, "kind": self.kind}
        if self.to is None:
            out["remove"] = self.label
        else:
            out["from"], out["to"] = self.label, self.to
        return out


@dataclass(frozen=True)
class ControlPlan:
    """The changes of one control: label -> new label (None = removed)."""

    from_name: str
    key: str
    mapping: dict[str, str | None]


@dataclass
class Plan:
    changes: list[Change]
    controls: dict[str, ControlPlan]
    # from_names whose items are per-region classifications (deleted with their region)
    classifications: frozenset[str] = field(default_factory=frozenset)


def _refuse(index: int, message: str) -> ValidationFailed:
    return ValidationFailed(f"changes[{index}]: {message}", validation_errors={f"changes[{index}]": [message]})


def build_plan(raw: Any, old: ParsedConfig, new: ParsedConfig) -> Plan:
    """Check the requested changes against both configs; raise ValidationFailed naming the entry."""
    if not isinstance(raw, list):
        raise ValidationFailed("changes must be a list", validation_errors={"changes": ["must be a list"]})
    changes: list[Change] = []
    mappings: dict[str, dict[str, str | None]] = {}
    keys: dict[str, str] = {}
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict) or not isinstance(entry.get("from_name"), str):
            raise _refuse(index, "each change needs a from_name")
        from_name = entry["from_name"]
        control, _ = old.find_control(from_name)
        if control is None or not control.spec.labels_key:
            raise _refuse(index, f'"{from_name}" is not a control with labels in the current config')
        remove = entry.get("remove")
        if isinstance(remove, str) and remove:
            label, to = remove, None
        elif isinstance(entry.get("from"), str) and isinstance(entry.get("to"), str) and entry["from"] and entry["to"]:
            label, to = entry["from"], entry["to"]
            if label == to:
                raise _refuse(index, f'"{label}" is renamed to itself')
            target, _ = new.find_control(from_name)
            if target is None:
                raise _refuse(index, f'"{from_name}" is not in the new config, so nothing can be renamed in it')
            if target.declares_labels and to not in target.label_set:
                raise _refuse(index, f'"{to}" is not a label of "{from_name}" in the new config')
        else:
            raise _refuse(index, 'give "from" and "to" to rename, or "remove" to delete a label')
        mapping = mappings.setdefault(from_name, {})
        if label in mapping:
            raise _refuse(index, f'"{label}" of "{from_name}" is changed twice')
        mapping[label] = to
        keys[from_name] = control.spec.labels_key
        kind = "remove" if to is None else ("merge" if to in control.label_set else "rename")
        changes.append(Change(from_name, label, to, kind))
    classifications = frozenset(name for name, c in old.controls.items() if c.spec.region is None)
    controls = {name: ControlPlan(name, keys[name], mapping) for name, mapping in mappings.items()}
    return Plan(changes, controls, classifications)


def _dedupe(values: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    out = []
    for value in values:
        marker = value if isinstance(value, str) else repr(value)
        if marker in seen:
            continue
        seen.add(marker)
        out.append(value)
    return out


def touches(item: Any, plan: Plan) -> ControlPlan | None:
    """The control plan an item falls under, when its label list holds a changed label."""
    if not isinstance(item, dict):
        return None
    control = plan.controls.get(item.get("from_name"))  # type: ignore[arg-type]
    if control is None:
        return None
    value = item.get("value")
    labels = value.get(control.key) if isinstance(value, dict) else None
    if not isinstance(labels, list):
        return None
    if any(isinstance(label, str) and label in control.mapping for label in labels):
        return control
    return None


def rewrite_item(item: dict[str, Any], control: ControlPlan) -> dict[str, Any] | None:
    """The item after the control's changes; None when its label list ends up empty."""
    value = item["value"]
    labels = []
    for label in value[control.key]:
        if isinstance(label, str) and label in control.mapping:
            label = control.mapping[label]
            if label is None:
                continue
        labels.append(label)
    labels = _dedupe(labels)
    if not labels:
        return None
    return {**item, "value": {**value, control.key: labels}}


def transform(result: Any, plan: Plan) -> list[Any] | None:
    """``result`` rewritten by the plan, or None when nothing in it changes."""
    if not isinstance(result, list):
        return None
    changed = False
    dead: set[str] = set()
    out: list[Any] = []
    for item in result:
        control = touches(item, plan)
        if control is None:
            out.append(item)
            continue
        changed = True
        after = rewrite_item(item, control)
        if after is None:
            if item.get("id") is not None:
                dead.add(str(item["id"]))
            continue
        out.append(after)
    if not changed:
        return None
    if dead:
        out = [item for item in out if not _dies_with(item, dead, plan)]
    return out


def _dies_with(item: Any, dead: set[str], plan: Plan) -> bool:
    if not isinstance(item, dict):
        return False
    if "from_id" in item and "to_id" in item:  # a top-level link between two regions
        return str(item.get("from_id")) in dead or str(item.get("to_id")) in dead
    return (item.get("id") is not None and str(item["id"]) in dead
            and item.get("from_name") in plan.classifications)
