"""The labeling screen (/projects/:id/label): task flow, drafts, hotkeys, undo/redo, widget failures.

The runtime is exercised with small test widgets served in place of the plugins' own (routed by
Playwright), so these tests pin the runtime's behaviour and the exact Label Studio result JSON
whatever state the plugin widgets are in. The Labels test widget is the SDK's own
``renderLabelControl`` imported through the import map, as plugin widgets do.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
from playwright.async_api import expect
from tests.e2e.labeling import open_labeling

WIDGETS: dict[str, str] = {
    # Choices: radio/checkbox list with the runtime-assigned hotkeys.
    "choices.js": """
export default function render({ el, model, ctx }) {
  const name = model.attrs.name;
  const multiple = model.attrs.choice === "multiple";
  const options = (model.children || []).filter((c) => c.tag === "Choice");
  const regionId = () => (model.attrs.perRegion ? ctx.store.selectedId : undefined);
  const current = () => ctx.store.classification(name, regionId())?.value?.choices || [];
  const set = (value) => {
    const now = current();
    const next = multiple ? (now.includes(value) ? now.filter((v) => v !== value) : [...now, value]) : now[0] === value ? [] : [value];
    ctx.store.setClassification(model, "choices", { choices: next }, regionId());
  };
  const fieldset = document.createElement("fieldset");
  const legend = document.createElement("legend");
  legend.textContent = name;
  fieldset.append(legend);
  const inputs = options.map((o) => {
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = multiple ? "checkbox" : "radio";
    input.name = name;
    input.addEventListener("click", (e) => { e.preventDefault(); set(o.attrs.value); });
    label.append(input, " " + o.attrs.value + (o.attrs.hotkey ? " [" + o.attrs.hotkey + "]" : ""));
    fieldset.append(label);
    return [o.attrs.value, input];
  });
  el.append(fieldset);
  const draw = () => { const now = current(); for (const [v, input] of inputs) input.checked = now.includes(v); };
  draw();
  const offs = options.filter((o) => o.attrs.hotkey).map((o) => ctx.hotkey(o.attrs.hotkey, () => set(o.attrs.value), { description: "Choose " + o.attrs.value, group: "Choices" }));
  const off = ctx.store.subscribe(draw);
  return () => { off(); offs.forEach((f) => f()); };
}
""",
    # TextArea: a text field; Enter adds a line to the result.
    "textarea.js": """
export default function render({ el, model, ctx }) {
  const name = model.attrs.name;
  const input = document.createElement("input");
  input.setAttribute("aria-label", name);
  const list = document.createElement("ul");
  input.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || !input.value) return;
    e.preventDefault();
    const now = ctx.store.classification(name)?.value?.text || [];
    ctx.store.setClassification(model, "textarea", { text: [...now, input.value] });
    input.value = "";
  });
  el.append(input, list);
  const draw = () => { list.replaceChildren(...(ctx.store.classification(name)?.value?.text || []).map((t) => { const li = document.createElement("li"); li.textContent = t; return li; })); };
  draw();
  return ctx.store.subscribe(draw);
}
""",
    # Text: words as buttons; clicking one makes a region with the armed label.
    "text.js": """
export default function render({ el, model, ctx }) {
  const name = model.attrs.name;
  const text = String(ctx.resolve(model.attrs.value) ?? "");
  const p = document.createElement("p");
  p.className = "e2e-text";
  const words = [];
  let i = 0;
  for (const word of text.split(" ")) {
    const span = document.createElement("span");
    span.textContent = word;
    span.dataset.start = String(i);
    span.dataset.end = String(i + word.length);
    span.addEventListener("click", () => {
      const armed = ctx.store.armed(name);
      if (!armed) return;
      ctx.store.createRegion({ from_name: armed.from_name, to_name: name, type: armed.type,
        value: { start: i0(span), end: Number(span.dataset.end), text: word, [armed.type]: armed.labels } });
    });
    p.append(span, " ");
    words.push(span);
    i += word.length + 1;
  }
  function i0(span) { return Number(span.dataset.start); }
  el.append(p);
  const draw = () => {
    for (const span of words) {
      const r = ctx.store.regions(name).find((r) => r.value.start === Number(span.dataset.start));
      span.style.background = r && !r.hidden ? ctx.labelColor(ctx.byName(r.from_name), (r.value.labels || [])[0]) : "";
      span.dataset.selected = String(Boolean(r && r.id === ctx.store.selectedId));
    }
  };
  draw();
  return ctx.store.subscribe(draw);
}
""",
    "labels.js": """
import { renderLabelControl } from "@labelloom/sdk";
export default function render(args) { return renderLabelControl(args); }
""",
    "header.js": """
export default function render({ el, model, ctx }) {
  const h = document.createElement("h3");
  h.textContent = ctx.resolve(model.attrs.value);
  el.append(h);
}
""",
    "empty.js": """
export default function render() {}
""",
    "broken.js": """
export default function render() { throw new Error("boom from the test widget"); }
""",
}

TAG_WIDGETS = {"Choices": "choices.js", "TextArea": "textarea.js", "Text": "text.js", "Labels": "labels.js", "Header": "header.js", "Relations": "empty.js"}

CLASSIFY = """<View>
  <Header value="$title"/>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single" required="true">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
  <TextArea name="summary" toName="text"/>
</View>"""

NER = """<View>
  <Labels name="ner" toName="text">
    <Label value="PER"/><Label value="LOC" background="#2F80ED"/>
  </Labels>
  <Text name="text" value="$text"/>
  <Relations><Relation value="lives_in"/></Relations>
</View>"""


async def route_widgets(page: Any, overrides: dict[str, str] | None = None) -> None:
    """Serve the test widgets: /api/plugins points the tags at them (overrides: tag -> file or URL)."""
    mapping = {**TAG_WIDGETS, **(overrides or {})}

    async def plugins(route: Any) -> None:
        response = await route.fetch()
        body = await response.json()
        for tag, file in mapping.items():
            module = file if file.startswith("/") else f"/e2e-widgets/{file}"
            body["tags"].setdefault(tag, {"plugin": "controls", "kind": "control"})["module"] = module
        await route.fulfill(response=response, json=body)

    async def widget(route: Any) -> None:
        name = route.request.url.rsplit("/", 1)[-1].split("?")[0]
        if name not in WIDGETS:
            await route.fulfill(status=404, body="not found")
            return
        await route.fulfill(status=200, body=WIDGETS[name], headers={"Content-Type": "text/javascript"})

    await page.route(re.compile(r".*/api/plugins$"), plugins)
    await page.route(re.compile(r".*/e2e-widgets/.*"), widget)


def make_project(server: Any, admin: Any, config: str, tasks: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    with httpx.Client(base_url=server.url, headers=admin.headers) as http:
        response = http.post("/api/projects/", json={"title": "Reviews", "label_config": config, **fields})
        assert response.status_code == 201, response.text
        project = response.json()
        response = http.post(f"/api/projects/{project['id']}/import", json=tasks)
        assert response.status_code == 201, response.text
        return project


def api_get(server: Any, admin: Any, path: str) -> Any:
    with httpx.Client(base_url=server.url, headers=admin.headers) as http:
        response = http.get(path)
        assert response.status_code == 200, response.text
        return response.json()


def annotations_of(server: Any, admin: Any, task_id: int) -> list[dict[str, Any]]:
    return api_get(server, admin, f"/api/tasks/{task_id}/annotations/")


def task_ids(server: Any, admin: Any, project_id: int) -> list[int]:
    return sorted(t["id"] for t in api_get(server, admin, f"/api/projects/{project_id}/tasks/"))


ID = re.compile(r"^[A-Za-z0-9]{10}$")


def strip_ids(result: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for item in result:
        if "id" in item:
            assert ID.match(item["id"]), item["id"]
        out.append({k: v for k, v in item.items() if k != "id"})
    return out


async def test_classify_with_hotkeys_and_submit_stores_label_studio_json(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = make_project(server, signed_in, CLASSIFY, [
        {"title": "First", "text": "The food was great"}, {"title": "Second", "text": "Slow service"}])
    first, second = task_ids(server, signed_in, project["id"])
    await route_widgets(page)
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await expect(page.get_by_role("heading", name="First")).to_be_visible()
    await expect(page).to_have_url(re.compile(rf"task={first}"))
    await expect(page.get_by_label("Positive [1]")).to_be_visible()

    # Required control blocks submit, with a message naming it.
    await page.keyboard.press("Control+Enter")
    await expect(page.locator(".ll-blocker")).to_contain_text("“sentiment” (Choices) is required.")

    # Auto-assigned hotkey 1 = Positive; digits typed in a text field do not toggle choices (P8).
    await page.keyboard.press("1")
    await expect(page.get_by_label("Positive [1]")).to_be_checked()
    await expect(page.locator(".ll-blocker")).to_have_count(0)
    field = page.get_by_label("summary")
    await field.fill("")
    await field.type("2 stars at most")
    await field.press("Enter")
    await expect(page.get_by_label("Positive [1]")).to_be_checked()
    await expect(page.get_by_label("Negative [2]")).not_to_be_checked()
    await shot(page, "labeling-classify")

    await page.keyboard.press("Control+Enter")
    await expect(page.get_by_role("heading", name="Second")).to_be_visible()
    await expect(page).to_have_url(re.compile(rf"task={second}"))

    [annotation] = annotations_of(server, signed_in, first)
    assert strip_ids(annotation["result"]) == [
        {"from_name": "sentiment", "to_name": "text", "type": "choices", "origin": "manual", "value": {"choices": ["Positive"]}},
        {"from_name": "summary", "to_name": "text", "type": "textarea", "origin": "manual", "value": {"text": ["2 stars at most"]}},
    ]
    assert annotation["was_cancelled"] is False
    assert annotation["lead_time"] > 0


async def test_previous_task_then_update(server: Any, page: Any, signed_in: Any) -> None:
    project = make_project(server, signed_in, CLASSIFY, [{"title": "First", "text": "a"}, {"title": "Second", "text": "b"}])
    first, _ = task_ids(server, signed_in, project["id"])
    await route_widgets(page)
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await page.get_by_label("Positive [1]").click()
    # The clicked radio keeps focus; a label key still works (only text fields swallow keys).
    await page.keyboard.press("2")
    await expect(page.get_by_label("Negative [2]")).to_be_checked()
    await page.get_by_role("button", name="Submit").click()
    await expect(page.get_by_role("heading", name="Second")).to_be_visible()

    await page.get_by_role("button", name="Previous task").click()
    await expect(page.get_by_role("heading", name="First")).to_be_visible()
    await expect(page.get_by_label("Negative [2]")).to_be_checked()
    update = page.get_by_role("button", name="Update")
    await expect(update).to_be_visible()
    await page.keyboard.press("3")
    await update.click()
    await expect(page.get_by_text("Annotation updated")).to_be_visible()
    # The stream moves on: forward in this session's history, back to the second task.
    await expect(page.get_by_role("heading", name="Second")).to_be_visible()
    [annotation] = annotations_of(server, signed_in, first)
    assert [r["value"] for r in annotation["result"]] == [{"choices": ["Neutral"]}]
    assert annotation["last_action"] == "updated"


async def test_skip_records_a_cancelled_annotation(server: Any, page: Any, signed_in: Any) -> None:
    project = make_project(server, signed_in, CLASSIFY, [{"title": "First", "text": "a"}, {"title": "Second", "text": "b"}])
    first, _ = task_ids(server, signed_in, project["id"])
    await route_widgets(page)
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await expect(page.get_by_role("heading", name="First")).to_be_visible()
    await expect(page.get_by_label("Neutral [3]")).to_be_visible()
    await page.keyboard.press("Control+Space")
    await expect(page.get_by_role("heading", name="Second")).to_be_visible()
    with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
        task = http.get(f"/api/tasks/{first}/").json()
    assert task["cancelled_annotations"] == 1


async def test_no_skip_button_when_the_project_hides_it(server: Any, page: Any, signed_in: Any) -> None:
    project = make_project(server, signed_in, CLASSIFY, [{"title": "First", "text": "a"}], show_skip_button=False)
    await route_widgets(page)
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await expect(page.get_by_role("heading", name="First")).to_be_visible()
    await expect(page.get_by_role("button", name="Skip")).to_have_count(0)


async def test_draft_is_saved_and_restored_after_reload(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = make_project(server, signed_in, CLASSIFY, [{"title": "First", "text": "a"}])
    [first] = task_ids(server, signed_in, project["id"])
    await route_widgets(page)
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await expect(page.get_by_role("heading", name="First")).to_be_visible()
    await expect(page.get_by_label("Neutral [3]")).to_be_visible()
    await page.keyboard.press("2")
    await expect(page.locator(".ll-status")).to_contain_text("Draft saved")
    drafts = api_get(server, signed_in, f"/api/tasks/{first}/drafts/")
    assert [d["result"][0]["value"] for d in drafts] == [{"choices": ["Negative"]}]

    await page.reload()
    await expect(page.get_by_label("Negative [2]")).to_be_checked()
    await expect(page.get_by_role("tab", name=re.compile("New annotation"))).to_have_attribute("aria-selected", "true")


async def test_offline_changes_are_kept_locally_and_restored(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = make_project(server, signed_in, CLASSIFY, [{"title": "First", "text": "a"}])
    await route_widgets(page)
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await expect(page.get_by_role("heading", name="First")).to_be_visible()
    await expect(page.get_by_label("Neutral [3]")).to_be_visible()
    await page.route(re.compile(r".*/drafts/?$"), lambda route: route.abort())
    await page.keyboard.press("3")
    await expect(page.locator(".ll-status")).to_contain_text("Offline — changes kept on this device")
    await shot(page, "labeling-offline")
    await page.reload()
    await expect(page.get_by_label("Neutral [3]")).to_be_checked()


async def test_ner_regions_undo_redo_relation_and_submit(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = make_project(server, signed_in, NER, [{"text": "Anna lives in Paris"}])
    [task] = task_ids(server, signed_in, project["id"])
    await route_widgets(page)
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    per = page.get_by_role("button", name=re.compile(r"^PER"))
    await expect(per).to_be_visible()
    await page.keyboard.press("1")
    await expect(per).to_have_attribute("aria-pressed", "true")
    await page.locator(".e2e-text span", has_text="Anna").click()
    await page.get_by_role("button", name=re.compile(r"^LOC")).click()
    await page.locator(".e2e-text span", has_text="Paris").click()
    rows = page.locator(".ll-outliner-row")
    await expect(rows).to_have_count(2)

    await page.keyboard.press("Control+z")
    await expect(rows).to_have_count(1)
    await page.keyboard.press("Control+Shift+z")
    await expect(rows).to_have_count(2)

    # Relation: select Anna, Alt+R, select Paris.
    await rows.filter(has_text="Anna").click()
    await expect(page.locator(".ll-labelbar-mode")).to_have_text("Relabel selected region")
    await page.keyboard.press("Alt+r")
    await rows.filter(has_text="Paris").click()
    await expect(page.locator(".ll-relation-list li")).to_have_count(1)
    await page.keyboard.press("u")
    await shot(page, "labeling-ner")

    await page.keyboard.press("Control+Enter")
    await expect(page.get_by_role("heading", name="All done")).to_be_visible()
    [annotation] = annotations_of(server, signed_in, task)
    result = annotation["result"]
    anna, paris = result[0]["id"], result[1]["id"]
    assert strip_ids(result[:2]) == [
        {"from_name": "ner", "to_name": "text", "type": "labels", "origin": "manual", "value": {"start": 0, "end": 4, "text": "Anna", "labels": ["PER"]}},
        {"from_name": "ner", "to_name": "text", "type": "labels", "origin": "manual", "value": {"start": 14, "end": 19, "text": "Paris", "labels": ["LOC"]}},
    ]
    assert result[2] == {"from_id": anna, "to_id": paris, "type": "relation", "direction": "right"}


async def test_failing_widgets_show_an_error_box_and_the_rest_works(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = make_project(server, signed_in, CLASSIFY, [{"title": "First", "text": "a"}])
    [task] = task_ids(server, signed_in, project["id"])
    await route_widgets(page, {"Header": "broken.js", "TextArea": "missing.js"})
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    errors = page.locator(".ll-widget-error")
    await expect(errors).to_have_count(2)
    await expect(page.get_by_label("Positive [1]")).to_be_visible()
    await expect(errors.nth(0)).to_contain_text("Header could not be shown")
    await expect(errors.nth(0)).to_contain_text("boom from the test widget")
    await expect(errors.nth(1)).to_contain_text("TextArea “summary” could not be shown")
    await expect(errors.nth(1)).to_contain_text("widget failed to load")
    await shot(page, "labeling-widget-errors")
    await page.keyboard.press("1")
    await page.keyboard.press("Control+Enter")
    await expect(page.get_by_role("heading", name="All done")).to_be_visible()
    assert [r["value"] for r in annotations_of(server, signed_in, task)[0]["result"]] == [{"choices": ["Positive"]}]


async def test_shortcuts_dialog_settings_and_instructions(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = make_project(server, signed_in, NER, [{"text": "Anna lives in Paris"}],
                           expert_instruction="<p>Label <b>people</b> and places.</p><script>window.bad=1</script>", show_instruction=True)
    await route_widgets(page)
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    instructions = page.get_by_role("region", name="Instructions")
    await expect(instructions).to_contain_text("Label people and places.")
    await shot(page, "labeling-instructions")
    assert await page.evaluate("window.bad") is None
    # The instructions panel does not swallow keys.
    await expect(page.get_by_role("button", name=re.compile(r"^PER"))).to_be_visible()
    await page.keyboard.press("1")
    await expect(page.get_by_role("button", name=re.compile(r"^PER"))).to_have_attribute("aria-pressed", "true")

    await page.get_by_role("button", name="Keyboard shortcuts").click()
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    await expect(dialog).to_contain_text("Submit or update")
    await expect(dialog).to_contain_text("Label “LOC” (ner)")
    # It opens at the top, its heading stays in view, nothing scrolls sideways.
    body = dialog.locator(".ll-shortcuts-body")
    assert await body.evaluate("el => el.scrollTop") == 0
    assert await dialog.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert await body.evaluate("el => el.scrollWidth <= el.clientWidth")
    await body.evaluate("el => el.scrollTop = el.scrollHeight")
    await expect(dialog.get_by_role("heading", name="Keyboard shortcuts")).to_be_in_viewport()
    await body.evaluate("el => el.scrollTop = 0")
    await shot(page, "labeling-shortcuts")
    await page.evaluate("document.documentElement.dataset.theme = 'dark'")
    await shot(page, "labeling-shortcuts-dark")
    await page.evaluate("document.documentElement.dataset.theme = 'light'")
    await page.keyboard.press("Escape")
    await expect(dialog).to_have_count(0)

    await page.get_by_role("button", name="Labeling settings").click()
    await page.get_by_label("Labeling hotkeys").uncheck()
    await page.keyboard.press("Escape")
    await page.keyboard.press("2")
    await expect(page.get_by_role("button", name=re.compile(r"^LOC"))).to_have_attribute("aria-pressed", "false")
    stored = await page.evaluate("localStorage.getItem('labelloom.labeling.settings')")
    assert json.loads(stored)["hotkeysEnabled"] is False


async def test_dark_theme_screenshot(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = make_project(server, signed_in, NER, [{"text": "Anna lives in Paris"}])
    await route_widgets(page)
    await page.add_init_script("localStorage.setItem('labelloom.theme', 'dark')")
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await expect(page.get_by_role("button", name=re.compile(r"^PER"))).to_be_visible()
    await page.keyboard.press("1")
    await page.locator(".e2e-text span", has_text="Anna").click()
    await expect(page.locator(".ll-outliner-row")).to_have_count(1)
    await shot(page, "labeling-ner-dark")


async def test_armed_label_does_not_follow_into_the_next_task_and_all_done(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    """Issue 15: a label armed on one task is disarmed on the next (even with "keep label
    selected"); the session position says what it counts; "All done" shows only what applies."""
    project = make_project(server, signed_in, NER, [{"text": "Anna lives in Paris"}, {"text": "Bob lives in Rome"}])
    await route_widgets(page)
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await expect(page.get_by_role("link", name="Settings")).to_have_attribute("href", f"/projects/{project['id']}/settings")
    loc = page.get_by_role("button", name=re.compile(r"^LOC"))
    await loc.click()
    await page.locator(".e2e-text span", has_text="Paris").click()
    await expect(page.locator(".ll-outliner-row")).to_have_count(1)
    await expect(loc).to_have_attribute("aria-pressed", "true")  # "keep label selected" is on by default
    await page.keyboard.press("Control+Enter")
    await expect(page.locator(".e2e-text")).to_contain_text("Bob")
    await expect(page.get_by_role("button", name=re.compile(r"^LOC"))).to_have_attribute("aria-pressed", "false")
    await expect(page.locator(".ll-session-pos")).to_have_text("2 tasks opened this session")
    # A click on the text makes no region: no label is armed.
    await page.locator(".e2e-text span", has_text="Rome").click()
    await expect(page.locator(".ll-outliner-row")).to_have_count(0)
    await page.get_by_role("button", name="Previous task").click()
    await expect(page.locator(".ll-session-pos")).to_have_text("Task 1 of 2 opened this session")
    await page.get_by_role("button", name="Next task").click()
    await expect(page.locator(".e2e-text")).to_contain_text("Bob")
    await page.keyboard.press("Control+Enter")
    await expect(page.get_by_role("heading", name="All done")).to_be_visible()
    # Nothing that does not apply: no save status, no region panels, no annotation buttons.
    await expect(page.locator(".ll-status")).to_have_count(0)
    await expect(page.locator(".ll-side")).to_be_hidden()
    await expect(page.get_by_role("button", name="New empty annotation")).to_have_count(0)
    await expect(page.get_by_role("button", name=re.compile("Submit|Undo|Redo"))).to_have_count(0)
    names = await page.locator("button:visible").evaluate_all(
        "els => els.map(b => (b.getAttribute('aria-label') || b.textContent || '').trim())")
    assert all(names), names
    await shot(page, "labeling-all-done")
    await page.evaluate("document.documentElement.dataset.theme = 'dark'")
    await shot(page, "labeling-all-done-dark")
