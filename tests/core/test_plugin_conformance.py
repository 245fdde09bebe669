"""The test kit's conformance checks, run on every built-in plugin as a third party runs them on its own."""

import pytest

from labelloom.core.manager import build_plugin_host
from labelloom.core.plugin import TagSpec, TemplateSpec
from labelloom.core.testing import assert_plugin_conforms, plugin_module, plugin_problems

BUILT_INS = sorted(name for name in build_plugin_host().plugins if name != "core")


@pytest.mark.parametrize("name", BUILT_INS)
def test_built_in_plugin_conforms(name):
    assert_plugin_conforms(name)


def test_problems_are_found_and_named():
    tags = plugin_module(
        "broken",
        labelloom_register_tags=lambda registry: registry.add(TagSpec(name="Nowhere", kind="visual", widget="widgets/nowhere.js")),
        labelloom_register_templates=lambda registry: registry.add(
            TemplateSpec(name="broken.t", title="T", group="G", config="<View><Nope/></View>")),
    )
    problems = plugin_problems("broken", modules={"broken": tags})
    assert any("widgets/nowhere.js" in p and "static/" in p for p in problems)
    assert any(p.startswith("template broken.t: invalid config") and "Nope" in p for p in problems)
    assert any("LABELLOOM_TAGS" in p and "Nowhere" in p for p in problems)
    assert plugin_problems("absent", modules={}) == ["plugin 'absent' is not installed (installed: core)"]


async def test_plugin_host_adds_a_throwaway_plugin_to_the_installed_ones(make_app, admin):
    from litestar.testing import AsyncTestClient

    from labelloom.core.testing import plugin_host

    seen = []
    host = plugin_host(recorder=plugin_module("recorder", labelloom_on_event=lambda event, payload: seen.append(event)))
    assert {"controls", "image", "recorder", "core"} <= set(host.plugins)
    assert set(plugin_host(only=["text"]).plugins) == {"core", "text"}
    async with AsyncTestClient(make_app(host=host)) as client:
        response = await client.post("/api/projects/", headers=admin.headers, json={"title": "P"})
        assert response.status_code == 201
    assert "PROJECT_CREATED" in seen
