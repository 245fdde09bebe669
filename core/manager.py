"""Builds the plugin manager and wraps it in a typed facade, so the rest of core never calls
pluggy directly (and every hook call site is type-checked)."""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

from . import hookspecs
from .errors import PluginError
from .specs import PROJECT_NAME, PluginRouter
from .registries import Registries, Registry

if TYPE_CHECKING:
    from .settings import Settings

log = logging.getLogger(__name__)

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
    """The loaded plugins, their registries and typed wrappers around every runtime hook."""

    def __init__(self, pm: pluggy.PluginManager, plugins: dict[str, LoadedPlugin]) -> None:
        self.pm = pm
        self.plugins = plugins
        self.registries = Registries()
        self.routers: list[PluginRouter] = []
        self._registered = False

    # -- start-up --------------------------------------------------------------------------
    def register_all(self) -> Registries:
        """Run every registration hook, one plugin at a time, so failures name the plugin."""
        if self._registered:
            return self.registries
        # Core's data-agnostic actions first, so a plugin may replace one deliberately.
        from .datamanager.builtin_actions import core_action_specs

        for spec in core_action_specs():
            self.registries.actions.add(spec)
        for hook_name, attr in REGISTRATION_HOOKS:
            registry: Registry[Any] = getattr(self.registries, attr)
            for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
                with registry.registering(impl.plugin_name):
                    self._call(impl, registry=registry)
        for impl in self.pm.hook.labelloom_register_routes.get_hookimpls():
            router = PluginRouter(impl.plugin_name)
            self._call(impl, router=router)
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

    def _call(self, impl: pluggy.HookImpl, **kwargs: Any) -> Any:
        args = {name: kwargs[name] for name in impl.argnames if name in kwargs}
        try:
            return impl.function(**args)
        except PluginError:
            raise
        except Exception as exc:
            raise PluginError(
                impl.plugin_name, f"{impl.function.__name__} failed: {type(exc).__name__}: {exc}"
            ) from exc

    def lifespans(self, settings: Any) -> list[AbstractAsyncContextManager[Any]]:
        contexts = []
        for impl in self.pm.hook.labelloom_lifespan.get_hookimpls():
            context = self._call(impl, settings=settings)
            if context is not None:
                contexts.append(context)
        return contexts

    # -- runtime ---------------------------------------------------------------------------
    def resolve_media_url(self, url: str, project_id: int) -> str | None:
        return self.pm.hook.labelloom_resolve_media_url(url=url, project_id=project_id)

    @property
    def listens_to_events(self) -> bool:
        """Whether any plugin implements ``labelloom_on_event`` (else payloads need not be built)."""
        return bool(self.pm.hook.labelloom_on_event.get_hookimpls())

    def emit(self, event: str, payload: dict[str, Any]) -> None:
        """Deliver a committed domain event; a failing handler is logged, never raised."""
        for impl in self.pm.hook.labelloom_on_event.get_hookimpls():
            try:
                self._call(impl, event=event, payload=payload)
            except Exception:
                log.exception("plugin %r failed handling event %s", impl.plugin_name, event)

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


def build_plugin_host(
    *,
    enabled: list[str] | None = None,
    disabled: list[str] | tuple[str, ...] = (),
    modules: dict[str, ModuleType | Any] | None = None,
    trace: bool = False,
) -> PluginHost:
    """Create the plugin manager and load plugins.

    :param enabled: only these entry-point names (None = every installed plugin).
    :param disabled: entry-point names never to load.
    :param modules: load exactly these ``{name: module}`` instead of entry points (tests).
    :param trace: log every hook call (``LABELLOOM_TRACE_PLUGINS=1``).
    """
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    plugins: dict[str, LoadedPlugin] = {}
    for name in disabled:
        pm.set_blocked(name)

    if modules is not None:
        for name, module in modules.items():
            if name in disabled:
                continue
            plugins[name] = LoadedPlugin(name, module, getattr(module, "__version__", "0"))
    else:
        available = {ep.name: ep for ep in entry_points(group=PROJECT_NAME)}
        if enabled is not None:
            missing = sorted(set(enabled) - set(available))
            if missing:
                raise PluginError(
                    ", ".join(missing),
                    f"not installed (installed: {', '.join(sorted(available)) or 'none'})",
                )
        for name, ep in sorted(available.items()):
            if name in disabled or (enabled is not None and name not in enabled):
                continue
            try:
                module = ep.load()
            except Exception as exc:
                raise PluginError(name, f"failed to load {ep.value}: {type(exc).__name__}: {exc}") from exc
            dist = ep.dist
            plugins[name] = LoadedPlugin(
                name, module, dist.version if dist else "0", dist.name if dist else None
            )

    for name, plugin in plugins.items():
        try:
            pm.register(plugin.module, name=name)
        except pluggy.PluginValidationError as exc:
            raise PluginError(name, str(exc)) from exc
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(pm.get_name(exc.plugin) or "?", f"unknown hook: {exc}") from exc
    if trace:
        pm.trace.root.setwriter(log.info)
        pm.enable_tracing()
    return PluginHost(pm, plugins)


def plugin_host_for(settings: Settings) -> PluginHost:
    """The plugins a server or worker process runs with: those its settings enable, traced when asked."""
    return build_plugin_host(enabled=settings.plugins, disabled=settings.disable_plugins, trace=settings.trace_plugins)

