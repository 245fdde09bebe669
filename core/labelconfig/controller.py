"""HTTP routes: ``POST /api/projects/validate/``, ``POST /api/labeling/tree``, ``GET /api/templates``."""

from __future__ import annotations

import weakref
from typing import Any

import msgspec
from litestar import Controller, get, post
from litestar.status_codes import HTTP_200_OK

from ..errors import ValidationFailed
from ..registries import Registries
from .issues import ConfigInvalid
from .parse import parse_config
from .samples import sample_task


class LabelConfigIn(msgspec.Struct):
    label_config: Any = None  # checked below, so a missing field is reported under its own name


class ConfigTreeIn(msgspec.Struct):
    label_config: Any = None
    data: dict[str, Any] | None = None


class TemplatesOut(msgspec.Struct):
    templates: list[dict[str, Any]]
    groups: list[str]


# Templates are parsed once per set of registries (i.e. once per application).
_GALLERY: weakref.WeakKeyDictionary[Any, TemplatesOut] = weakref.WeakKeyDictionary()


def gallery(registries: Any) -> TemplatesOut:
    """Every registered template whose config is valid with the enabled plugins."""
    cached = _GALLERY.get(registries)
    if cached is not None:
        return cached
    templates: list[dict[str, Any]] = []
    groups: dict[str, None] = {}
    for spec in registries.templates:
        try:
            parsed = parse_config(spec.config, registries)
        except ConfigInvalid:
            continue  # it needs a disabled plugin
        groups.setdefault(spec.group, None)
        templates.append(
            {
                "name": spec.name,
                "title": spec.title,
                "group": spec.group,
                "description": spec.description,
                "config": spec.config,
                "sample_task": dict(spec.sample_task) or sample_task(parsed, registries),
                "plugin": registries.templates.owner(spec.name),
            }
        )
    result = TemplatesOut(templates=templates, groups=list(groups))
    _GALLERY[registries] = result
    return result


def _required_config(value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationFailed(
            "label_config: This field is required.", validation_errors={"label_config": ["This field is required."]}
        )
    return value


class LabelConfigController(Controller):
    path = "/api"
    tags = ["Labeling config"]

    @post("/projects/validate/", operation_id="label_config_validate", status_code=HTTP_200_OK)
    async def validate(self, registries: Registries, data: LabelConfigIn) -> dict[str, Any]:
        """Check a labeling config; 400 with ``validation_errors.label_config`` when invalid."""
        parsed = parse_config(_required_config(data.label_config), registries)
        return {
            "label_config": data.label_config,
            "parsed_label_config": parsed.summary(),
            "data_keys": parsed.data_keys,
        }

    @post("/labeling/tree", operation_id="label_config_tree", status_code=HTTP_200_OK)
    async def tree(self, registries: Registries, data: ConfigTreeIn) -> dict[str, Any]:
        """The parsed config as the labeling runtime renders it (Repeaters expanded for ``data``),
        plus a sample task for previews; 400 with every problem and its line when invalid."""
        parsed = parse_config(_required_config(data.label_config), registries)
        out = parsed.to_json(data.data)
        out["sample_task"] = sample_task(parsed, registries)
        return out

    @get("/templates", operation_id="templates_list")
    async def templates(self, registries: Registries) -> TemplatesOut:
        """The template gallery, from every enabled plugin."""
        return gallery(registries)
