"""The specs of the data-type-agnostic tags: controls, the items declared inside them, visual
tags, and the two generic object tags (``Table`` and ``List``)."""

from __future__ import annotations

from typing import Any

from labelloom.core.plugin import (
    ConfigProblem,
    DataTypeSpec,
    LabelItemAttrs,
    LabelsFamilyAttrs,
    TagSpec,
    label_list_value,
)

from . import attrs as a
from . import values as v


def _number_bounds(tag: Any, config: Any) -> list[ConfigProblem]:
    low, high = tag.typed.min, tag.typed.max
    if isinstance(low, float) and isinstance(high, float) and low > high:
        return [ConfigProblem(message=f"min ({low:g}) is greater than max ({high:g})", attribute="min")]
    return []


def _rating_default(tag: Any, config: Any) -> list[ConfigProblem]:
    if not 0 <= tag.typed.defaultValue <= tag.typed.maxRating:
        return [ConfigProblem(message="defaultValue must be between 0 and maxRating", attribute="defaultValue")]
    if tag.typed.maxRating < 1:
        return [ConfigProblem(message="maxRating must be at least 1", attribute="maxRating")]
    return []


def _two_targets(tag: Any, config: Any) -> list[ConfigProblem]:
    names = [n for n in (tag.raw.get("toName") or "").split(",") if n.strip()]
    if len(names) != 2:
        return [ConfigProblem(message='toName must name exactly two objects, e.g. toName="left,right"', attribute="toName")]
    return []


def _labels_example(key: str):
    return lambda control: {key: v.first_label(control)}


def _options_sample(node: Any) -> list[dict[str, str]]:
    return [{"value": "Option A"}, {"value": "Option B"}]


CONTROL_TAGS = [
    TagSpec(
        name="Choices", widget="widgets/choices.js", attrs=a.ChoicesAttrs, result_type="choices", value=v.ChoicesValue,
        labels_key="choices", normalize=v.check_choices, items=("Choice",), items_required=True,
        example=_labels_example("choices"), sample_value=_options_sample,
    ),
    TagSpec(
        name="Labels", widget="widgets/labels.js", attrs=LabelsFamilyAttrs, result_type="labels", region="*",
        value=label_list_value("labels"), labels_key="labels", items=("Label",), items_required=True,
        example=_labels_example("labels"), sample_value=_options_sample,
    ),
    TagSpec(
        name="TextArea", widget="widgets/textarea.js", attrs=a.TextAreaAttrs, result_type="textarea", value=v.TextAreaValue,
        normalize=v.check_textarea, items=("Shortcut",), example=lambda c: {"text": ["Sample text"]},
    ),
    TagSpec(
        name="Rating", widget="widgets/rating.js", attrs=a.RatingAttrs, result_type="rating", value=v.RatingValue,
        normalize=v.check_rating, validate=_rating_default, example=lambda c: {"rating": c.attrs.maxRating},
    ),
    TagSpec(
        name="Number", widget="widgets/number.js", attrs=a.NumberAttrs, result_type="number", value=v.NumberValue,
        normalize=v.check_number, validate=_number_bounds,
        example=lambda c: {"number": next((b for b in (c.attrs.min, c.attrs.max) if isinstance(b, float)), 1)},
    ),
    TagSpec(
        name="DateTime", widget="widgets/datetime.js", attrs=a.DateTimeAttrs, result_type="datetime", value=v.DateTimeValue,
        normalize=v.check_datetime, example=lambda c: {"datetime": "2024-05-01T13:45"},
    ),
    TagSpec(
        name="Taxonomy", widget="widgets/taxonomy.js", attrs=a.TaxonomyAttrs, result_type="taxonomy", value=v.TaxonomyValue,
        normalize=v.check_taxonomy, items=("Choice",), items_required=True, example=v.example_taxonomy,
    ),
    TagSpec(
        name="Pairwise", widget="widgets/pairwise.js", attrs=a.PairwiseAttrs, result_type="pairwise", value=v.PairwiseValue,
        normalize=v.check_pairwise, validate=_two_targets, example=lambda c: {"selected": "left"},
    ),
    TagSpec(
        name="Ranker", widget="widgets/ranker.js", attrs=a.RankerAttrs, to=("List",), result_type="ranker", value=v.RankerValue,
        normalize=v.check_ranker, items=("Bucket",), example=v.example_ranker,
    ),
    TagSpec(
        name="Relations", widget="widgets/relations.js", attrs=a.RelationsAttrs, result_type="relation", items=("Relation",),
        top_level=True, check_item=v.check_relation,
    ),
]

ITEM_TAGS = [
    TagSpec(name="Label", kind="item", attrs=LabelItemAttrs, label=True),
    TagSpec(name="Choice", kind="item", attrs=a.ChoiceAttrs, label=True, items=("Choice",)),
    TagSpec(name="Relation", kind="item", attrs=a.RelationAttrs, label=True),
    TagSpec(name="Shortcut", kind="item", attrs=a.ShortcutAttrs),
    TagSpec(name="Bucket", kind="item", attrs=a.BucketAttrs),
    TagSpec(name="Panel", kind="item", attrs=a.PanelAttrs),
]

VISUAL_TAGS = [
    TagSpec(name="Header", widget="widgets/header.js", kind="visual", attrs=a.HeaderAttrs),
    TagSpec(name="Style", widget="widgets/style.js", kind="visual"),
    TagSpec(name="Collapse", widget="widgets/collapse.js", kind="visual", attrs=a.CollapseAttrs, items=("Panel",)),
    TagSpec(name="Filter", widget="widgets/filter.js", kind="visual", attrs=a.FilterAttrs),
    TagSpec(name="Markdown", widget="widgets/markdown.js", kind="visual", attrs=a.MarkdownAttrs),
]


def _table_sample(node: Any) -> dict[str, Any]:
    return {"Order": 1024, "Customer": "Jane Doe", "Total": "42.50 EUR"}


def _list_sample(node: Any) -> list[dict[str, Any]]:
    return [
        {"id": "1", "title": "First result", "body": "A short description of the first result."},
        {"id": "2", "title": "Second result", "body": "A short description of the second result."},
        {"id": "3", "title": "Third result", "body": "A short description of the third result."},
    ]


OBJECT_TAGS = [
    DataTypeSpec(name="Table", preview="table", widget="widgets/table.js", attrs=a.TableAttrs, sample_value=_table_sample),
    DataTypeSpec(name="List", preview="list", widget="widgets/list.js", attrs=a.ListAttrs, sample_value=_list_sample),
]
