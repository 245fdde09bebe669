"""The labeling setup element (<ll-labeling-setup>): gallery, code editor with server validation
at the lines, visual editor editing the XML, live preview. Mounted on an app page by itself, so
the test does not depend on the pages that embed it."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

MOUNT = """async ({config, sampleTask, dataColumns}) => {
  await import('/static/core/app/labeling-setup/labeling-setup.js');
  const page = document.getElementById('page');
  page.replaceChildren();
  const wrap = document.createElement('div');
  wrap.style.cssText = 'padding: 16px 24px; height: calc(100vh - 56px); box-sizing: border-box;';
  const el = document.createElement('ll-labeling-setup');
  window.__events = [];
  el.addEventListener('config-change', (e) => window.__events.push(e.detail));
  if (sampleTask) el.sampleTask = sampleTask;
  el.dataColumns = dataColumns || [];
  if (config) el.config = config;
  wrap.append(el);
  page.append(wrap);
}"""


async def mount(page: Any, server: Any, **props: Any) -> Any:
    await page.goto(server.url + "/projects")
    await expect(page.locator("#page")).to_be_attached()
    await page.evaluate(MOUNT, {"config": props.get("config"), "sampleTask": props.get("sample_task"), "dataColumns": props.get("data_columns")})
    return page.locator("ll-labeling-setup")


async def last_event(page: Any) -> dict[str, Any]:
    """The latest config-change detail, once the server's verdict is in."""
    await page.wait_for_function("() => window.__events.length && !window.__events[window.__events.length - 1].pending")
    return await page.evaluate("window.__events[window.__events.length - 1]")


async def themed_shot(page: Any, shot: Any, name: str) -> None:
    """The same view in the light and the dark theme."""
    for theme in ("light", "dark"):
        await page.evaluate("(t) => { document.documentElement.dataset.theme = t; }", theme)
        await shot(page, f"labeling-setup-{name}-{theme}")
    await page.evaluate("() => { document.documentElement.dataset.theme = 'light'; }")


async def test_template_to_valid_config_through_code_and_visual(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    setup = await mount(page, server, data_columns=["text", "url"])

    # Gallery: categories, cards with thumbnails, keyboard navigation.
    await expect(setup.get_by_role("button", name="Computer Vision")).to_be_visible()
    first_card = setup.locator(".ls-card").first
    await expect(first_card.locator("svg.thumb")).to_be_visible()
    await first_card.focus()
    await page.keyboard.press("ArrowRight")
    await expect(setup.locator(".ls-card").nth(1)).to_be_focused()
    # With imported columns text/url, templates reading only $text are marked as fitting.
    await setup.get_by_role("button", name="Fits your data").click()
    await expect(setup.locator(".ls-section h3")).to_have_text(["Fits your data"])
    await expect(setup.locator(".ls-card", has_text="Named Entity Recognition")).to_contain_text("Fits your data")
    await expect(setup.locator(".ls-card", has_text="Object Detection")).to_have_count(0)
    await setup.get_by_role("button", name="Natural Language Processing").click()
    await expect(setup.locator(".ls-section h3")).to_have_text(["Natural Language Processing"])
    await themed_shot(page, shot, "gallery")

    # Search with the keyboard: "/" focuses the search, Enter opens the first match.
    await setup.locator(".ls-card").first.focus()
    await page.keyboard.press("/")
    search = setup.get_by_label("Search templates")
    await expect(search).to_be_focused()
    await page.keyboard.type("entity recognition")
    await expect(setup.locator(".ls-card")).to_have_count(2)  # NER and HTML NER
    await page.keyboard.press("Enter")

    # The editor opens in Visual mode with the template's labels; the config is valid.
    await expect(setup.get_by_role("tab", name="Visual")).to_have_attribute("aria-selected", "true")
    await expect(setup.locator(".ls-status")).to_have_text("Valid")
    await expect(setup.get_by_label("Name of label PER")).to_have_value("PER")
    event = await last_event(page)
    assert event["valid"] is True and "<Labels" in event["config"]
    await expect(setup.locator(".ls-preview-stage")).to_contain_text("Anna lives in Paris")

    # Code: break a reference; the line is marked and the message is under the editor.
    await setup.get_by_role("tab", name="Code").click()
    code = setup.locator("textarea.xe-input")
    original = await code.input_value()
    broken = original.replace('toName="text"', 'toName="nothere"', 1)
    line = broken[: broken.index("nothere")].count("\n") + 1
    await code.fill(broken)
    await expect(setup.locator(".xe-n-error")).to_have_text([str(line)])
    issue = setup.locator(".ls-issue")
    await expect(issue).to_contain_text(f"Line {line}")
    await expect(issue).to_contain_text('toName="nothere"')
    await expect(issue).to_contain_text("Did you mean text?")
    await expect(setup.locator(".ls-status")).to_have_text("1 problem")
    await expect(setup.locator(".ls-preview-stage")).to_have_class("ls-preview-stage is-stale")
    await expect(setup.locator(".ls-stale-note")).to_contain_text("last valid config")
    assert (await last_event(page)) == {"config": broken, "valid": False, "pending": False, "renames": []}
    await themed_shot(page, shot, "code-error")

    # Clicking the message puts the caret on that line.
    await page.keyboard.press("Control+End")
    await issue.locator(".ls-issue-jump").click()
    await expect(code).to_be_focused()
    caret_line = await code.evaluate("(t) => t.value.slice(0, t.selectionStart).split('\\n').length")
    assert caret_line == line

    # A near miss gets a suggestion that fixes it in one click.
    await code.fill(original.replace('toName="text"', 'toName="txt"', 1))
    await expect(setup.locator(".ls-hint")).to_contain_text("Did you mean text?")
    await setup.get_by_role("button", name="Use “text”").click()
    await expect(setup.locator(".ls-status")).to_have_text("Valid")
    await expect(setup.locator(".ls-issue")).to_have_count(0)
    await expect(code).to_have_value(original)

    # Visual: add labels (one per line; existing ones are skipped) -> the XML changes.
    await setup.get_by_role("tab", name="Visual").click()
    await setup.get_by_label("Add label names to label, one per line").fill("Vehicle\nPER")
    await setup.get_by_role("button", name="Add", exact=True).click()
    await expect(setup.get_by_text("Already there: PER")).to_be_visible()
    await expect(setup.get_by_label("Name of label Vehicle")).to_be_visible()
    config = await setup.evaluate("(el) => el.config")
    assert config == original.replace('background="green"/>\n', 'background="green"/>\n    <Label value="Vehicle"/>\n')
    await expect(setup.locator(".ls-status")).to_have_text("Valid")
    assert (await last_event(page)) == {"config": config, "valid": True, "pending": False, "renames": []}
    await expect(setup.locator(".ls-preview-stage")).to_contain_text("Vehicle")

    # Rename, recolour, reorder, and undo.
    rename = setup.get_by_label("Name of label ORG")
    await rename.fill("Organisation")
    await rename.press("Enter")
    await expect(setup.get_by_label("Name of label Organisation")).to_be_visible()
    await setup.get_by_label("Colour of Vehicle").evaluate(
        "(i) => { i.value = '#123456'; i.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    await setup.get_by_role("button", name="Move Vehicle up").click()
    config = await setup.evaluate("(el) => el.config")
    assert 'value="Organisation"' in config
    assert config.index('<Label value="Vehicle" background="#123456"/>') < config.index('<Label value="MISC"')
    await expect(setup.get_by_role("button", name="Move Vehicle up")).to_be_focused()
    # Renames are reported for migrating existing results (P7).
    assert (await last_event(page))["renames"] == [{"from_name": "label", "from": "ORG", "to": "Organisation"}]
    await themed_shot(page, shot, "visual")
    await setup.get_by_role("button", name="Undo").click()
    config = await setup.evaluate("(el) => el.config")
    assert config.index('<Label value="MISC"') < config.index('<Label value="Vehicle"')
    await expect(setup.locator(".ls-preview-stage")).to_contain_text("Vehicle")
    await setup.locator(".ls-preview-pane").scroll_into_view_if_needed()
    await themed_shot(page, shot, "preview")

    # Renaming to an existing name is refused with a message, the XML untouched.
    before = await setup.evaluate("(el) => el.config")
    rename = setup.get_by_label("Name of label PER")
    await rename.fill("LOC")
    await rename.press("Enter")
    await expect(setup.locator(".ls-item [role=alert]")).to_contain_text('already has "LOC"')
    assert await setup.evaluate("(el) => el.config") == before


async def test_existing_config_sample_task_and_configure_data(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    config = '<View>\n  <Text name="review" value="$text"/>\n  <Choices name="sentiment" toName="review">\n    <Choice value="Good"/>\n  </Choices>\n</View>'
    setup = await mount(page, server, config=config, sample_task={"id": 7, "data": {"body": "My own imported review"}, "annotations": []}, data_columns=["body", "title"])

    # An existing config opens in the editor (no gallery) and is checked at once; a whole task
    # object is accepted as the sample (its data is used).
    await expect(setup.locator(".ls-status")).to_have_text("Valid")
    field = setup.get_by_label("Task field for Text review")
    await expect(field).to_have_value("text")
    await expect(setup.locator(".ls-field-msg")).to_contain_text("not a field of your data")

    # Configure data: point the Text tag at the imported column; the preview shows the real task.
    await field.fill("body")
    await field.press("Enter")
    await expect(setup.locator(".ls-field-msg")).to_have_count(1)
    await expect(setup.locator(".ls-field-msg").first).to_be_hidden()
    assert 'value="$body"' in await setup.evaluate("(el) => el.config")
    await expect(setup.locator(".ls-preview-head")).to_contain_text("with your data")
    await expect(setup.locator(".ls-preview-stage")).to_contain_text("My own imported review")

    # The sample data can be edited as JSON; bad JSON is refused with a message.
    await setup.get_by_role("button", name="Sample data").click()
    sample = setup.get_by_label("Sample task data (JSON)")
    await expect(sample).to_be_focused()
    await sample.fill('{"body": ')
    await setup.get_by_role("button", name="Apply").click()
    await expect(setup.locator("#ls-sample-msg")).to_contain_text("Not valid JSON")
    await sample.fill('{"body": "Typed sample"}')
    await themed_shot(page, shot, "sample-data")
    await setup.get_by_role("button", name="Apply").click()
    await expect(setup.locator(".ls-preview-stage")).to_contain_text("Typed sample")
    await expect(setup.locator(".ls-preview-head")).to_contain_text("with your sample data")

    # Setting .config from outside does not fire config-change.
    count = await page.evaluate("window.__events.length")
    await setup.evaluate("(el) => { el.config = el.config.replace('Good', 'Great'); }")
    await expect(setup.get_by_label("Name of choice Great")).to_be_visible()
    assert await page.evaluate("window.__events.length") == count

    # "Browse templates" -> "Custom template" asks before replacing edits, then starts empty in Code.
    await setup.get_by_label("Name of choice Great").fill("Fine")
    await setup.get_by_label("Name of choice Great").press("Enter")
    await setup.get_by_role("button", name="Browse templates").click()
    await expect(setup.get_by_label("Search templates")).to_be_focused()
    await setup.get_by_role("button", name="Custom template").click()
    await page.get_by_role("button", name="Replace").click()
    await expect(setup.get_by_role("tab", name="Code")).to_have_attribute("aria-selected", "true")
    await expect(setup.locator("textarea.xe-input")).to_have_value("<View>\n  \n</View>\n")
    await expect(setup.locator(".ls-status")).to_have_text("Valid")

    # validate() answers for the text as it is now, without waiting for the debounce.
    await setup.locator("textarea.xe-input").fill('<View><Choices name="c" toName="x"/></View>')
    assert await setup.evaluate("(el) => el.validate()") is False
    await setup.locator("textarea.xe-input").fill('<View><Text name="x" value="$x"/></View>')
    assert await setup.evaluate("(el) => [el.pending, el.valid]") == [True, False]
    assert await setup.evaluate("(el) => el.validate()") is True
    assert await setup.evaluate("(el) => [el.pending, el.valid]") == [False, True]


async def test_code_editor_keys(server: Any, page: Any, signed_in: Any) -> None:
    setup = await mount(page, server, config="<View>\n</View>")
    await setup.get_by_role("tab", name="Code").click()
    code = setup.locator("textarea.xe-input")
    await code.click()
    await code.evaluate("(t) => t.setSelectionRange(6, 6)")  # after <View>
    await page.keyboard.press("Enter")
    await expect(code).to_have_value("<View>\n  \n</View>")
    await page.keyboard.type('<Text name="t" value="$t"/>')
    await expect(code).to_have_value('<View>\n  <Text name="t" value="$t"/>\n</View>')
    # Tab indents the line(s), Shift+Tab outdents, Ctrl+Z undoes through the browser's stack.
    await code.evaluate("(t) => t.setSelectionRange(7, 20)")
    await page.keyboard.press("Tab")
    await expect(code).to_have_value('<View>\n    <Text name="t" value="$t"/>\n</View>')
    await page.keyboard.press("Shift+Tab")
    await expect(code).to_have_value('<View>\n  <Text name="t" value="$t"/>\n</View>')
    await expect(setup.locator(".xe-n")).to_have_count(3)
    # Ctrl+Z in the editor is the browser's undo, not the preview's (whose hotkeys stay out of inputs).
    await expect(setup.locator(".ls-status")).to_have_text("Valid")
    await page.keyboard.press("End")
    await page.keyboard.type("<!-- note -->")
    await expect(setup.locator(".ls-status")).to_have_text("Valid")
    before = '<View>\n  <Text name="t" value="$t"/>\n</View>'
    # Chrome undoes typing in steps whose size depends on the typing's timing (words, punctuation,
    # sometimes single characters on a loaded machine): press until the text is back, within reason.
    for _ in range(30):
        if await code.input_value() == before:
            break
        await page.keyboard.press("Control+z")
    assert await code.input_value() == before
    await expect(setup.locator(".ls-status")).to_have_text("Valid")
    # The gutter and the colour overlay follow the textarea's scroll, line for line.
    long = "<View>\n" + "".join(f'  <Header value="Line {i} {"x" * 150}"/>\n' for i in range(200)) + "</View>"
    await code.fill(long)
    await code.evaluate("(t) => { t.scrollTop = 1000; t.scrollLeft = 300; t.dispatchEvent(new Event('scroll')); }")
    await expect(setup.locator(".xe-gutter-inner")).to_have_attribute("style", "transform: translateY(-1000px);")
    await expect(setup.locator(".xe-layer")).to_have_attribute("style", "transform: translate(-300px, -1000px);")
    first_visible = await setup.locator(".xe-n").nth(50).evaluate("(n) => n.getBoundingClientRect().top")
    line_51 = await setup.locator(".xe-l").nth(50).evaluate("(n) => n.getBoundingClientRect().top")
    assert abs(first_visible - line_51) < 1
    await code.fill('<View>\n  <Text name="t" value="$t"/>\n</View>')
    await code.focus()
    # Escape then Tab leaves the editor: focus is never trapped.
    await page.keyboard.press("Escape")
    await page.keyboard.press("Tab")
    await expect(code).not_to_be_focused()
    await expect(setup.locator(".ls-status")).to_have_text("Valid")


async def test_image_template_preview_and_colour(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    setup = await mount(page, server)
    await setup.get_by_role("button", name="Object Detection with Bounding Boxes", exact=False).click()
    await expect(setup.locator(".ls-status")).to_have_text("Valid")
    stage = setup.locator(".ls-preview-stage")
    await expect(stage).to_contain_text("Bicycle")
    await expect(stage.locator("img, canvas, svg").first).to_be_visible()
    # Recolouring writes background="…" and the preview follows.
    await setup.get_by_label("Colour of Person").evaluate(
        "(i) => { i.value = '#aa00ff'; i.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    assert '<Label value="Person" background="#aa00ff"/>' in await setup.evaluate("(el) => el.config")
    await expect(setup.locator(".ls-status")).to_have_text("Valid")
    await themed_shot(page, shot, "preview-image")
