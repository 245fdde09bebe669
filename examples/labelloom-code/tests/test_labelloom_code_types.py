"""The widgets type-check (tsc --checkJs, strict) against the @labelloom/sdk declarations that
``labelloom sdk-types`` writes: what an author runs in their own repository, here into a temporary
folder. TypeScript and lit come from a node_modules folder: ``$LABELLOOM_NODE_MODULES``, a
Labelloom checkout's ``web/node_modules`` (this example lives in one), or ``./node_modules``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Uses of the SDK that must NOT type-check: proves the declarations are read (not `any`).
PROBE = """// @ts-check
import { labelOptions, hexToRgba } from "@labelloom/sdk";
/** @type {import("@labelloom/sdk").WidgetRender} */
export default function render({ el, model, ctx }) {
  // @ts-expect-error: labelOptions returns an array of options, not a string
  const first = labelOptions(model, ctx).toUpperCase();
  // @ts-expect-error: the store has no such method
  ctx.store.createRange();
  // @ts-expect-error: alpha is a number
  el.style.color = hexToRgba("#fff", "half");
  return () => void first;
}
"""


def node_modules() -> Path | None:
    for candidate in (os.environ.get("LABELLOOM_NODE_MODULES"), ROOT.parents[1] / "web" / "node_modules", ROOT / "node_modules"):
        if candidate and (Path(candidate) / ".bin" / "tsc").exists() and (Path(candidate) / "lit").is_dir():
            return Path(candidate)
    return None


def test_widgets_type_check_against_the_sdk_declarations(tmp_path: Path) -> None:
    modules = node_modules()
    if modules is None:
        if IN_CI:
            raise RuntimeError("CI needs TypeScript and lit in a node_modules folder (LABELLOOM_NODE_MODULES)")
        pytest.skip("no node_modules with TypeScript and lit")
    types = tmp_path / "types"
    subprocess.run([sys.executable, "-m", "labelloom.core.cli", "sdk-types", str(types)], check=True, capture_output=True)
    declared = types / "@labelloom" / "sdk"
    assert json.loads((declared / "package.json").read_text())["types"] == "index.d.ts"

    (tmp_path / "probe.js").write_text(PROBE)
    base = json.loads((ROOT / "tsconfig.json").read_text())
    config = {
        "extends": str(ROOT / "tsconfig.json"),
        "compilerOptions": {
            # the project's own mapping of @labelloom/sdk, pointed at the temporary folder; lit
            # from the node_modules found above (an author's own `npm i -D lit`)
            "paths": {
                **{k: [str(types / v[0].removeprefix("./types/"))] for k, v in base["compilerOptions"]["paths"].items()},
                "lit": [str(modules / "lit" / "index.d.ts")],
                "lit/*": [str(modules / "lit" / "*")],
            },
        },
        "include": [str(ROOT / pattern) for pattern in base["include"]] + [str(tmp_path / "probe.js")],
    }
    (tmp_path / "tsconfig.json").write_text(json.dumps(config, indent=2))
    checked = subprocess.run([str(modules / ".bin" / "tsc"), "-p", str(tmp_path / "tsconfig.json"), "--listFilesOnly"],
                             capture_output=True, text=True)
    assert str(ROOT / "labelloom_code" / "static" / "widgets" / "code.js") in checked.stdout
    result = subprocess.run([str(modules / ".bin" / "tsc"), "-p", str(tmp_path / "tsconfig.json")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
