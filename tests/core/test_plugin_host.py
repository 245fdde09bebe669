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
from labelloom.core.testing import plugin_module

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
    return plugin_module("test_plugin", **hooks)


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
    assert [p for p in body["settings_panels"] if p["plugin"] == "example"] == [{"name": "example", "title": "Example plugin", "icon": "cpu", "plugin": "example",
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
    assert set(host.plugins) == {"core", "image", "controls"}  # core's own plugin is always there


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
    """Registration hooks run in pluggy's call order: a plugin that replaces another's entry
    asks to run after it with ``trylast`` (whatever the order the plugins were loaded in)."""
    replacing = hookimpl(trylast=True)(lambda registry: registry.add(ExporterSpec(name="X", title="b"), replace=True))
    for order in (("a", "b"), ("b", "a")):
        hooks = {
            "a": plugin(labelloom_register_exporters=lambda registry: registry.add(ExporterSpec(name="X", title="a"))),
            "b": plugin(labelloom_register_exporters=replacing),
        }
        regs = build_plugin_host(modules={name: hooks[name] for name in order}).register_all()
        assert regs.exporters["X"].title == "b" and regs.exporters.owner("X") == "b"


def test_registration_follows_pluggy_call_order_and_wrappers_apply():
    seen = []

    @hookimpl(wrapper=True)
    def wrap(registry):
        seen.append("before")
        result = yield
        seen.append("after")
        return result

    host = build_plugin_host(modules={
        "first": plugin(labelloom_register_templates=hookimpl(tryfirst=True)(lambda registry: seen.append("first"))),
        "middle": plugin(labelloom_register_templates=lambda registry: seen.append("middle")),
        "last": plugin(labelloom_register_templates=hookimpl(trylast=True)(lambda registry: seen.append("last"))),
        "wrapper": plugin(labelloom_register_templates=wrap),
    })
    host.register_all()
    # One plugin at a time, each call wrapped by the wrapper plugin.
    assert seen == ["before", "first", "after", "before", "middle", "after", "before", "last", "after"]


def test_core_registers_its_actions_and_jobs_as_a_plugin():
    host = build_plugin_host(modules={})
    regs = host.register_all()
    assert regs.actions.owner("delete_tasks") == "core"
    assert regs.jobs.owner("core.webhook_deliver") == "core"
    assert host.plugins["core"].registered["jobs"]
    assert "labelloom_register_actions" in host.hooks_of("core")
    with pytest.raises(PluginError, match="cannot be disabled"):
        build_plugin_host(disabled=["core"])


def test_a_plugin_may_replace_a_core_action():
    from labelloom.core.plugin import ActionSpec

    async def run(context):
        return {"processed_items": 0}

    replacement = ActionSpec(name="delete_tasks", title="Archive instead", function=run)
    host = build_plugin_host(modules={"archiver": plugin(
        labelloom_register_actions=lambda registry: registry.add(replacement, replace=True))})
    regs = host.register_all()
    assert regs.actions["delete_tasks"] is replacement and regs.actions.owner("delete_tasks") == "archiver"


def test_tracing_logs_every_hook_call_with_plugin_and_duration(caplog):
    # A plugin implementing every hook, with each spec's own signature.
    every = {}
    for name in dir(hookspecs):
        if name.startswith("labelloom_"):
            params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
            every[name] = eval(f"lambda {params}: None")  # noqa: S307 - test-built no-op with the spec's arguments
    host = build_plugin_host(trace=True, modules={"every": plugin(**every)})
    with caplog.at_level("INFO", logger="labelloom.plugins.trace"):
        host.register_all()
        host.lifespans(settings=None)
        host.resolve_media_url("s3://b/k", 1)
        host.emit("TASKS_CREATED", {})
    lines = [r.getMessage() for r in caplog.records if r.name == "labelloom.plugins.trace"]
    assert {line.split(" ")[0] for line in lines} == set(every)
    assert any(re.fullmatch(r"labelloom_register_actions \[core\] \d+\.\d{3} ms", line) for line in lines)
    assert any(re.fullmatch(r"labelloom_on_event \[every\] \d+\.\d{3} ms", line) for line in lines)
    assert any(re.fullmatch(r"labelloom_register_tags \[every\] \d+\.\d{3} ms", line) for line in lines)
