"""ML backends speaking Label Studio's ML protocol over HTTP (predict, train, interactive).

Built-in plugin, loaded through the ``labelloom`` entry-point group like any third-party one.
Existing Label Studio ML backends (``label-studio-ml``) work unchanged: the client sends Label
Studio's bodies to ``/health``, ``/setup``, ``/predict``, ``/train`` and ``/webhook``.
"""

from contextlib import asynccontextmanager

from labelloom.core.plugin import MLBackendSpec, SettingsPanelSpec, hookimpl

from .client import HttpMLConnector, close_shared_client, shared_client


@hookimpl
def labelloom_register_ml_backends(registry):
    registry.add(MLBackendSpec(name="http", title="Label Studio ML backend (HTTP)", connector=HttpMLConnector))


@hookimpl
def labelloom_register_settings_panels(registry):
    registry.add(SettingsPanelSpec(name="ml", title="Model", module="ml-settings.js", icon="cpu", order=20))


@asynccontextmanager
async def _pooled_client():
    shared_client()
    try:
        yield
    finally:
        await close_shared_client()


@hookimpl
def labelloom_lifespan(settings):
    return _pooled_client()
