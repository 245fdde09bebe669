"""The typed facade over pluggy (:class:`PluginHost`): the loaded plugins, their registries and
a wrapper around every runtime hook, so the rest of core never calls pluggy directly (and every
hook call site is type-checked). Building one (entry points, enable/disable lists) is
``labelloom.core.manager``'s job; code that only uses a host imports it from here."""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from .errors import PluginError
from .registries import Registries, Registry
from .specs import PluginRouter

log = logging.getLogger("labelloom.core.manager")  # the name plugin authors filter on

# Registration hooks in the order they run, with the registry each receives.
REGISTRATION_HOOKS: tuple[tuple[str, str], ...] = (
    ("labelloom_register_data_types", "data_types"),
    ("labelloom_register_tags", "tags"),
    ("labelloom_register_exporters", "exporters"),
    ("labelloom_register_storages", "storages"),
    ("labelloom_register_ml_backends", "ml_backends"),
    ("labelloom_register_templates", "templates"),
    ("labelloom_register_jobs", "jobs"),
    ("labelloom_register_actions", "actions"),
    ("labelloom_register_settings_panels", "settings_panels"),
    ("labelloom_register_metrics", "metrics"),
)


@dataclass
class LoadedPlugin:
    name: str
    module: Any
    version: str
    distribution: str | None = None
    registered: dict[str, list[str]] = field(default_factory=dict)

    @property
    def static_dir(self) -> Path | None:
        """The plugin's ``static/`` folder (its browser widgets), if it has one."""
        origin = getattr(self.module, "__file__", None)
        if not origin:
            return None
        folder = Path(origin).parent / "static"
        return folder if folder.is_dir() else None


class PluginHost:
    """The loaded plugins, their registries and typed wrappers around every runtime hook.

    Every hook is called through pluggy's hook callers, so hook wrappers, ``tryfirst`` /
    ``trylast`` and tracing apply. Hooks whose implementations must not share a fate
    (registration, lifespans, events) are called one plugin at a time, through a subset hook
    caller that leaves out the other plugins' implementations, in pluggy's call order: a failure
    then names its plugin and does not stop the others.
    """

    def __init__(self, pm: pluggy.PluginManager, plugins: dict[str, LoadedPlugin]) -> None:
        self.pm = pm
        self.plugins = plugins
        self.registries = Registries()
        self.routers: list[PluginRouter] = []
        self._registered = False
        self._callers: dict[str, list[tuple[str, Any]]] = {}

    # -- start-up --------------------------------------------------------------------------
    def register_all(self) -> Registries:
        """Run every registration hook, one plugin at a time, so failures name the plugin."""
        if self._registered:
            return self.registries
        for hook_name, attr in REGISTRATION_HOOKS:
            registry: Registry[Any] = getattr(self.registries, attr)
            for plugin_name, caller in self.each_plugin(hook_name):
                with registry.registering(plugin_name):
                    self._call(plugin_name, caller, registry=registry)
        for plugin_name, caller in self.each_plugin("labelloom_register_routes"):
            router = PluginRouter(plugin_name)
            self._call(plugin_name, caller, router=router)
            if router.handlers:
                self.routers.append(router)
        for name, plugin in self.plugins.items():
            plugin.registered = {
                attr: items
                for attr, registry in self.registries.all().items()
                if (items := registry.by_plugin().get(name))
            }
        self._registered = True
        return self.registries

    def each_plugin(self, hook_name: str) -> list[tuple[str, Any]]:
        """``(plugin name, hook caller of that plugin alone)`` for every plugin implementing
        ``hook_name``, in the order pluggy would call them (``tryfirst`` first, then the last
        registered first). Wrappers of any plugin stay in every caller."""
        cached = self._callers.get(hook_name)
        if cached is None:
            hook = getattr(self.pm.hook, hook_name)
            impls = [impl for impl in reversed(hook.get_hookimpls()) if not (impl.hookwrapper or impl.wrapper)]
            cached = []
            for impl in impls:
                others = [other.plugin for other in impls if other.plugin is not impl.plugin]
                cached.append((impl.plugin_name, self.pm.subset_hook_caller(hook_name, others)))
            self._callers[hook_name] = cached
        return cached

    @staticmethod
    def _call(plugin_name: str, caller: Any, **kwargs: Any) -> list[Any]:
        try:
            return caller(**kwargs)
        except PluginError:
            raise
        except Exception as exc:
            raise PluginError(plugin_name, f"{caller.name} failed: {type(exc).__name__}: {exc}") from exc

    def lifespans(self, settings: Any) -> list[AbstractAsyncContextManager[Any]]:
        contexts = []
        for plugin_name, caller in self.each_plugin("labelloom_lifespan"):
            contexts.extend(c for c in self._call(plugin_name, caller, settings=settings) if c is not None)
        return contexts

    # -- runtime ---------------------------------------------------------------------------
    def resolve_media_url(self, url: str, project_id: int) -> str | None:
        return self.pm.hook.labelloom_resolve_media_url(url=url, project_id=project_id)

    @property
    def listens_to_events(self) -> bool:
        """Whether any plugin implements ``labelloom_on_event`` (else payloads need not be built)."""
        return bool(self.each_plugin("labelloom_on_event"))

    def emit(self, event: str, payload: dict[str, Any]) -> None:
        """Deliver a committed domain event; a failing handler is logged, never raised."""
        for plugin_name, caller in self.each_plugin("labelloom_on_event"):
            try:
                caller(event=event, payload=payload)
            except Exception:
                log.exception("plugin %r failed handling event %s", plugin_name, event)

    def hooks_of(self, name: str) -> list[str]:
        plugin = self.pm.get_plugin(name)
        if plugin is None:
            return []
        return sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or ())

    def describe(self) -> list[dict[str, Any]]:
        return [
            {
                "name": p.name,
                "version": p.version,
                "distribution": p.distribution,
                "hooks": self.hooks_of(p.name),
                "registered": p.registered,
            }
            for p in self.plugins.values()
        ]
