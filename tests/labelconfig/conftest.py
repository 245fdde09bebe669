from __future__ import annotations

import pytest

from labelloom.core.manager import build_plugin_host

BUILT_IN = ("controls", "image", "text", "audio", "timeseries", "video")


def registries_of(*names: str):
    """Registries filled by exactly these built-in plugins (imported, not from entry points)."""
    import importlib

    modules = {name: importlib.import_module(f"labelloom.plugins.{name}") for name in names}
    return build_plugin_host(modules=modules).register_all()


@pytest.fixture(scope="session")
def registries():
    return registries_of(*BUILT_IN)
