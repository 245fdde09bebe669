"""Which registered formats a project may use, and looking one up by its ``exportType``."""

from __future__ import annotations

from typing import Any

from ..errors import ValidationFailed
from ..plugin import ExporterSpec
from ..registries import Registries


def offered(spec: ExporterSpec, result_types: set[str]) -> bool:
    """A format fits a project when it can express every result type of the config (and the
    config produces one of the types it requires, if it names any)."""
    if spec.requires and not result_types & set(spec.requires):
        return False
    return not spec.supports or result_types <= set(spec.supports)


def formats_json(registries: Registries, result_types: set[str]) -> list[dict[str, Any]]:
    return [
        {"name": spec.name, "title": spec.title, "description": spec.description, "link": spec.link,
         "tags": list(spec.tags)}
        for spec in registries.exporters
        if spec.write is not None and offered(spec, result_types)
    ]


def exporter(registries: Registries, name: str, result_types: set[str]) -> ExporterSpec:
    spec = registries.exporters.get(name)
    if spec is None or spec.write is None:
        known = ", ".join(s.name for s in registries.exporters)
        raise ValidationFailed(f"Unknown export type {name!r} (known: {known}).",
                               validation_errors={"export_type": [f"unknown: {name}"]})
    if not offered(spec, result_types):
        raise ValidationFailed(f"Format {name} cannot express this project's results.",
                               validation_errors={"export_type": [f"not supported by this project: {name}"]})
    return spec
