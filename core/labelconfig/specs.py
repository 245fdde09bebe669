"""Plugin-facing building blocks of the config language (re-exported by ``labelloom.core.plugin``).

These types carry no tag names: the tags themselves are specs that plugins register. Kept in
``labelconfig`` so the parser can use them without importing ``plugin.py`` (no import cycle).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import msgspec
from msgspec import UNSET, UnsetType


class ResultProblem(ValueError):
    """Raised by a result checker (``normalize``/``check_item``): what is wrong, and where.

    :param message: a sentence for the user, e.g. ``"must be between 0 and 100"``.
    :param field: the field inside the result ``value`` (dotted, ``points[2]`` style), or None
        for the value as a whole.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True, kw_only=True)
class ConfigProblem:
    """A problem a tag's own ``validate`` function finds in a config.

    :param message: a sentence for the user; core prefixes it with the tag, e.g. ``<Tag name="x">``.
    :param attribute: the attribute at fault, if one is.
    :param line: source line; defaults to the line of the tag being validated.
    """

    message: str
    attribute: str | None = None
    line: int | None = None


@dataclass(slots=True)
class ResultContext:
    """What a result checker may look at besides the value.

    :ivar item: the whole result item as received (``original_width``, ``item_index`` ...).
    :ivar control: the :class:`~labelloom.core.labelconfig.model.ControlInfo` of ``from_name``
        (``name``, ``tag``, ``attrs``, ``labels``, ``label_set``, ``dynamic_labels``, ``node``),
        or None for top-level items such as relations.
    :ivar target: the :class:`~labelloom.core.labelconfig.model.ObjectInfo` of ``to_name``
        (``name``, ``tag``, ``attrs``, ``node``), or None when the item targets several objects.
    :ivar region_ids: ids of the region items in the same result list (top-level items only).
    :ivar labels: labels declared for a top-level item type (None = any label is allowed).
    """

    item: Mapping[str, Any]
    control: Any = None
    target: Any = None
    region_ids: frozenset[str] = frozenset()
    labels: frozenset[str] | None = None


@dataclass(frozen=True, kw_only=True)
class RegionSpec:
    """The geometry of regions drawn on an object tag (boxes on images, spans in text ...).

    :param name: geometry name (``"rectangle"``, ``"textspan"`` ...); a control's
        ``TagSpec.region`` refers to it.
    :param value: msgspec Struct of the geometry fields inside a result ``value``. Unknown keys
        are ignored here (the control owns them); use ``msgspec.UNSET`` defaults for optional
        fields so absent fields stay absent.
    :param keys: fields that identify this geometry when a control does not say which one it
        draws (per-region classifications, generic labels); default: the Struct's required fields.
    :param normalize: ``normalize(value_struct, ctx) -> value_struct``: check and make canonical
        (clamp, fill defaults); raise :class:`ResultProblem` to refuse.
    :param example: a valid geometry, used for sample results and template tests.
    :param expand: ``expand(results) -> results``: an annotation's result list with this
        geometry's keyframes expanded into every frame, for exports that ask for
        ``interpolate_key_frames`` (Label Studio's option for video tracks); it must leave items
        of other geometries as they are and not change its input. None: nothing to expand.
    """

    name: str
    value: type
    keys: tuple[str, ...] = ()
    normalize: Callable[[Any, ResultContext], Any] | None = None
    example: Mapping[str, Any] = field(default_factory=dict)
    expand: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None

    def identifying_keys(self) -> frozenset[str]:
        if self.keys:
            return frozenset(self.keys)
        return frozenset(
            f.name
            for f in msgspec.structs.fields(self.value)
            if f.required
        )


# ---------------------------------------------------------------------------------------------
# Attribute structs shared by many tags. Attribute names are matched case-insensitively; values
# arrive as strings and are converted with ``strict=False`` ("true" -> True, "5" -> 5).
# ---------------------------------------------------------------------------------------------

VisibleWhen = Literal["region-selected", "no-region-selected", "choice-selected", "choice-unselected"]


class TagAttrs(msgspec.Struct, kw_only=True):
    """Base of every attribute struct (visual tags often need nothing more)."""


class ObjectAttrs(TagAttrs):
    """Attributes every object tag has: a unique ``name`` and the data it shows (``value``)."""

    name: str
    value: str | UnsetType = UNSET


class ControlAttrs(TagAttrs):
    """Attributes every control tag accepts (Label Studio's common control attributes)."""

    name: str
    toName: str
    required: bool = False
    requiredMessage: str | UnsetType = UNSET
    perRegion: bool = False
    perItem: bool = False
    visibleWhen: VisibleWhen | UnsetType = UNSET
    whenTagName: str | UnsetType = UNSET
    whenLabelValue: str | UnsetType = UNSET
    whenChoiceValue: str | UnsetType = UNSET
    hotkey: str | UnsetType = UNSET
    showInline: bool | UnsetType = UNSET
    smart: bool | UnsetType = UNSET
    smartOnly: bool | UnsetType = UNSET


class LabelsFamilyAttrs(ControlAttrs):
    """Attributes of label-set controls (label items inside, or labels from the task)."""

    choice: Literal["single", "multiple"] = "single"
    maxUsages: int | UnsetType = UNSET
    opacity: float | UnsetType = UNSET
    fillColor: str | UnsetType = UNSET
    strokeColor: str | UnsetType = UNSET
    strokeWidth: float | UnsetType = UNSET
    value: str | UnsetType = UNSET
    allowEmpty: bool = False


class LabelItemAttrs(TagAttrs):
    """Attributes of one label declared inside a label-set control."""

    value: str
    alias: str | UnsetType = UNSET
    selected: bool = False
    hotkey: str | UnsetType = UNSET
    background: str = "#36B37E"
    selectedColor: str | UnsetType = UNSET
    hint: str | UnsetType = UNSET
    html: str | UnsetType = UNSET
    maxUsages: int | UnsetType = UNSET
    granularity: str | UnsetType = UNSET
    category: str | UnsetType = UNSET  # a class index in practice; kept as written
    showAlias: bool | UnsetType = UNSET
    aliasStyle: str | UnsetType = UNSET
    size: str | UnsetType = UNSET


def label_list_value(key: str) -> type:
    """A value Struct with one field ``key: list[str]`` (the label list of a labels-family tag)."""
    return msgspec.defstruct(f"{key}_value", [(key, list[str])], kw_only=True)


__all__ = [
    "ConfigProblem",
    "ControlAttrs",
    "LabelItemAttrs",
    "LabelsFamilyAttrs",
    "ObjectAttrs",
    "RegionSpec",
    "ResultContext",
    "ResultProblem",
    "TagAttrs",
    "VisibleWhen",
    "label_list_value",
]
