"""Builds the plugin manager: entry-point discovery, enable/disable lists, ``check_pending()``,
core's own plugin loaded first; :func:`plugin_host_for` for servers and workers. The typed facade
it returns, :class:`PluginHost`, lives in ``labelloom.core.host`` (re-exported here)."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from importlib.metadata import entry_points
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

from . import __version__, coreplugin, hookspecs
from .errors import PluginError
from .host import REGISTRATION_HOOKS, LoadedPlugin, PluginHost
from .specs import PROJECT_NAME
from .storage.media import StorageMediaResolver

if TYPE_CHECKING:
    from .settings import Settings

trace_log = logging.getLogger("labelloom.plugins.trace")

__all__ = [
    "CORE_PLUGIN",
    "REGISTRATION_HOOKS",
    "LoadedPlugin",
    "PluginHost",
    "build_plugin_host",
    "plugin_host_for",
    "trace_hook_calls",
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
    host = PluginHost(pm, plugins)
    # Storage URIs (s3://, gs:// ...) of any registered kind resolve through core, last.
    pm.register(StorageMediaResolver(host.registries.storages), name="core.storage_media")
    return host


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

