"""Fixtures come from Labelloom's pytest plugin (``labelloom.core.testing``: ``make_app``,
``client``, ``admin``), which builds apps with every installed plugin.

After ``pip install -e .`` this plugin is installed. Labelloom's own CI runs these tests from its
checkout without installing it: then a ``.dist-info`` with the entry point, written to a temporary
folder and put on ``sys.path`` for each test, stands in for the installation.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _installed() -> bool:
    return any(ep.name == "code" for ep in entry_points(group="labelloom"))


@pytest.fixture(scope="session")
def _stand_in_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("labelloom-code-site")
    info = site / "labelloom_code-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: labelloom-code\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text("[labelloom]\ncode = labelloom_code\n")
    (info / "top_level.txt").write_text("labelloom_code\n")
    return site


@pytest.fixture(autouse=True)
def code_plugin_installed(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if _installed():
        yield
        return
    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.syspath_prepend(str(request.getfixturevalue("_stand_in_site")))
    yield
    for name in [m for m in sys.modules if m == "labelloom_code" or m.startswith("labelloom_code.")]:
        del sys.modules[name]
