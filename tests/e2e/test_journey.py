"""Issue 7's "done when": from an empty install to a labelled project and its export, in the
browser only — first-run admin, the create wizard (CSV import + a gallery template), the data
manager, the label stream with hotkeys, and the export dialog, checked against the API."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
from playwright.async_api import expect
from tests.e2e.labeling import labeling_ready

CSV = "text,source\nI love it,web\nTerrible service,mail\nIt was fine,web\n"


async def test_a_new_user_goes_from_empty_install_to_an_export(server: Any, page: Any, shot: Any, tmp_path: Any) -> None:
    # First run: the administrator account.
    await page.goto(server.url + "/")
    await expect(page).to_have_url(server.url + "/setup")
    await page.get_by_label("Email").fill("owner@example.com")
    await page.get_by_label("Password", exact=True).fill("a long enough password")
    await page.get_by_role("button", name=re.compile("Create")).click()
    await expect(page).to_have_url(server.url + "/projects")

    # The wizard: name, a CSV file, the Text Classification template; nothing exists before Save.
    await page.goto(server.url + "/projects/new")
    await page.get_by_label("Project name").fill("Feedback")
    await page.get_by_role("button", name="Data import").click()
    await page.locator("ll-import-panel").get_by_label("Choose files to import").set_input_files(
        files=[{"name": "feedback.csv", "mimeType": "text/csv", "buffer": CSV.encode()}])
    await expect(page.locator("ll-import-panel").get_by_text("feedback.csv")).to_be_visible()
    await page.get_by_role("button", name="Labeling setup").click()
    await page.locator('ll-labeling-setup .ls-card[data-template="text.classification"]').click()
    await shot(page, "journey-wizard-labeling")
    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/projects/\d+/data$"))
    project = int(page.url.rsplit("/", 2)[-2])
    rows = page.locator(".dm-row[data-task]")
    await expect(rows).to_have_count(3)
    await shot(page, "journey-data-manager")

    # Label the first two tasks in the stream with the keyboard, then stop.
    await page.get_by_role("button", name=re.compile("Label all tasks")).click()
    await expect(page).to_have_url(re.compile(rf"/projects/{project}/label"))
    await expect(page.get_by_text("I love it")).to_be_visible()
    await labeling_ready(page)
    await page.keyboard.press("1")  # Positive
    await page.keyboard.press("Control+Enter")
    await expect(page.get_by_text("Terrible service")).to_be_visible()
    await labeling_ready(page)
    await page.keyboard.press("2")  # Negative
    await shot(page, "journey-labeling")
    await page.keyboard.press("Control+Enter")
    await expect(page.get_by_text("It was fine")).to_be_visible()

    # Back in the data manager the counters show the work; export it through the dialog.
    await page.goto(f"{server.url}/projects/{project}/data")
    await expect(page.locator(".dm-footer")).to_contain_text("Annotations: 2")
    await page.get_by_role("button", name="Export", exact=True).click()
    export = page.get_by_role("dialog", name="Export data")
    link = export.get_by_role("link", name="Export JSON")
    href = await link.get_attribute("href")
    assert href.startswith(f"/api/projects/{project}/export?")
    async with page.expect_download() as info:
        await link.click()
    path = tmp_path / "export.json"
    await (await info.value).save_as(path)
    downloaded = json.loads(path.read_text())

    async with httpx.AsyncClient(base_url=server.url, cookies={c["name"]: c["value"] for c in await page.context.cookies()}) as http:
        expected = (await http.get(href)).json()  # the dialog's link is the API's own export
    assert downloaded == expected
    results = {t["data"]["text"]: [r["value"] for a in t["annotations"] for r in a["result"]] for t in downloaded}
    assert results == {"I love it": [{"choices": ["Positive"]}], "Terrible service": [{"choices": ["Negative"]}],
                       "It was fine": []}
    item = downloaded[0]["annotations"][0]["result"][0]
    assert {k: item[k] for k in ("from_name", "to_name", "type", "origin")} == {
        "from_name": "sentiment", "to_name": "text", "type": "choices", "origin": "manual"}
