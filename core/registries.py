"""Registries that registration hooks fill once at start-up; core reads them afterwards.

A registry knows which plugin added each entry, so a duplicate name fails start-up naming both
plugins, and ``GET /api/plugins`` can say what each plugin registered.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from .errors import PluginError

T = TypeVar("T")


class Registry(Generic[T]):
    """Named specs of one kind. Names are unique (case-insensitive when ``fold_case``)."""

    kind = "item"
    fold_case = False

    def __init__(self) -> None:
        self._items: dict[str, T] = {}
        self._owners: dict[str, str] = {}
        self._plugin: str | None = None

    # -- written by plugins during registration ---------------------------------------------
    def add(self, spec: T, *, replace: bool = False) -> T:
        """Register ``spec`` under ``spec.name``; ``replace=True`` overrides an earlier one."""
        name = getattr(spec, "name", None)
        if not isinstance(name, str) or not name:
            raise PluginError(self._plugin or "?", f"a {self.kind} needs a non-empty string name")
        key = self._key(name)
        owner = self._plugin or "<core>"
        if key in self._items and not replace:
            raise PluginError(
                owner,
                f"{self.kind} {name!r} is already registered by plugin {self._owners[key]!r}",
            )
        self._items[key] = spec
        self._owners[key] = owner
        return spec

    @contextmanager
    def registering(self, plugin: str) -> Iterator[Registry[T]]:
        """Attribute what is added inside the block to ``plugin`` (used by the manager)."""
        previous, self._plugin = self._plugin, plugin
        try:
            yield self
        finally:
            self._plugin = previous

    # -- read by core ----------------------------------------------------------------------
    def _key(self, name: str) -> str:
        return name.lower() if self.fold_case else name

    def get(self, name: str) -> T | None:
        return self._items.get(self._key(name))

    def __getitem__(self, name: str) -> T:
        try:
            return self._items[self._key(name)]
        except KeyError:
            known = ", ".join(sorted(getattr(s, "name") for s in self._items.values())) or "none"
            raise KeyError(f"unknown {self.kind} {name!r} (registered: {known})") from None

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._key(name) in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def owner(self, name: str) -> str:
        return self._owners[self._key(name)]

    def by_plugin(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {}
        for key, spec in self._items.items():
            result.setdefault(self._owners[key], []).append(getattr(spec, "name"))
        return result


class TagRegistry(Registry[Any]):
    """Control and visual tags (``TagSpec``). Tag names are case-insensitive, as in Label Studio."""

    kind = "tag"
    fold_case = True


class DataTypeRegistry(Registry[Any]):
    """Object tags (``DataTypeSpec``): Image, Text, Audio ..."""

    kind = "data type"
    fold_case = True


class ExportRegistry(Registry[Any]):
    kind = "export format"


class StorageRegistry(Registry[Any]):
    kind = "storage"


class MLBackendRegistry(Registry[Any]):
    kind = "ML backend"


class TemplateRegistry(Registry[Any]):
    kind = "template"


class ActionRegistry(Registry[Any]):
    """Data-manager actions (``ActionSpec``), named by Label Studio's action ids."""

    kind = "action"


class SettingsPanelRegistry(Registry[Any]):
    """Project settings sections of plugins (``SettingsPanelSpec``)."""

    kind = "settings panel"
    RESERVED = frozenset({"general", "labeling", "instructions", "annotation", "danger"})

    def add(self, spec: Any, *, replace: bool = False) -> Any:
        if spec.name.lower() in self.RESERVED:
            raise PluginError(self._plugin or "?", f"settings panel {spec.name!r} would hide core's own section")
        return super().add(spec, replace=replace)


class MetricRegistry(Registry[Any]):
    """Agreement metrics (``MetricSpec``), named by the geometry or result type they score."""

    kind = "metric"


class JobRegistry(Registry[Any]):
    """Background job functions, named ``<plugin>.<job>``."""

    kind = "job"

    def add(self, spec: Any, *, replace: bool = False) -> Any:
        plugin = self._plugin
        if plugin and not spec.name.startswith(plugin + "."):
            raise PluginError(plugin, f"job {spec.name!r} must be named '{plugin}.<job>'")
        return super().add(spec, replace=replace)


class Registries:
    """All registries of one application, filled by the registration hooks."""

    def __init__(self) -> None:
        self.data_types = DataTypeRegistry()
        self.tags = TagRegistry()
        self.exporters = ExportRegistry()
        self.storages = StorageRegistry()
        self.ml_backends = MLBackendRegistry()
        self.templates = TemplateRegistry()
        self.jobs = JobRegistry()
        self.actions = ActionRegistry()
        self.settings_panels = SettingsPanelRegistry()
        self.metrics = MetricRegistry()

    def all(self) -> dict[str, Registry[Any]]:
        return {
            "data_types": self.data_types,
            "tags": self.tags,
            "exporters": self.exporters,
            "storages": self.storages,
            "ml_backends": self.ml_backends,
            "templates": self.templates,
            "jobs": self.jobs,
            "actions": self.actions,
            "settings_panels": self.settings_panels,
            "metrics": self.metrics,
        }

