"""The text plugin's widgets in the labeling runtime (preview mode): word granularity,
overlapping spans, selecting spans by click, line numbers, read-only text, hidden spans, undo,
the HyperText sanitiser on hostile HTML, the dialogue layout, and the data-manager preview."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.plugins.text.browser import mount_preview, results, select_text

NER = """<View>
  <Labels name="ner" toName="txt"><Label value="PER" hotkey="1"/><Label value="ORG" hotkey="2"/></Labels>
  <Text name="txt" value="$text" granularity="word"/>
</View>"""


async def test_word_granularity_overlaps_and_click_selection(server: Any, signed_in: Any, page: Any, shot: Any) -> None:
    await page.goto(server.url + "/projects")
    await page.evaluate("() => localStorage.setItem('labelloom.labeling.settings', JSON.stringify({showLineNumbers: true}))")
    text = "Ünïcode 😀 Acme Corp hired Anna Lee.\nSecond line of text."
    await mount_preview(page, server.url, NER, {"text": text})
    body = page.locator(".tx-body")
    # nothing armed: the selection waits and says what to do; arming a label then labels it
    await select_text(page, body, 11, 15)  # "cme " -> snapped to the word "Acme"
    await expect(page.locator(".tx-status")).to_contain_text("Now pick a label")
    assert await results(page) == []
    await page.keyboard.press("2")
    await expect(body.locator(".tx-tag")).to_have_count(1)
    await expect(page.locator(".tx-status")).to_be_hidden()

    await page.keyboard.press("1")
    await select_text(page, body, 12, 29)  # "cme Corp hired An" -> "Acme Corp hired Anna", overlapping
    values = [r["value"] for r in await results(page)]
    assert values == [
        {"start": 10, "end": 14, "text": "Acme", "labels": ["ORG"]},
        {"start": 10, "end": 30, "text": "Acme Corp hired Anna", "labels": ["PER"]},
    ]
    # both spans stay visible: two label chips, and the overlap segment carries both ids
    await expect(body.locator(".tx-tag")).to_have_count(2)
    overlap = body.locator(".tx-span", has_text="Acme")
    assert len((await overlap.get_attribute("data-ids")).split()) == 2
    # line numbers are on (setting)
    await expect(body).to_have_class("tx-body tx-numbered")
    assert await body.locator(".tx-line").nth(1).get_attribute("data-n") == "2"

    # click selects the innermost span; a second click on the same place cycles to the other
    await overlap.click()
    first = await page.evaluate("() => window.__ll.store.selectedId")
    await expect(body.locator(".tx-span.is-selected").first).to_be_visible()
    await overlap.click()
    second = await page.evaluate("() => window.__ll.store.selectedId")
    assert first and second and first != second
    await shot(page, "text-widget-overlap")

    # hiding, deleting and undo go through the store and redraw in place
    await page.evaluate(f"() => window.__ll.store.setHidden('{second}', true)")
    await expect(body.locator(".tx-tag")).to_have_count(1)
    await page.evaluate(f"() => window.__ll.store.setHidden('{second}', false)")
    await page.evaluate(f"() => window.__ll.store.deleteRegion('{second}')")
    await expect(body.locator(".tx-tag")).to_have_count(1)
    await page.evaluate("() => window.__ll.store.undo()")
    await expect(body.locator(".tx-tag")).to_have_count(2)


async def test_read_only_text_makes_no_regions(server: Any, signed_in: Any, page: Any) -> None:
    config = NER.replace('granularity="word"', 'selectionEnabled="false"')
    await mount_preview(page, server.url, config, {"text": "Nothing to select here."})
    await page.keyboard.press("1")
    await select_text(page, page.locator(".tx-body"), 0, 7)
    await expect(page.locator(".tx-body")).to_have_class("tx-body tx-readonly")
    assert await results(page) == []


async def test_existing_spans_with_emoji_are_drawn_where_label_studio_put_them(server: Any, signed_in: Any, page: Any) -> None:
    text = "😀😀 Anna 👩‍👩‍👧 Paris"
    await mount_preview(page, server.url, NER, {"text": text})
    await page.evaluate("""() => window.__ll.store.load([
      {id: "a", from_name: "ner", to_name: "txt", type: "labels", value: {start: 3, end: 7, text: "Anna", labels: ["PER"]}},
      {id: "b", from_name: "ner", to_name: "txt", type: "labels", value: {start: 14, end: 19, text: "Paris", labels: ["ORG"]}}])""")
    spans = page.locator(".tx-span")
    await expect(spans).to_have_count(2)
    assert [await s.inner_text() for s in await spans.all()] == ["Anna", "Paris"]
    assert text[3:7] == "Anna"  # Python code points; the family emoji is 5 of them
    assert "".join(list(text)[14:19]) == "Paris"


HOSTILE = """<View>
  <HyperTextLabels name="ht" toName="page"><Label value="Quote" hotkey="1"/></HyperTextLabels>
  <HyperText name="page" value="$html"/>
</View>"""


async def test_hypertext_is_sanitised_and_selection_maps_to_xpaths(server: Any, signed_in: Any, page: Any, shot: Any) -> None:
    html = ('<img src=x onerror="window.pwned=1"><svg onload="window.pwned=2"></svg>'
            '<div><p>First <i>para</i>graph</p><p>Zoë 😀 said <q>hello world</q><iframe src="javascript:1"></iframe></p></div>'
            '<a href=" jav&#x61;script:window.pwned=3">click</a>')
    await mount_preview(page, server.url, HOSTILE, {"html": html})
    content = page.locator(".ht-content")
    inner = await content.inner_html()
    for bad in ("onerror", "onload", "svg", "iframe", "javascript", "jav&"):
        assert bad not in inner
    await content.locator("a").click()
    assert await page.evaluate("() => window.pwned") is None
    # select first, then click the label chip: "graph" + "Zoë 😀 said hello" across two
    # paragraphs and an inline element
    await select_text(page, content, len("First para"), len("First paragraphZoë 😀 said hello".encode("utf-16-le")) // 2)
    await page.get_by_role("button", name="Quote").click()
    await expect(page.locator(".hl-layer .tx-tag")).to_have_text("Quote")
    (item,) = await results(page)
    assert item["type"] == "hypertextlabels" and item["to_name"] == "page"
    assert item["value"] == {
        "start": "/div[1]/p[1]/text()[2]", "startOffset": 0,
        "end": "/div[1]/p[2]/q[1]/text()[1]", "endOffset": 5,
        "globalOffsets": {"start": 10, "end": 31}, "text": "graphZoë 😀 said hello",
        "hypertextlabels": ["Quote"],
    }
    await shot(page, "text-widget-hypertext")


DIALOGUE = """<View>
  <ParagraphLabels name="pl" toName="dlg"><Label value="Greeting" hotkey="1"/></ParagraphLabels>
  <Paragraphs name="dlg" value="$turns" layout="dialogue" nameKey="who" textKey="said"/>
</View>"""


async def test_dialogue_layout_and_paragraph_spans(server: Any, signed_in: Any, page: Any, shot: Any) -> None:
    turns = [{"who": "Ann", "said": "Hello there!"}, {"who": "Ben", "said": "Hi Ann."}, {"who": "Ann", "said": "Bye."}]
    await mount_preview(page, server.url, DIALOGUE, {"turns": turns})
    body = page.locator(".pg-body")
    await expect(body.locator(".pg-name")).to_have_text(["Ann", "Ben", "Ann"])
    await expect(body.locator(".pg-item.is-alt")).to_have_count(1)  # Ben's bubble on the other side
    await page.keyboard.press("1")
    await select_text(page, body, 6, 12 + 6)  # "there!" + "Hi Ann"
    (item,) = await results(page)
    assert item["value"] == {"start": "0", "startOffset": 6, "end": "1", "endOffset": 6,
                             "text": "there!\nHi Ann", "paragraphlabels": ["Greeting"]}
    await shot(page, "text-widget-dialogue")


async def test_paragraphs_with_bad_data_say_what_is_expected(server: Any, signed_in: Any, page: Any) -> None:
    await mount_preview(page, server.url, DIALOGUE, {"turns": "not a list"})
    await expect(page.locator(".tx-error")).to_contain_text('expects a list of objects like [{"who": "...", "said": "..."}]')


async def test_data_manager_preview_snippet(server: Any, signed_in: Any, page: Any) -> None:
    await page.goto(server.url + "/projects")
    text = await page.evaluate("""async () => {
      const { preview } = await import("/static/plugins/text/widgets/text.js");
      const el = document.createElement("div"); el.style.width = "200px"; document.body.append(el);
      preview({ el, value: "line 1 <b>not html</b>\\nline 2\\nline 3\\nline 4" });
      return el.querySelector(".tx-preview").textContent; }""")
    assert text == "line 1 <b>not html</b>\nline 2\nline 3"


async def test_long_text_draws_spans_as_they_come_into_view(server: Any, signed_in: Any, page: Any) -> None:
    words = ("lorem ipsum dolor sit amet 😀 " * 4000).strip()  # ~120 KB, one line per 60 words
    text = "\n".join(" ".join(words.split(" ")[i:i + 60]) for i in range(0, 24000, 60))
    spans, pos = [], 0
    for n, word in enumerate(text.replace("\n", " ").split(" ")):
        if n % 12 == 0 and len(spans) < 2000:
            spans.append({"id": f"s{len(spans)}", "from_name": "ner", "to_name": "txt", "type": "labels",
                          "value": {"start": pos, "end": pos + len(word), "text": word, "labels": ["PER"]}})
        pos += len(word) + 1
    await mount_preview(page, server.url, NER, {"text": text})
    await page.evaluate("(spans) => window.__ll.store.load(spans)", spans)
    body = page.locator(".tx-body")
    drawn = await body.locator(".tx-tag").count()
    assert 0 < drawn < 2000  # only what is near the viewport
    # selecting the last span scrolls to it and draws it
    await page.evaluate("() => window.__ll.store.select('s1999')")
    await expect(body.locator('.tx-tag[data-id="s1999"]')).to_be_in_viewport()
    assert await body.locator('.tx-tag[data-id="s1999"]').inner_text() == "PER"
