"""A plugin's project settings section (``labelloom_register_settings_panels``) in the browser:
it appears in the settings navigation while the plugin is enabled, draws itself with the app's
API client, marks unsaved edits, and a broken one shows an error naming its plugin."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from labelloom.core.testing import LiveServer

THIRD_PARTY = Path(__file__).parent.parent / "fixtures" / "thirdparty"
CONFIG = '<View><Text name="text" value="$text"/><Choices name="s" toName="text"><Choice value="Yes"/></Choices></View>'


@pytest.fixture
def server(make_app: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A live server with the example plugin installed as its own distribution."""
    monkeypatch.syspath_prepend(str(THIRD_PARTY))
    with LiveServer(make_app()) as live:
        yield live
    sys.modules.pop("labelloom_example_plugin", None)


async def make_project(server: Any, admin: Any) -> int:
    async with httpx.AsyncClient(base_url=server.url, headers={"Authorization": f"Token {admin.token}"}) as http:
        r = await http.post("/api/projects/", json={"title": "Panels", "label_config": CONFIG})
        assert r.status_code == 201, r.text
        return r.json()["id"]


async def test_plugin_section_draws_edits_and_saves(server: Any, signed_in: Any, page: Any, shot: Any) -> None:
    pid = await make_project(server, signed_in)
    await page.goto(f"{server.url}/projects/{pid}/settings/general")
    nav = page.get_by_role("navigation", name="Settings sections")
    links = nav.get_by_role("link")
    # Core's sections, the plugin's, then the danger zone last.
    await expect(links).to_have_text(["General", "Labeling interface", "Instructions", "Annotation", "Cloud storage", "Members", "Review", "Model", "Example plugin", "Danger zone"])
    await nav.get_by_role("link", name="Example plugin").click()
    await expect(page).to_have_url(f"{server.url}/projects/{pid}/settings/example")
    await expect(page.get_by_role("heading", name="Example plugin")).to_be_visible()
    panel = page.locator(".plugin-panel[data-plugin=example]")
    await expect(panel.locator(".example-project")).to_have_text("Panels")
    await expect(panel.locator(".example-plugin")).to_have_text("example")

    await page.get_by_label("Example note").fill("kept by the plugin")
    await expect(nav.locator(".dirty-dot")).to_have_count(1)  # ctx.setDirty(true)
    await shot(page, "settings-plugin-panel")
    await page.get_by_role("button", name="Save note").click()
    await expect(page.get_by_text("Example note saved")).to_be_visible()
    await expect(nav.locator(".dirty-dot")).to_have_count(0)
    async with httpx.AsyncClient(base_url=server.url, headers={"Authorization": f"Token {signed_in.token}"}) as http:
        assert (await http.get(f"/api/projects/{pid}/")).json()["description"] == "kept by the plugin"

    # Leaving the section runs the panel's cleanup.
    await nav.get_by_role("link", name="General").click()
    await expect(page.get_by_label("Project name")).to_be_visible()
    assert await page.evaluate("window.exampleCleanedUp === true")


async def test_unknown_section_falls_back_and_a_broken_panel_names_its_plugin(server: Any, signed_in: Any, page: Any) -> None:
    pid = await make_project(server, signed_in)
    await page.goto(f"{server.url}/projects/{pid}/settings/nonsense")
    await expect(page).to_have_url(f"{server.url}/projects/{pid}/settings/general")

    # The panel's module fails to load: an error naming the plugin, the page keeps working.
    await page.route("**/static/plugins/example/settings-panel.js*", lambda route: route.fulfill(
        status=200, content_type="text/javascript", body="export default function () { throw new Error('boom'); }"))
    await page.goto(f"{server.url}/projects/{pid}/settings/example")
    alert = page.locator(".plugin-panel [role=alert]")
    await expect(alert).to_contain_text('plugin "example"')
    await expect(alert).to_contain_text("boom")
    await page.get_by_role("link", name="Annotation").click()
    await expect(page.get_by_label("Annotations per task")).to_be_visible()
