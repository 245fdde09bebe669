"""Builds the plugin manager and wraps it in a typed facade, so the rest of core never calls
pluggy directly (and every hook call site is type-checked)."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
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
trace_log = logging.getLogger("labelloom.plugins.trace")

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


CORE_PLUGIN = "core"


def build_plugin_host(
    *,
    enabled: list[str] | None = None,
    disabled: list[str] | tuple[str, ...] = (),
    modules: dict[str, ModuleType | Any] | None = None,
    trace: bool = False,
) -> PluginHost:
    """Create the plugin manager and load plugins: core's own first, then the installed ones.

    :param enabled: only these entry-point names (None = every installed plugin).
    :param disabled: entry-point names never to load.
    :param modules: load exactly these ``{name: module}`` instead of entry points (tests).
    :param trace: log every hook call with its plugins and duration (``LABELLOOM_TRACE_PLUGINS=1``).
    """
    from . import __version__, coreplugin

    if CORE_PLUGIN in disabled:
        raise PluginError(CORE_PLUGIN, "core's own plugin cannot be disabled")
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    if trace:
        trace_hook_calls(pm)
    plugins: dict[str, LoadedPlugin] = {CORE_PLUGIN: LoadedPlugin(CORE_PLUGIN, coreplugin, __version__, "labelloom")}
    for name in disabled:
        pm.set_blocked(name)

    if modules is not None:
        for name, module in modules.items():
            if name in disabled:
                continue
            plugins[name] = LoadedPlugin(name, module, getattr(module, "__version__", "0"))
    else:
        available = {ep.name: ep for ep in entry_points(group=PROJECT_NAME)}
        if CORE_PLUGIN in available:
            raise PluginError(CORE_PLUGIN, f"the entry point {available[CORE_PLUGIN].value} takes core's reserved name")
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

    # pluggy calls the last registered plugin first: register in reverse so that hooks run in
    # load order (core, then the installed plugins by name), as the registries then list them.
    for name, plugin in reversed(plugins.items()):
        try:
            pm.register(plugin.module, name=name)
        except pluggy.PluginValidationError as exc:
            raise PluginError(name, str(exc)) from exc
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(pm.get_name(exc.plugin) or "?", f"unknown hook: {exc}") from exc
    return PluginHost(pm, plugins)


def trace_hook_calls(pm: pluggy.PluginManager) -> None:
    """Log every hook call: the hook, the plugins whose implementations ran, the duration, and
    the error if one was raised (pluggy's own tracing names neither plugin nor duration)."""
    started: list[float] = []  # hook calls nest (a hook may call another), so a stack

    def before(hook_name: str, impls: list[pluggy.HookImpl], kwargs: Mapping[str, Any]) -> None:
        started.append(time.perf_counter())

    def after(outcome: Any, hook_name: str, impls: list[pluggy.HookImpl], kwargs: Mapping[str, Any]) -> None:
        elapsed = (time.perf_counter() - started.pop()) * 1000
        names = ", ".join(impl.plugin_name for impl in reversed(impls)) or "-"
        error = outcome.exception
        trace_log.info(
            "%s [%s] %.3f ms%s", hook_name, names, elapsed,
            f" raised {type(error).__name__}: {error}" if error is not None else "",
        )

    pm.add_hookcall_monitoring(before, after)
    trace_log.setLevel(logging.INFO)
    if not any(isinstance(h, _UntilLoggingIsConfigured) for h in trace_log.handlers):
        trace_log.addHandler(_UntilLoggingIsConfigured())


class _UntilLoggingIsConfigured(logging.StreamHandler):  # type: ignore[type-arg]
    """Prints trace lines to stderr while nothing else would: registration hooks run before the
    server configures logging (the root logger has no handler yet), and their lines would be lost."""

    def emit(self, record: logging.LogRecord) -> None:
        if not logging.getLogger().handlers:
            super().emit(record)


def plugin_host_for(settings: Settings) -> PluginHost:
    """The plugins a server or worker process runs with: those its settings enable, traced when asked."""
    return build_plugin_host(enabled=settings.plugins, disabled=settings.disable_plugins, trace=settings.trace_plugins)

