"""Issue 16 in Chromium: the app runs under its Content-Security-Policy without violations; an
uploaded SVG still shows in the labeling view, and opening its URL directly runs no script."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.async_api import expect

from tests.e2e.labeling import open_labeling

CONFIG = """<View>
  <Image name="img" value="$image"/>
  <Choices name="kind" toName="img"><Choice value="circle"/><Choice value="square"/></Choices>
</View>"""

# A hostile upload: if its script ever ran on our origin it would call the API.
SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200">
<rect width="320" height="200" fill="#8aa1b9"/><circle cx="160" cy="100" r="60" fill="#d9dde3"/>
<script>fetch("/api/current-user/whoami?svg-script-ran=1"); document.title = "pwned";</script>
</svg>"""


def make_svg_task(server: Any, admin: Any) -> tuple[int, str]:
    with httpx.Client(base_url=server.url, headers=admin.headers) as http:
        project = http.post("/api/projects/", json={"title": "Vector shapes", "label_config": CONFIG}).json()
        response = http.post(
            f"/api/projects/{project['id']}/import", files=[("file", ("shape.svg", SVG, "image/svg+xml"))]
        )
        assert response.status_code == 201, response.text
        (task,) = http.get("/api/tasks", params={"project": project["id"]}).json()["tasks"]
        served = http.get(task["data"]["image"])
        assert served.status_code == 200 and served.headers["content-disposition"] == "attachment"
        assert served.headers["content-security-policy"].startswith("sandbox;")
        return project["id"], task["data"]["image"]


async def test_uploaded_svg_shows_as_image_and_never_runs_its_script(server, page, signed_in):
    project_id, url = make_svg_task(server, signed_in)
    violations: list[str] = []
    script_requests: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: script_requests.append(r.url) if "svg-script-ran" in r.url else None)
    await page.add_init_script(
        "document.addEventListener('li-image-loaded', e => (window.__loaded ||= []).push(e.detail), true)"
    )

    # The labeling view shows the SVG through <img>: attachment and the sandbox do not matter there.
    await open_labeling(page, f"{server.url}/projects/{project_id}/label")
    await expect(page.locator(".li-stage")).to_have_attribute("aria-busy", "false")
    loaded = await page.evaluate("window.__loaded || []")
    assert loaded and loaded[0]["width"] == 320 and loaded[0]["height"] == 200
    await expect(page.get_by_text("could not be loaded")).to_have_count(0)
    await page.get_by_role("button", name="Submit").wait_for()

    # Opening the file's URL directly downloads it instead of rendering it on our origin.
    async with page.expect_download() as download_info:
        try:
            await page.goto(server.url + url)
        except Exception as exc:  # Chromium reports a navigation that became a download
            assert "Download is starting" in str(exc)
    download = await download_info.value
    assert download.suggested_filename.endswith(".svg")
    await page.wait_for_timeout(300)  # give a (wrongly) running script the time to call home
    assert script_requests == []
    assert violations == []


async def test_svg_in_a_frame_is_sandboxed(server, page, signed_in):
    """Framing the file inside the app (same origin, which frame-ancestors allows) does not run
    its script either."""
    _, url = make_svg_task(server, signed_in)
    script_requests: list[str] = []
    page.on("request", lambda r: script_requests.append(r.url) if "svg-script-ran" in r.url else None)
    await page.goto(f"{server.url}/projects")
    await page.evaluate(
        "url => new Promise(done => { const f = document.createElement('iframe'); f.onload = done;"
        " setTimeout(done, 1500); f.src = url; document.body.append(f); })",
        url,
    )
    await page.wait_for_timeout(300)
    assert script_requests == []
    assert await page.title() != "pwned"


async def test_app_pages_run_under_their_csp_without_violations(server, page, signed_in):
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    response = await page.goto(f"{server.url}/projects")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in csp and "frame-ancestors 'self'" in csp
    assert response.headers["referrer-policy"] == "same-origin"
    await expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()
    # The import map (an inline script, allowed by its hash) resolved the app's bare imports.
    assert await page.evaluate("HTMLScriptElement.supports('importmap')")
    await page.goto(f"{server.url}/account")
    await expect(page.get_by_role("heading", name="Account & settings")).to_be_visible()
    # An inline script that is not the page's own is refused.
    ran = await page.evaluate(
        "() => { window.__ran = false; const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.append(s); return window.__ran; }"
    )
    assert ran is False
    assert any("script-src" in v for v in violations)  # that refusal, and nothing else
    assert len(violations) == 1, violations
