"""Machine learning end to end in Chromium, against a real label-studio-ml server: connect the
model in the project's Model settings, retrieve predictions for a selection in the data manager
(with progress), open a task that shows them, and accept a smart-tool suggestion."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from labelloom.core.testing import LiveServer
from tests.e2e.labeling import labeling_ready, stored_annotations
from tests.e2e.test_import_export import rows
from tests.ml.conftest import CONFIG, TEXTS
from tests.ml.servers import ModelServer, start_model_server
from tests.plugins.text.browser import select_text


@pytest.fixture
def server(make_app: Any) -> Iterator[LiveServer]:
    with LiveServer(make_app(allow_private_urls=True)) as live:
        yield live


@pytest.fixture
def model_server(tmp_path: Any) -> Iterator[ModelServer]:
    model = start_model_server(tmp_path / "model")
    yield model
    model.process.terminate()
    model.process.wait(10)


async def test_connect_retrieve_and_accept_a_suggestion(server: Any, signed_in: Any, page: Any, shot: Any, model_server: Any) -> None:
    with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
        project = http.post("/api/projects/", json={"title": "Reviews", "label_config": CONFIG}).json()
        response = http.post(f"/api/projects/{project['id']}/import?return_task_ids=true", json=[{"text": t} for t in TEXTS])
        task_ids = response.json()["task_ids"]

    # 1. Connect the model in Settings → Model.
    await page.goto(f"{server.url}/projects/{project['id']}/settings/ml")
    await expect(page.get_by_text("No model is connected")).to_be_visible()
    await page.get_by_role("button", name="Connect model").click()
    await page.get_by_label("Name").fill("Tiny model")
    await page.get_by_label("Backend URL").fill(model_server.url)
    await page.get_by_label("Interactive preannotations").check()
    await shot(page, "ml-settings-form", full_page=True)
    await page.get_by_role("button", name="Connect", exact=True).click()
    card = page.locator(".ml-backend")
    await expect(card.locator("[data-state]")).to_have_text("Connected")
    await expect(card).to_contain_text("Interactive")
    await shot(page, "ml-settings-connected", full_page=True)

    # 2. Retrieve predictions for two selected tasks; the job's progress shows, then the rows fill in.
    await page.goto(f"{server.url}/projects/{project['id']}/data")
    await expect(rows(page)).to_have_count(5)
    await page.get_by_label(f"Select task {task_ids[0]}").check()
    await page.get_by_label(f"Select task {task_ids[1]}").check()
    await page.locator(".dm-toolbar summary").first.click()
    await page.get_by_role("button", name="Retrieve predictions").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_contain_text("2 tasks")
    await dialog.get_by_role("button", name="Retrieve predictions (2 tasks)").click()
    await expect(page.locator(".toast", has_text="2 predicted")).to_be_visible(timeout=20_000)
    await shot(page, "ml-dm-retrieved")
    with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
        stored = http.get("/api/predictions/", params={"project": project["id"]}).json()
    assert sorted(p["task"] for p in stored) == sorted(task_ids[:2])

    # 3. A task with a prediction opens with it as the new annotation's pre-annotation.
    await page.goto(f"{server.url}/projects/{project['id']}/label?task={task_ids[0]}")
    await labeling_ready(page)
    await expect(page.get_by_role("checkbox", name="Positive")).to_be_checked()

    # 4. A task without one asks the model after it is shown; then a smart tool's region brings
    #    the model's suggestion (the other "Acme"), accepted with Enter.
    await page.goto(f"{server.url}/projects/{project['id']}/label?task={task_ids[4]}")
    await labeling_ready(page)
    strip = page.locator(".ll-ml")
    await expect(strip.get_by_label("Auto-annotation")).to_be_checked()
    await expect(page.get_by_role("checkbox", name="Negative")).to_be_checked()  # predicted on opening
    await page.get_by_role("toolbar", name="Labels: ner").get_by_role("button", name="ORG").click()  # arm ORG
    text = page.locator('.tx-body[data-object="text"]')
    await select_text(page, text, 0, 4)
    await expect(strip.locator(".ll-ml-pending")).to_have_text("1 suggestion")
    await shot(page, "ml-suggestion")
    await page.keyboard.press("Enter")
    await expect(strip.locator(".ll-ml-pending")).to_have_count(0)
    await page.keyboard.press("Control+Enter")
    annotations = await stored_annotations(page, server, signed_in, task_ids[4])
    spans = sorted((r["value"]["start"], r["value"]["labels"]) for r in annotations[0]["result"] if r["type"] == "labels")
    assert spans == [(0, ["ORG"]), (11, ["ORG"])]

    # 5. The model versions compare: the tiny model's predictions, their mean score, agreement.
    await page.goto(f"{server.url}/projects/{project['id']}/settings/ml")
    row = page.locator(".ml-versions tr[data-version]").first
    await expect(row).to_contain_text("3")  # predictions: two retrieved, one on opening
    await expect(row).to_contain_text("INITIAL")
    await shot(page, "ml-settings-versions", full_page=True)
