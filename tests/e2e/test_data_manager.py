"""The data manager: virtual scrolling over server pages, the task panel (?task=), keyboard,
tabs saved on the server, columns, selection of all-but-excluded."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import expect

from tests.e2e.test_import_export import both_themes, make_project, rows


async def dm_loaded(page: Any) -> None:
    """The data manager has loaded (it sets the page's title then). A row clicked before that
    could be drawn again under the pointer on a loaded machine, and the click was lost."""
    await expect(page).to_have_title(re.compile(r"^Data · "))


async def seed(page: Any, server: Any, admin: Any, project: int, n: int) -> list[int]:
    tasks = [{"text": f"item {i:05d}", "n": i} for i in range(n)]
    response = await page.request.post(f"{server.url}/api/projects/{project}/import?return_task_ids=true",
                                       headers=admin.headers, data=tasks)
    assert response.ok, await response.text()
    return (await response.json())["task_ids"]


async def test_virtual_scrolling_keeps_few_rows_and_reaches_the_end(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = await make_project(page, server, signed_in, "Big")
    ids = await seed(page, server, signed_in, project, 3000)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/api/tasks/" in r.url else None)
    await page.goto(f"{server.url}/projects/{project}/data")
    await dm_loaded(page)
    await expect(rows(page).first).to_contain_text("item 00000")
    await expect(page.locator(".dm-footer")).to_contain_text("Tasks: 3,000 / 3,000")
    assert await rows(page).count() < 80  # only the rows in view (and a few more) are in the DOM
    await both_themes(page, shot, "dm-big")
    # Jump to the end: the last page is fetched and its rows shown; the first page may be dropped.
    await page.locator(".dm-scroller").evaluate("el => el.scrollTop = el.scrollHeight")
    await expect(page.locator(f'.dm-row[data-task="{ids[-1]}"]')).to_be_visible()
    assert await rows(page).count() < 80
    assert any("page=30" in url for url in requests)
    assert not any("page=15" in url for url in requests)  # pages passed over are never requested
    # Select all, exclude one: the Actions button counts all but the excluded task.
    await page.get_by_label("Select all 3000 tasks").check()
    await page.get_by_label(f"Select task {ids[-1]}").uncheck()
    await expect(page.locator(".dm-toolbar summary").first).to_contain_text("2,999 tasks")
    await expect(page.get_by_label("Select all 3000 tasks")).to_have_js_property("indeterminate", True)


async def test_task_panel_url_keyboard_and_reload(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = await make_project(page, server, signed_in, "Panel")
    ids = await seed(page, server, signed_in, project, 5)
    await page.goto(f"{server.url}/projects/{project}/data")
    await dm_loaded(page)
    await rows(page).nth(1).click()
    await expect(page).to_have_url(f"{server.url}/projects/{project}/data?task={ids[1]}")
    panel = page.get_by_role("complementary", name="Task")
    await expect(panel.get_by_role("heading", name=f"Task #{ids[1]}")).to_be_visible()
    await expect(panel).to_contain_text("item 00001")
    await both_themes(page, shot, "dm-panel")
    await page.keyboard.press("Shift+ArrowDown")
    await expect(panel.get_by_role("heading", name=f"Task #{ids[2]}")).to_be_visible()
    await expect(page).to_have_url(f"{server.url}/projects/{project}/data?task={ids[2]}")
    await page.reload()
    await dm_loaded(page)
    await expect(page.get_by_role("complementary", name="Task").get_by_role("heading", name=f"Task #{ids[2]}")).to_be_visible()
    await page.keyboard.press("Shift+ArrowUp")
    await expect(page).to_have_url(f"{server.url}/projects/{project}/data?task={ids[1]}")
    await page.keyboard.press("Escape")
    await expect(page).to_have_url(f"{server.url}/projects/{project}/data")
    await expect(page.get_by_role("complementary", name="Task")).to_be_hidden()
    # Keyboard in the table: focus stays on the row the panel showed; arrows move, space selects,
    # Enter opens.
    await expect(page.locator(f'.dm-row.focused[data-task="{ids[1]}"]')).to_have_count(1)
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press(" ")
    await expect(page.locator(".dm-toolbar summary").first).to_contain_text("1 task")
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(f"{server.url}/projects/{project}/data?task={ids[2]}")


async def test_tabs_and_columns_are_saved_on_the_server(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = await make_project(page, server, signed_in, "Tabs")
    await seed(page, server, signed_in, project, 3)
    await page.goto(f"{server.url}/projects/{project}/data")
    await dm_loaded(page)
    await expect(rows(page)).to_have_count(3)
    # New tab, renamed by double-click.
    await page.get_by_role("button", name="New tab").click()
    await expect(page.get_by_role("tab", name="Tab 2")).to_have_attribute("aria-selected", "true")
    await page.get_by_role("tab", name="Tab 2").dblclick()
    await page.get_by_label("Tab name").fill("Review queue")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("tab", name="Review queue")).to_be_visible()
    # Hide a column in this tab; it is auto-saved.
    await page.locator(".dm-toolbar summary", has_text="Columns").click()
    await page.locator(".dm-columns label", has_text="Annotations").get_by_role("checkbox").uncheck()
    await expect(page.get_by_role("columnheader", name="Annotations")).to_have_count(0)
    await expect(page.get_by_text("Saved to tab")).to_be_visible()
    await both_themes(page, shot, "dm-columns")
    views = await (await page.request.get(f"{server.url}/api/dm/views/?project={project}", headers=signed_in.headers)).json()
    saved = next(v for v in views if v["data"].get("title") == "Review queue")
    assert "tasks:total_annotations" in saved["data"]["hiddenColumns"]["explore"]
    # Duplicate, then delete the copy (confirmed).
    await page.get_by_label("Tab Review queue options").click()
    await page.get_by_role("button", name="Duplicate").click()
    await expect(page.get_by_role("tab", name="Review queue (copy)")).to_have_attribute("aria-selected", "true")
    await expect(page.get_by_role("columnheader", name="Annotations")).to_have_count(0)
    await page.get_by_label("Tab Review queue (copy) options").click()
    await page.get_by_role("button", name="Delete").click()
    await page.get_by_role("dialog").get_by_role("button", name="Delete tab").click()
    await expect(page.get_by_role("tab", name="Review queue (copy)")).to_have_count(0)
    # Reload: the tabs come back from the server; the default tab still shows the column.
    await page.reload()
    await dm_loaded(page)
    await expect(page.get_by_role("tab", name="Review queue")).to_be_visible()
    await page.get_by_role("tab", name="Default").click()
    await expect(page.get_by_role("columnheader", name="Annotations")).to_have_count(1)


async def test_filters_by_type_between_user_date_and_or(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = await make_project(page, server, signed_in, "Filters")
    ids = await seed(page, server, signed_in, project, 6)
    h = signed_in.headers
    r = await page.request.post(f"{server.url}/api/tasks/{ids[4]}/annotations/", headers=h,
                                data={"result": [{"from_name": "sentiment", "to_name": "text", "type": "choices",
                                                  "value": {"choices": ["Positive"]}}]})
    assert r.ok, await r.text()
    await page.goto(f"{server.url}/projects/{project}/data")
    await dm_loaded(page)
    await expect(rows(page)).to_have_count(6)
    await page.locator(".dm-toolbar summary", has_text="Filters").click()
    # Number: ID is between ids[1] and ids[3].
    await page.get_by_role("button", name="Add filter").click()
    await page.get_by_label("Filter 1 field").select_option("id")
    await page.get_by_label("Filter 1 operator").select_option("in")
    await page.get_by_label("Filter 1 value: from").fill(str(ids[1]))
    await page.get_by_label("Filter 1 value: to").fill(str(ids[3]))
    await expect(rows(page)).to_have_count(3)
    # Or: ... or annotated by the admin (user picker).
    await page.get_by_role("button", name="Add filter").click()
    await page.get_by_label("Filter 2 field").select_option("annotators")
    await page.get_by_label("Filter 2 value").select_option(label=signed_in.email)
    await expect(rows(page)).to_have_count(0)  # "and": none of ids[1..3] is annotated
    await page.get_by_label("Conjunction").select_option("or")
    await expect(rows(page)).to_have_count(4)
    await both_themes(page, shot, "dm-filters-types")
    # Dates: created before a future date keeps everything the other filters keep.
    await page.get_by_role("button", name="Add filter").click()
    await page.get_by_label("Filter 3 field").select_option("created_at")
    await expect(page.get_by_label("Filter 3 operator")).to_have_value("less")
    await page.get_by_label("Filter 3 value").fill("2001-01-01T00:00")
    await expect(rows(page)).to_have_count(4)  # "or" with a filter matching nothing
    await page.get_by_label("Conjunction").select_option("and")
    await expect(rows(page)).to_have_count(0)
    await expect(page.get_by_text("No tasks match these filters.")).to_be_visible()
    # Empty: "Annotations is empty: no" alone keeps the annotated task.
    for _ in range(3):
        await page.get_by_label("Remove filter 1").click()
    await page.get_by_role("button", name="Add filter").click()
    await page.get_by_label("Filter 1 field").select_option("total_annotations")
    await page.get_by_label("Filter 1 operator").select_option("empty")
    await page.get_by_label("Filter 1 value").select_option("false")
    await expect(rows(page)).to_have_count(1)
    await expect(rows(page).first).to_have_attribute("data-task", str(ids[4]))
    # The saved view holds what the UI built, in Label Studio's filter JSON.
    await expect(page.get_by_text("Saved to tab")).to_be_visible()
    views = await (await page.request.get(f"{server.url}/api/dm/views/?project={project}", headers=h)).json()
    assert views[0]["data"]["filters"]["items"] == [
        {"filter": "filter:tasks:total_annotations", "operator": "empty", "type": "Number", "value": False}]


async def test_label_button_enters_the_stream_for_the_tab_or_selection(server: Any, page: Any, signed_in: Any) -> None:
    project = await make_project(page, server, signed_in, "Stream")
    ids = await seed(page, server, signed_in, project, 3)
    await page.goto(f"{server.url}/projects/{project}/data")
    await dm_loaded(page)
    await page.get_by_label(f"Select task {ids[0]}").check()
    await page.get_by_label(f"Select task {ids[2]}").check()
    await page.get_by_role("button", name="Label 2 tasks").click()
    views = await (await page.request.get(f"{server.url}/api/dm/views/?project={project}", headers=signed_in.headers)).json()
    await expect(page).to_have_url(f"{server.url}/projects/{project}/label?view={views[0]['id']}&tasks={ids[0]},{ids[2]}")


async def test_submitting_in_the_panel_refreshes_the_row(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = await make_project(page, server, signed_in, "Submit")
    ids = await seed(page, server, signed_in, project, 3)
    await page.goto(f"{server.url}/projects/{project}/data?task={ids[1]}")
    await dm_loaded(page)
    panel = page.get_by_role("complementary", name="Task")
    await expect(panel.get_by_role("heading", name=f"Task #{ids[1]}")).to_be_visible()
    await panel.get_by_label("Positive").check()
    await panel.get_by_role("button", name="Submit").click()
    row = page.locator(f'.dm-row[data-task="{ids[1]}"]')
    await expect(row.locator(".dm-count").first).to_have_text("1")
    await expect(page.locator(".dm-footer")).to_contain_text("Annotations: 1")
    await both_themes(page, shot, "dm-panel-submitted")


async def test_columns_resize_and_reorder_by_dragging_headers(server: Any, page: Any, signed_in: Any) -> None:
    project = await make_project(page, server, signed_in, "Drag")
    await seed(page, server, signed_in, project, 2)
    await page.goto(f"{server.url}/projects/{project}/data")
    await dm_loaded(page)
    await expect(rows(page)).to_have_count(2)
    handle = page.get_by_label("Resize Task ID")
    box = await handle.bounding_box()
    await page.mouse.move(box["x"] + 4, box["y"] + 10)
    await page.mouse.down()
    await page.mouse.move(box["x"] + 124, box["y"] + 10, steps=5)
    await page.mouse.up()
    header = page.locator('.dm-th[data-col="tasks:id"]')
    assert abs((await header.bounding_box())["width"] - 204) < 3  # 84 px + 120 px
    await page.locator('.dm-th[data-col="tasks:completed_at"]').drag_to(page.locator('.dm-th[data-col="tasks:data.text"]'))
    await expect(page.locator(".dm-th .dm-th-title").first).to_have_text("Completed")
    await expect(page.get_by_text("Saved to tab")).to_be_visible()
    views = await (await page.request.get(f"{server.url}/api/dm/views/?project={project}", headers=signed_in.headers)).json()
    assert views[0]["data"]["columnsWidth"]["tasks:id"] == 204
    assert views[0]["data"]["columnOrder"][0] == "tasks:completed_at"


def png_data_uri(width: int = 48, height: int = 32) -> str:
    """A small gradient PNG as a data URI (an image with real pixels, no file server needed)."""
    import base64
    import struct
    import zlib

    rows = b"".join(b"\x00" + b"".join(bytes(((x * 5) % 256, (y * 8) % 256, 180)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode()


IMAGE_CONFIG = '<View><Image name="img" value="$image"/><Choices name="c" toName="img"><Choice value="A"/></Choices></View>'


async def test_cells_use_the_plugins_preview_and_density(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    response = await page.request.post(f"{server.url}/api/projects/", headers=signed_in.headers,
                                       data={"title": "Images", "label_config": IMAGE_CONFIG})
    project = (await response.json())["id"]
    tasks = [{"image": png_data_uri(), "meta_info": {"k": i}} for i in range(3)]
    r = await page.request.post(f"{server.url}/api/projects/{project}/import", headers=signed_in.headers, data=tasks)
    assert r.ok, await r.text()
    await page.goto(f"{server.url}/projects/{project}/data")
    await dm_loaded(page)
    await expect(rows(page)).to_have_count(3)
    # The image plugin's preview() draws a thumbnail; an object value falls back to {…}.
    thumb = rows(page).first.locator('ll-dm-preview img[src^="data:image/png"]')
    await expect(thumb).to_be_visible()
    await expect(thumb).to_have_js_property("naturalWidth", 48)
    await expect(rows(page).first.locator("ll-dm-preview").nth(1)).to_have_text("{…}")
    before = (await rows(page).first.bounding_box())["height"]
    await page.get_by_label("Row height").select_option("comfortable")
    await expect(rows(page).first).to_have_attribute("style", re.compile(r"height:72px"))
    assert (await rows(page).first.bounding_box())["height"] > before
    await both_themes(page, shot, "dm-images-comfortable")


async def test_long_text_rows_row_height_settings_link_and_tab_row(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    """Issue 15: long values are clamped from their first line (never cut at the top), the row
    height is the user's choice (remembered for the project, scrolling follows it), the data
    manager leads to the project's settings, and the tab row has no stray scrollbar."""
    project = await make_project(page, server, signed_in, "Long")
    long = " ".join(f"word{i}" for i in range(200))
    tasks = [{"text": f"FIRST{i} {long} LAST", "n": i} for i in range(300)]
    response = await page.request.post(f"{server.url}/api/projects/{project}/import", headers=signed_in.headers, data=tasks)
    assert response.ok, await response.text()
    await page.goto(f"{server.url}/projects/{project}/data")
    await dm_loaded(page)
    await expect(rows(page).first).to_contain_text("FIRST0")
    # The tab row never overflows vertically (it showed a 1 px scrollbar).
    tablist = page.locator(".dm-tablist")
    assert await tablist.evaluate("el => el.scrollHeight <= el.clientHeight")

    async def first_line_visible() -> None:
        # The cell's text starts inside its row: its top is not above the row's top.
        cell = rows(page).first.locator("ll-dm-preview.dm-data").first
        row_box = await rows(page).first.bounding_box()
        cell_box = await cell.bounding_box()
        assert cell_box["y"] >= row_box["y"], (cell_box, row_box)
        assert cell_box["y"] + cell_box["height"] <= row_box["y"] + row_box["height"] + 0.5, (cell_box, row_box)

    await first_line_visible()
    for density, height in (("comfortable", 72), ("tall", 126)):
        await page.get_by_label("Row height").select_option(density)
        await expect(rows(page).first).to_have_attribute("style", re.compile(rf"height:{height}px"))
        await first_line_visible()
        box = await rows(page).nth(1).bounding_box()
        assert abs(box["height"] - height) < 1
    await both_themes(page, shot, "dm-rows-tall")
    # Virtual scrolling follows the row height: the last row is reachable and in view.
    await page.locator(".dm-scroller").evaluate("el => el.scrollTop = el.scrollHeight")
    await expect(rows(page).filter(has_text="FIRST299")).to_be_visible()
    # With the task panel open the rows keep their height and their first line.
    await page.locator(".dm-scroller").evaluate("el => el.scrollTop = 0")
    await rows(page).first.click()
    await expect(page.get_by_role("complementary", name="Task")).to_be_visible()
    await first_line_visible()
    await shot(page, "dm-rows-tall-panel")
    await page.keyboard.press("Escape")
    # Remembered for this project.
    await page.reload()
    await dm_loaded(page)
    await expect(page.get_by_label("Row height")).to_have_value("tall")
    await expect(rows(page).first).to_have_attribute("style", re.compile(r"height:126px"))
    # Settings from inside the project.
    await page.get_by_role("link", name="Settings").click()
    await expect(page).to_have_url(re.compile(rf"/projects/{project}/settings"))


async def test_data_field_named_id_is_told_apart_from_the_task_id(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = await make_project(page, server, signed_in, "Ids")
    response = await page.request.post(f"{server.url}/api/projects/{project}/import", headers=signed_in.headers,
                                       data=[{"data": {"id": "row-7", "text": "hello"}}])
    assert response.ok, await response.text()
    await page.goto(f"{server.url}/projects/{project}/data")
    await dm_loaded(page)
    await expect(rows(page)).to_have_count(1)
    await expect(page.get_by_role("button", name="Task ID: sort ascending")).to_be_visible()
    data_id = page.get_by_role("button", name="data id: sort ascending")
    await expect(data_id).to_be_visible()
    await expect(data_id.locator(".dm-th-group")).to_have_text("data")
    await both_themes(page, shot, "dm-data-id-column")
