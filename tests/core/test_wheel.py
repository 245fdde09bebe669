"""The wheel ships the web app with its vendored libraries, so no Node is needed where it is installed."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_contains_the_web_app_and_every_import_map_target(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("labelloom-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "labelloom/web/static/index.html" in names
    assert "labelloom/web/static/app/main.js" in names
    assert "labelloom/web/static/labeling/types.js" in names
    importmap = json.loads(zipfile.ZipFile(wheel).read("labelloom/web/static/vendor/importmap.json"))
    for bare, url in importmap["imports"].items():
        target = "labelloom/web/static/" + url.removeprefix("/static/core/")
        if url.endswith("/"):
            assert any(n.startswith(target) for n in names), bare
        else:
            assert target in names, bare
    assert not any("node_modules" in n for n in names)
    # Alembic's scripts are a folder, not a package: without them an installed wheel cannot start.
    assert "labelloom/core/db/migrations/env.py" in names
    assert any(n.startswith("labelloom/core/db/migrations/versions/0001") for n in names)
    assert "labelloom/web/static/sdk.d.ts" in names
