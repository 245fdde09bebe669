"""Annotation history equals the sequence of actions; it is append-only; bulk writes keep it."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from labelloom.core.db.engine import make_engine

from .conftest import choice, import_texts

LABELS = ["Positive", "Negative", "Neutral"]
# (action, label): what the test does and the history action it expects.
STEPS = st.lists(
    st.tuples(st.sampled_from(["update", "skip", "accept", "reject", "fix"]), st.sampled_from(LABELS)),
    min_size=1, max_size=8,
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS, first=st.sampled_from(LABELS))
async def test_history_is_the_sequence_of_actions(client, admin, project, steps, first):
    (task,) = await import_texts(client, admin, project["id"], ["x"])
    await client.patch(f"/api/projects/{project['id']}/review-settings", headers=admin.headers, json={"require_comment_on_reject": False})
    created = await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers, json={"result": choice(first), "lead_time": 1.0})
    assert created.status_code == 201
    annotation = created.json()["id"]
    expected = [("submitted", first)]
    current = first
    for action, label in steps:
        if action == "update":
            r = await client.patch(f"/api/annotations/{annotation}/", headers=admin.headers, json={"result": choice(label)})
            done = "updated"
        elif action == "skip":
            r = await client.patch(f"/api/annotations/{annotation}/", headers=admin.headers, json={"was_cancelled": True})
            done = "skipped"
        elif action in ("accept", "reject"):
            r = await client.post("/api/annotation-reviews/", headers=admin.headers,
                                  json={"annotation": annotation, "accepted": action == "accept"})
            done = "accepted" if action == "accept" else "rejected"
        else:
            r = await client.post("/api/annotation-reviews/", headers=admin.headers,
                                  json={"annotation": annotation, "accepted": True, "result": choice(label)})
            done = "fixed_and_accepted"
        if r.status_code == 400:  # a skipped annotation cannot be reviewed: nothing recorded
            assert "skipped" in r.text
            continue
        assert r.status_code in (200, 201), r.text
        if action in ("update", "fix"):
            current = label
        expected.append((done, current))
    versions = (await client.get("/api/annotation-history/", headers=admin.headers, params={"annotation": annotation})).json()
    assert [(v["action"], v["result"][0]["value"]["choices"][0]) for v in versions] == expected
    assert all(v["created_by"] == admin.id and v["annotation_id"] == annotation for v in versions)
    assert [v["id"] for v in versions] == sorted(v["id"] for v in versions)


async def test_history_rows_cannot_be_updated(client, admin, project, database_url):
    (task,) = await import_texts(client, admin, project["id"], ["x"])
    await client.post(f"/api/tasks/{task}/annotations/", headers=admin.headers, json={"result": choice("Positive")})
    engine = make_engine(database_url)
    try:
        with pytest.raises(Exception, match="append-only"):
            async with engine.begin() as conn:
                await conn.execute(text("UPDATE annotation_history SET action = 'x'"))
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT action FROM annotation_history"))).scalars().all() == ["submitted"]
    finally:
        await engine.dispose()


async def test_bulk_import_writes_one_version_per_annotation(client, admin, project):
    items = [{"data": {"text": f"t{i}"}, "annotations": [{"result": choice("Positive")}, {"result": choice("Negative")}]} for i in range(50)]
    r = await client.post(f"/api/projects/{project['id']}/import", headers=admin.headers, json=items)
    assert r.status_code == 201, r.text
    page = (await client.get(f"/api/projects/{project['id']}/annotation-history", headers=admin.headers, params={"page_size": 1000})).json()
    assert page["count"] == 100 and {v["action"] for v in page["results"]} == {"imported"}
    assert len({v["annotation_id"] for v in page["results"]}) == 100
    # A second import adds versions only for its own annotations.
    await client.post(f"/api/projects/{project['id']}/import", headers=admin.headers, json=items[:3])
    again = (await client.get(f"/api/projects/{project['id']}/annotation-history", headers=admin.headers, params={"page_size": 1})).json()
    assert again["count"] == 106


async def test_history_needs_an_annotation(client, admin):
    r = await client.get("/api/annotation-history/", headers=admin.headers)
    assert r.status_code == 400 and "annotation" in r.json()["validation_errors"]
    assert (await client.get("/api/annotation-history/999/", headers=admin.headers)).status_code == 404
