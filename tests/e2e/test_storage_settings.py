"""Project settings › Cloud storage in Chromium: a server folder is added as a source storage
through the generated dialog (a wrong folder is refused with a readable message, Check connection
says it works), synced with the Sync button, its task appears, and the labeling view shows the
image served from /data/local-files/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.e2e.labeling import open_labeling
from tests.e2e.test_image_labeling import H, W, image_ready, png_bytes

CONFIG = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="Car"/></RectangleLabels>
</View>"""


@pytest.fixture
def files_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "files"
    (root / "street").mkdir(parents=True)
    (root / "street" / "scene.png").write_bytes(png_bytes())
    (root / "street" / "notes.txt").write_text("not an image")
    monkeypatch.setenv("LABELLOOM_LOCAL_FILES_ROOT", str(root))
    return root


async def test_add_sync_and_label_a_local_folder(server: Any, page: Any, signed_in: Any, shot: Any, files_root: Path) -> None:
    with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
        project = http.post("/api/projects/", json={"title": "Local street", "label_config": CONFIG}).json()
    await page.goto(f"{server.url}/projects/{project['id']}/settings/storage")
    await expect(page.get_by_role("heading", name="Source storage")).to_be_visible()
    await expect(page.get_by_text("No source storage yet")).to_be_visible()

    await page.get_by_role("button", name="Add source storage").click()
    dialog = page.get_by_role("dialog", name="Add storage")
    await dialog.get_by_label("Storage type").select_option("localfiles")
    await dialog.get_by_label("Name", exact=True).fill("Street photos")
    path = dialog.get_by_label("Absolute local path")
    await path.fill(str(files_root / "missing"))
    await dialog.get_by_label("File filter").fill(r".*\.png")
    await dialog.get_by_role("button", name="Check connection").click()
    await expect(dialog.locator(".storage-check-result.bad")).to_contain_text("does not exist on the server")
    await shot(page, "storage-dialog-error")

    await path.fill(str(files_root / "street"))
    await dialog.get_by_role("button", name="Check connection").click()
    await expect(dialog.locator(".storage-check-result.ok")).to_contain_text("Connection works")
    await shot(page, "storage-dialog")
    await dialog.get_by_role("button", name="Add storage").click()
    await expect(dialog).to_be_hidden()

    card = page.locator(".storage-card").first
    await expect(card).to_contain_text("Street photos")
    await expect(card.locator(".storage-status")).to_have_text("Not synced yet")
    await card.get_by_role("button", name="Sync").click()
    await expect(card.locator(".storage-status")).to_have_text("Synced", timeout=20_000)
    await expect(card).to_contain_text("1 task added")
    await expect(card).to_contain_text("Last synced")
    await shot(page, "storage-settings")

    with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
        (task,) = http.get("/api/tasks", params={"project": project["id"]}).json()["tasks"]
    assert task["data"]["image"] == "/data/local-files/?d=street/scene.png"

    served: list[tuple[str, int]] = []
    page.on("response", lambda r: served.append((r.url, r.status)) if "/data/local-files/" in r.url else None)
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await image_ready(page)
    await expect(page.locator(".li-status")).to_contain_text(f"{W}×{H}")
    assert any(url.endswith("/data/local-files/?d=street/scene.png") and status == 200 for url, status in served), served
    await shot(page, "storage-local-labeling")


async def test_sync_problems_read_as_sentences(server: Any, page: Any, signed_in: Any, shot: Any, files_root: Path) -> None:
    tasks = files_root / "tasks"
    tasks.mkdir()
    (tasks / "good.json").write_text('[{"image": "/data/local-files/?d=street/scene.png"}]')
    (tasks / "broken.json").write_text('[{"image": ')
    (tasks / "rows.jsonl").write_text('{"image": "/data/local-files/?d=street/scene.png"}\n{"picture": "x.png"}\n')
    with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
        project = http.post("/api/projects/", json={"title": "Task files", "label_config": CONFIG}).json()
        source = http.post("/api/storages/localfiles", json={"project": project["id"], "path": str(tasks), "title": "Task files"})
        assert source.status_code == 201, source.text
    await page.goto(f"{server.url}/projects/{project['id']}/settings/storage")
    card = page.locator(".storage-card").first
    await card.get_by_role("button", name="Sync").click()
    await expect(card.locator(".storage-status")).to_have_text("Synced with problems", timeout=20_000)
    await expect(card).to_contain_text("2 tasks added")
    problems = card.locator(".storage-problems")
    await expect(problems).to_contain_text("2 files or rows could not be imported")
    await problems.get_by_text("Show 2 problems").click()
    await expect(problems).to_contain_text("'broken.json' is not valid JSON")
    await expect(problems).to_contain_text('"image" key is expected in task data')
    await shot(page, "storage-settings-problems")
