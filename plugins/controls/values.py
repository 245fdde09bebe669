"""Result values of the data-type-agnostic controls: their structs, checks and examples."""

from __future__ import annotations

import math
import re
import weakref
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from labelloom.core.plugin import ResultContext, ResultProblem


class ChoicesValue(msgspec.Struct, kw_only=True):
    choices: list[str | list[str]]


class TextAreaValue(msgspec.Struct, kw_only=True):
    text: list[str] | str


class RatingValue(msgspec.Struct, kw_only=True):
    rating: int


class NumberValue(msgspec.Struct, kw_only=True):
    number: int | float


class DateTimeValue(msgspec.Struct, kw_only=True):
    datetime: str


class TaxonomyValue(msgspec.Struct, kw_only=True):
    taxonomy: list[list[str]]


class PairwiseValue(msgspec.Struct, kw_only=True):
    selected: str


class RankerValue(msgspec.Struct, kw_only=True):
    ranker: dict[str, list[str]]


class RelationItem(msgspec.Struct, kw_only=True):
    from_id: str | int
    to_id: str | int
    type: str
    direction: str = "right"
    labels: list[str] | UnsetType = UNSET


# -- checks ------------------------------------------------------------------------------------


def check_choices(value: ChoicesValue, ctx: ResultContext) -> ChoicesValue:
    nested = bool(getattr(ctx.control.attrs, "allowNested", False))
    for position, entry in enumerate(value.choices):
        if isinstance(entry, list) and not nested:
            if len(entry) != 1:
                raise ResultProblem("nested choices need allowNested=\"true\" on the tag", f"choices[{position}]")
            value.choices[position] = entry[0]  # ["A"] written by older exporters means "A"
    return value


def check_textarea(value: TextAreaValue, ctx: ResultContext) -> TextAreaValue:
    if isinstance(value.text, str):
        value.text = [value.text]  # a bare string is how predictions often arrive
    return value


def check_rating(value: RatingValue, ctx: ResultContext) -> RatingValue:
    top = ctx.control.attrs.maxRating
    if not 0 <= value.rating <= top:
        raise ResultProblem(f"must be between 0 and {top} (maxRating)", "rating")
    return value


def check_number(value: NumberValue, ctx: ResultContext) -> NumberValue:
    number = value.number
    if isinstance(number, float) and not math.isfinite(number):
        raise ResultProblem("must be a finite number", "number")
    low, high = ctx.control.attrs.min, ctx.control.attrs.max
    if isinstance(low, float) and number < low:
        raise ResultProblem(f"must be at least {low:g} (min)", "number")
    if isinstance(high, float) and number > high:
        raise ResultProblem(f"must be at most {high:g} (max)", "number")
    return value


_DATE = r"\d{4}(-\d{2}(-\d{2})?)?"
_TIME = r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"
_DATETIME = re.compile(rf"^({_DATE}([T ]{_TIME})?|{_TIME})$")


def check_datetime(value: DateTimeValue, ctx: ResultContext) -> DateTimeValue:
    if not _DATETIME.match(value.datetime.strip()):
        raise ResultProblem("must be an ISO date or time such as 2024-05-01T13:45", "datetime")
    return value


_TAXONOMY_PATHS: weakref.WeakKeyDictionary[Any, frozenset[tuple[str, ...]]] = weakref.WeakKeyDictionary()


def _taxonomy_paths(control: Any) -> frozenset[tuple[str, ...]]:
    """Every path from a root choice down to any choice, computed once per parsed control."""
    cached = _TAXONOMY_PATHS.get(control)
    if cached is not None:
        return cached
    paths: set[tuple[str, ...]] = set()

    def walk(ref: Any, prefix: tuple[str, ...]) -> None:
        for child in ref.children:
            if child.kind == "item" and child.tag == "Choice":
                path = (*prefix, child.raw.get("alias") or child.raw.get("value", ""))
                paths.add(path)
                walk(child, path)
            elif child.kind in ("structural", "visual"):
                walk(child, prefix)

    walk(control.ref, ())
    result = frozenset(paths)
    _TAXONOMY_PATHS[control] = result
    return result


def check_taxonomy(value: TaxonomyValue, ctx: ResultContext) -> TaxonomyValue:
    control = ctx.control
    if control.dynamic_labels:
        return value
    known = _taxonomy_paths(control)
    for position, path in enumerate(value.taxonomy):
        if not path:
            raise ResultProblem("must not be an empty path", f"taxonomy[{position}]")
        if tuple(path) not in known:
            shown = " / ".join(path)
            raise ResultProblem(f'"{shown}" is not a path of the taxonomy', f"taxonomy[{position}]")
    return value


def check_pairwise(value: PairwiseValue, ctx: ResultContext) -> PairwiseValue:
    if value.selected not in ("left", "right"):
        raise ResultProblem('must be "left" or "right"', "selected")
    return value


def check_ranker(value: RankerValue, ctx: ResultContext) -> RankerValue:
    control = ctx.control
    buckets = {child.raw.get("name") for child in control.ref.descendants() if child.tag == "Bucket"}
    allowed = (buckets | {"_"}) if buckets else {control.name, "_"}
    if control.flag is not None:
        return value  # Repeater-templated rankers name their list per index
    for key in value.ranker:
        if key not in allowed:
            names = ", ".join(sorted(k for k in allowed if k))
            raise ResultProblem(f'"{key}" is not a bucket of this ranker (expected {names})', f"ranker.{key}")
    return value


def check_relation(item: dict[str, Any], ctx: ResultContext) -> dict[str, Any]:
    try:
        relation = msgspec.convert(item, RelationItem, strict=False)
    except msgspec.ValidationError as exc:
        message = str(exc)
        field = message.split("`")[1] if message.startswith("Object missing required field") else None
        raise ResultProblem("is required" if field else message, field) from None
    for field_name in ("from_id", "to_id"):
        region = str(getattr(relation, field_name))
        if region not in ctx.region_ids:
            raise ResultProblem(f'"{region}" is not the id of a region in this result', field_name)
        item[field_name] = region
    if relation.direction not in ("right", "left", "bi"):
        raise ResultProblem('must be "right", "left" or "bi"', "direction")
    item["direction"] = relation.direction
    if isinstance(relation.labels, list) and ctx.labels is not None:
        for position, label in enumerate(relation.labels):
            if label not in ctx.labels:
                raise ResultProblem(f"{label!r} is not a declared relation label", f"labels[{position}]")
    return item


# -- examples for sample results -----------------------------------------------------------------


def first_label(control: Any) -> list[str]:
    return list(control.labels[:1])


def example_taxonomy(control: Any) -> dict[str, Any]:
    paths = sorted(_taxonomy_paths(control), key=len)
    return {"taxonomy": [list(paths[0])] if paths else []}


def example_ranker(control: Any) -> dict[str, Any]:
    buckets = [c.raw.get("name") for c in control.ref.descendants() if c.tag == "Bucket"]
    return {"ranker": {(buckets[0] if buckets else control.name): ["1", "2"]}}
