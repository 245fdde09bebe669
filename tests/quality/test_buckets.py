"""Progress and throughput buckets fit the days the data spans (day, ISO week, month), summed
by the database on SQLite and PostgreSQL alike, and every bucket adds up to the annotations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ..api.helpers import TEXT_CONFIG, choice
from .test_api import create_user, until


async def dated_project(client, admin, days):
    response = await client.post("/api/projects/", headers=admin.headers, json={"title": "B", "label_config": TEXT_CONFIG})
    project = response.json()["id"]
    other = await create_user(client, admin, f"b{project}@example.com")
    body = [{"data": {"text": str(i)}, "annotations": [
        {"result": choice("Positive"), "created_at": f"{day}T10:00:00Z", "ground_truth": False},
        {"result": choice("Negative"), "created_at": f"{day}T11:00:00Z", "completed_by": other, "ground_truth": False}]}
        for i, day in enumerate(days)]
    response = await client.post(f"/api/projects/{project}/import", headers=admin.headers, json=body)
    assert response.status_code == 201, response.text

    async def board():
        found = (await client.get(f"/api/projects/{project}/quality/dashboard", headers=admin.headers)).json()
        return found if found["summary"]["annotations"] == 2 * len(days) else None

    return await until(board, timeout=60)  # a loaded CI machine


@pytest.mark.parametrize(("days", "bucket", "starts"), [
    (["2026-03-04"], "day", ["2026-03-04"]),
    (["2026-03-04", "2026-03-04", "2026-03-09"], "day", ["2026-03-04", "2026-03-09"]),
    # 2026-01-01 is a Thursday: its ISO week starts on Monday 2025-12-29.
    (["2026-01-01", "2026-01-04", "2026-01-05", "2026-06-30"], "week", ["2025-12-29", "2026-01-05", "2026-06-29"]),
    (["2024-02-29", "2026-01-31", "2026-02-01"], "month", ["2024-02-01", "2026-01-01", "2026-02-01"]),
])
async def test_buckets_fit_the_span_and_add_up(client, admin, days, bucket, starts):
    board = await dated_project(client, admin, days)
    assert board["bucket"] == bucket
    assert [p["day"] for p in board["progress"]] == starts
    assert sum(p["done"] for p in board["progress"]) == 2 * len(days)
    assert board["progress"][-1]["cumulative"] == 2 * len(days)
    periods = sorted({t["period"] for t in board["throughput"]})
    assert periods == starts
    assert sum(t["done"] for t in board["throughput"]) == 2 * len(days)
    if bucket == "week":
        assert all(date.fromisoformat(p).weekday() == 0 for p in periods)
    # Per bucket: the annotations of its days.
    first = {p["day"]: p["done"] for p in board["progress"]}
    expected: dict[str, int] = {}
    for day in days:
        moment = date.fromisoformat(day)
        start = {"day": moment, "week": moment - timedelta(days=moment.weekday()), "month": moment.replace(day=1)}[bucket]
        expected[start.isoformat()] = expected.get(start.isoformat(), 0) + 2
    assert first == expected
