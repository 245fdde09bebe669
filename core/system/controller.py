"""Liveness, version and ``GET /api/plugins`` (what each plugin registered, widget URLs)."""

from __future__ import annotations

from typing import Any

from litestar import get

from .. import __version__
from ..labelconfig.traits import tag_description
from ..host import PluginHost
from ..webapp import import_map

LABEL_STUDIO_COMPATIBLE = "1.23.2"


@get("/health", operation_id="health", opt={"public": True}, tags=["System"], include_in_schema=True)
async def health() -> dict[str, str]:
    return {"status": "UP"}


@get("/api/version", operation_id="version", opt={"public": True}, tags=["System"])
async def version(host: PluginHost) -> dict[str, Any]:
    plugins = {p.name: p.version for p in host.plugins.values()}
    return {
        "release": __version__,
        "edition": "Community",
        "labelloom": {"version": __version__, "plugins": plugins},
        "label-studio-os-package": {"version": LABEL_STUDIO_COMPATIBLE, "compatible": True},
        "backend": {},
        "lsf": {},
    }


def static_url(plugin: str, path: str, version: str) -> str:
    return f"/static/plugins/{plugin}/{path}?v={version}"


def settings_panels(host: PluginHost) -> list[dict[str, Any]]:
    """Plugins' project settings sections, in display order, each with its module's URL."""
    registry = host.registries.settings_panels
    out = []
    for spec in sorted(registry, key=lambda s: (s.order, s.title)):
        owner = registry.owner(spec.name)
        version = host.plugins[owner].version if owner in host.plugins else "0"
        out.append({"name": spec.name, "title": spec.title, "icon": spec.icon, "plugin": owner,
                    "module": static_url(owner, spec.module, version)})
    return out


@get("/api/plugins", operation_id="plugins", tags=["System"])
async def plugins(host: PluginHost) -> dict[str, Any]:
    regs = host.registries
    tags: dict[str, Any] = {}
    for registry in (regs.data_types, regs.tags):
        for spec in registry:
            owner = registry.owner(spec.name)
            widget = getattr(spec, "widget", None)
            version = host.plugins[owner].version if owner in host.plugins else "0"
            tags[spec.name] = {
                "plugin": owner,
                **tag_description(spec, is_object=registry is regs.data_types),
                "module": static_url(owner, widget, version) if widget else None,
            }
    return {
        "plugins": host.describe(),
        "tags": tags,
        "export_formats": [
            {"name": s.name, "title": s.title, "plugin": regs.exporters.owner(s.name)} for s in regs.exporters
        ],
        "storages": [{"name": s.name, "title": s.title, "plugin": regs.storages.owner(s.name)} for s in regs.storages],
        "ml_backends": [
            {"name": s.name, "title": s.title, "plugin": regs.ml_backends.owner(s.name)} for s in regs.ml_backends
        ],
        "settings_panels": settings_panels(host),
        "importmap": import_map(),
    }
