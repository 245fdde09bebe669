"""The labeling runtime's other entry points: preview mode (the config editor) and task mode (the
data manager), predictions as tabs and pre-annotations, annotation deletion."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
from playwright.async_api import expect

from .test_labeling_flow import CLASSIFY, NER, annotations_of, make_project, route_widgets, strip_ids, task_ids
from tests.e2e.labeling import open_labeling

MOUNT = """async ([mode, options]) => {
  const { mountLabeling } = await import("/static/core/labeling/runtime.js");
  const { api } = await import("/static/core/app/api.js");
  let el = document.getElementById("mount");
  if (!el) {
    el = document.createElement("div");
    el.id = "mount";
    el.style.cssText = "position:fixed;inset:60px 20px 20px 20px;background:var(--bg);z-index:5;display:flex;flex-direction:column";
    document.body.append(el);
  }
  window.handle = await mountLabeling(el, { api, mode, ...options });
  return true;
}"""


async def test_preview_renders_updates_fast_and_keeps_the_last_good_render(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    await route_widgets(page)
    await page.goto(f"{server.url}/projects")
    await page.evaluate(MOUNT, ["preview", {"labelConfig": CLASSIFY, "task": {"data": {"title": "Hello", "text": "Nice"}}}])
    mount = page.locator("#mount")
    await expect(mount.get_by_role("heading", name="Hello")).to_be_visible()
    await expect(mount.get_by_label("Positive [1]")).to_be_visible()
    # Preview has no task chrome and saves nothing.
    await expect(mount.get_by_role("button", name="Submit")).to_have_count(0)

    broken = await page.evaluate("window.handle.update({labelConfig: '<View><Choices name=\"x\" toName=\"nope\"/></View>'})")
    assert broken["ok"] is False
    assert broken["issues"] and broken["issues"][0]["message"]
    await expect(mount.get_by_label("Positive [1]")).to_be_visible()

    changed = CLASSIFY.replace('<Choice value="Neutral"/>', '<Choice value="Neutral"/><Choice value="Mixed"/>')
    elapsed = await page.evaluate("""async (config) => {
      const started = performance.now();
      const out = await window.handle.update({labelConfig: config});
      return out.ok ? performance.now() - started : -1;
    }""", changed)
    assert 0 <= elapsed < 1000, elapsed
    print(f"preview update: {elapsed:.0f} ms")
    await expect(mount.get_by_label("Mixed [4]")).to_be_visible()

    # Without a task, the config's sample task is shown.
    sample = await page.evaluate("window.handle.update({task: null}).then(() => document.querySelector('#mount .e2e-text').textContent)")
    assert sample.strip() and sample.strip() != "Nice"
    await expect(mount.get_by_label("Mixed [4]")).to_be_visible()
    await shot(page, "labeling-preview")


async def test_prediction_seeds_the_new_annotation_and_edits_mark_it_changed(server: Any, page: Any, signed_in: Any) -> None:
    project = make_project(server, signed_in, NER, [{"text": "Anna lives in Paris"}])
    [task] = task_ids(server, signed_in, project["id"])
    with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
        prediction = http.post("/api/predictions/", json={"task": task, "model_version": "v1", "score": 0.5, "result": [
            {"id": "pred000001", "from_name": "ner", "to_name": "text", "type": "labels",
             "value": {"start": 0, "end": 4, "text": "Anna", "labels": ["PER"]}}]})
        assert prediction.status_code == 201, prediction.text
    await route_widgets(page)
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    row = page.locator(".ll-outliner-row")
    await expect(row).to_have_count(1)
    await expect(page.get_by_role("tab", name=re.compile("Prediction · v1"))).to_be_visible()
    await row.click()
    await page.get_by_role("button", name=re.compile(r"^LOC")).click()  # relabel the selected region
    await expect(row).to_contain_text("LOC")
    await page.keyboard.press("Control+Enter")
    await expect(page.get_by_role("heading", name="All done")).to_be_visible()
    [annotation] = annotations_of(server, signed_in, task)
    assert annotation["parent_prediction"] == prediction.json()["id"]
    assert annotation["result"] == [{"id": "pred000001", "from_name": "ner", "to_name": "text", "type": "labels",
                                     "origin": "prediction-changed",
                                     "value": {"start": 0, "end": 4, "text": "Anna", "labels": ["LOC"]}}]


async def test_task_mode_tabs_read_only_prediction_copy_and_delete(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = make_project(server, signed_in, CLASSIFY, [{"title": "First", "text": "a"}])
    [task] = task_ids(server, signed_in, project["id"])
    with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
        http.post("/api/predictions/", json={"task": task, "model_version": "m2", "score": 0.9, "result": [
            {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Negative"]}}]}).raise_for_status()
        existing = http.post(f"/api/tasks/{task}/annotations/", json={"result": [
            {"id": "ann0000001", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]}).json()
    await route_widgets(page)
    await page.goto(f"{server.url}/projects")
    await page.evaluate(MOUNT, ["task", {"project": project, "taskId": task}])
    mount = page.locator("#mount")
    annotation_tab = mount.get_by_role("tab", name=re.compile(f"#{existing['id']}"))
    await expect(annotation_tab).to_have_attribute("aria-selected", "true")
    await expect(mount.get_by_label("Positive [1]")).to_be_checked()
    await expect(mount.get_by_role("button", name="Update")).to_be_visible()
    await expect(mount.get_by_role("button", name="Skip")).to_have_count(0)

    await mount.get_by_role("tab", name=re.compile("Prediction · m2")).click()
    await expect(mount.get_by_label("Negative [2]")).to_be_checked()
    await expect(mount.locator(".ll-status")).to_contain_text("Read-only prediction")
    await page.keyboard.press("3")  # read-only: the widget's hotkey must not change anything
    await expect(mount.get_by_label("Negative [2]")).to_be_checked()
    await shot(page, "labeling-task-mode")
    await mount.get_by_role("button", name="Use as annotation").click()
    await expect(mount.get_by_role("tab", name=re.compile("New annotation"))).to_have_attribute("aria-selected", "true")
    await mount.get_by_role("button", name="Submit").click()
    await expect(mount.get_by_role("tab")).to_have_count(3)
    results: dict[int, Any] = {}
    for _ in range(100):  # the tab shows before the server's answer is read back
        results = {a["id"]: a for a in annotations_of(server, signed_in, task)}
        if len(results) == 2:
            break
        await asyncio.sleep(0.1)
    [copy] = [a for a in results.values() if a["id"] != existing["id"]]
    assert strip_ids(copy["result"]) == [{"from_name": "sentiment", "to_name": "text", "type": "choices", "origin": "prediction",
                                          "value": {"choices": ["Negative"]}}]
    assert copy["parent_prediction"] is not None

    await mount.get_by_role("tab", name=re.compile(f"#{existing['id']}")).click()
    await mount.get_by_role("button", name="Delete annotation").click()
    await page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    await expect(mount.get_by_role("tab", name=re.compile(f"#{existing['id']}"))).to_have_count(0)
    assert [a["id"] for a in annotations_of(server, signed_in, task)] == [copy["id"]]


def word_regions(words: list[str]) -> list[dict[str, Any]]:
    """One NER region per space-separated word."""
    result, offset = [], 0
    for i, word in enumerate(words):
        result.append({"id": f"r{i:09d}", "from_name": "ner", "to_name": "text", "type": "labels", "origin": "manual",
                       "value": {"start": offset, "end": offset + len(word), "text": word, "labels": ["PER" if i % 2 else "LOC"]}})
        offset += len(word) + 1
    return result


async def test_outliner_stays_windowed_when_its_stylesheet_arrives_late(server: Any, page: Any, signed_in: Any) -> None:
    # Under load the list can be drawn before session.css applies: unconstrained, it is as tall as
    # all its rows. It must never render them all, and must shrink back once the styles arrive.
    words = [f"w{i:04d}" for i in range(600)]
    project = make_project(server, signed_in, NER, [{"text": " ".join(words)}])
    [task] = task_ids(server, signed_in, project["id"])
    with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
        http.post(f"/api/tasks/{task}/annotations/", json={"result": word_regions(words)}).raise_for_status()
    await route_widgets(page, {"Text": "empty.js"})
    release = asyncio.Event()

    async def late(route: Any) -> None:
        await release.wait()
        await route.continue_()

    await page.route("**/labeling/session.css", late)
    await page.goto(f"{server.url}/projects")
    await page.evaluate(MOUNT, ["task", {"project": project, "taskId": task}])
    rows = page.locator(".ll-outliner-row")
    await page.evaluate("""async () => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
      window.handle.store.select(window.handle.store.regions()[3].id);  // a redraw while unstyled
      await frame(); await frame();
    }""")
    assert 0 < await rows.count() < 80, "capped by the window's height while unstyled"
    release.set()
    await page.wait_for_function("() => getComputedStyle(document.querySelector('.ll-outliner-scroll')).overflowY === 'auto'")
    await page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 50))))")
    assert 0 < await rows.count() < 60, "re-windowed to the styled list's height"


async def test_two_thousand_regions_open_and_edit_fast(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    words = [f"w{i:04d}" for i in range(2000)]
    text = " ".join(words)
    project = make_project(server, signed_in, NER, [{"text": text}])
    [task] = task_ids(server, signed_in, project["id"])
    with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
        http.post(f"/api/tasks/{task}/annotations/", json={"result": word_regions(words)}).raise_for_status()
    # The runtime alone: the text plugin measures its own widget.
    await route_widgets(page, {"Text": "empty.js"})
    await page.goto(f"{server.url}/projects")
    opened = await page.evaluate("""async (args) => {
      const started = performance.now();
      await (""" + MOUNT + """)(["task", args]);
      return performance.now() - started;
    }""", {"project": project, "taskId": task})
    rows = page.locator(".ll-outliner-row")
    await expect(rows.first).to_be_visible()
    assert await rows.count() < 80, "the outliner renders only the visible rows"
    edit, painted = await page.evaluate("""async () => {
      const store = window.handle.store;
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
      const sync = [], full = [];
      for (let i = 0; i < 20; i++) {
        const id = store.regions()[i * 50].id;
        const started = performance.now();
        store.setRegionLabels(id, "ner", "labels", ["PER"]);
        store.select(id);
        sync.push(performance.now() - started);
        await frame();  // the outliner and region info are redrawn in the next frame
        full.push(performance.now() - started);
      }
      const median = (list) => list.sort((a, b) => a - b)[10];
      return [median(sync), median(full)];
    }""")
    print(f"2,000 regions: open {opened:.0f} ms, relabel+select {edit:.1f} ms, until drawn {painted:.1f} ms (medians)")
    assert opened < 5000
    assert edit < 50
    assert painted < 100
    await expect(page.locator(".ll-region-info")).to_be_visible()
    await shot(page, "labeling-2000-regions")
