"""Result validation: every item is checked against the parsed config and made canonical.

An item's ``value`` is checked in two parts: the region geometry by the target object's
``RegionSpec`` and the control's own fields by its ``TagSpec``. Keys neither part declares are
kept as they are, so data from newer Label Studio versions survives a round trip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec
from msgspec import UNSET, UnsetType

from ..errors import ValidationFailed
from .issues import tag_label
from .specs import ResultContext, ResultProblem

if TYPE_CHECKING:
    from .model import ControlInfo, ObjectInfo
    from .parse import ParsedConfig

MAX_REPORTED = 50


class ItemFields(msgspec.Struct, kw_only=True):
    """Fields any result item may carry besides ``value`` (Label Studio's region fields)."""

    id: str | int | UnsetType = UNSET
    origin: str | UnsetType = UNSET
    score: float | None | UnsetType = UNSET
    readonly: bool | UnsetType = UNSET
    hidden: bool | UnsetType = UNSET
    parentID: str | None | UnsetType = UNSET
    original_width: float | None | UnsetType = UNSET
    original_height: float | None | UnsetType = UNSET
    image_rotation: float | None | UnsetType = UNSET
    original_length: float | None | UnsetType = UNSET
    item_index: int | None | UnsetType = UNSET
    meta: dict[str, Any] | None | UnsetType = UNSET
    is_positive: bool | UnsetType = UNSET


class _Refused(Exception):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message


_TYPE_WORDS = {
    "float": "a number", "int": "a whole number", "str": "a string", "bool": "true or false",
    "array": "a list", "object": "an object", "null": "null",
}


def _human(message: str) -> tuple[str, str]:
    """Split a msgspec error into (path below the value, sentence)."""
    path = ""
    if " - at `$" in message:
        message, _, where = message.partition(" - at `$")
        path = where.rstrip("`").lstrip(".")
    if message.startswith("Object missing required field `"):
        name = message.split("`")[1]
        return (f"{path}.{name}" if path else name), "is required"
    if message.startswith("Expected `"):
        parts = message.split("`")
        expected = " or ".join(_TYPE_WORDS.get(p.strip(), p.strip()) for p in parts[1].split("|"))
        got = _TYPE_WORDS.get(parts[3], parts[3]) if len(parts) > 3 else "something else"
        return path, f"must be {expected}, not {got}"
    return path, message[:1].lower() + message[1:]


def _join(prefix: str, field: str | None) -> str:
    if not field:
        return prefix
    return f"{prefix}{field}" if field.startswith("[") else f"{prefix}.{field}"


def validate_results(parsed: ParsedConfig, results: Any, registries: Any = None, *, where: str = "result") -> list:
    """Check every result item against ``parsed``; return the canonical list (input untouched).

    ``registries`` is accepted for symmetry with :func:`parse_config`; the parsed config already
    holds the specs it was built with, so nothing is looked up per item.

    :raises ValidationFailed: naming ``<where>[i].<field>`` for each refused item (nothing is
        returned, so callers write nothing).
    """
    if not isinstance(results, list):
        raise ValidationFailed(f"{where}: must be a list of result items", validation_errors={where: ["must be a list"]})
    errors: dict[str, list[str]] = {}
    out: list[Any] = []
    region_ids: frozenset[str] | None = None
    for position, item in enumerate(results):
        try:
            if isinstance(item, dict) and "from_name" not in item and item.get("type") in parsed.top_level:
                if region_ids is None:
                    region_ids = _region_ids(results)
                out.append(_check_top_level(parsed, item, region_ids))
            else:
                out.append(_check_item(parsed, item))
        except _Refused as refused:
            errors.setdefault(_join(f"{where}[{position}]", refused.field), []).append(refused.message)
            if len(errors) >= MAX_REPORTED:
                break
    if errors:
        first_key = next(iter(errors))
        detail = f"{first_key}: {errors[first_key][0]}"
        if len(errors) > 1:
            detail += f" (and {len(errors) - 1} more)"
        raise ValidationFailed(detail, validation_errors=errors)
    return out


def _region_ids(results: list[Any]) -> frozenset[str]:
    return frozenset(
        str(item["id"]) for item in results if isinstance(item, dict) and "from_name" in item and "id" in item
    )


def _check_top_level(parsed: ParsedConfig, item: dict[str, Any], region_ids: frozenset[str]) -> dict[str, Any]:
    info = parsed.top_level[item["type"]]
    ctx = ResultContext(item=item, region_ids=region_ids, labels=info.labels)
    try:
        return info.spec.check_item(dict(item), ctx) if info.spec.check_item else dict(item)
    except ResultProblem as problem:
        raise _Refused(problem.field or "", problem.message) from None


def _check_item(parsed: ParsedConfig, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise _Refused("", "must be an object with from_name, to_name, type and value")
    result_type = item.get("type")
    from_name = item.get("from_name")
    if not isinstance(from_name, str) or not from_name:
        raise _Refused("from_name", "is required (the name of the control that made this result)")
    control, index = parsed.find_control(from_name)
    if control is None:
        raise _Refused("from_name", f'"{from_name}" is not the name of a control in the labeling config')
    if control.result_type is None:
        raise _Refused("from_name", f"{tag_label(control.tag, control.name)} writes no results of its own")
    if result_type != control.result_type:
        raise _Refused(
            "type", f'must be "{control.result_type}" for {tag_label(control.tag, control.name)}, not {result_type!r}'
        )
    target = _target(control, item.get("to_name"), index)
    value = item.get("value")
    if not isinstance(value, dict):
        raise _Refused("value", "must be an object")
    normalized = dict(item)
    normalized["value"] = _check_value(control, target, value, item)
    _check_common(normalized)
    return normalized


def _target(control: ControlInfo, to_name: Any, index: str | None) -> ObjectInfo | None:
    choices = control.to_name_choices(index)
    if not isinstance(to_name, str) or to_name not in choices:
        expected = " or ".join(f'"{c}"' for c in list(choices)[:3])
        raise _Refused("to_name", f"must be {expected} for {tag_label(control.tag, control.name)}, not {to_name!r}")
    return choices[to_name]


def _check_value(control: ControlInfo, target: ObjectInfo | None, value: dict[str, Any], item: dict[str, Any]) -> dict:
    out = dict(value)
    ctx = ResultContext(item=item, control=control, target=target)
    region = control.region_for(target, value)
    if region is None and control.spec.region and target is not None:
        shapes = "; ".join(", ".join(sorted(keys)) for keys, _ in target.detectors) or "none"
        raise _Refused(
            "value", f"must describe a region of {tag_label(target.tag, target.name)} (with the fields of one of: {shapes})"
        )
    if region is not None:
        own = control.value_fields
        geometry = value if not own or own.isdisjoint(value) else {k: v for k, v in value.items() if k not in own}
        out.update(_run(region.value, region.normalize, geometry, ctx))
    spec = control.spec
    if spec.value is not None:
        part = _run(spec.value, spec.normalize, value, ctx, labels_of=control)
        out.update(part)
    return out


def _run(struct: type, normalize: Any, data: dict[str, Any], ctx: ResultContext,
         labels_of: ControlInfo | None = None) -> dict[str, Any]:
    try:
        converted = msgspec.convert(data, struct, strict=False)
    except msgspec.ValidationError as exc:
        path, message = _human(str(exc))
        raise _Refused(_join("value", path), message) from None
    if labels_of is not None and labels_of.checks_labels:
        _check_labels(labels_of, getattr(converted, labels_of.spec.labels_key, None))
    if normalize is not None:
        try:
            converted = normalize(converted, ctx)
        except ResultProblem as problem:
            raise _Refused(_join("value", problem.field), problem.message) from None
    return msgspec.to_builtins(converted)


def _check_labels(control: ControlInfo, values: Any) -> None:
    if not isinstance(values, list):
        return
    declared = control.label_set
    key = control.spec.labels_key
    for position, entry in enumerate(values):
        for label in entry if isinstance(entry, list) else (entry,):
            if label not in declared:
                known = ", ".join(control.labels[:10]) or "none"
                raise _Refused(
                    f"value.{key}[{position}]",
                    f"{label!r} is not a label of {tag_label(control.tag, control.name)} (declared: {known})",
                )


def _check_common(item: dict[str, Any]) -> None:
    try:
        fields = msgspec.convert(item, ItemFields, strict=False)
    except msgspec.ValidationError as exc:
        path, message = _human(str(exc))
        raise _Refused(path, message) from None
    if isinstance(fields.id, int):
        item["id"] = str(fields.id)
    for name in ("original_width", "original_height"):
        size = getattr(fields, name)
        if isinstance(size, float) and size <= 0:
            raise _Refused(name, "must be a positive number of pixels")
    if isinstance(fields.item_index, int) and fields.item_index < 0:
        raise _Refused("item_index", "must not be negative")
