"""Copy the browser libraries from ``web/node_modules`` into ``web/static/vendor`` (no bundler).

Run by the set-up command (``./dev``) after ``npm ci``, and by the wheel build, so an installed
wheel serves the libraries without Node. Only runtime packages (not devDependencies) are copied,
and only their browser files (JavaScript modules and CSS, no type declarations, source maps or
development builds). ``vendor/importmap.json`` maps each package's bare name to its module
entry and ``name/`` to its folder, which is what the page's import map is built from.

    python -m labelloom.web.vendor [web-folder]
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

WEB = Path(__file__).resolve().parent
BROWSER_FILES = (".js", ".mjs", ".css")
SKIPPED_DIRS = {"node_modules", "node", "development", "test", "tests", "docs", "src"}


def runtime_packages(web: Path) -> list[str]:
    """Package names from the lock file that the browser needs (not dev-only ones)."""
    lock = json.loads((web / "package-lock.json").read_text())
    names = []
    for path, info in lock.get("packages", {}).items():
        if path.startswith("node_modules/") and not info.get("dev") and "/node_modules/" not in path[13:]:
            names.append(path[len("node_modules/") :])
    return sorted(names)


def module_entry(package: dict[str, Any]) -> str | None:
    """The file ``import "name"`` should load: the ``import``/``default`` export, else module/main."""
    exports = package.get("exports")
    if isinstance(exports, dict):
        root = exports.get(".", exports if not any(k.startswith(".") for k in exports) else None)
        entry = _pick(root)
        if entry:
            return entry
    elif isinstance(exports, str):
        return exports
    return package.get("module") or package.get("main")


def _pick(target: Any) -> str | None:
    if isinstance(target, str):
        return target
    if isinstance(target, dict):
        for condition in ("browser", "import", "default"):
            if condition in target:
                found = _pick(target[condition])
                if found:
                    return found
    return None


def copy_package(source: Path, target: Path) -> int:
    """Copy the browser files of one package; returns how many (0 for type-only packages)."""
    copied = 0
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if any(part in SKIPPED_DIRS for part in relative.parts[:-1]):
            continue
        if path.is_file() and path.suffix in BROWSER_FILES:
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
            copied += 1
    return copied


def vendor(web: Path = WEB) -> dict[str, str]:
    """Rebuild ``static/vendor`` and return the import map entries."""
    modules, out = web / "node_modules", web / "static" / "vendor"
    if not modules.is_dir():
        raise SystemExit(f"{modules} is missing: run `npm ci` in {web} first")
    shutil.rmtree(out, ignore_errors=True)
    imports: dict[str, str] = {}
    for name in runtime_packages(web):
        source = modules / name
        if not copy_package(source, out / name):
            continue
        entry = module_entry(json.loads((source / "package.json").read_text()))
        if entry:
            imports[name] = f"/static/core/vendor/{name}/{entry.removeprefix('./')}"
        imports[f"{name}/"] = f"/static/core/vendor/{name}/"
    (out / "importmap.json").write_text(json.dumps({"imports": imports}, indent=1, sort_keys=True))
    return imports


if __name__ == "__main__":
    vendor(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else WEB)
