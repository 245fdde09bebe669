"""Core names no tag: every tag name and result type lives in a plugin (View/Repeater excepted)."""

from __future__ import annotations

import ast
from pathlib import Path

import labelloom.core

from .conftest import BUILT_IN, registries_of

CORE = Path(labelloom.core.__file__).parent
STRUCTURAL = {"view", "repeater"}
# "labels" is also the generic key Label Studio uses for labels in any region's value.
GENERIC_KEYS = {"labels"}


def forbidden_words() -> set[str]:
    """Tag names as registered ("Image") and result types ("rectanglelabels")."""
    registries = registries_of(*BUILT_IN)
    names = {s.name for s in registries.tags} | {s.name for s in registries.data_types}
    types = {s.result_type for s in registries.tags if s.result_type}
    return {w for w in names | types if w.lower() not in STRUCTURAL | GENERIC_KEYS}


def test_core_has_no_tag_names_in_code():
    words = forbidden_words()
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            text = node.value.strip()
            tag = text[1:].split(" ")[0].split(">")[0].split("/")[0] if text.startswith("<") else text
            if text in words or tag in words:
                offenders.append(f"{path.relative_to(CORE)}:{node.lineno}: {node.value!r}")
    assert offenders == []


def test_every_built_in_plugin_declares_the_tags_it_registers():
    import importlib

    for name in BUILT_IN:
        registries = registries_of(name)
        registered = {s.name for s in registries.tags} | {s.name for s in registries.data_types}
        declared = set(importlib.import_module(f"labelloom.plugins.{name}").LABELLOOM_TAGS)
        assert declared == registered, name
