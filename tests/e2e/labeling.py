"""Helpers of the browser tests that label: opening the labeling screen, themes, reading what a
submit stored."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.async_api import expect


async def labeling_ready(page: Any) -> None:
    """Wait until every widget of the shown task is drawn and has registered its hotkeys: a key
    pressed before that (the header drawn, the choices still loading) would go nowhere."""
    await expect(page.locator(".ll-canvas")).to_have_attribute("aria-busy", "false")


async def open_labeling(page: Any, url: str) -> None:
    await page.goto(url)
    await labeling_ready(page)


async def set_theme(page: Any, theme: str) -> None:
    """Switch the page to the light or dark theme (as the theme button does, and remembered)."""
    await page.evaluate("t => { localStorage.setItem('labelloom.theme', t); document.documentElement.dataset.theme = t; }", theme)


async def stored_annotations(page: Any, server: Any, user: Any, task_id: int) -> list[dict[str, Any]]:
    """The task's annotations once the server has one (a submit is a request in flight)."""
    with httpx.Client(base_url=server.url, headers=user.headers) as http:
        for _ in range(50):
            annotations = http.get(f"/api/tasks/{task_id}/annotations/").json()
            if annotations:
                return annotations
            await page.wait_for_timeout(100)
    raise AssertionError(f"no annotation of task {task_id} was stored")


async def submit_and_read(page: Any, server: Any, user: Any, task_id: int) -> list[dict[str, Any]]:
    """Submit with the keyboard (Ctrl+Enter) and return the stored annotations."""
    await page.keyboard.press("Control+Enter")
    return await stored_annotations(page, server, user, task_id)
