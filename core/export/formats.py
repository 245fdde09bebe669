"""Which registered formats a project may use, and looking one up by its ``exportType``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ValidationFailed
from ..specs import ExporterSpec
from ..registries import Registries

if TYPE_CHECKING:
    from ..labelconfig.parse import ParsedConfig


def offered(spec: ExporterSpec, config: ParsedConfig) -> bool:
    """A format fits a project when it can express every result type of the config (and the
    config produces one of the types it requires and has one of the objects it requires, if it
    names any)."""
    result_types = config.result_types
    if spec.requires and not result_types & spec.requires:
        return False
    if spec.requires_objects and not any(o.tag in spec.requires_objects for o in config.objects.values()):
        return False
    return not spec.supports or result_types <= spec.supports


def formats_json(registries: Registries, config: ParsedConfig) -> list[dict[str, Any]]:
    return [
        {"name": spec.name, "title": spec.title, "description": spec.description, "link": spec.link,
         "tags": list(spec.tags)}
        for spec in registries.exporters
        if spec.write is not None and offered(spec, config)
    ]


def exporter(registries: Registries, name: str, config: ParsedConfig) -> ExporterSpec:
    spec = registries.exporters.get(name)
    if spec is None or spec.write is None:
        known = ", ".join(s.name for s in registries.exporters)
        raise ValidationFailed(f"Unknown export type {name!r} (known: {known}).",
                               validation_errors={"export_type": [f"unknown: {name}"]})
    if not offered(spec, config):
        raise ValidationFailed(f"Format {name} cannot express this project's results.",
                               validation_errors={"export_type": [f"not supported by this project: {name}"]})
    return spec
