"""Import a CSV through the dialog, filter and sort in the data manager, delete selected tasks with
the bulk action, export JSON through the dialog and compare it with the API's export."""

from __future__ import annotations

import json
from typing import Any

from playwright.async_api import expect

from tests.api.helpers import TEXT_CONFIG

CSV = "text,source\napple pie,web\nbanana split,mail\ncherry tart,web\napple crumble,mail\ndate loaf,web\n"


async def make_project(page: Any, server: Any, admin: Any, title: str = "Reviews") -> int:
    response = await page.request.post(f"{server.url}/api/projects/", headers=admin.headers,
                                       data={"title": title, "label_config": TEXT_CONFIG})
    assert response.ok, await response.text()
    return (await response.json())["id"]


async def both_themes(page: Any, shot: Any, name: str) -> None:
    await page.evaluate("document.documentElement.dataset.theme = 'light'")
    await shot(page, f"{name}-light")
    await page.evaluate("document.documentElement.dataset.theme = 'dark'")
    await shot(page, f"{name}-dark")
    await page.evaluate("document.documentElement.dataset.theme = 'light'")


def rows(page: Any) -> Any:
    return page.locator(".dm-row[data-task]")


async def test_import_filter_sort_delete_export(server: Any, page: Any, signed_in: Any, shot: Any, tmp_path: Any) -> None:
    project = await make_project(page, server, signed_in)
    await page.goto(f"{server.url}/projects/{project}/data")
    await expect(page.get_by_text("This project has no tasks yet.")).to_be_visible()
    await both_themes(page, shot, "dm-empty")

    # Import a CSV file through the dialog.
    await page.get_by_role("button", name="Import", exact=True).first.click()
    dialog = page.get_by_role("dialog", name="Import data")
    await expect(dialog).to_be_visible()
    # Nothing queued: Import is disabled and says why.
    await expect(dialog.get_by_role("button", name="Import", exact=True)).to_be_disabled()
    await expect(dialog.get_by_text("Add files, a URL or pasted data to import.")).to_be_visible()
    await both_themes(page, shot, "import-empty")
    # The accepted formats: each extension once, the same list as the create-project wizard's.
    await expect(dialog.locator(".ip-formats")).to_contain_text(".webm")
    formats = " ".join(await dialog.locator(".ip-formats > span").all_inner_texts())
    listed = formats.split()
    extensions = [w for w in listed if w.startswith(".")]
    assert len(extensions) == len(set(extensions)), formats
    for ext in (".tif", ".tiff", ".pdf", ".aac", ".opus", ".mov", ".ogv", ".txt", ".csv"):
        assert ext in extensions, (ext, formats)
    await dialog.get_by_label("Choose files to import").set_input_files(
        files=[{"name": "reviews.csv", "mimeType": "text/csv", "buffer": CSV.encode()}])
    await expect(dialog.get_by_text("reviews.csv")).to_be_visible()
    await expect(dialog.get_by_role("button", name="Import", exact=True)).to_be_enabled()
    await expect(dialog.get_by_text("Add files, a URL or pasted data to import.")).to_be_hidden()
    await both_themes(page, shot, "import-queued")
    await dialog.get_by_role("button", name="Import", exact=True).click()
    await expect(dialog.get_by_text("5 tasks imported")).to_be_visible()
    await expect(dialog.get_by_text("Columns found: source, text")).to_be_visible()
    await both_themes(page, shot, "import-done")
    await dialog.get_by_role("button", name="Done").click()
    await expect(rows(page)).to_have_count(5)
    await expect(page.locator(".dm-footer")).to_contain_text("Tasks: 5 / 5")
    await both_themes(page, shot, "dm-table")

    # Filter: data.text contains "apple" (results follow the typing).
    await page.locator(".dm-toolbar summary", has_text="Filters").click()
    await page.get_by_role("button", name="Add filter").click()
    await expect(page.get_by_label("Filter 1 field")).to_have_value("data.text")
    await expect(page.get_by_label("Filter 1 operator")).to_have_value("contains")
    await page.get_by_label("Filter 1 value").fill("apple")
    await expect(rows(page)).to_have_count(2)
    await expect(page.locator(".dm-footer")).to_contain_text("Tasks: 2 / 5")
    await expect(page.get_by_text("Saved to tab")).to_be_visible()
    await both_themes(page, shot, "dm-filtered")
    await page.get_by_label("Remove filter 1").click()
    await expect(rows(page)).to_have_count(5)
    await page.locator(".dm-footer").click()  # close the popover

    # Sort by the text column: click its header (ascending, then descending).
    await page.get_by_role("button", name="text: sort ascending").click()
    await expect(rows(page).first).to_contain_text("apple crumble")
    await page.get_by_role("button", name="text: sort descending").click()
    await expect(rows(page).first).to_contain_text("date loaf")
    await expect(page.get_by_role("columnheader", name="text")).to_have_attribute("aria-sort", "descending")

    # Select two rows and delete them with the bulk action (confirmed).
    await page.get_by_label("Select task", exact=False).nth(0).check()
    await page.get_by_label("Select task", exact=False).nth(1).check()
    await expect(page.locator(".dm-toolbar summary").first).to_contain_text("2 tasks")
    await page.locator(".dm-toolbar summary").first.click()
    await both_themes(page, shot, "dm-actions")
    await page.get_by_role("button", name="Delete tasks").click()
    confirm = page.get_by_role("dialog")
    await expect(confirm).to_contain_text("2 tasks")
    await both_themes(page, shot, "dm-confirm-delete")
    await confirm.get_by_role("button", name="Delete tasks (2 tasks)").click()
    await expect(rows(page)).to_have_count(3)
    await expect(page.locator(".dm-footer")).to_contain_text("Tasks: 3 / 3")
    remaining = await (await page.request.get(f"{server.url}/api/tasks/?project={project}", headers=signed_in.headers)).json()
    texts = sorted(t["data"]["text"] for t in remaining["tasks"])
    assert texts == ["apple crumble", "apple pie", "banana split"]  # date loaf and cherry tart were first

    # Export JSON (all tasks) through the dialog and compare with the API's export.
    await page.get_by_role("button", name="Export", exact=True).click()
    export = page.get_by_role("dialog", name="Export data")
    await expect(export.get_by_text("JSON-MIN", exact=False).first).to_be_visible()
    await export.get_by_label("All tasks").check()
    await both_themes(page, shot, "export-dialog")
    async with page.expect_download() as info:
        await export.get_by_role("link", name="Export JSON").click()
    download = await info.value
    path = tmp_path / "export.json"
    await download.save_as(path)
    downloaded = json.loads(path.read_text())
    api = await page.request.get(f"{server.url}/api/projects/{project}/export?exportType=JSON&download_all_tasks=true",
                                 headers=signed_in.headers)
    assert api.ok
    assert downloaded == await api.json()
    assert sorted(t["data"]["text"] for t in downloaded) == texts

    # A snapshot from the dialog completes in the background and can be downloaded.
    await export.get_by_role("button", name="Create snapshot").click()
    snapshot = export.locator(".ex-snap")
    await expect(snapshot.locator(".badge")).to_have_text("completed", timeout=20_000)
    await expect(snapshot).to_contain_text("3 tasks")
    await expect(snapshot.get_by_role("link", name="JSON", exact=True)).to_be_visible()
    await both_themes(page, shot, "export-snapshot")
    await export.get_by_role("button", name="Close").click()

    # "All but excluded": select every task, untick one, export the selection.
    await page.get_by_label("Select all 3 tasks").check()
    first = rows(page).first
    excluded = int(await first.get_attribute("data-task"))
    await first.get_by_label(f"Select task {excluded}").uncheck()
    await page.get_by_role("button", name="Export", exact=True).click()
    export = page.get_by_role("dialog", name="Export data")
    await expect(export.get_by_label("Selected tasks (2)")).to_be_checked()
    async with page.expect_download() as info:
        await export.get_by_role("link", name="Export JSON").click()
    await (await info.value).save_as(path)
    exported = sorted(t["id"] for t in json.loads(path.read_text()))
    assert len(exported) == 2 and excluded not in exported


async def test_import_shows_the_servers_row_errors(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = await make_project(page, server, signed_in)
    await page.goto(f"{server.url}/projects/{project}/data")
    await page.get_by_role("button", name="Import", exact=True).first.click()
    dialog = page.get_by_role("dialog", name="Import data")
    await dialog.get_by_label("Or paste tasks").fill('[{"text": "fine"}, {"other": "no text key"}]')
    await expect(dialog.get_by_text("JSON · 2 tasks")).to_be_visible()
    await dialog.get_by_role("button", name="Add pasted data").click()
    await expect(dialog.get_by_text("pasted.json")).to_be_visible()
    await dialog.get_by_role("button", name="Import", exact=True).click()
    alert = dialog.get_by_role("alert")
    await expect(alert).to_contain_text("nothing was imported")
    await expect(alert.locator("code")).to_contain_text("item 1")
    await both_themes(page, shot, "import-errors")
    count = await (await page.request.get(f"{server.url}/api/projects/{project}", headers=signed_in.headers)).json()
    assert count["task_number"] == 0


IMAGE_CONFIG = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="Car"/><Label value="Person"/></RectangleLabels>
</View>"""


async def test_export_image_project_with_images(server: Any, page: Any, signed_in: Any, shot: Any, tmp_path: Any) -> None:
    """An image project offers the computer-vision formats; "YOLO with Images" downloads a zip
    holding the labels and the uploaded images themselves."""
    import zipfile

    response = await page.request.post(f"{server.url}/api/projects/", headers=signed_in.headers,
                                       data={"title": "Street scenes", "label_config": IMAGE_CONFIG})
    project = (await response.json())["id"]
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
           b"\x00\x00\x00\nIDATx\x9cc`\x00\x00\x00\x02\x00\x01H\xaf\xa4q\x00\x00\x00\x00IEND\xaeB`\x82")
    upload = await page.request.post(f"{server.url}/api/projects/{project}/import", headers=signed_in.headers,
                                     multipart={"file": {"name": "street.png", "mimeType": "image/png", "buffer": png}})
    assert upload.ok, await upload.text()
    await page.goto(f"{server.url}/projects/{project}/data")
    await page.get_by_role("button", name="Export", exact=True).click()
    export = page.get_by_role("dialog", name="Export data")
    for title in ("COCO with Images", "YOLO with Images", "YOLOv8 OBB", "Pascal VOC XML"):
        await expect(export.get_by_text(title, exact=True)).to_be_visible()
    await export.get_by_text("YOLO with Images", exact=True).click()
    await export.get_by_label("All tasks").check()
    await both_themes(page, shot, "export-dialog-image")
    async with page.expect_download() as info:
        await export.get_by_role("link", name="Export YOLO with Images").click()
    path = tmp_path / "export.zip"
    await (await info.value).save_as(path)
    with zipfile.ZipFile(path) as archive:
        images = [n for n in archive.namelist() if n.startswith("images/") and n != "images/"]
        assert len(images) == 1 and images[0].endswith("street.png") and archive.read(images[0]) == png
        stem = images[0][len("images/"):].rsplit(".", 1)[0]
        assert f"labels/{stem}.txt" in archive.namelist() and "classes.txt" in archive.namelist()
