"""Opening the labeling screen in a browser test."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect


async def labeling_ready(page: Any) -> None:
    """Wait until every widget of the shown task is drawn and has registered its hotkeys: a key
    pressed before that (the header drawn, the choices still loading) would go nowhere."""
    await expect(page.locator(".ll-canvas")).to_have_attribute("aria-busy", "false")


async def open_labeling(page: Any, url: str) -> None:
    await page.goto(url)
    await labeling_ready(page)
