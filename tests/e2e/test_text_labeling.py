"""Text labeling end to end in Chromium: NER spans on a text with emoji, a HyperText span and a
dialogue span made with the mouse after arming labels with their hotkeys, submitted through the
labeling screen, and the stored result compared with Label Studio's JSON."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.async_api import expect

from tests.plugins.text.browser import select_text
from tests.e2e.labeling import open_labeling

CONFIG = """<View>
  <Labels name="ner" toName="txt">
    <Label value="PER" hotkey="1"/><Label value="LOC" hotkey="2"/>
  </Labels>
  <Text name="txt" value="$text"/>
  <HyperTextLabels name="web" toName="page">
    <Label value="Title" hotkey="3"/><Label value="Link" hotkey="4"/>
  </HyperTextLabels>
  <HyperText name="page" value="$html"/>
  <ParagraphLabels name="turns" toName="chat">
    <Label value="Question" hotkey="5"/><Label value="Answer" hotkey="6"/>
  </ParagraphLabels>
  <Paragraphs name="chat" value="$dialogue" layout="dialogue"/>
</View>"""

TEXT = "Zoë 😀 met Anna in São Paulo 🇧🇷 yesterday."
HTML = '<div><h2>Zoë 😀 <b>news</b></h2><p onclick="alert(1)">Read <a href="javascript:alert(1)">this link</a> now.<script>window.pwned = 1</script></p></div>'
DIALOGUE = [
    {"author": "Alice", "text": "Hi Bob 😀, where is São Paulo?"},
    {"author": "Bob", "text": "In Brazil."},
]


def u16(text: str, sub: str) -> tuple[int, int]:
    """UTF-16 start/end of `sub` in `text` (what the mouse selects in the browser)."""
    start = len(text[: text.index(sub)].encode("utf-16-le")) // 2
    return start, start + len(sub.encode("utf-16-le")) // 2


def without_ids(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(({k: v for k, v in r.items() if k != "id"} for r in results), key=lambda r: (r["from_name"], str(r["value"])))


async def test_ner_html_and_dialogue_spans_round_trip(server: Any, signed_in: Any, page: Any, shot: Any) -> None:
    headers = {"Authorization": f"Token {signed_in.token}"}
    with httpx.Client(base_url=server.url, headers=headers) as http:
        project = http.post("/api/projects/", json={"title": "Text e2e", "label_config": CONFIG}).json()
        response = http.post(f"/api/projects/{project['id']}/import?return_task_ids=true",
                             json=[{"data": {"text": TEXT, "html": HTML, "dialogue": DIALOGUE}}])
        assert response.status_code == 201, response.text
        task_id = response.json()["task_ids"][0]

    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    text = page.locator('.tx-body[data-object="txt"]')
    await expect(text).to_contain_text("São Paulo")

    # NER: arm PER with its hotkey, drag over "Anna"; arm LOC, drag over "São Paulo 🇧🇷" (astral flag)
    await page.keyboard.press("1")
    await select_text(page, text, *u16(TEXT, "Anna"))
    await expect(text.locator(".tx-tag", has_text="PER")).to_be_visible()
    await page.keyboard.press("2")
    await select_text(page, text, *u16(TEXT, "São Paulo 🇧🇷"))
    await expect(text.locator(".tx-tag", has_text="LOC")).to_be_visible()

    # HyperText: the sanitiser removed the script and the handlers
    html = page.locator('.tx-body[data-object="page"] .ht-content')
    assert "script" not in await html.inner_html() and "onclick" not in await html.inner_html()
    assert await page.evaluate("() => window.pwned") is None
    await page.keyboard.press("4")
    await select_text(page, html, *u16("Zoë 😀 newsRead this link now.", "this link"))

    # Dialogue: a span from the first bubble into the second
    chat = page.locator('.tx-body[data-object="chat"]')
    await page.keyboard.press("5")
    joined = DIALOGUE[0]["text"] + DIALOGUE[1]["text"]
    start, _ = u16(joined, "São Paulo?")
    _, end = u16(joined, "In Brazil")
    await select_text(page, chat, start, end)
    await expect(chat.locator(".tx-tag", has_text="Question")).to_be_visible()

    await shot(page, "text-labeling-light")
    await page.evaluate("() => document.documentElement.dataset.theme = 'dark'")
    await shot(page, "text-labeling-dark")
    await page.evaluate("() => document.documentElement.dataset.theme = 'light'")

    await page.get_by_role("button", name="Submit", exact=True).click()
    expected = [
        {"from_name": "ner", "to_name": "txt", "type": "labels", "origin": "manual",
         "value": {"start": 10, "end": 14, "text": "Anna", "labels": ["PER"]}},
        {"from_name": "ner", "to_name": "txt", "type": "labels", "origin": "manual",
         "value": {"start": 18, "end": 30, "text": "São Paulo 🇧🇷", "labels": ["LOC"]}},
        {"from_name": "web", "to_name": "page", "type": "hypertextlabels", "origin": "manual",
         "value": {"start": "/div[1]/p[1]/a[1]/text()[1]", "startOffset": 0, "end": "/div[1]/p[1]/a[1]/text()[1]",
                   "endOffset": 9, "globalOffsets": {"start": 15, "end": 24}, "text": "this link",
                   "hypertextlabels": ["Link"]}},
        {"from_name": "turns", "to_name": "chat", "type": "paragraphlabels", "origin": "manual",
         "value": {"start": "0", "startOffset": 19, "end": "1", "endOffset": 9, "text": "São Paulo?\nIn Brazil",
                   "paragraphlabels": ["Question"]}},
    ]
    assert TEXT[10:14] == "Anna" and TEXT[18:30] == "São Paulo 🇧🇷"  # Python slicing = code points
    assert DIALOGUE[0]["text"][19:] == "São Paulo?" and DIALOGUE[1]["text"][:9] == "In Brazil"
    with httpx.Client(base_url=server.url, headers=headers) as http:
        for _ in range(50):
            annotations = http.get(f"/api/tasks/{task_id}/annotations/").json()
            if annotations:
                break
            await page.wait_for_timeout(100)
    assert len(annotations) == 1
    results = annotations[0]["result"]
    assert without_ids(results) == without_ids(expected)
    assert all(isinstance(r["id"], str) and len(r["id"]) >= 8 for r in results)
