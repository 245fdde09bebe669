"""Sign-in pages in the browser: first run, log in/out, invite link and sign-up, account page."""

from __future__ import annotations

from typing import Any

import re

import httpx
from playwright.async_api import expect

from tests.e2e.labeling import set_theme



async def test_first_run_login_logout(server: Any, page: Any, shot: Any) -> None:
    await page.goto(server.url + "/projects")
    await expect(page).to_have_url(server.url + "/setup")
    await expect(page.get_by_role("heading", name="Welcome to Labelloom")).to_be_visible()
    await shot(page, "auth-setup-light")
    await set_theme(page, "dark")
    await shot(page, "auth-setup-dark")
    await set_theme(page, "light")
    await page.get_by_label("Email").fill("boss@example.com")
    await page.get_by_label("Password").fill("short")
    await page.get_by_role("button", name="Create administrator").click()
    # The browser's own validation keeps a too-short password from being sent.
    await expect(page).to_have_url(server.url + "/setup")
    await page.get_by_label("Password").fill("a long enough password")
    await page.get_by_role("button", name="Create administrator").click()
    await expect(page).to_have_url(server.url + "/projects")

    # Log out from the account menu.
    await page.get_by_label("Account menu for boss@example.com").click()
    await page.get_by_role("menuitem", name="Log out").click()
    await expect(page).to_have_url(server.url + "/user/login")
    # /setup is closed once an admin exists.
    await page.goto(server.url + "/setup")
    await expect(page).to_have_url(server.url + "/user/login")

    # A protected page sends to login with ?next=, and login honours it.
    await page.goto(server.url + "/organization")
    await expect(page).to_have_url(server.url + "/user/login?next=%2Forganization")
    await page.get_by_label("Email").fill("boss@example.com")
    await page.get_by_label("Password").fill("wrong password")
    await page.get_by_role("button", name="Log in").click()
    error = page.get_by_role("alert")
    await expect(error).to_have_text("The email and password you entered don't match.")
    assert await page.locator(".auth-card [role=alert]").count() == 1  # inside the card
    await shot(page, "auth-login-error-light")
    await set_theme(page, "dark")
    await shot(page, "auth-login-error-dark")
    await set_theme(page, "light")
    assert await page.get_by_label("Keep me logged in on this browser").is_checked()
    await page.get_by_label("Keep me logged in on this browser").uncheck()
    await page.get_by_label("Password").fill("a long enough password")
    await page.get_by_role("button", name="Log in").click()
    await expect(page).to_have_url(server.url + "/organization")
    cookies = {c["name"]: c for c in await page.context.cookies()}
    assert cookies["sessionid"]["expires"] == -1  # a browser-session cookie: not kept


async def test_login_never_redirects_off_site(server: Any, page: Any) -> None:
    admin = server.sign_up_admin()
    await page.goto(server.url + "/user/login?next=//evil.example.com/x")
    await page.get_by_label("Email").fill(admin.email)
    await page.get_by_label("Password").fill(admin.password)
    await page.get_by_role("button", name="Log in").click()
    await expect(page).to_have_url(server.url + "/projects")


async def test_invite_link_sign_up(server: Any, signed_in: Any, page: Any, browser: Any, shot: Any) -> None:
    await page.goto(server.url + "/organization")
    link_input = page.get_by_role("textbox", name="Invite link", exact=True)  # not the "Reset the invite link?" dialog
    await expect(link_input).to_have_value(re.compile(r"/user/signup\?token=\S+"))
    first_link = await link_input.input_value()
    await expect(page.get_by_role("table", name="Members")).to_contain_text(signed_in.email)
    await shot(page, "org-light")
    await set_theme(page, "dark")
    await shot(page, "org-dark")
    await set_theme(page, "light")

    # Reset: the old link stops working.
    await page.get_by_role("button", name="Reset link").click()
    await page.get_by_role("dialog").get_by_role("button", name="Reset link").click()
    await expect(link_input).not_to_have_value(first_link)
    link = await link_input.input_value()

    guest = await browser.new_context(viewport={"width": 1400, "height": 900})
    other = await guest.new_page()
    errors: list[str] = []
    other.on("pageerror", lambda e: errors.append(str(e)))
    await other.goto(first_link)
    await expect(other.get_by_role("heading", name="This invite link does not work")).to_be_visible()
    await other.goto(server.url + "/user/signup")
    await expect(other.get_by_role("heading", name="This invite link does not work")).to_be_visible()

    await other.goto(link)
    await expect(other.get_by_role("heading", name="Create your account")).to_be_visible()
    await shot(other, "auth-signup-light")
    await set_theme(other, "dark")
    await shot(other, "auth-signup-dark")
    await set_theme(other, "light")
    await other.get_by_label("First name").fill("Nina")
    await other.get_by_label("Email").fill("nina@example.com")
    await other.get_by_label("Password").fill("nina's long password")
    await other.get_by_role("button", name="Create account").click()
    await expect(other).to_have_url(server.url + "/projects")
    await expect(other.get_by_label("Account menu for nina@example.com")).to_be_visible()
    # A member sees the members list but not the admin tools.
    await other.goto(server.url + "/organization")
    await expect(other.get_by_role("table", name="Members")).to_contain_text("nina@example.com")
    await expect(other.get_by_role("textbox", name="Invite link", exact=True)).to_have_count(0)
    await expect(other.get_by_role("button", name="Create user")).to_have_count(0)
    assert not errors
    await guest.close()

    # The admin deactivates the new member; a confirmation comes first.
    await page.reload()
    await page.get_by_role("button", name="Deactivate nina@example.com").click()
    await page.get_by_role("dialog").get_by_role("button", name="Deactivate").click()
    await expect(page.get_by_role("row", name="nina@example.com")).to_contain_text("Deactivated")
    async with httpx.AsyncClient(base_url=server.url) as http:
        r = await http.post("/api/auth/login", json={"email": "nina@example.com", "password": "nina's long password"})
        assert r.status_code == 401


async def test_admin_creates_a_user(server: Any, signed_in: Any, page: Any) -> None:
    await page.goto(server.url + "/organization")
    await page.get_by_role("button", name="Create user").click()
    dialog = page.get_by_role("dialog", name="Create a user")
    await dialog.get_by_label("Email").fill(signed_in.email)
    await dialog.get_by_label("Password").fill("another long password")
    await dialog.get_by_role("button", name="Create user").click()
    await expect(dialog.get_by_role("alert")).to_contain_text("already exists")
    await dialog.get_by_label("Email").fill("sam@example.com")
    await dialog.get_by_role("button", name="Create user").click()
    await expect(page.get_by_role("table", name="Members")).to_contain_text("sam@example.com")
    async with httpx.AsyncClient(base_url=server.url) as http:
        r = await http.post("/api/auth/login", json={"email": "sam@example.com", "password": "another long password"})
        assert r.status_code == 200


async def test_account_page(server: Any, signed_in: Any, page: Any, shot: Any) -> None:
    await page.goto(server.url + "/account")
    token_box = page.get_by_label("Your API token")
    await expect(token_box).to_have_value("•" * 40)
    await page.get_by_role("button", name="Show").click()
    await expect(token_box).to_have_value(signed_in.token)

    # Profile: unsaved changes are marked, and leaving asks first.
    await page.get_by_label("First name").fill("Ada")
    await expect(page.get_by_text("Unsaved changes")).to_be_visible()
    await page.get_by_label("Account menu for admin@example.com").click()
    await page.get_by_role("menuitem", name="Organization").click()
    dialog = page.get_by_role("dialog", name="Leave without saving?")
    await expect(dialog).to_be_visible()
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(page).to_have_url(server.url + "/account")
    await expect(page.get_by_label("First name")).to_have_value("Ada")
    await page.get_by_role("button", name="Save profile").click()
    await expect(page.get_by_text("Unsaved changes")).to_have_count(0)
    await expect(page.get_by_label("Account menu for admin@example.com")).to_have_text("A")

    # Personal access tokens: create (shown once), then revoke.
    await page.get_by_role("button", name="Create token").click()
    fresh = page.get_by_label("New personal access token")
    await expect(fresh).to_have_value(re.compile(r"^ey"))
    await expect(page.get_by_role("table", name="Personal access tokens")).to_be_visible()
    await shot(page, "account-light")
    await set_theme(page, "dark")
    await shot(page, "account-dark")
    await set_theme(page, "light")
    await page.get_by_role("button", name="Revoke token #1").click()
    await page.get_by_role("dialog").get_by_role("button", name="Revoke").click()
    await expect(page.get_by_text("No personal access tokens yet.")).to_be_visible()

    # Reset the legacy token: the old one stops working.
    await page.get_by_role("button", name="Reset", exact=True).click()
    await page.get_by_role("dialog").get_by_role("button", name="Reset token").click()
    await expect(token_box).not_to_have_value(signed_in.token)
    async with httpx.AsyncClient(base_url=server.url) as http:
        r = await http.get("/api/current-user/whoami", headers={"Authorization": f"Token {signed_in.token}"})
        assert r.status_code == 401

    # Password change: a wrong current password is refused inside the form.
    await page.get_by_label("Current password").fill("not it")
    await page.get_by_label("New password", exact=True).fill("my new long password")
    await page.get_by_label("Repeat new password").fill("my new long password")
    await page.get_by_role("button", name="Change password").click()
    await expect(page.get_by_role("alert")).to_contain_text("current password is not correct")
    before = await token_box.input_value()
    await page.get_by_label("Current password").fill(signed_in.password)
    await page.get_by_role("button", name="Change password").click()
    await expect(page.get_by_text("Password changed")).to_be_visible()
    # The legacy token was replaced: the page shows the new one, and only that one works.
    await expect(token_box).not_to_have_value(before)
    async with httpx.AsyncClient(base_url=server.url) as http:
        old = await http.get("/api/current-user/whoami", headers={"Authorization": f"Token {before}"})
        new = await http.get("/api/current-user/whoami", headers={"Authorization": f"Token {await token_box.input_value()}"})
        assert (old.status_code, new.status_code) == (401, 200)
    # This browser stays signed in.
    await page.reload()
    await expect(page.get_by_role("heading", name="Account & settings")).to_be_visible()
