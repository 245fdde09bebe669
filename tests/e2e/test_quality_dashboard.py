"""The quality dashboard renders its charts (uPlot canvases, bars, the pair matrix) from real
annotations, filters by annotator, and the data manager's agreement column filters tasks."""

from __future__ import annotations

import time
from typing import Any

from playwright.async_api import expect

from tests.e2e.test_import_export import both_themes, make_project, rows


def choice(label: str) -> list[dict[str, Any]]:
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


async def seed(page: Any, server: Any, admin: Any, project: int) -> list[int]:
    h = admin.headers
    # (Every project is scored; reading the settings here also runs its first full recompute.)
    r = await page.request.get(f"{server.url}/api/projects/{project}/quality/settings", headers=h)
    assert r.ok, await r.text()
    users = []
    for name in ("ada", "bob"):
        r = await page.request.post(f"{server.url}/api/users/", headers=h,
                                    data={"email": f"{name}@example.com", "first_name": name.title()})
        assert r.ok, await r.text()
        users.append((await r.json())["id"])
    r = await page.request.post(f"{server.url}/api/projects/{project}/import?return_task_ids=true", headers=h,
                                data=[{"text": f"review {i}"} for i in range(6)])
    ids = (await r.json())["task_ids"]
    votes = [
        ("Positive", "Positive", "Positive"), ("Positive", "Negative", "Positive"), ("Negative", "Negative", None),
        ("Neutral", "Positive", "Negative"), ("Positive", "Positive", None), ("Negative", None, None),
    ]
    for task, labels in zip(ids, votes):
        for who, label in zip((None, *users), labels):
            if label is None:
                continue
            body: dict[str, Any] = {"result": choice(label), "lead_time": 4.5}
            if who is not None:
                body["completed_by"] = who
            r = await page.request.post(f"{server.url}/api/tasks/{task}/annotations/", headers=h, data=body)
            assert r.ok, await r.text()
    # The agreement jobs run in the server's worker: wait for the last task scored.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        r = await page.request.get(f"{server.url}/api/projects/{project}/quality/dashboard", headers=h)
        if (await r.json())["summary"]["scored_tasks"] == 5:
            break
        await page.wait_for_timeout(200)
    return ids


async def test_dashboard_charts_and_agreement_filter(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = await make_project(page, server, signed_in, "Quality")
    ids = await seed(page, server, signed_in, project)

    await page.goto(f"{server.url}/projects/{project}/data")
    await page.get_by_role("link", name="Dashboard").click()
    await expect(page).to_have_url(f"{server.url}/projects/{project}/dashboard")
    await expect(page.get_by_role("heading", name="Quality dashboard")).to_be_visible()
    summary = page.locator(".qd-summary")
    await expect(summary).to_contain_text("Annotations14")
    await expect(summary).to_contain_text("Tasks with agreement5")
    for chart in ("progress", "throughput", "agreement"):
        await expect(page.locator(f'[data-plot="{chart}"] canvas')).to_have_count(1)
    labels = page.locator('[data-chart="labels"] .qd-bars tr')
    await expect(labels).to_have_count(3)
    await expect(labels.first).to_contain_text("Positive")
    matrix = page.locator(".qd-matrix")
    await expect(matrix.locator("tbody tr")).to_have_count(3)
    await expect(matrix).to_contain_text("%")
    csv = page.locator('[data-chart="labels"] a', has_text="CSV")
    assert (await csv.get_attribute("href")).endswith("/quality/dashboard/labels/csv?")
    response = await page.request.get(server.url + (await csv.get_attribute("href")))
    assert response.ok and "Positive," in await response.text()
    await both_themes(page, shot, "quality-dashboard")
    await page.locator('[data-chart="annotators"]').scroll_into_view_if_needed()
    await shot(page, "quality-dashboard-middle")
    await page.locator('[data-chart="models"]').scroll_into_view_if_needed()
    await shot(page, "quality-dashboard-lower")

    # Filter to one annotator: the table and the URL follow.
    await page.locator(".qd-annotators summary").click()
    await page.get_by_role("checkbox", name="Ada").check()
    await page.get_by_role("button", name="Apply").click()
    await expect(page).to_have_url(f"{server.url}/projects/{project}/dashboard?annotators={ids and await _user(page, server, signed_in, 'ada')}")
    await expect(page.locator('[data-chart="annotators"] tbody tr')).to_have_count(1)
    await expect(page.locator('[data-chart="annotators"] tbody')).to_contain_text("Ada")
    await shot(page, "quality-dashboard-annotator")

    # The data manager: agreement column, and "agreement < 60 %" keeps the disagreeing tasks.
    await page.goto(f"{server.url}/projects/{project}/data")
    await expect(rows(page)).to_have_count(6)
    await page.locator(".dm-toolbar summary", has_text="Filters").click()
    await page.get_by_role("button", name="Add filter").click()
    await page.get_by_label("Filter 1 field").select_option("agreement")
    await page.get_by_label("Filter 1 operator").select_option("less")
    await page.get_by_label("Filter 1 value").fill("60")
    # Tasks 2 (2 of 3 agree: 33 %) and 4 (none agree: 0 %) are below 60 %.
    await expect(rows(page)).to_have_count(2)
    await expect(page.locator(f'.dm-row[data-task="{ids[1]}"]')).to_be_visible()
    await expect(page.locator(f'.dm-row[data-task="{ids[3]}"]')).to_be_visible()
    await page.keyboard.press("Escape")
    await shot(page, "quality-dm-filter")


async def _user(page: Any, server: Any, admin: Any, name: str) -> int:
    r = await page.request.get(f"{server.url}/api/users/", headers=admin.headers)
    return next(u["id"] for u in await r.json() if u["email"].startswith(name))


async def test_annotator_sees_own_figures(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project = await make_project(page, server, signed_in, "Mine")
    await seed(page, server, signed_in, project)
    await page.goto(f"{server.url}/projects/{project}/my-figures")
    await expect(page.get_by_role("heading", name="My figures", exact=True).first).to_be_visible()
    await expect(page.locator(".qd-summary")).to_contain_text("Annotations6")
    await expect(page.locator('[data-plot="progress"] canvas')).to_have_count(1)
    await expect(page.locator('[data-chart="annotators"] tbody tr')).to_have_count(1)
    await shot(page, "quality-my-figures")


async def _dated(page: Any, server: Any, admin: Any, project: int, days: list[int]) -> None:
    """Tasks with two annotations each (admin and Ada), made ``days`` days before 2026-06-30."""
    h = admin.headers
    r = await page.request.post(f"{server.url}/api/users/", headers=h, data={"email": f"ada{project}@example.com", "first_name": "Ada"})
    ada = (await r.json())["id"]
    body = []
    for i, back in enumerate(days):
        at = f"2026-{6 - back // 30:02d}-{30 - back % 30:02d}T12:00:00Z" if back < 150 else f"2025-{12 - (back - 150) // 30:02d}-{28 - (back - 150) % 28:02d}T12:00:00Z"
        body.append({"data": {"text": f"t{i}"}, "annotations": [
            {"result": choice("Positive"), "created_at": at, "ground_truth": False},
            {"result": choice("Positive" if i % 3 else "Negative"), "created_at": at, "completed_by": ada, "ground_truth": False}]})
    r = await page.request.post(f"{server.url}/api/projects/{project}/import", headers=h, data=body)
    assert r.ok, await r.text()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        r = await page.request.get(f"{server.url}/api/projects/{project}/quality/dashboard", headers=h)
        if (await r.json())["summary"]["annotations"] == 2 * len(days):
            return
        await page.wait_for_timeout(200)
    raise AssertionError("annotations were not scored")


async def test_chart_buckets_fit_the_range_of_the_data(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    # A few days inside two weeks: one bar per day, days without work at zero.
    few = await make_project(page, server, signed_in, "Few days")
    await _dated(page, server, signed_in, few, [0, 1, 1, 4, 9, 9, 9])
    board = await (await page.request.get(f"{server.url}/api/projects/{few}/quality/dashboard", headers=signed_in.headers)).json()
    assert board["bucket"] == "day"
    assert [p["day"] for p in board["progress"]] == ["2026-06-21", "2026-06-26", "2026-06-29", "2026-06-30"]
    await page.goto(f"{server.url}/projects/{few}/dashboard")
    await expect(page.locator('[data-plot="throughput"] canvas')).to_have_count(1)
    await expect(page.get_by_text("Annotations submitted per day and in total.")).to_be_visible()
    await both_themes(page, shot, "quality-buckets-days")

    # Most of a year: weeks on a time axis.
    long = await make_project(page, server, signed_in, "Many weeks")
    await _dated(page, server, signed_in, long, [0, 20, 45, 80, 130, 170, 230, 280, 300])
    board = await (await page.request.get(f"{server.url}/api/projects/{long}/quality/dashboard", headers=signed_in.headers)).json()
    assert board["bucket"] == "week"
    assert all(date_ == _monday(date_) for date_ in (p["day"] for p in board["progress"]))
    await page.goto(f"{server.url}/projects/{long}/dashboard")
    await expect(page.locator('[data-plot="throughput"] canvas')).to_have_count(1)
    await expect(page.get_by_text("Annotations submitted per week and in total.")).to_be_visible()
    await both_themes(page, shot, "quality-buckets-weeks")


def _monday(day: str) -> str:
    from datetime import date, timedelta

    moment = date.fromisoformat(day)
    return (moment - timedelta(days=moment.weekday())).isoformat()
