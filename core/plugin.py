"""The public plugin surface: the only module a Labelloom plugin imports.

A plugin is a module (or package) registered in the ``labelloom`` entry-point group::

    [project.entry-points.labelloom]
    my_plugin = "my_package.labelloom_plugin"

It implements hooks from :mod:`labelloom.core.hookspecs` with the :data:`hookimpl` marker.
Registration hooks receive a registry and add the specs defined here; at run time core calls
methods of those specs directly, never pluggy in a loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pluggy

from .errors import BadRequest, LabelloomError, NotFound, PluginError, ValidationFailed
from .registries import (
    DataTypeRegistry,
    ExportRegistry,
    JobRegistry,
    MLBackendRegistry,
    StorageRegistry,
    TagRegistry,
    TemplateRegistry,
)

PROJECT_NAME = "labelloom"

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Marker for hook implementations: ``@hookimpl def labelloom_register_tags(registry): ...``"""


# ---------------------------------------------------------------------------------------------
# Config language: object tags (data types), control and visual tags, templates
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DataTypeSpec:
    """An object tag (``Image``, ``Text`` ...): what data it shows and how regions on it look.

    :param name: the tag name as written in configs.
    :param attrs: msgspec Struct of the tag's attributes (converted with ``strict=False``).
    :param mime_types: media types a file import turns into a task for this tag.
    :param extensions: file extensions (with dot) a file import accepts for this tag.
    :param sample_value: returns a preview value for the tag's data key.
    :param widget: ES module path relative to the plugin's ``static/`` folder.
    """

    name: str
    attrs: type | None = None
    mime_types: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()
    sample_value: Callable[[Mapping[str, Any]], Any] | None = None
    widget: str | None = None


@dataclass(frozen=True, kw_only=True)
class TagSpec:
    """A control tag (produces results) or a visual tag (layout only).

    :param name: the tag name as written in configs.
    :param kind: ``"control"`` or ``"visual"``.
    :param attrs: msgspec Struct of the tag's attributes.
    :param to: object tag names a control may target (``toName``); empty = any.
    :param result_type: the ``type`` of result items the control writes.
    :param widget: ES module path relative to the plugin's ``static/`` folder.
    """

    name: str
    kind: str = "control"
    attrs: type | None = None
    to: tuple[str, ...] = ()
    result_type: str | None = None
    widget: str | None = None


@dataclass(frozen=True, kw_only=True)
class TemplateSpec:
    """A labeling template for the gallery: a config and a sample task that fits it."""

    name: str
    title: str
    group: str
    config: str
    sample_task: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""


# ---------------------------------------------------------------------------------------------
# Export formats
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ExporterSpec:
    """An export format.

    :param name: the ``exportType`` value (``JSON``, ``COCO`` ...).
    :param supports: result types the format can express; empty = any project.
    :param write: ``write(context)`` yields the file's bytes chunk by chunk (streamed).
    """

    name: str
    title: str
    description: str = ""
    media_type: str = "application/octet-stream"
    file_extension: str = ""
    supports: frozenset[str] = frozenset()
    write: Callable[[Any], AsyncIterator[bytes]] | None = None


# ---------------------------------------------------------------------------------------------
# Storage connectors, ML backends, jobs, routes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class StorageSpec:
    """A cloud storage connector kind (``s3``, ``gcs`` ...).

    :param name: the kind used in ``/api/storages/<name>/``.
    :param schemes: URL schemes whose media this connector can serve (``s3``, ``gs``).
    :param config: msgspec Struct of the connection settings.
    :param secret_fields: config fields never returned by the API.
    :param connector: builds a connector object from a validated config.
    """

    name: str
    title: str
    schemes: tuple[str, ...] = ()
    config: type | None = None
    secret_fields: tuple[str, ...] = ()
    connector: Callable[[Any], Any] | None = None


@dataclass(frozen=True, kw_only=True)
class MLBackendSpec:
    """A kind of ML backend; the connector offers ``health``, ``setup``, ``predict``, ``train``."""

    name: str
    title: str
    config: type | None = None
    connector: Callable[[Any], Any] | None = None


@dataclass(frozen=True, kw_only=True)
class JobSpec:
    """A background job function ``async def fn(ctx, **kwargs)``, named ``<plugin>.<job>``."""

    name: str
    function: Callable[..., Any]
    timeout: int = 600
    retries: int = 3


class PluginRouter:
    """Collects a plugin's extra Litestar route handlers; mounted under ``/api/plugins/<name>/``."""

    def __init__(self, plugin: str) -> None:
        self.plugin = plugin
        self.handlers: list[Any] = []

    def add(self, *handlers: Any) -> None:
        self.handlers.extend(handlers)


__all__ = [
    "PROJECT_NAME",
    "BadRequest",
    "DataTypeRegistry",
    "DataTypeSpec",
    "ExportRegistry",
    "ExporterSpec",
    "JobRegistry",
    "JobSpec",
    "LabelloomError",
    "MLBackendRegistry",
    "MLBackendSpec",
    "NotFound",
    "PluginError",
    "PluginRouter",
    "StorageRegistry",
    "StorageSpec",
    "TagRegistry",
    "TagSpec",
    "TemplateRegistry",
    "TemplateSpec",
    "ValidationFailed",
    "hookimpl",
]
