"""The controls plugin's real widgets on the labeling screen (/projects/:id/label): a project made
through the API, classified with the mouse and the keyboard, submitted, and the annotation the
server stored compared with Label Studio's exact result JSON."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.async_api import expect
from tests.e2e.labeling import open_labeling

CONFIG = """
<View>
  <Header value="$title"/>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single" showInline="true" required="true">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
  <Taxonomy name="topic" toName="text">
    <Choice value="Food"><Choice value="Pizza"/><Choice value="Pasta"/></Choice>
    <Choice value="Service"/>
  </Taxonomy>
  <Rating name="stars" toName="text" maxRating="5"/>
  <Number name="price" toName="text" min="1" max="4"/>
  <TextArea name="summary" toName="text" rows="2"/>
</View>
"""

ID = re.compile(r"^[A-Za-z0-9]{10}$")


def make_project(server: Any, admin: Any, tasks: list[dict[str, Any]]) -> tuple[dict[str, Any], list[int]]:
    with httpx.Client(base_url=server.url, headers=admin.headers) as http:
        response = http.post("/api/projects/", json={"title": "Reviews", "label_config": CONFIG})
        assert response.status_code == 201, response.text
        project = response.json()
        response = http.post(f"/api/projects/{project['id']}/import", json=tasks)
        assert response.status_code == 201, response.text
        listed = http.get(f"/api/projects/{project['id']}/tasks/").json()
    return project, sorted(t["id"] for t in listed)


def annotations_of(server: Any, admin: Any, task_id: int) -> list[dict[str, Any]]:
    with httpx.Client(base_url=server.url, headers=admin.headers) as http:
        response = http.get(f"/api/tasks/{task_id}/annotations/")
        assert response.status_code == 200, response.text
        return response.json()


def strip_ids(result: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for item in result:
        assert ID.match(item["id"]), item
    return [{k: v for k, v in item.items() if k != "id"} for item in result]


async def test_label_a_task_with_every_control_and_submit(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project, (first, second) = make_project(server, signed_in, [
        {"title": "Luigi's", "text": "Great pizza, slow waiter."},
        {"title": "Bella", "text": "Fine."},
    ])
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await expect(page.get_by_role("heading", name="Luigi's")).to_be_visible()

    await page.keyboard.press("2")  # auto-assigned hotkey: Negative
    await expect(page.get_by_role("checkbox", name="Negative")).to_be_checked()
    await page.get_by_role("checkbox", name="Positive").click()  # mouse: single choice replaces
    await expect(page.get_by_role("checkbox", name="Negative")).not_to_be_checked()

    await page.get_by_role("button", name="Choose…").click()
    await page.get_by_role("searchbox", name="Search topic").fill("piz")
    await page.get_by_role("searchbox", name="Search topic").press("Enter")
    await page.get_by_role("button", name="Done").click()
    await expect(page.get_by_role("listitem").filter(has_text="Pizza")).to_be_visible()

    await page.get_by_role("radio", name="4 of 5").click()
    price = page.get_by_role("spinbutton", name="price")
    await price.fill("3")
    await price.press("Tab")
    summary = page.get_by_role("textbox", name="summary: new entry")
    await summary.type("2 pizzas good, service slow")
    await expect(page.get_by_role("checkbox", name="Negative")).not_to_be_checked()  # typing is not a hotkey (P8)
    await shot(page, "controls-app-labeling")
    # Ctrl+Enter in the text field keeps the typed line and submits the annotation.
    await summary.press("Control+Enter")
    await expect(page.get_by_role("heading", name="Bella")).to_be_visible()

    [annotation] = annotations_of(server, signed_in, first)
    assert strip_ids(annotation["result"]) == [
        {"from_name": "sentiment", "to_name": "text", "type": "choices", "origin": "manual", "value": {"choices": ["Positive"]}},
        {"from_name": "topic", "to_name": "text", "type": "taxonomy", "origin": "manual", "value": {"taxonomy": [["Food", "Pizza"]]}},
        {"from_name": "stars", "to_name": "text", "type": "rating", "origin": "manual", "value": {"rating": 4}},
        {"from_name": "price", "to_name": "text", "type": "number", "origin": "manual", "value": {"number": 3}},
        {"from_name": "summary", "to_name": "text", "type": "textarea", "origin": "manual", "value": {"text": ["2 pizzas good, service slow"]}},
    ]
    # The next task starts empty: nothing carried over from the previous one.
    await expect(page.get_by_role("checkbox", name="Positive")).not_to_be_checked()
    await expect(page.get_by_role("radio", name="4 of 5")).to_have_attribute("aria-checked", "false")
    assert second
