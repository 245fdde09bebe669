"""Attribute structs of the data-type-agnostic tags (from Label Studio's tag documentation)."""

from __future__ import annotations

from typing import Literal

from msgspec import UNSET, UnsetType

from labelloom.core.plugin import ControlAttrs, LabelsFamilyAttrs, ObjectAttrs, TagAttrs

Opt = UnsetType  # shorthand: optional attributes default to UNSET (absent stays absent)


class ChoicesAttrs(ControlAttrs):
    choice: Literal["single", "single-radio", "multiple"] = "single"
    layout: str | Opt = UNSET  # select / inline / vertical / horizontal
    showInline: bool | Opt = UNSET
    value: str | Opt = UNSET  # choices from the task
    allowNested: bool = False
    maxUsages: int | Opt = UNSET
    selection: str | Opt = UNSET


class ChoiceAttrs(TagAttrs):
    value: str
    alias: str | Opt = UNSET
    selected: bool = False
    hotkey: str | Opt = UNSET
    html: str | Opt = UNSET
    hint: str | Opt = UNSET
    style: str | Opt = UNSET
    color: str | Opt = UNSET
    background: str | Opt = UNSET


class TextAreaAttrs(ControlAttrs):
    rows: int = 1
    editable: bool = False
    transcription: bool = False
    maxSubmissions: int | Opt = UNSET
    skipDuplicates: bool = False
    displayMode: Literal["tag", "region-list"] = "tag"
    placeholder: str | Opt = UNSET
    value: str | Opt = UNSET
    showSubmitButton: bool | Opt = UNSET
    label: str | Opt = UNSET


class ShortcutAttrs(TagAttrs):
    value: str
    alias: str | Opt = UNSET
    hotkey: str | Opt = UNSET
    background: str | Opt = UNSET


class RatingAttrs(ControlAttrs):
    toName: str | Opt = UNSET  # optional in Label Studio (its schema requires it of Choices, Labels, TextArea, Number)
    maxRating: int = 5
    defaultValue: int = 0
    size: str | Opt = UNSET
    icon: str | Opt = UNSET


class NumberAttrs(ControlAttrs):
    min: float | Opt = UNSET
    max: float | Opt = UNSET
    step: float = 1
    defaultValue: float | Opt = UNSET
    slider: bool = False
    placeholder: str | Opt = UNSET


class DateTimeAttrs(ControlAttrs):
    toName: str | Opt = UNSET  # optional in Label Studio (its schema requires it of Choices, Labels, TextArea, Number)
    only: str | Opt = UNSET  # date, time, month, year (comma-separated combinations)
    format: str | Opt = UNSET
    min: str | Opt = UNSET
    max: str | Opt = UNSET


class TaxonomyAttrs(ControlAttrs):
    toName: str | Opt = UNSET  # optional in Label Studio (its schema requires it of Choices, Labels, TextArea, Number)
    leafsOnly: bool = False
    showFullPath: bool = False
    pathSeparator: str = " / "
    maxUsages: int | Opt = UNSET
    apiUrl: str | Opt = UNSET
    labeling: bool = False
    legacy: bool = False
    placeholder: str | Opt = UNSET
    minWidth: str | Opt = UNSET
    maxWidth: str | Opt = UNSET
    dropdownWidth: str | Opt = UNSET
    value: str | Opt = UNSET


class PairwiseAttrs(ControlAttrs):
    selectionStyle: str | Opt = UNSET
    leftClass: str | Opt = UNSET
    rightClass: str | Opt = UNSET


class RankerAttrs(ControlAttrs):
    mode: str | Opt = UNSET


class BucketAttrs(TagAttrs):
    name: str
    title: str | Opt = UNSET
    default: bool = False
    style: str | Opt = UNSET


class RelationsAttrs(TagAttrs):
    choice: Literal["single", "multiple"] = "single"


class RelationAttrs(TagAttrs):
    value: str
    background: str | Opt = UNSET


class HeaderAttrs(TagAttrs):
    value: str | Opt = UNSET
    size: int = 4
    style: str | Opt = UNSET
    underline: bool = False
    name: str | Opt = UNSET


class CollapseAttrs(TagAttrs):
    accordion: bool = True
    bordered: bool = False


class PanelAttrs(TagAttrs):
    value: str | Opt = UNSET
    open: bool | Opt = UNSET


class FilterAttrs(TagAttrs):
    name: str | Opt = UNSET
    toName: str | Opt = UNSET
    placeholder: str = "Quick Filter"
    minlength: int = 3
    hotkey: str | Opt = UNSET
    style: str | Opt = UNSET
    cleanup: bool | Opt = UNSET


class MarkdownAttrs(TagAttrs):
    value: str | Opt = UNSET
    style: str | Opt = UNSET
    className: str | Opt = UNSET
    name: str | Opt = UNSET


class TableAttrs(ObjectAttrs):
    valueType: str | Opt = UNSET


class ListAttrs(ObjectAttrs):
    title: str | Opt = UNSET


__all__ = [
    "BucketAttrs",
    "ChoiceAttrs",
    "ChoicesAttrs",
    "CollapseAttrs",
    "DateTimeAttrs",
    "FilterAttrs",
    "HeaderAttrs",
    "LabelsFamilyAttrs",
    "ListAttrs",
    "MarkdownAttrs",
    "NumberAttrs",
    "PairwiseAttrs",
    "PanelAttrs",
    "RankerAttrs",
    "RatingAttrs",
    "RelationAttrs",
    "RelationsAttrs",
    "ShortcutAttrs",
    "TableAttrs",
    "TaxonomyAttrs",
    "TextAreaAttrs",
]
