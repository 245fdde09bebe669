"""Every registered template is valid by construction: its config parses, its sample task has
every key the config reads, and a sample result validates (and is already canonical)."""

from __future__ import annotations

import importlib

import pytest

from labelloom.core.labelconfig import parse_config, sample_results, sample_task, validate_results
from labelloom.core.manager import build_plugin_host

BUILT_IN = ("controls", "image", "text", "audio", "timeseries", "video")
REGISTRIES = build_plugin_host(
    modules={name: importlib.import_module(f"labelloom.plugins.{name}") for name in BUILT_IN}
).register_all()
TEMPLATES = list(REGISTRIES.templates)


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.name for t in TEMPLATES])
def test_template_is_valid_with_sample_task_and_result(template):
    parsed = parse_config(template.config, REGISTRIES)
    data = dict(template.sample_task) or sample_task(parsed, REGISTRIES)
    assert set(parsed.data_keys) <= set(data), "sample task lacks keys the config reads"
    parsed.to_json(data)
    results = sample_results(parsed)
    assert results, "a template should let annotators produce something"
    canonical = validate_results(parsed, results, REGISTRIES)
    assert validate_results(parsed, canonical, REGISTRIES) == canonical


def test_template_names_follow_the_plugin_prefix():
    for template in TEMPLATES:
        assert template.name.startswith(REGISTRIES.templates.owner(template.name) + ".")


def test_gallery_covers_label_studio_categories():
    groups = {t.group for t in TEMPLATES}
    assert {
        "Computer Vision", "Natural Language Processing", "Audio/Speech Processing", "Conversational AI",
        "Ranking & Scoring", "Structured Data Parsing", "Time Series Analysis", "Videos",
    } <= groups
    assert len(TEMPLATES) >= 30
