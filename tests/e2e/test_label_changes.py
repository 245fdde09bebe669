"""Label changes in the browser: rename a label in the visual editor of a project with
annotations, see what it touches, confirm, and the annotations carry the new label (P7)."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.async_api import expect

from labelloom.core.labelchanges import service as label_changes

CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Labels name="label" toName="text">
    <Label value="PER"/>
    <Label value="ORG"/>
  </Labels>
</View>"""


def span(region_id: str, start: int, end: int, text: str, label: str) -> dict[str, Any]:
    return {"id": region_id, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


TASKS = [
    {"data": {"text": "Acme hired Anna"}, "annotations": [{"result": [span("a", 0, 4, "Acme", "ORG"), span("b", 11, 15, "Anna", "PER")]}],
     "predictions": [{"model_version": "v1", "result": [span("p", 0, 4, "Acme", "ORG")]}]},
    {"data": {"text": "Globex sued Initech"}, "annotations": [{"result": [span("c", 0, 6, "Globex", "ORG"), span("d", 12, 19, "Initech", "ORG")]}]},
    {"data": {"text": "Bob slept"}, "annotations": [{"result": [span("e", 0, 3, "Bob", "PER")]}]},
]


def api(server: Any, admin: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=server.url, headers={"Authorization": f"Token {admin.token}"})


async def make_project(server: Any, admin: Any) -> dict[str, Any]:
    async with api(server, admin) as http:
        project = (await http.post("/api/projects/", json={"title": "Entities", "label_config": CONFIG})).json()
        response = await http.post(f"/api/projects/{project['id']}/import", json=TASKS)
        assert response.status_code == 201, response.text
    return project


async def labels_in_annotations(server: Any, admin: Any, project_id: int) -> list[str]:
    async with api(server, admin) as http:
        tasks = (await http.get(f"/api/projects/{project_id}/export?exportType=JSON")).json()
    return sorted(item["value"]["labels"][0] for t in tasks for a in t["annotations"] + t["predictions"] for item in a["result"])


async def set_theme(page: Any, theme: str) -> None:
    await page.evaluate("t => { document.documentElement.dataset.theme = t; }", theme)


async def open_visual_editor(page: Any, server: Any, project_id: int) -> Any:
    await page.goto(f"{server.url}/projects/{project_id}/settings/labeling")
    setup = page.locator("ll-labeling-setup")
    await expect(setup.locator(".ls-status")).to_have_text("Valid")
    await setup.get_by_role("tab", name="Visual").click()
    return setup


async def rename(setup: Any, old: str, new: str) -> None:
    field = setup.get_by_label(f"Name of label {old}")
    await field.fill(new)
    await field.press("Enter")
    await expect(setup.get_by_label(f"Name of label {new}")).to_be_visible()


async def test_rename_in_visual_editor_migrates_annotations(server: Any, signed_in: Any, page: Any, shot: Any) -> None:
    project = await make_project(server, signed_in)
    setup = await open_visual_editor(page, server, project["id"])
    await rename(setup, "ORG", "Organisation")
    await expect(setup.locator(".ls-status")).to_have_text("Valid")
    await page.get_by_role("button", name="Save", exact=True).click()

    dialog = page.get_by_role("dialog", name="Label changes")
    await expect(dialog).to_be_visible()
    choice = dialog.get_by_label("What ORG of label became")
    await expect(choice).to_have_value("Organisation")  # the visual editor's rename decides
    await expect(dialog.locator(".lc-counts")).to_have_text("2 annotations · 1 prediction")
    examples = dialog.get_by_label("Examples of ORG")
    await expect(examples.locator("li")).to_have_count(3)
    await expect(examples.locator("li").first).to_contain_text("0–4 “Acme”")
    await expect(examples.locator("li").first).to_contain_text("Organisation")
    await expect(dialog.locator(".lc-summary")).to_contain_text("Touches 2 annotations · 1 prediction")
    for theme in ("light", "dark"):
        await set_theme(page, theme)
        await shot(page, f"label-changes-dialog-{theme}")
    await set_theme(page, "light")

    # Choosing "removed" shows what gets deleted, then back to the rename.
    await choice.select_option("remove")
    await expect(examples.locator("li").first).to_contain_text("item deleted")
    await choice.select_option("Organisation")
    await expect(examples.locator("li").first).to_contain_text("Organisation")

    await dialog.get_by_role("button", name="Apply and save").click()
    await expect(dialog).to_be_hidden()
    await expect(page.locator(".settings-footer .state")).to_have_text("All changes saved")
    assert await labels_in_annotations(server, signed_in, project["id"]) == [
        "Organisation", "Organisation", "Organisation", "Organisation", "PER", "PER"]
    async with api(server, signed_in) as http:
        saved = (await http.get(f"/api/projects/{project['id']}")).json()["label_config"]
    assert '<Label value="Organisation"/>' in saved and "ORG" not in saved


async def test_vanished_label_needs_a_decision_and_big_projects_show_progress(
        server: Any, signed_in: Any, page: Any, shot: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(label_changes, "JOB_THRESHOLD", 1)
    project = await make_project(server, signed_in)
    setup = await open_visual_editor(page, server, project["id"])
    # Delete PER in the XML: nothing says what it became.
    await setup.get_by_role("tab", name="Code").click()
    code = setup.locator("textarea.xe-input")
    await code.fill(CONFIG.replace('    <Label value="PER"/>\n', ""))
    await expect(setup.locator(".ls-status")).to_have_text("Valid")
    await page.get_by_role("button", name="Save", exact=True).click()

    dialog = page.get_by_role("dialog", name="Label changes")
    choice = dialog.get_by_label("What PER of label became")
    await expect(choice).to_have_value("")
    await expect(dialog.get_by_label("Examples of PER").locator("li").first).to_contain_text("to be decided")
    apply = dialog.get_by_role("button", name="Apply and save")
    await expect(apply).to_be_disabled()
    await expect(dialog.locator(".lc-summary")).to_contain_text("runs in the background")
    await set_theme(page, "dark")
    await shot(page, "label-changes-undecided-dark")
    await set_theme(page, "light")
    await choice.select_option("ORG")  # merged into ORG
    await expect(apply).to_be_enabled()
    await shot(page, "label-changes-merge-light")
    await apply.click()
    await expect(dialog).to_be_hidden(timeout=20_000)
    await expect(page.locator(".settings-footer .state")).to_have_text("All changes saved")
    assert await labels_in_annotations(server, signed_in, project["id"]) == ["ORG"] * 6


async def test_cancel_saves_nothing(server: Any, signed_in: Any, page: Any) -> None:
    project = await make_project(server, signed_in)
    setup = await open_visual_editor(page, server, project["id"])
    await rename(setup, "PER", "Person")
    await page.get_by_role("button", name="Save", exact=True).click()
    dialog = page.get_by_role("dialog", name="Label changes")
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(dialog).to_be_hidden()
    await expect(page.locator(".server-error")).to_contain_text("Not saved")
    async with api(server, signed_in) as http:
        assert (await http.get(f"/api/projects/{project['id']}")).json()["label_config"] == CONFIG
