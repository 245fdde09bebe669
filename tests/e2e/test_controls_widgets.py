"""The controls plugin's widgets in Chromium, mounted by the real labeling runtime (preview mode):
classify with the mouse and with hotkeys, taxonomy search, rating, text, numbers, dates,
pairwise, ranking, collapse, filter, markdown — and the stored result JSON equals Label
Studio's for the same actions."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

MOUNT = """
async ([config, data, theme]) => {
  document.documentElement.dataset.theme = theme;
  const { mountLabeling } = await import("/static/core/labeling/runtime.js");
  const { api } = await import("/static/core/app/api.js");
  window.__ll?.destroy();
  let host = document.getElementById("controls-harness");
  if (!host) {
    host = document.createElement("main");
    host.id = "controls-harness";
    host.style.cssText = "position:fixed;inset:0;z-index:1000;overflow:auto;padding:24px;background:var(--bg)";
    document.body.append(host);
  }
  host.replaceChildren();
  const el = document.createElement("div");
  el.style.maxWidth = "860px";
  host.append(el);
  window.__ll = await mountLabeling(el, { api, mode: "preview", labelConfig: config, task: { id: 1, data } });
  await window.__ll.ready;
}
"""


async def mount(page: Any, server: Any, config: str, data: dict[str, Any] | None = None, theme: str = "light") -> None:
    """Open the app shell (for its import map) and mount ``config`` for a task with ``data``."""
    if not page.url.startswith(server.url):
        await page.goto(server.url + "/projects")
    await page.evaluate(MOUNT, [config, data or {}, theme])


async def results(page: Any) -> list[dict[str, Any]]:
    """The store's result items: the Label Studio JSON the app saves."""
    return await page.evaluate("() => window.__ll.store.toResults()")


def without_ids(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in item.items() if k != "id"} for item in items]


CLASSIFY = """
<View>
  <Header value="How does $author feel?" size="3" underline="true"/>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single" showInline="true">
    <Choice value="Positive"/><Choice value="Negative" alias="neg"/><Choice value="Neutral"/>
  </Choices>
  <Choices name="topics" toName="text" choice="multiple">
    <Choice value="Sports" hotkey="s"/><Choice value="Politics" hint="Elections, government"/><Choice value="Tech"/>
  </Choices>
</View>
"""


async def test_choices_by_mouse_and_hotkeys_store_label_studio_json(signed_in: Any, server: Any, page: Any, shot: Any) -> None:
    await mount(page, server, CLASSIFY, {"text": "What a match!", "author": "Ana"})
    await expect(page.get_by_role("heading", name="How does Ana feel?")).to_be_visible()
    await page.get_by_role("checkbox", name="Negative").click()
    await expect(page.get_by_role("checkbox", name="Negative")).to_be_checked()
    # Auto-assigned hotkeys 1..3 for sentiment, then 4/5 for the topics without an explicit key.
    await page.keyboard.press("1")
    await expect(page.get_by_role("checkbox", name="Positive")).to_be_checked()
    await expect(page.get_by_role("checkbox", name="Negative")).not_to_be_checked()
    await page.keyboard.press("5")  # Tech
    await page.keyboard.press("s")  # Sports (explicit hotkey)
    await expect(page.get_by_role("checkbox", name="Sports")).to_be_checked()
    await shot(page, "controls-choices-light")
    items = await results(page)
    assert without_ids(items) == [
        {"from_name": "sentiment", "to_name": "text", "type": "choices", "origin": "manual", "value": {"choices": ["Positive"]}},
        {"from_name": "topics", "to_name": "text", "type": "choices", "origin": "manual", "value": {"choices": ["Sports", "Tech"]}},
    ]
    assert all(len(item["id"]) == 10 for item in items)
    # Pressing the key of the chosen single choice clears it: the result disappears.
    await page.keyboard.press("1")
    await expect(page.get_by_role("checkbox", name="Positive")).not_to_be_checked()
    assert [item["from_name"] for item in await results(page)] == ["topics"]
    # Undo brings the choice back and the widget shows it.
    await page.evaluate("() => window.__ll.store.undo()")
    await expect(page.get_by_role("checkbox", name="Positive")).to_be_checked()
    await mount(page, server, CLASSIFY, {"text": "What a match!", "author": "Ana"}, theme="dark")
    await page.get_by_role("checkbox", name="Neutral").click()
    await shot(page, "controls-choices-dark")


TAXONOMY = """
<View>
  <Text name="text" value="$text"/>
  <Taxonomy name="topic" toName="text" showFullPath="true" pathSeparator=" › ">
    <Choice value="Sports">
      <Choice value="Football"/><Choice value="Tennis" alias="tennis"/>
    </Choice>
    <Choice value="Politics"><Choice value="Elections"/></Choice>
    <Choice value="Science"/>
  </Taxonomy>
</View>
"""


async def test_taxonomy_search_and_select_store_paths(signed_in: Any, server: Any, page: Any, shot: Any) -> None:
    await mount(page, server, TAXONOMY, {"text": "Nadal wins again"})
    await page.get_by_role("button", name="Choose…").click()
    search = page.get_by_role("searchbox", name="Search topic")
    await expect(search).to_be_focused()
    # Collapsed branches render nothing until opened (lazy expand).
    await expect(page.get_by_role("treeitem")).to_have_count(3)
    await search.fill("tenn")
    await expect(page.get_by_role("treeitem")).to_have_count(2)  # Sports (ancestor) + Tennis
    await shot(page, "controls-taxonomy-search-light")
    await search.press("Enter")  # picks the first match
    await expect(page.get_by_role("listitem").filter(has_text="Sports › Tennis")).to_be_visible()
    await search.fill("")
    # Keyboard: into the tree, expand Politics, choose Elections.
    await search.press("ArrowDown")
    await page.keyboard.press("ArrowDown")
    await expect(page.get_by_role("treeitem", name="Politics")).to_be_focused()
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("ArrowDown")
    await expect(page.get_by_role("treeitem", name="Elections")).to_be_focused()
    await page.keyboard.press("Space")
    await page.get_by_role("treeitem", name="Science").click()
    await shot(page, "controls-taxonomy-light")
    assert without_ids(await results(page)) == [
        {"from_name": "topic", "to_name": "text", "type": "taxonomy", "origin": "manual",
         "value": {"taxonomy": [["Sports", "tennis"], ["Politics", "Elections"], ["Science"]]}},
    ]
    await page.get_by_role("button", name="Remove Politics › Elections").click()
    assert (await results(page))[0]["value"] == {"taxonomy": [["Sports", "tennis"], ["Science"]]}
    await mount(page, server, TAXONOMY, {"text": "x"}, theme="dark")
    await page.get_by_role("button", name="Choose…").click()
    await page.get_by_role("treeitem", name="Sports").locator(".llc-twisty").click()
    await page.get_by_role("treeitem", name="Football").click()
    await shot(page, "controls-taxonomy-dark")


async def test_taxonomy_leafs_only_and_max_usages(signed_in: Any, server: Any, page: Any) -> None:
    config = TAXONOMY.replace('showFullPath="true"', 'leafsOnly="true" maxUsages="1" hotkey="alt+t"')
    await mount(page, server, config, {"text": "x"})
    await page.keyboard.press("Alt+t")  # the control's hotkey opens the picker
    await expect(page.get_by_role("searchbox", name="Search topic")).to_be_focused()
    await page.get_by_role("treeitem", name="Science").click()
    sports = page.get_by_role("treeitem", name="Sports")
    await expect(sports).to_have_attribute("aria-disabled", "true")
    await sports.focus()
    await page.keyboard.press("Space")
    await expect(page.get_by_role("status").filter(has_text="Only the most specific items")).to_be_visible()
    assert (await results(page))[0]["value"] == {"taxonomy": [["Science"]]}
    # maxUsages=1: a new pick replaces the previous one.
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Enter")
    assert (await results(page))[0]["value"] == {"taxonomy": [["Sports", "Football"]]}


SCALARS = """
<View>
  <Text name="text" value="$text"/>
  <Rating name="stars" toName="text" maxRating="5" hotkey="r"/>
  <TextArea name="summary" toName="text" rows="2" maxSubmissions="2" editable="true">
    <Shortcut value="N/A" hotkey="ctrl+1"/>
  </TextArea>
  <Number name="score" toName="text" min="0" max="10" step="0.5"/>
  <DateTime name="when" toName="text" only="date"/>
  <DateTime name="at" toName="text"/>
</View>
"""


async def test_rating_textarea_number_datetime(signed_in: Any, server: Any, page: Any, shot: Any) -> None:
    await mount(page, server, SCALARS, {"text": "A short story."})
    await page.get_by_role("radio", name="4 of 5").click()
    await expect(page.get_by_role("radio", name="4 of 5")).to_have_attribute("aria-checked", "true")
    await page.keyboard.press("r")  # hotkey steps up
    await expect(page.get_by_role("radio", name="5 of 5")).to_have_attribute("aria-checked", "true")
    await page.get_by_role("radio", name="5 of 5").press("ArrowLeft")
    await expect(page.get_by_role("radio", name="4 of 5")).to_be_focused()

    entry = page.get_by_role("textbox", name="summary: new entry")
    await entry.fill("first line")
    await entry.press("Shift+Enter")
    await entry.type("continued")
    await entry.press("Enter")
    await expect(page.get_by_role("textbox", name="summary: entry 1")).to_have_value("first line\ncontinued")
    await entry.press("Control+1")  # shortcut inserts at the cursor
    await expect(entry).to_have_value("N/A")
    await entry.press("Enter")
    await expect(entry).to_be_hidden()  # maxSubmissions=2 reached

    number = page.get_by_role("spinbutton", name="score")
    await number.fill("11")
    await number.press("Enter")
    await expect(page.get_by_text("Must be at most 10")).to_be_visible()
    await expect(number).to_have_attribute("aria-invalid", "true")
    await number.fill("7.5")
    await number.press("Enter")
    await expect(number).to_have_attribute("aria-invalid", "false")

    await page.get_by_label("when: date").fill("2024-05-01")
    await page.get_by_label("at: date").fill("2024-05-02")
    await page.get_by_label("at: time").fill("13:45")
    await shot(page, "controls-scalars-light")
    by_name = {item["from_name"]: item for item in await results(page)}
    assert {k: {x: y for x, y in v.items() if x != "id"} for k, v in by_name.items()} == {
        "stars": {"from_name": "stars", "to_name": "text", "type": "rating", "origin": "manual", "value": {"rating": 4}},
        "summary": {"from_name": "summary", "to_name": "text", "type": "textarea", "origin": "manual",
                    "value": {"text": ["first line\ncontinued", "N/A"]}},
        "score": {"from_name": "score", "to_name": "text", "type": "number", "origin": "manual", "value": {"number": 7.5}},
        "when": {"from_name": "when", "to_name": "text", "type": "datetime", "origin": "manual", "value": {"datetime": "2024-05-01"}},
        "at": {"from_name": "at", "to_name": "text", "type": "datetime", "origin": "manual", "value": {"datetime": "2024-05-02T13:45"}},
    }
    # Deleting an entry brings the input back; clearing the rating removes its result.
    await page.get_by_role("button", name="Delete entry 2: N/A").click()
    await expect(entry).to_be_visible()
    await page.get_by_role("radio", name="4 of 5").click()
    assert "stars" not in {item["from_name"] for item in await results(page)}
    await mount(page, server, SCALARS, {"text": "A short story."}, theme="dark")
    await page.get_by_role("radio", name="3 of 5").click()
    await page.get_by_role("textbox", name="summary: new entry").fill("draft text")
    await shot(page, "controls-scalars-dark")


async def test_per_region_choices_follow_the_selected_region(signed_in: Any, server: Any, page: Any) -> None:
    config = """
    <View>
      <Text name="text" value="$text"/>
      <Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>
      <Choices name="confidence" toName="text" perRegion="true"><Choice value="Sure"/><Choice value="Unsure"/></Choices>
    </View>
    """
    await mount(page, server, config, {"text": "Anna lives in Paris"})
    await expect(page.get_by_role("button", name="PER")).to_be_visible()  # the SDK label bar
    await expect(page.get_by_role("checkbox", name="Sure")).to_be_hidden()  # no region selected
    region = await page.evaluate("""() => {
      const store = window.__ll.store;
      const id = store.createRegion({from_name: "ner", to_name: "text", type: "labels",
        value: {start: 0, end: 4, text: "Anna", labels: ["PER"]}});
      store.select(id);
      return id;
    }""")
    await page.get_by_role("checkbox", name="Unsure").click()
    assert await results(page) == [
        {"id": region, "from_name": "ner", "to_name": "text", "type": "labels", "origin": "manual",
         "value": {"start": 0, "end": 4, "text": "Anna", "labels": ["PER"]}},
        {"id": region, "from_name": "confidence", "to_name": "text", "type": "choices", "origin": "manual",
         "value": {"start": 0, "end": 4, "text": "Anna", "choices": ["Unsure"]}},
    ]
    await page.evaluate("() => window.__ll.store.select(null)")
    await expect(page.get_by_role("checkbox", name="Unsure")).to_be_hidden()


async def test_preselected_choice_and_read_only_results(signed_in: Any, server: Any, page: Any) -> None:
    config = """
    <View><Text name="t" value="$text"/>
      <Choices name="c" toName="t"><Choice value="A"/><Choice value="B" selected="true"/></Choices>
    </View>"""
    await mount(page, server, config, {"text": "x"})
    await expect(page.get_by_role("checkbox", name="B")).to_be_checked()
    assert without_ids(await results(page)) == [
        {"from_name": "c", "to_name": "t", "type": "choices", "origin": "manual", "value": {"choices": ["B"]}},
    ]


PAIRWISE_RANKER = """
<View>
  <Pairwise name="pw" toName="left,right"/>
  <View style="display: grid; grid-template-columns: 1fr 1fr; gap: 12px">
    <Text name="left" value="$a"/><Text name="right" value="$b"/>
  </View>
  <List name="results" value="$items" title="Search results"/>
  <Ranker name="rank" toName="results"/>
</View>
"""

ITEMS = [
    {"id": "blog", "title": "10 tips to write a better function", "body": "There is nothing worse than..."},
    {"id": "mdn", "title": "Arrow function expressions", "body": "An arrow function expression is a compact alternative"},
    {"id": 3, "title": "Arrow (computer science)", "body": "In computer science, arrows are a type class"},
]


async def test_pairwise_and_ranker_with_mouse_and_keyboard(signed_in: Any, server: Any, page: Any, shot: Any) -> None:
    await mount(page, server, PAIRWISE_RANKER, {"a": "Summary one", "b": "Summary two", "items": ITEMS})
    await page.get_by_role("button", name="right", exact=True).click()
    await expect(page.get_by_role("button", name="right", exact=True)).to_have_attribute("aria-pressed", "true")
    # Clicking the left object itself chooses it.
    await page.get_by_text("Summary one").click()
    await expect(page.get_by_role("button", name="left", exact=True)).to_have_attribute("aria-pressed", "true")
    # Keyboard: move the third item to the top.
    item = page.get_by_role("listitem").filter(has_text="Arrow (computer science)")
    await item.focus()
    await page.keyboard.press("Alt+ArrowUp")
    await page.keyboard.press("Alt+ArrowUp")
    await expect(page.locator("[data-item]").first).to_have_attribute("data-item", "3")
    # Mouse: drag "10 tips" below "Arrow function expressions".
    await page.locator('[data-item="blog"]').drag_to(page.locator('[data-item="mdn"]'), target_position={"x": 40, "y": 40})
    await expect(page.locator("[data-item]")).to_have_count(3)
    await expect(page.locator("[data-item]").last).to_have_attribute("data-item", "blog")
    await shot(page, "controls-pairwise-ranker-light")
    by_name = {item["from_name"]: {k: v for k, v in item.items() if k != "id"} for item in await results(page)}
    assert by_name == {
        "pw": {"from_name": "pw", "to_name": "pw", "type": "pairwise", "origin": "manual", "value": {"selected": "left"}},
        "rank": {"from_name": "rank", "to_name": "results", "type": "ranker", "origin": "manual", "value": {"ranker": {"rank": ["3", "mdn", "blog"]}}},
    }
    await mount(page, server, PAIRWISE_RANKER, {"a": "Summary one", "b": "Summary two", "items": ITEMS}, theme="dark")
    await page.get_by_role("button", name="right", exact=True).click()
    await shot(page, "controls-pairwise-ranker-dark")


async def test_ranker_buckets(signed_in: Any, server: Any, page: Any, shot: Any) -> None:
    config = """
    <View>
      <List name="results" value="$items" title="Search results"/>
      <Ranker name="rank" toName="results">
        <Bucket name="best" title="Best results"/><Bucket name="ads" title="Paid results"/>
      </Ranker>
    </View>"""
    await mount(page, server, config, {"items": ITEMS})
    await page.locator('[data-item="mdn"]').focus()
    await page.keyboard.press("Alt+ArrowRight")
    await expect(page.get_by_role("region", name="Best results").locator("[data-item]")).to_have_count(1)
    await page.locator('[data-item="blog"]').drag_to(page.get_by_role("region", name="Paid results").locator("ol"))
    await expect(page.get_by_role("region", name="Paid results").locator("[data-item]")).to_have_count(1)
    await shot(page, "controls-ranker-buckets-light")
    assert without_ids(await results(page)) == [
        {"from_name": "rank", "to_name": "results", "type": "ranker", "origin": "manual",
         "value": {"ranker": {"_": ["3"], "best": ["mdn"], "ads": ["blog"]}}},
    ]
    await mount(page, server, config, {"items": ITEMS}, theme="dark")
    await page.locator('[data-item="3"]').focus()
    await page.keyboard.press("Alt+ArrowRight")
    await shot(page, "controls-ranker-buckets-dark")


LAYOUT = """
<View>
  <Style>.note { padding: 6px 10px; border-left: 4px solid #2a9d8f } .topbar { display: none }</Style>
  <Markdown value="$guide"/>
  <View className="note"><Header value="Scoped style applies here" size="5"/></View>
  <Table name="meta" value="$meta"/>
  <Filter toName="ner" minlength="1" hotkey="shift+f" placeholder="Filter labels"/>
  <Labels name="ner" toName="text">
    <Label value="Person"/><Label value="Organization"/><Label value="Location"/>
  </Labels>
  <Text name="text" value="$text"/>
  <Collapse>
    <Panel value="Details">
      <Choices name="quality" toName="text" choice="single-radio"><Choice value="Good"/><Choice value="Bad"/></Choices>
    </Panel>
    <Panel value="Notes"><TextArea name="notes" toName="text"/></Panel>
  </Collapse>
</View>
"""


DATA = {
    "guide": "## Guide for **annotators**\n\nRead the [docs](https://labelstud.io) first. <img src=x onerror=alert(1)>\n\n"
    "- Mark every person\n- Mark `ORG` names",
    "text": "Anna works at ACME in Paris",
    "meta": {"source": "news", "Author": "Bob"},
}


async def test_visual_tags_filter_collapse(signed_in: Any, server: Any, page: Any, shot: Any) -> None:
    await mount(page, server, LAYOUT, DATA)
    await expect(page.get_by_role("heading", name="Guide for annotators")).to_be_visible()
    await expect(page.get_by_role("link", name="docs")).to_have_attribute("href", "https://labelstud.io")
    await expect(page.get_by_role("listitem").filter(has_text="Mark every person")).to_be_visible()
    assert await page.locator("#controls-harness script, #controls-harness [onerror]").count() == 0
    await expect(page.get_by_text("<img src=x onerror=alert(1)>")).to_be_visible()  # shown as text
    # The Style is scoped: the config's own class is styled, the app's top bar is untouched.
    assert await page.locator(".note").evaluate("el => getComputedStyle(el).borderLeftWidth") == "4px"
    assert await page.locator(".topbar").evaluate("el => getComputedStyle(el).display") != "none"
    # Table: keys sorted case-insensitively.
    await expect(page.get_by_role("table", name="meta").locator("tbody th")).to_have_text(["Author", "source"])
    # Filter: the hotkey focuses the box; typing narrows the chips; Enter arms the first one.
    await page.keyboard.press("Shift+F")
    box = page.get_by_role("searchbox", name="Filter ner")
    await expect(box).to_be_focused()
    await box.fill("loc")
    await expect(page.get_by_role("button", name="Person")).to_be_hidden()
    await expect(page.get_by_role("button", name="Location")).to_be_visible()
    await box.press("Enter")
    await expect(page.get_by_role("button", name="Location")).to_have_attribute("aria-pressed", "true")
    # Collapse: panels start closed; opening one shows its control; results stay Label Studio's.
    await expect(page.get_by_role("radio", name="Good")).to_be_hidden()
    await page.get_by_role("button", name="Details").click()
    await page.get_by_role("radio", name="Good").click()
    await expect(page.get_by_role("radio", name="Good")).to_be_checked()
    await page.get_by_role("button", name="Notes").click()
    await expect(page.get_by_role("radio", name="Good")).to_be_hidden()  # accordion
    await shot(page, "controls-layout-light")
    assert without_ids(await results(page)) == [
        {"from_name": "quality", "to_name": "text", "type": "choices", "origin": "manual", "value": {"choices": ["Good"]}},
    ]
    await mount(page, server, LAYOUT, DATA, theme="dark")
    await page.get_by_role("button", name="Details").click()
    await shot(page, "controls-layout-dark")


async def test_relations_labels_and_direction(signed_in: Any, server: Any, page: Any, shot: Any) -> None:
    config = """
    <View>
      <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
      <Text name="text" value="$text"/>
      <Relations choice="multiple"><Relation value="works at"/><Relation value="founded"/></Relations>
    </View>"""
    await mount(page, server, config, {"text": "Anna works at ACME"})
    await expect(page.get_by_text("No relations yet")).to_be_visible()
    a, b = await page.evaluate("""() => {
      const s = window.__ll.store;
      const a = s.createRegion({from_name: "ner", to_name: "text", type: "labels", value: {start: 0, end: 4, text: "Anna", labels: ["PER"]}});
      const b = s.createRegion({from_name: "ner", to_name: "text", type: "labels", value: {start: 14, end: 18, text: "ACME", labels: ["ORG"]}});
      s.addRelation(a, b);
      return [a, b];
    }""")
    group = page.get_by_role("group", name="Labels of relation 1 PER “Anna” to 2 ORG “ACME”")
    await group.get_by_role("button", name="works at").click()
    await group.get_by_role("button", name="founded").click()
    await page.get_by_role("button", name="Direction: from first to second. Change direction").click()
    await page.get_by_role("button", name="Direction: from second to first. Change direction").click()
    await shot(page, "controls-relations-light")
    relations = [item for item in await results(page) if item["type"] == "relation"]
    assert relations == [{"from_id": a, "to_id": b, "type": "relation", "direction": "bi", "labels": ["works at", "founded"]}]
    # With a region selected, only its relations are listed.
    c = await page.evaluate("""() => {
      const s = window.__ll.store;
      const c = s.createRegion({from_name: "ner", to_name: "text", type: "labels", value: {start: 5, end: 10, text: "works", labels: ["ORG"]}});
      s.select(c);
      return c;
    }""")
    await expect(page.get_by_text("The selected region has no relations.")).to_be_visible()
    await page.evaluate(f"() => window.__ll.store.select({a!r})")
    await expect(page.locator(".llc-relation")).to_have_count(1)
    assert c
    await page.evaluate("() => document.documentElement.dataset.theme = 'dark'")
    await shot(page, "controls-relations-dark")
    await page.get_by_role("button", name="Delete relation 1 PER “Anna” to 2 ORG “ACME”").click()
    assert [item for item in await results(page) if item["type"] == "relation"] == []


VARIANTS = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="kind" toName="text" layout="select"><Choice value="Bug"/><Choice value="Feature"/><Choice value="Question"/></Choices>
  <Choices name="areas" toName="text" choice="multiple" allowNested="true">
    <Choice value="Backend"><Choice value="API"/><Choice value="Database" alias="db"/></Choice>
    <Choice value="Frontend" html="&lt;b&gt;Front&lt;/b&gt;end &lt;img src=x onerror=alert(1)&gt;"/>
  </Choices>
  <Choices name="extra" toName="text" value="$options"/>
  <DateTime name="month" toName="text" only="month,year" min="2020" max="2024"/>
  <Number name="volume" toName="text" slider="true" min="0" max="10" defaultValue="5"/>
  <List name="docs" value="$items" title="Related documents"/>
</View>
"""


async def test_select_layout_nested_dynamic_choices_and_more(signed_in: Any, server: Any, page: Any, shot: Any) -> None:
    await mount(page, server, VARIANTS, {"text": "The API is slow", "options": [{"value": "Urgent"}, "Later"],
                                         "items": [{"id": 1, "title": "Runbook", "body": "Restart the API"}]})
    await page.get_by_role("combobox", name="kind").select_option(label="Feature")
    # Nested: choosing both children selects the parent too; results are paths.
    await page.get_by_role("checkbox", name="API").click()
    await expect(page.get_by_role("checkbox", name="Backend")).to_have_js_property("indeterminate", True)
    await page.get_by_role("checkbox", name="Database").click()
    await expect(page.get_by_role("checkbox", name="Backend")).to_be_checked()
    await expect(page.get_by_role("checkbox", name="Frontend")).to_be_visible()  # html label, made safe
    assert await page.locator("#controls-harness img[onerror], #controls-harness img[src='x']").count() == 0
    await page.get_by_role("checkbox", name="Later").click()  # from task data
    await page.get_by_label("month: month").select_option(label="March")
    await page.get_by_label("month: year").select_option("2021")
    await expect(page.get_by_role("slider", name="volume")).to_have_value("5")  # defaultValue
    await expect(page.get_by_role("region", name="Related documents")).to_contain_text("Restart the API")
    await shot(page, "controls-variants-light")
    by_name = {item["from_name"]: item["value"] for item in await results(page)}
    assert by_name == {
        "kind": {"choices": ["Feature"]},
        "areas": {"choices": [["Backend"], ["Backend", "API"], ["Backend", "db"]]},
        "extra": {"choices": ["Later"]},
        "month": {"datetime": "2021-03"},
        "volume": {"number": 5},  # defaultValue, as Label Studio sends it
    }
    await mount(page, server, VARIANTS, {"text": "x", "options": ["Urgent"], "items": []}, theme="dark")
    await page.get_by_role("checkbox", name="API").click()
    await shot(page, "controls-variants-dark")


async def test_read_only_controls_cannot_change_results(signed_in: Any, server: Any, page: Any) -> None:
    await page.goto(server.url + "/projects")
    await page.evaluate(MOUNT.replace('mode: "preview",', 'mode: "preview", readOnly: true,'), [CLASSIFY, {"text": "t", "author": "A"}, "light"])
    positive = page.get_by_role("checkbox", name="Positive")
    await expect(positive).to_be_disabled()
    await page.keyboard.press("1")
    await expect(positive).not_to_be_checked()
    assert await results(page) == []


async def test_taxonomy_from_api_url_loads_branches_lazily(signed_in: Any, server: Any, page: Any) -> None:
    requested: list[str] = []

    async def taxonomy_api(route: Any) -> None:
        requested.append(route.request.url)
        if "path=Animal" in route.request.url:
            await route.fulfill(json={"items": [{"value": "Dog"}, {"value": "Cat", "alias": "cat"}]})
        else:
            await route.fulfill(json={"items": [{"value": "Animal", "isLeaf": False}, {"value": "Plant"}]})

    await page.route("**/taxonomy-api**", taxonomy_api)
    config = '<View><Text name="t" value="$text"/><Taxonomy name="tx" toName="t" apiUrl="/taxonomy-api"/></View>'
    await mount(page, server, config, {"text": "x"})
    assert requested == []  # nothing loads before the picker opens
    await page.get_by_role("button", name="Choose…").click()
    await expect(page.get_by_role("treeitem")).to_have_count(2)
    await page.get_by_role("treeitem", name="Animal").locator(".llc-twisty").click()
    await page.get_by_role("treeitem", name="Cat").click()
    assert len(requested) == 2 and "path=Animal" in requested[1]
    assert (await results(page))[0]["value"] == {"taxonomy": [["Animal", "cat"]]}


async def test_per_region_text_is_kept_when_switching_regions(signed_in: Any, server: Any, page: Any) -> None:
    config = """
    <View>
      <Labels name="ner" toName="text"><Label value="PER"/></Labels>
      <Text name="text" value="$text"/>
      <TextArea name="note" toName="text" perRegion="true"/>
    </View>"""
    await mount(page, server, config, {"text": "Anna met Bob"})
    a, b = await page.evaluate("""() => {
      const s = window.__ll.store;
      const a = s.createRegion({from_name: "ner", to_name: "text", type: "labels", value: {start: 0, end: 4, text: "Anna", labels: ["PER"]}});
      const b = s.createRegion({from_name: "ner", to_name: "text", type: "labels", value: {start: 9, end: 12, text: "Bob", labels: ["PER"]}});
      s.select(a);
      return [a, b];
    }""")
    field = page.get_by_role("textbox", name="note: new entry")
    await field.fill("the host")
    await page.evaluate(f"() => window.__ll.store.select({b!r})")
    await expect(field).to_have_value("")  # a fresh field for the other region
    await field.fill("the guest")
    await field.press("Enter")
    notes = {item["id"]: item["value"]["text"] for item in await results(page) if item["from_name"] == "note"}
    assert notes == {a: ["the host"], b: ["the guest"]}


async def test_filter_narrows_choices_and_enter_picks(signed_in: Any, server: Any, page: Any) -> None:
    config = """
    <View>
      <Text name="t" value="$text"/>
      <Filter toName="country" minlength="2"/>
      <Choices name="country" toName="t" choice="single">
        <Choice value="France"/><Choice value="Finland"/><Choice value="Germany"/><Choice value="Ghana"/>
      </Choices>
      <Rating name="r" toName="t" hotkey="alt+r"/>
      <Number name="n" toName="t" min="0" max="1" step="0.5" hotkey="alt+n"/>
    </View>"""
    await mount(page, server, config, {"text": "x"})
    box = page.get_by_role("searchbox", name="Filter country")
    await box.fill("g")  # shorter than minlength: nothing hidden
    await expect(page.get_by_role("checkbox")).to_have_count(4)
    await box.fill("gh")
    await expect(page.get_by_role("checkbox")).to_have_count(1)
    await box.press("Enter")
    await expect(page.get_by_role("checkbox", name="Ghana")).to_be_checked()
    await box.press("Escape")
    await expect(page.get_by_role("checkbox")).to_have_count(4)
    # Modifier hotkeys of Rating and Number step their values (Number wraps past max).
    for _ in range(3):
        await page.keyboard.press("Alt+n")
    await page.keyboard.press("Alt+r")
    by_name = {item["from_name"]: item["value"] for item in await results(page)}
    assert by_name == {"country": {"choices": ["Ghana"]}, "n": {"number": 1}, "r": {"rating": 1}}
    await page.keyboard.press("Alt+n")
    assert {item["from_name"]: item["value"] for item in await results(page)}["n"] == {"number": 0}
