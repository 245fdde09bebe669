"""parsed_label_config matches Label Studio's; the browser JSON; samples."""

from __future__ import annotations

import json

import pytest

from labelloom.core.labelconfig import parse_config, sample_results, sample_task, validate_results

from .valid_configs import VALID

ls_tools = pytest.importorskip("label_studio_sdk._extensions.label_studio_tools.core.label_config")

# Configs where Label Studio's own summary differs on purpose: it needs exact-case tag names,
# rejects XML declarations in str input, and (in this older helper) omits self-referencing Chat.
DIFFERENT_ON_PURPOSE = {"lower-case-tags-and-attributes", "xml-declaration", "chat", "chat-message-control"}


@pytest.mark.parametrize("key", [k for k in VALID if k not in DIFFERENT_ON_PURPOSE])
def test_summary_matches_label_studio(key, registries):
    ours = parse_config(VALID[key], registries).summary()
    theirs = json.loads(json.dumps(ls_tools.parse_config(VALID[key])))
    assert ours == theirs


def test_worked_example_summary(registries):
    summary = parse_config(VALID["worked-example-12-1"], registries).summary()
    assert summary == {
        "box": {
            "type": "RectangleLabels",
            "to_name": ["img"],
            "inputs": [{"type": "Image", "valueType": None, "value": "image"}],
            "labels": ["Car", "Person"],
            "labels_attrs": {"Car": {"value": "Car", "hotkey": "c"}, "Person": {"value": "Person"}},
        },
        "occluded": {
            "type": "Choices",
            "to_name": ["img"],
            "inputs": [{"type": "Image", "valueType": None, "value": "image"}],
            "labels": ["yes", "no"],
            "labels_attrs": {"yes": {"value": "yes"}, "no": {"value": "no"}},
        },
    }


def test_summary_returns_a_fresh_copy(registries):
    parsed = parse_config(VALID["minimal"], registries)
    parsed.summary()["c"]["labels"].append("changed")
    assert parsed.summary()["c"]["labels"] == ["A"]


def test_result_types(registries):
    parsed = parse_config(VALID["worked-example-12-1"], registries)
    assert parsed.result_types == {"rectanglelabels", "choices", "relation"}
    assert parse_config(VALID["rectangle-plus-labels"], registries).result_types == {"rectangle", "labels"}


def test_tree_json_for_the_browser(registries):
    tree = parse_config(VALID["worked-example-12-1"], registries).to_json()
    assert tree["format"] == 1 and tree["data_keys"] == ["image"]
    image, box = tree["tree"]["children"][:2]
    assert image == {
        "tag": "Image", "kind": "object", "line": 2, "plugin": "image", "traits": ["object", "visual"],
        "attrs": {
            "name": "img", "value": "$image", "width": "100%", "maxWidth": "750px", "zoom": True,
            "negativeZoom": False, "zoomBy": 1.1, "zoomControl": False, "brightnessControl": False,
            "contrastControl": False, "rotateControl": False, "grid": False, "gridSize": 30, "crosshair": False,
            "horizontalAlignment": "left", "verticalAlignment": "top", "defaultZoom": "fit", "crossOrigin": "none",
        },
    }
    assert box["kind"] == "control" and box["plugin"] == "image" and box["traits"] == ["labels"]
    assert [c["attrs"]["value"] for c in box["children"]] == ["Car", "Person"]
    assert box["children"][0]["kind"] == "item" and box["children"][0]["traits"] == ["label"]


def test_traits_tell_the_browser_what_a_tag_does(registries):
    nodes = {n["tag"]: n for n in _walk(parse_config(VALID["worked-example-12-1"], registries).to_json()["tree"])}
    assert nodes["Choices"]["traits"] == ["classifies", "labels"]
    assert nodes["Relations"]["traits"] == ["top_level"]
    assert "traits" not in nodes["View"]  # structural tags have none


def _walk(node):
    yield node
    for child in node.get("children", []):
        yield from _walk(child)


def test_text_content_is_kept(registries):
    tree = parse_config(VALID["style-tag"], registries).to_json()["tree"]
    assert tree["children"][0]["text"].startswith(".big {")


@pytest.mark.parametrize("key", list(VALID))
def test_sample_task_and_results_fit_every_valid_config(key, registries):
    parsed = parse_config(VALID[key], registries)
    data = sample_task(parsed, registries)
    assert set(parsed.data_keys) <= set(data)
    validate_results(parsed, sample_results(parsed), registries)


def test_sample_task_prefers_the_config_hint(registries):
    parsed = parse_config(VALID["json-sample-comment"], registries)
    assert sample_task(parsed, registries) == {"text": "Hello"}


def test_sample_task_builds_repeated_structures(registries):
    parsed = parse_config(VALID["repeater"], registries)
    data = sample_task(parsed, registries)
    assert [sorted(item) for item in data["images"]] == [["url"], ["url"]]


def test_the_node_tests_tag_catalogue_is_current():
    """web/tests/tag-catalogue.js is the node tests' copy of GET /api/plugins' tags (the built-in
    plugins' specs); a spec change must regenerate it: LABELLOOM_REGENERATE=1 pytest -k catalogue."""
    import json
    import os
    from pathlib import Path

    from labelloom.core.labelconfig.traits import tag_description
    from labelloom.core.manager import build_plugin_host

    path = Path(__file__).resolve().parents[2] / "web" / "tests" / "tag-catalogue.js"
    regs = build_plugin_host(enabled=["controls", "image", "text", "audio", "timeseries", "video"]).register_all()
    lines = [
        f"  {spec.name}: {json.dumps(tag_description(spec, is_object=registry is regs.data_types))},"
        for registry in (regs.data_types, regs.tags) for spec in registry
    ]
    text = path.read_text()
    head, _, _ = text.partition("export const TAGS = {\n")
    expected = f"{head}export const TAGS = {{\n" + "\n".join(lines) + "\n};\n"
    if os.environ.get("LABELLOOM_REGENERATE"):
        path.write_text(expected)
    assert text == expected, "web/tests/tag-catalogue.js is stale: LABELLOOM_REGENERATE=1 pytest -k catalogue"
