"""The app shell: first-run set-up, sign-in gate, theme, client routing."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect


async def test_first_run_creates_the_admin_and_lands_on_projects(server: Any, page: Any, shot: Any) -> None:
    await page.goto(server.url + "/")
    await expect(page).to_have_url(server.url + "/setup")
    await page.get_by_label("Email").fill("first@example.com")
    await page.get_by_label("Password").fill("a long enough password")
    await shot(page, "shell-setup")
    await page.get_by_role("button", name="Create administrator").click()
    await expect(page).to_have_url(server.url + "/projects")
    await expect(page.get_by_label("Account menu for first@example.com")).to_be_visible()


async def test_the_app_needs_sign_in(server: Any, page: Any) -> None:
    server.sign_up_admin()
    await page.goto(server.url + "/projects")
    await expect(page).to_have_url(server.url + "/user/login?next=%2Fprojects")


async def test_the_import_map_serves_vendored_lit(server: Any, page: Any) -> None:
    await page.goto(server.url + "/setup")
    version = await page.evaluate("import('lit').then(m => typeof m.LitElement)")
    assert version == "function"
