from __future__ import annotations

import pytest

from labelloom.core.labelconfig.parse import parse_config
from labelloom.core.manager import build_plugin_host
from labelloom.core.quality.scoring import Rules, Scorer


@pytest.fixture(scope="session")
def registries():
    host = build_plugin_host()
    return host.register_all()


@pytest.fixture(scope="session")
def make_scorer(registries):
    def make(config: str, **rules) -> Scorer:
        return Scorer(parse_config(config, registries), list(registries.metrics), Rules(**rules))

    return make
