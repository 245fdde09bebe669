"""The layering, checked on the source: plugins (built-in in ``plugins/`` and third-party in
``examples/``) import only the public plugin module of core and never another plugin; core
reaches plugins only through entry points, never by importing them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "labelloom.core.plugin"
# What a plugin's own tests may use besides the public module: Labelloom's pytest kit.
TEST_KIT = {"labelloom.core.testing"}


def imported_modules(path: Path, package: str) -> list[tuple[int, str]]:
    """Absolute names of the modules a file imports (relative imports resolved against ``package``)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            out.append((node.lineno, name))
            # `from labelloom.core import x` imports the module labelloom.core.x
            out.extend((node.lineno, f"{name}.{alias.name}") for alias in node.names if name in {"labelloom", "labelloom.core"})
    return out


def package_of(path: Path, root: Path, prefix: str) -> str:
    parts = list(path.relative_to(root).parts[:-1])  # the folder is the package, for __init__.py too
    return ".".join([prefix, *parts]) if prefix else ".".join(parts)


def plugin_offences(path: Path, package: str, own: str, *, tests: bool = False) -> list[str]:
    """What is wrong with the imports of one plugin file (``own``: the plugin's top package)."""
    problems = []
    for line, name in imported_modules(path, package):
        if name == own or name.startswith(own + "."):
            continue
        allowed = {PUBLIC} | (TEST_KIT if tests else set())
        if name.startswith("labelloom.core") and name not in allowed:
            problems.append(f"{path.relative_to(ROOT)}:{line} imports {name} (plugins import only {PUBLIC})")
        elif name.startswith("labelloom.plugins") or name.startswith("labelloom_"):
            problems.append(f"{path.relative_to(ROOT)}:{line} imports another plugin: {name}")
        elif name in {"labelloom", "labelloom.web"}:
            problems.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return problems


def built_in_plugin_files():
    for path in sorted((ROOT / "plugins").rglob("*.py")):
        rel = path.relative_to(ROOT / "plugins").parts
        if len(rel) < 2:
            continue  # plugins/__init__.py
        yield pytest.param(path, f"labelloom.plugins.{rel[0]}", id=str(path.relative_to(ROOT)))


def example_plugin_files():
    for project in sorted((ROOT / "examples").glob("*/pyproject.toml")):
        base = project.parent
        for path in sorted(base.rglob("*.py")):
            rel = path.relative_to(base)
            if rel.parts[0] in {"build", "dist"} or ".egg-info" in str(rel):
                continue
            if rel.parts[0] == "tests":
                yield pytest.param(path, None, id=str(path.relative_to(ROOT)))
            else:
                yield pytest.param(path, rel.parts[0], id=str(path.relative_to(ROOT)))


@pytest.mark.parametrize("path, own", list(built_in_plugin_files()))
def test_built_in_plugins_import_only_the_public_module(path, own):
    package = package_of(path, ROOT / "plugins", "labelloom.plugins")
    assert plugin_offences(path, package, own) == []


@pytest.mark.parametrize("path, own", list(example_plugin_files()))
def test_example_plugins_import_only_the_public_module(path, own):
    base = next(p for p in path.parents if (p / "pyproject.toml").exists())
    if own is None:  # the example's tests: they test their own plugin, so may import it
        own = next(p.name for p in base.iterdir() if p.is_dir() and (p / "__init__.py").exists() and p.name != "tests")
        assert plugin_offences(path, "tests", own, tests=True) == []
    else:
        assert plugin_offences(path, package_of(path, base, ""), own) == []


def test_there_is_an_example_plugin():
    assert list(example_plugin_files()), "examples/ should hold a third-party plugin package"


@pytest.mark.parametrize("path", sorted((ROOT / "core").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_never_imports_a_plugin(path):
    package = package_of(path, ROOT / "core", "labelloom.core")
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for line, name in imported_modules(path, package)
        if name.startswith("labelloom.plugins") or name.startswith("labelloom_")
    ]
    assert offences == [], "core reaches plugins only through the labelloom entry points"


def test_core_does_not_import_the_public_facade():
    """Core modules import specs from core/specs.py; only plugins go through the facade (which
    re-exports core helpers, so core importing it would be a cycle waiting to happen)."""
    offences = []
    for path in sorted((ROOT / "core").rglob("*.py")):
        if path.name in {"plugin.py"}:
            continue
        package = package_of(path, ROOT / "core", "labelloom.core")
        offences += [f"{path.relative_to(ROOT)}:{line}" for line, name in imported_modules(path, package) if name == PUBLIC]
    assert offences == []


def test_the_rule_catches_offences(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from labelloom.core.export.items import annotator\n"
        "from labelloom.core import db\n"
        "import labelloom.plugins.image\n"
        "from labelloom.core.plugin import hookimpl\n"
        "from . import sibling\n"
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        problems = plugin_offences(bad, "labelloom.plugins.mine", "labelloom.plugins.mine")
    finally:
        ROOT = saved
    assert [p.split(" ", 1)[0] for p in problems] == ["bad.py:1", "bad.py:2", "bad.py:2", "bad.py:3"]
    assert "another plugin" in problems[-1]


# -- the browser side: a plugin's widgets import only @labelloom/sdk and vendored libraries --------

JS_IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])([^"']+)\1""")


def js_offences(path: Path, static: Path, allowed_bare: set[str]) -> list[str]:
    """Imports (static, dynamic and JSDoc ``import("...")`` types) of one plugin browser file that
    leave the plugin's own ``static/`` folder other than by an allowed bare name."""
    problems = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        for match in JS_IMPORT.finditer(line):
            target = match.group(2)
            where = f"{path.relative_to(ROOT)}:{number}"
            if target.startswith("."):
                resolved = (path.parent / target).resolve()
                if static.resolve() not in resolved.parents:
                    problems.append(f"{where} imports {target}, outside the plugin's static/ folder")
            elif target.startswith("/") or "://" in target:
                problems.append(f"{where} imports {target} by URL (use a bare name from the import map)")
            elif target.split("/")[0] not in allowed_bare and "/".join(target.split("/")[:2]) not in allowed_bare:
                problems.append(f"{where} imports {target}, which the import map does not provide")
    return problems


def allowed_bare_names() -> set[str]:
    import json

    imports = json.loads((ROOT / "web" / "static" / "vendor" / "importmap.json").read_text())["imports"]
    return {name.rstrip("/") for name in imports} | {"@labelloom/sdk"}


def plugin_browser_files():
    statics = [*(ROOT / "plugins").glob("*/static"), *(ROOT / "examples").glob("*/*/static")]
    for static in sorted(statics):
        for path in sorted(static.rglob("*.js")):
            if "tests" in path.relative_to(static).parts:
                continue  # node tests run outside the browser and may reach core's modules
            yield pytest.param(path, static, id=str(path.relative_to(ROOT)))


@pytest.mark.parametrize("path, static", list(plugin_browser_files()))
def test_plugin_widgets_import_only_the_sdk_and_vendored_libraries(path, static):
    assert js_offences(path, static, allowed_bare_names()) == []


def test_the_browser_rule_catches_offences(tmp_path):
    global ROOT
    static = tmp_path / "plugins" / "mine" / "static"
    (static / "widgets").mkdir(parents=True)
    bad = static / "widgets" / "w.js"
    bad.write_text(
        'import { html } from "lit";\n'
        'import { x } from "../lib/x.js";\n'
        'import { store } from "../../../../web/static/labeling/store.js";\n'
        '/** @typedef {import("../../../other/static/a.js").A} A */\n'
        'const m = await import("/static/core/labeling/sdk.js");\n'
        'import "left-pad";\n'
    )
    saved, ROOT = ROOT, tmp_path
    try:
        problems = js_offences(bad, static, {"lit", "@labelloom/sdk"})
    finally:
        ROOT = saved
    assert [p.split(" ", 1)[0].rsplit(":", 1)[1] for p in problems] == ["3", "4", "5", "6"]
