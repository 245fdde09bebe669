"""The review workflow in Chromium with two browser contexts: an annotator submits, a reviewer
rejects with a comment, the annotator sees the comment in their stream and fixes the annotation,
the reviewer accepts; the history panel shows every version and can show an earlier one."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from playwright.async_api import expect

from .labeling import labeling_ready, set_theme

CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single" showInline="true">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
</View>"""


def _setup(server: Any) -> tuple[Any, dict[str, str], int, int]:
    admin = server.sign_up_admin()
    with httpx.Client(base_url=server.url, headers=admin.headers) as http:
        project = http.post("/api/projects/", json={"title": "Reviews", "label_config": CONFIG}).json()
        http.post(f"/api/projects/{project['id']}/import", json=[{"text": "I love it"}]).raise_for_status()
        reviewer = http.post("/api/users/", json={"email": "rev@example.com", "password": "reviewer password"}).json()
        http.post(f"/api/projects/{project['id']}/members", json={"user": reviewer["id"]})
    return admin, {"email": "rev@example.com", "password": "reviewer password"}, project["id"], reviewer["id"]


async def _context(browser: Any, server: Any, email: str, password: str) -> Any:
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    response = await context.request.post(f"{server.url}/api/auth/login", data={"email": email, "password": password})
    assert response.ok, await response.text()
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    return context, page


async def test_reject_fix_accept_in_two_browsers(server, browser, shot):
    admin, reviewer_login, pid, _ = _setup(server)
    annotator_ctx, annotator = await _context(browser, server, admin.email, admin.password)
    reviewer_ctx, reviewer = await _context(browser, server, reviewer_login["email"], reviewer_login["password"])
    try:
        # The annotator labels "Negative" and submits.
        await annotator.goto(f"{server.url}/projects/{pid}/label")
        await labeling_ready(annotator)
        await annotator.get_by_role("checkbox", name="Negative").or_(annotator.get_by_role("radio", name="Negative")).first.click()
        await annotator.keyboard.press("Control+Enter")
        await expect(annotator.get_by_text("All done", exact=False).first).to_be_visible()

        # The reviewer rejects with a comment. The side panel shows its sections at once, with a
        # placeholder while history loads (held back here so the test sees it), then the versions.
        release = asyncio.Event()

        async def slow_history(route: Any) -> None:
            await release.wait()
            await route.continue_()

        await reviewer.route("**/api/annotation-history/**", slow_history)
        await reviewer.goto(f"{server.url}/projects/{pid}/review")
        await labeling_ready(reviewer)
        await expect(reviewer.get_by_role("button", name="Reject")).to_be_enabled()
        await expect(reviewer.get_by_role("status").filter(has_text="Loading history")).to_be_visible()
        await expect(reviewer.get_by_role("heading", name="Comments")).to_be_visible()
        await shot(reviewer, "review-stream-loading")
        release.set()
        await expect(reviewer.get_by_test_id("history").get_by_role("button")).to_have_count(1)
        await expect(reviewer.get_by_text("Loading history")).to_have_count(0)
        await reviewer.unroute("**/api/annotation-history/**")
        await shot(reviewer, "review-stream")
        await set_theme(reviewer, "dark")
        await shot(reviewer, "review-stream-dark")
        await set_theme(reviewer, "light")
        await reviewer.get_by_role("button", name="Reject").click()
        await reviewer.get_by_label("Comment for the annotator").fill("It is positive: please fix")
        await shot(reviewer, "review-reject-dialog")
        await reviewer.locator("dialog").get_by_role("button", name="Reject").click()
        await expect(reviewer.get_by_test_id("review-done")).to_be_visible()

        # The annotator's data manager marks the task's unread comment (table and card grid).
        await annotator.goto(f"{server.url}/projects/{pid}/data")
        await expect(annotator.get_by_role("img", name="1 unread comment").first).to_be_visible()
        await shot(annotator, "review-unread-marker")
        await set_theme(annotator, "dark")
        await shot(annotator, "review-unread-marker-dark")
        await set_theme(annotator, "light")

        # The annotator's stream serves the task again, with the reviewer's comment.
        await annotator.goto(f"{server.url}/projects/{pid}/label")
        await labeling_ready(annotator)
        await expect(annotator.get_by_test_id("review-state")).to_contain_text("It is positive: please fix")
        await expect(annotator.get_by_test_id("unread-badge")).to_have_text("1 new")
        await expect(annotator.get_by_test_id("history").get_by_role("button")).to_have_count(2)
        await shot(annotator, "review-annotator-rejected")
        # Shown means read: the data manager's marker is gone.
        with httpx.Client(base_url=server.url, headers=admin.headers) as http:
            for _ in range(50):  # the panel marks them read in the background
                unread = [t["unread_comments"] for t in http.get("/api/tasks", params={"project": pid}).json()["tasks"]]
                if unread == [0]:
                    break
                await annotator.wait_for_timeout(100)
        assert unread == [0]
        await annotator.get_by_role("button", name="Resolve").click()
        await expect(annotator.get_by_role("button", name="Unresolve")).to_be_visible()
        await annotator.get_by_role("checkbox", name="Positive").or_(annotator.get_by_role("radio", name="Positive")).first.click()
        await annotator.get_by_role("button", name="Update").click()
        await expect(annotator.get_by_text("All done", exact=False).first).to_be_visible()

        # The reviewer gets it back and accepts.
        await reviewer.goto(f"{server.url}/projects/{pid}/review")
        await labeling_ready(reviewer)
        await expect(reviewer.get_by_test_id("history").get_by_role("button")).to_have_count(3)
        await reviewer.get_by_test_id("accept").click()
        await expect(reviewer.get_by_test_id("review-done")).to_be_visible()

        with httpx.Client(base_url=server.url, headers=admin.headers) as http:
            task_id = http.get("/api/tasks", params={"project": pid}).json()["tasks"][0]["id"]
            annotation = http.get(f"/api/tasks/{task_id}/annotations/").json()[0]
            versions = http.get("/api/annotation-history/", params={"annotation": annotation["id"]}).json()
        assert [v["action"] for v in versions] == ["submitted", "rejected", "updated", "accepted"]

        # The history panel shows an earlier version read-only, and goes back.
        await annotator.goto(f"{server.url}/projects/{pid}/data")
        await annotator.goto(f"{server.url}/projects/{pid}/label?task={annotation['task']}")
        await labeling_ready(annotator)
        await expect(annotator.get_by_test_id("review-state")).to_contain_text("Accepted")
        await annotator.get_by_test_id("history").get_by_role("button").first.click()
        await expect(annotator.get_by_text("Viewing an earlier version")).to_be_visible()
        await shot(annotator, "review-history-version")
        await annotator.get_by_role("button", name="Back to current").click()
        await expect(annotator.get_by_text("Viewing an earlier version")).to_have_count(0)
        assert not annotator.errors and not reviewer.errors, (annotator.errors, reviewer.errors)
    finally:
        await annotator_ctx.close()
        await reviewer_ctx.close()
