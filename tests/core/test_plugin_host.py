"""The plugin host: entry-point discovery, enable/disable lists, attribution of failures."""

import inspect
import re
import sys
import types
from pathlib import Path

import pytest

from labelloom.core import hookspecs
from labelloom.core.errors import PluginError
from labelloom.core.manager import build_plugin_host
from labelloom.core.plugin import ExporterSpec, TagSpec, hookimpl

BUILT_INS = {
    "controls", "image", "text", "audio", "timeseries", "video", "storage_s3", "storage_gcs", "ml_http",
}
THIRD_PARTY = Path(__file__).parent.parent / "fixtures" / "thirdparty"


@pytest.fixture
def third_party(monkeypatch):
    """Install the example plugin as a real distribution (a dist-info on sys.path)."""
    monkeypatch.syspath_prepend(str(THIRD_PARTY))
    yield
    sys.modules.pop("labelloom_example_plugin", None)


def plugin(**hooks):
    return types.SimpleNamespace(**{name: hookimpl(fn) for name, fn in hooks.items()})


def test_built_ins_are_discovered_through_entry_points():
    host = build_plugin_host()
    assert BUILT_INS <= set(host.plugins)
    assert all(p.distribution == "labelloom" for name, p in host.plugins.items() if name in BUILT_INS)


def test_third_party_distribution_is_discovered(third_party):
    host = build_plugin_host()
    assert "example" in host.plugins
    example = host.plugins["example"]
    assert (example.distribution, example.version) == ("labelloom-example-plugin", "1.2.3")
    regs = host.register_all()
    assert regs.tags.owner("ExampleStars") == "example"
    assert regs.exporters.owner("EXAMPLE_LINES") == "example"


async def test_third_party_plugin_visible_in_api(third_party, make_app, admin):
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(make_app()) as client:
        body = (await client.get("/api/plugins", headers=admin.headers)).json()
    example = next(p for p in body["plugins"] if p["name"] == "example")
    assert example["version"] == "1.2.3"
    assert example["registered"] == {"tags": ["ExampleStars"], "exporters": ["EXAMPLE_LINES"], "settings_panels": ["example"]}
    assert body["tags"]["ExampleStars"]["plugin"] == "example"
    assert {"name": "EXAMPLE_LINES", "title": "Example lines", "plugin": "example"} in body["export_formats"]
    assert body["settings_panels"] == [{"name": "example", "title": "Example plugin", "icon": "cpu", "plugin": "example",
                                        "module": "/static/plugins/example/settings-panel.js?v=1.2.3"}]


def test_a_settings_panel_cannot_take_a_core_section():
    from labelloom.core.plugin import SettingsPanelSpec

    def register(registry):
        registry.add(SettingsPanelSpec(name="Danger", title="Mine", module="x.js"))

    host = build_plugin_host(modules={"greedy": plugin(labelloom_register_settings_panels=register)})
    with pytest.raises(PluginError, match="core's own section"):
        host.register_all()


def test_enable_list_loads_only_named_plugins():
    host = build_plugin_host(enabled=["image", "controls"])
    assert set(host.plugins) == {"image", "controls"}


def test_disable_list_blocks_plugins():
    host = build_plugin_host(disabled=["video", "audio"])
    assert not {"video", "audio"} & set(host.plugins)
    assert "image" in host.plugins


def test_enabling_a_missing_plugin_fails_clearly():
    with pytest.raises(PluginError, match="'nope'.*not installed"):
        build_plugin_host(enabled=["image", "nope"])


def test_duplicate_tag_names_both_plugins():
    def register_first(registry):
        registry.add(TagSpec(name="Stars"))

    def register_second(registry):
        registry.add(TagSpec(name="Stars"))

    host = build_plugin_host(modules={"first": plugin(labelloom_register_tags=register_first),
                                      "second": plugin(labelloom_register_tags=register_second)})
    with pytest.raises(PluginError) as info:
        host.register_all()
    message = str(info.value)
    assert "'first'" in message and "'second'" in message and "Stars" in message


def test_duplicate_is_case_insensitive_for_tags():
    host = build_plugin_host(modules={
        "a": plugin(labelloom_register_tags=lambda registry: registry.add(TagSpec(name="Stars"))),
        "b": plugin(labelloom_register_tags=lambda registry: registry.add(TagSpec(name="STARS"))),
    })
    with pytest.raises(PluginError, match="already registered"):
        host.register_all()


def test_replace_overrides_deliberately():
    host = build_plugin_host(modules={
        "a": plugin(labelloom_register_exporters=lambda registry: registry.add(ExporterSpec(name="X", title="a"))),
        "b": plugin(labelloom_register_exporters=lambda registry: registry.add(
            ExporterSpec(name="X", title="b"), replace=True)),
    })
    regs = host.register_all()
    assert regs.exporters["X"].title == "b" and regs.exporters.owner("X") == "b"


def test_plugin_raising_at_start_up_is_named():
    def broken(registry):
        raise RuntimeError("boom")

    host = build_plugin_host(modules={"broken_one": plugin(labelloom_register_storages=broken)})
    with pytest.raises(PluginError, match=r"plugin 'broken_one'.*RuntimeError: boom"):
        host.register_all()


def test_unknown_hook_is_rejected_by_check_pending():
    typo = plugin(labelloom_register_tagz=lambda registry: None)
    with pytest.raises(PluginError, match="labelloom_register_tagz"):
        build_plugin_host(modules={"typo": typo})


def test_job_names_are_namespaced_by_plugin():
    from labelloom.core.plugin import JobSpec

    async def job(ctx):
        return None

    host = build_plugin_host(modules={"mine": plugin(
        labelloom_register_jobs=lambda registry: registry.add(JobSpec(name="other.job", function=job)))})
    with pytest.raises(PluginError, match="mine.<job>"):
        host.register_all()


def test_event_handler_failure_is_logged_not_raised(caplog):
    seen = []

    def bad(event, payload):
        raise ValueError("handler bug")

    def good(event, payload):
        seen.append((event, payload))

    host = build_plugin_host(modules={"bad": plugin(labelloom_on_event=bad), "good": plugin(labelloom_on_event=good)})
    host.emit("PROJECT_CREATED", {"project": {"id": 1}})
    assert seen == [("PROJECT_CREATED", {"project": {"id": 1}})]
    assert "plugin 'bad' failed handling event PROJECT_CREATED" in caplog.text


def test_resolve_media_url_first_result_wins():
    host = build_plugin_host(modules={
        "none": plugin(labelloom_resolve_media_url=lambda url, project_id: None),
        "s3": plugin(labelloom_resolve_media_url=lambda url: f"/resolved?u={url}" if url.startswith("s3://") else None),
    })
    assert host.resolve_media_url("s3://b/k.png", 1) == "/resolved?u=s3://b/k.png"
    assert host.resolve_media_url("gs://b/k.png", 1) is None


HOOKS = [(name, fn) for name, fn in vars(hookspecs).items() if name.startswith("labelloom_")]


@pytest.mark.parametrize("name,fn", HOOKS, ids=[name for name, _ in HOOKS])
def test_every_hook_is_documented(name, fn):
    doc = inspect.getdoc(fn) or ""
    assert len(doc.splitlines()[0]) > 20, f"{name} lacks a summary line"
    assert re.search(r"\bCalled\b", doc), f"{name} does not say when it is called"
    for param in inspect.signature(fn).parameters:
        assert f":param {param}:" in doc, f"{name} does not document parameter {param!r}"
    assert ":return:" in doc, f"{name} does not say what it returns"


def test_design_hooks_all_exist():
    expected = {
        "labelloom_register_data_types", "labelloom_register_tags", "labelloom_register_exporters",
        "labelloom_register_storages", "labelloom_register_ml_backends", "labelloom_register_templates",
        "labelloom_register_jobs", "labelloom_register_routes", "labelloom_lifespan",
        "labelloom_resolve_media_url", "labelloom_on_event",
    }
    assert expected <= {name for name, _ in HOOKS}
