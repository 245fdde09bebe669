"""Browser tests: headless Chromium (Playwright, async API) against a live server on SQLite.

Fixtures: ``server`` (the app on a free port), ``page`` (pytest-playwright-asyncio's, failing the
test on any uncaught page error), ``signed_in`` (an administrator logged in through the UI's
session cookie), ``shot(page, name)`` (a full-page screenshot in the suite's output folder,
``LABELLOOM_E2E_SHOTS`` or ``build/e2e-shots``).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from labelloom.core.testing import IN_CI, LiveServer, SignedUp, TestDatabases, _empty_tables

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--autoplay-policy=no-user-gesture-required",
]
# A loaded CI machine can take more than Playwright's default 5 s to settle a page; assertions
# still fail, only later.
expect.set_options(timeout=10_000)
SHOTS = Path(os.environ.get("LABELLOOM_E2E_SHOTS", Path(__file__).resolve().parents[2] / "build" / "e2e-shots"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not Path(CHROMIUM).exists():
        for item in items:
            if "/e2e/" in str(item.fspath):
                if IN_CI:
                    raise RuntimeError(f"CI needs Chromium at {CHROMIUM}")
                item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1400, "height": 900}}


@pytest.fixture
def database_url(test_databases: TestDatabases) -> Iterator[str]:
    """Browser tests exercise the UI, not the database: SQLite only."""
    url = test_databases.url("sqlite")
    yield url
    asyncio.run(_empty_tables(url))


@pytest.fixture
def server(make_app: Any) -> Iterator[LiveServer]:
    with LiveServer(make_app()) as live:
        yield live


@pytest.fixture
async def page(page: Any) -> Any:
    """The browser page; an uncaught error in the page fails the test."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(10_000)
    yield page
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture
async def signed_in(server: LiveServer, page: Any) -> SignedUp:
    """An administrator created through the API and logged in in the browser."""
    admin = server.sign_up_admin()
    response = await page.request.post(f"{server.url}/api/auth/login", data={"email": admin.email, "password": admin.password})
    assert response.ok, await response.text()
    return admin


@pytest.fixture
def shot() -> Any:
    """``await shot(page, "name")`` saves build/e2e-shots/<name>.png (look at them)."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    async def take(page: Any, name: str, full_page: bool = False) -> Path:
        path = SHOTS / f"{name}.png"
        await page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
