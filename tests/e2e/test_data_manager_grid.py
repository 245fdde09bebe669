"""The data manager's grid view (List | Grid saved in the tab as ``data.type``) and copy / paste
of a tab's filters as Label Studio's filter JSON."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from playwright.async_api import expect

from tests.e2e.test_data_manager import IMAGE_CONFIG, png_data_uri, seed
from tests.e2e.test_import_export import both_themes, make_project


def cards(page: Any) -> Any:
    return page.locator(".dm-card[data-task]")


async def views_of(page: Any, server: Any, admin: Any, project: int) -> list[dict[str, Any]]:
    return await (await page.request.get(f"{server.url}/api/dm/views/?project={project}", headers=admin.headers)).json()


async def test_grid_toggle_is_saved_in_the_tab_and_cards_show_previews(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    response = await page.request.post(f"{server.url}/api/projects/", headers=signed_in.headers,
                                       data={"title": "Grid images", "label_config": IMAGE_CONFIG})
    project = (await response.json())["id"]
    tasks = [{"image": png_data_uri(48 + i * 16, 32 + (i % 3) * 16), "caption": f"photo number {i}"} for i in range(7)]
    r = await page.request.post(f"{server.url}/api/projects/{project}/import?return_task_ids=true", headers=signed_in.headers, data=tasks)
    assert r.ok, await r.text()
    ids = (await r.json())["task_ids"]
    await page.goto(f"{server.url}/projects/{project}/data")
    await expect(page.locator(".dm-row[data-task]")).to_have_count(7)
    await expect(page.get_by_role("button", name="List")).to_have_attribute("aria-pressed", "true")

    # Toggle to the grid: one card per task, the image plugin's thumbnail in each; saved in the tab.
    await page.get_by_role("button", name="Grid").click()
    await expect(cards(page)).to_have_count(7)
    await expect(page.locator(".dm-row")).to_have_count(0)
    first = cards(page).first
    await expect(first.locator(".dm-card-id")).to_have_text(f"#{ids[0]}")
    thumb = first.locator('ll-dm-preview img[src^="data:image/png"]')
    await expect(thumb).to_be_visible()
    await expect(thumb).to_have_js_property("naturalWidth", 48)
    await expect(first.locator("ll-dm-preview").nth(1)).to_contain_text("photo number 0")  # the text column's snippet
    img_box = card_box = None
    for _ in range(50):  # the grid may redraw once more (columns arriving): measure a settled card
        img_box, card_box = await thumb.bounding_box(), await first.bounding_box()
        if img_box and card_box:
            break
        await asyncio.sleep(0.1)
    assert img_box and card_box
    assert img_box["height"] > 60 and img_box["width"] <= card_box["width"]  # a real preview, inside its card
    await expect(page.get_by_text("Saved to tab")).to_be_visible()
    assert (await views_of(page, server, signed_in, project))[0]["data"]["type"] == "grid"
    # Cards sit in rows: several in the first row, same top, left to right.
    boxes = [await cards(page).nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"] and boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    await both_themes(page, shot, "dm-grid")

    # Reload: still the grid (the tab remembers it).
    await page.reload()
    await expect(cards(page)).to_have_count(7)
    await expect(page.get_by_role("button", name="Grid")).to_have_attribute("aria-pressed", "true")

    # Card size: large cards are wider, fewer per row; saved in the tab too.
    before = (await cards(page).first.bounding_box())["width"]
    await page.get_by_role("button", name="large cards").click()
    await expect(page.get_by_role("button", name="large cards")).to_have_attribute("aria-pressed", "true")
    await page.wait_for_function("min => document.querySelector('.dm-card[data-task]').getBoundingClientRect().width > min", arg=before + 40)
    await shot(page, "dm-grid-large-light")
    await page.get_by_role("button", name="small cards").click()
    await page.wait_for_function("max => document.querySelector('.dm-card[data-task]').getBoundingClientRect().width < max", arg=before)
    await shot(page, "dm-grid-small-light")
    await expect(page.get_by_text("Saved to tab")).to_be_visible()
    assert (await views_of(page, server, signed_in, project))[0]["data"]["gridSize"] == "small"

    # Clicking a card opens its task as a row click does (?task=, the panel); the grid narrows beside it.
    await cards(page).nth(1).click()
    await expect(page).to_have_url(f"{server.url}/projects/{project}/data?task={ids[1]}")
    panel = page.get_by_role("complementary", name="Task")
    await expect(panel.get_by_role("heading", name=f"Task #{ids[1]}")).to_be_visible()
    await expect(page.locator(f'.dm-card.active[data-task="{ids[1]}"]')).to_have_count(1)
    await both_themes(page, shot, "dm-grid-panel")
    await page.keyboard.press("Shift+ArrowDown")
    await expect(panel.get_by_role("heading", name=f"Task #{ids[2]}")).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(panel).to_be_hidden()

    # Keyboard: focus stays on the card the panel showed; arrows move, Space selects, Enter opens.
    await expect(page.locator(f'.dm-card.focused[data-task="{ids[2]}"]')).to_have_count(1)
    await page.keyboard.press("ArrowLeft")
    await expect(page.locator(f'.dm-card.focused[data-task="{ids[1]}"]')).to_have_count(1)
    await page.keyboard.press(" ")
    await expect(page.locator(".dm-toolbar summary").first).to_contain_text("1 task")
    await expect(page.locator(f'.dm-card[data-task="{ids[1]}"]')).to_have_attribute("aria-selected", "true")
    columns = await page.locator(".dm-grid-scroller").get_attribute("aria-colcount")
    await page.keyboard.press("ArrowDown")  # one row down: the same column (or the last card of a shorter row)
    await expect(page.locator(f'.dm-card.focused[data-task="{ids[min(1 + int(columns), 6)]}"]')).to_have_count(1)
    await page.keyboard.press("Home")
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(f"{server.url}/projects/{project}/data?task={ids[0]}")
    await page.keyboard.press("Escape")

    # Back to the list: the rows return, the selection is kept.
    await page.get_by_role("button", name="List").click()
    await expect(page.locator(".dm-row[data-task]")).to_have_count(7)
    await expect(page.get_by_label(f"Select task {ids[1]}", exact=True)).to_be_checked()
    await expect(page.get_by_text("Saved to tab")).to_be_visible()
    assert (await views_of(page, server, signed_in, project))[0]["data"]["type"] == "list"


async def test_grid_virtualizes_rows_and_selection_and_actions_work(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = await make_project(page, server, signed_in, "Grid big")
    ids = await seed(page, server, signed_in, project, 3000)
    views = await views_of(page, server, signed_in, project)
    if not views:
        await page.goto(f"{server.url}/projects/{project}/data")
        await expect(page.locator(".dm-row[data-task]").first).to_be_visible()
        views = await views_of(page, server, signed_in, project)
    r = await page.request.patch(f"{server.url}/api/dm/views/{views[0]['id']}", headers=signed_in.headers,
                                 data={"project": project, "data": {**views[0]["data"], "type": "grid"}})
    assert r.ok, await r.text()
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url) if "/api/tasks/" in req.url else None)
    await page.goto(f"{server.url}/projects/{project}/data")
    await expect(cards(page).first).to_contain_text("item 00000")
    await expect(page.locator(".dm-footer")).to_contain_text("Tasks: 3,000 / 3,000")
    assert await cards(page).count() < 80  # only the card rows in view (and two more) are in the DOM
    # Jump to the end: the last page is fetched, the last card shown, pages passed over never asked for.
    await page.locator(".dm-grid-scroller").evaluate("el => el.scrollTop = el.scrollHeight")
    await expect(page.locator(f'.dm-card[data-task="{ids[-1]}"]')).to_be_visible()
    assert await cards(page).count() < 80
    assert any("page=30" in url for url in requests)
    assert not any("page=15" in url for url in requests)
    await shot(page, "dm-grid-end-light")
    # Keyboard at the end: End focuses the last card and keeps it in view.
    await page.locator(".dm-grid-scroller").focus()
    await page.keyboard.press("End")
    await expect(page.locator(f'.dm-card.focused[data-task="{ids[-1]}"]')).to_be_in_viewport()

    # Select all but one from the grid's bar: the Actions button counts all but the excluded card.
    await page.get_by_label("Select all 3000 tasks").check()
    await page.get_by_label(f"Select task {ids[-2]}", exact=True).uncheck()
    await expect(page.locator(".dm-toolbar summary").first).to_contain_text("2,999 tasks")
    await expect(page.locator(".dm-grid-count")).to_have_text("2,999 of 3,000 selected")
    # Then only the loaded cards, and delete them with the bulk action.
    await page.get_by_label("Selection options").click()
    await page.get_by_role("button", name="Clear selection").click()
    await expect(page.locator(".dm-toolbar summary").first).to_contain_text("Actions")
    await page.locator(".dm-grid-scroller").evaluate("el => el.scrollTop = 0")
    await expect(page.locator(f'.dm-card[data-task="{ids[0]}"]')).to_be_visible()
    await page.get_by_label(f"Select task {ids[0]}", exact=True).check()
    await page.get_by_label(f"Select task {ids[2]}", exact=True).check()
    await expect(page.locator(f'.dm-card[data-task="{ids[2]}"]')).to_have_attribute("aria-selected", "true")
    await page.locator(".dm-toolbar summary").first.click()
    await page.get_by_role("button", name="Delete tasks").click()
    await page.get_by_role("dialog").get_by_role("button", name="Delete tasks (2 tasks)").click()
    await expect(page.locator(".dm-footer")).to_contain_text("Tasks: 2,998 / 2,998")
    await expect(cards(page).first).to_have_attribute("data-task", str(ids[1]))
    await expect(cards(page).nth(1)).to_have_attribute("data-task", str(ids[3]))


FILTERS_TEXT = '{"conjunction": "and", "items": [{"filter": "filter:tasks:data.nothere", "operator": "equal", "type": "String", "value": "x"}]}'


async def test_copy_filters_and_paste_them_into_another_tab(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    project = await make_project(page, server, signed_in, "Copy filters")
    ids = await seed(page, server, signed_in, project, 20)
    await page.goto(f"{server.url}/projects/{project}/data")
    await expect(page.locator(".dm-footer")).to_contain_text("Tasks: 20 / 20")
    await page.locator(".dm-toolbar summary", has_text="Filters").click()
    await page.get_by_role("button", name="Add filter").click()
    await page.get_by_label("Filter 1 field").select_option("id")
    await page.get_by_label("Filter 1 operator").select_option("greater")
    await page.get_by_label("Filter 1 value").fill(str(ids[4]))
    await page.get_by_role("button", name="Add filter").click()
    await page.get_by_label("Filter 2 field").select_option("data.text")
    await page.get_by_label("Filter 2 value").fill("item 0001")
    await expect(page.locator(".dm-footer")).to_contain_text("Tasks: 10 / 20")  # ids[10..19]: "item 00010".."item 00019"
    copy = page.get_by_role("button", name="Copy filters")
    await copy.click()
    await expect(page.get_by_text("Copied 2 filters to the clipboard")).to_be_visible()
    copied = json.loads(await page.evaluate("navigator.clipboard.readText()"))
    assert copied["conjunction"] == "and"
    assert [(i["filter"], i["operator"]) for i in copied["items"]] == [("filter:tasks:id", "greater"), ("filter:tasks:data.text", "contains")]

    # A new tab has no filters; pasting gives it the same ones and the same filtered total.
    await page.get_by_role("button", name="New tab").click()
    await expect(page.get_by_role("tab", name="Tab 2")).to_have_attribute("aria-selected", "true")
    await expect(page.locator(".dm-footer")).to_contain_text("Tasks: 20 / 20")
    await page.locator(".dm-toolbar summary", has_text="Filters").click()
    await page.get_by_role("button", name="Paste filters").click()
    await expect(page.locator(".dm-footer")).to_contain_text("Tasks: 10 / 20")
    await expect(page.get_by_label("Filter 2 value")).to_have_value("item 0001")
    await expect(page.get_by_text("Saved to tab")).to_be_visible()
    views = await views_of(page, server, signed_in, project)
    assert [v["data"]["filters"] for v in views][0] == [v["data"]["filters"] for v in views][1]

    # Bad JSON on the clipboard: a message naming the item, nothing changes.
    await page.evaluate(f"navigator.clipboard.writeText({json.dumps(FILTERS_TEXT)})")
    await page.get_by_role("button", name="Paste filters").click()
    alert = page.locator(".dm-filters .dm-paste-error")
    await expect(alert).to_contain_text("Nothing was pasted. Filter 1 (data.nothere): this project has no column “data.nothere”.")
    await both_themes(page, shot, "dm-filters-paste-error")
    await expect(page.locator(".dm-filter-row")).to_have_count(2)
    await expect(page.locator(".dm-footer")).to_contain_text("Tasks: 10 / 20")
    await page.evaluate("navigator.clipboard.writeText('not json at all')")
    await page.get_by_role("button", name="Paste filters").click()
    await expect(alert).to_contain_text("This is not filter JSON")
    await expect(page.locator(".dm-filter-row")).to_have_count(2)
    views = await views_of(page, server, signed_in, project)
    assert views[0]["data"]["filters"] == views[1]["data"]["filters"]

    # Without the Clipboard API (denied): a text box takes the JSON, and checks it the same way.
    await page.evaluate("() => { navigator.clipboard.readText = () => Promise.reject(new DOMException('denied', 'NotAllowedError')); }")
    await page.get_by_role("button", name="Paste filters").click()
    dialog = page.get_by_role("dialog", name="Paste filters")
    await expect(dialog).to_be_visible()
    await dialog.get_by_label("Filter JSON").fill(FILTERS_TEXT.replace("data.nothere", "id").replace('"equal"', '"bogus"'))
    await dialog.get_by_role("button", name="Apply filters").click()
    await expect(dialog.get_by_role("alert")).to_contain_text('Filter 1 (id): unknown operator "bogus"')
    await shot(page, "dm-filters-paste-dialog-light")
    await dialog.get_by_label("Filter JSON").fill(json.dumps({"conjunction": "and", "items": [copied["items"][0]]}))
    await dialog.get_by_role("button", name="Apply filters").click()
    await expect(dialog).to_be_hidden()
    await expect(page.locator(".dm-footer")).to_contain_text("Tasks: 15 / 20")
