"""The data manager on a big project (issue 17, part 3): an estimated filtered total reads as
"about ...", the footer's Count button replaces it by the exact count, and scrolling on from a
loaded page asks the server by keyset (``cursor=``), not by page number."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from labelloom.core.datamanager import estimate
from tests.e2e.test_data_manager import seed
from tests.e2e.test_import_export import make_project, rows


async def test_estimated_total_count_on_demand_and_keyset_scrolling(
    server: Any, page: Any, signed_in: Any, shot: Any, monkeypatch: Any
) -> None:
    # "Big" from 100 tasks on, and a sample smaller than the project: totals are estimated.
    monkeypatch.setattr(estimate, "EXACT_UP_TO", 100)
    monkeypatch.setattr(estimate, "SAMPLE", 120)
    monkeypatch.setattr(estimate, "WINDOWS", 4)
    project = await make_project(page, server, signed_in, "Scale")
    ids = await seed(page, server, signed_in, project, 600)
    filters = {"conjunction": "and", "items": [
        {"filter": "filter:tasks:data.n", "operator": "greater", "type": "Number", "value": 10}]}
    r = await page.request.post(f"{server.url}/api/dm/views/", headers=signed_in.headers,
                                data={"project": project, "data": {"title": "Filtered", "filters": filters}})
    assert r.ok, await r.text()
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url) if "/api/tasks/" in req.url else None)
    await page.goto(f"{server.url}/projects/{project}/data")
    await expect(rows(page).first).to_contain_text("item 00011")
    footer = page.locator(".dm-footer")
    await expect(footer).to_contain_text("Tasks: about")
    await expect(footer).to_contain_text("/ 600")
    await shot(page, "dm-estimated-total")

    # Scroll a page and a half down, in steps: the next pages come by keyset from the loaded ones.
    scroller = page.locator(".dm-scroller")
    row_height = await rows(page).first.evaluate("el => el.getBoundingClientRect().height")
    for step in range(1, 7):
        await scroller.evaluate("(el, y) => el.scrollTop = y", step * 25 * row_height)
        await page.wait_for_timeout(150)
    await expect(page.locator(f'.dm-row[data-task="{ids[160]}"]')).to_be_visible()
    assert any("cursor=" in url for url in requests), requests
    assert not any("page=2&" in url or url.endswith("page=2") for url in requests)

    # Count: the exact number replaces the estimate.
    await footer.get_by_role("button", name="Count").click()
    await expect(footer).to_contain_text("Tasks: 589 / 600")
    await expect(footer.get_by_role("button", name="Count")).to_have_count(0)
    assert any("exact_total=true" in url for url in requests)
