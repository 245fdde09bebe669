"""Comments on tasks and regions (LSE's /api/comments shape), resolve/unresolve, unread markers."""

from .conftest import import_texts, make_user, submit


async def test_comment_lifecycle(client, admin, project, annotator):
    pid = project["id"]
    (task,) = await import_texts(client, admin, pid, ["one"])
    annotation = await submit(client, annotator, task)
    region = {"region_id": "abc", "control_name": "sentiment"}
    r = await client.post("/api/comments/", headers=admin.headers,
                          json={"annotation": annotation["id"], "text": "  Look at this region  ", "region_ref": region})
    assert r.status_code == 201, r.text
    comment = r.json()
    assert comment["task"] == task and comment["project"] == pid and comment["text"] == "Look at this region"
    assert comment["region_ref"] == region and comment["is_resolved"] is False and comment["created_by"] == admin.id

    assert (await client.get(f"/api/projects/{pid}/comments/unread", headers=annotator.headers)).json() == {str(task): 1}
    assert (await client.get(f"/api/projects/{pid}/comments/unread", headers=admin.headers)).json() == {}

    resolved = await client.patch(f"/api/comments/{comment['id']}/", headers=annotator.headers, json={"is_resolved": True})
    assert resolved.status_code == 200 and resolved.json()["is_resolved"] is True and resolved.json()["resolved_at"]
    # Only the author edits the text or deletes.
    assert (await client.patch(f"/api/comments/{comment['id']}/", headers=annotator.headers, json={"text": "x"})).status_code == 403
    assert (await client.delete(f"/api/comments/{comment['id']}/", headers=annotator.headers)).status_code == 403
    unresolved = await client.patch(f"/api/comments/{comment['id']}/", headers=admin.headers, json={"is_resolved": False, "text": "Edited"})
    assert unresolved.json()["is_resolved"] is False and unresolved.json()["resolved_at"] is None and unresolved.json()["text"] == "Edited"

    reply = await client.post("/api/comments/", headers=annotator.headers, json={"task": task, "text": "Done"})
    assert reply.status_code == 201 and reply.json()["annotation"] is None
    listed = (await client.get("/api/comments/", headers=admin.headers, params={"task": task})).json()
    assert [c["text"] for c in listed] == ["Edited", "Done"]
    assert [c["id"] for c in (await client.get("/api/comments/", headers=admin.headers, params={"annotation": annotation["id"]})).json()] == [comment["id"]]
    # The annotator's own reply is not unread for them; the admin sees it as unread.
    assert (await client.get(f"/api/projects/{pid}/comments/unread", headers=admin.headers)).json() == {str(task): 1}
    assert (await client.delete(f"/api/comments/{comment['id']}/", headers=admin.headers)).status_code == 204
    assert (await client.get(f"/api/comments/{comment['id']}/", headers=admin.headers)).status_code == 404


async def test_bad_comments_are_400(client, admin, project):
    (task,) = await import_texts(client, admin, project["id"], ["one"])
    other = await client.post("/api/projects/", headers=admin.headers, json={"title": "Other"})
    (foreign,) = await import_texts(client, admin, other.json()["id"], ["two"])
    annotation = await submit(client, admin, task)
    for body, field in [
        ({"text": "no target"}, "task"),
        ({"task": 99999, "text": "x"}, "task"),
        ({"task": task, "text": "   "}, "text"),
        ({"annotation": 99999, "text": "x"}, "annotation"),
        ({"annotation": annotation["id"], "task": foreign, "text": "x"}, "task"),
    ]:
        r = await client.post("/api/comments/", headers=admin.headers, json=body)
        assert r.status_code == 400 and field in r.json()["validation_errors"], (body, r.text)
    assert (await client.get("/api/comments/", headers=admin.headers, params={"project": project["id"]})).json() == []


async def test_sdk_lists_comments_and_reviews(live_server):
    """label-studio-sdk's comments and annotation_reviews clients work unchanged."""
    import asyncio

    from label_studio_sdk import LabelStudio

    admin = live_server.sign_up_admin()
    ls = LabelStudio(base_url=live_server.url, api_key=admin.token)

    def flow():
        project = ls.projects.create(title="SDK review", label_config="<View><Text name='t' value='$t'/><Choices name='c' toName='t'><Choice value='A'/></Choices></View>")
        ls.projects.import_tasks(id=project.id, request=[{"t": "hello"}])
        task = next(iter(ls.tasks.list(project=project.id)))
        annotation = ls.annotations.create(id=task.id, result=[{"from_name": "c", "to_name": "t", "type": "choices", "value": {"choices": ["A"]}}])
        review = ls.annotation_reviews.create(annotation=annotation.id, accepted=False, comment="Not quite")
        assert review.accepted is False and review.annotation == annotation.id
        assert [r.id for r in ls.annotation_reviews.list(annotation=annotation.id)] == [review.id]
        comment = ls.comments.create(annotation=annotation.id, text="Hi", region_ref={"region_id": "r1"})
        assert comment.text == "Hi" and comment.task == task.id
        assert {c.text for c in ls.comments.list(projects=str(project.id))} == {"Not quite", "Hi"}
        history = ls.annotation_history.list(annotation=annotation.id)
        assert [h.action for h in history] == ["submitted", "rejected"]

    await asyncio.to_thread(flow)


async def test_annotator_of_other_project_cannot_read_comments(client, admin, project):
    (task,) = await import_texts(client, admin, project["id"], ["one"])
    await client.post("/api/comments/", headers=admin.headers, json={"task": task, "text": "secret"})
    outsider = await make_user(client, admin, "out@example.com", role="AN")
    r = await client.get("/api/comments/", headers=outsider.headers, params={"task": task})
    assert r.status_code == 403


async def test_unread_comments_column_is_per_user(client, admin, project, reviewer):
    """``unread_comments``: each caller's own count, filter and sort (and never another's
    cached total); LSE's comment_count / unresolved_comment_count alongside."""
    import json

    pid = project["id"]
    quiet, busy, once = await import_texts(client, admin, pid, ["quiet", "busy", "once"])
    for task, text in ((busy, "first"), (busy, "second"), (once, "only")):
        r = await client.post("/api/comments/", headers=admin.headers, json={"task": task, "text": text})
        assert r.status_code == 201, r.text
    await client.patch(f"/api/comments/{r.json()['id']}/", headers=admin.headers, json={"is_resolved": True})

    async def listing(who, items=(), ordering=None):
        query = {"filters": {"conjunction": "and", "items": list(items)}}
        if ordering:
            query["ordering"] = ordering
        r = await client.get("/api/tasks/", headers=who.headers, params={"project": pid, "query": json.dumps(query)})
        assert r.status_code == 200, r.text
        return r.json()

    unread = {"filter": "filter:tasks:unread_comments", "operator": "greater", "type": "Number", "value": 0}
    mine = await listing(reviewer)
    assert {t["id"]: t["unread_comments"] for t in mine["tasks"]} == {quiet: 0, busy: 2, once: 1}
    assert {t["id"]: (t["comment_count"], t["unresolved_comment_count"], t["comment_authors"]) for t in mine["tasks"]} == {
        quiet: (0, 0, []), busy: (2, 2, [admin.id]), once: (1, 0, [admin.id])}
    # The author has nothing unread; the same filter answers each caller for themselves.
    for _ in range(2):
        found = await listing(reviewer, [unread])
        assert [t["id"] for t in found["tasks"]] == [busy, once] and found["total"] == 2
        assert (await listing(admin, [unread]))["total"] == 0
    ordered = await listing(reviewer, ordering=["-tasks:unread_comments"])
    assert [t["id"] for t in ordered["tasks"]] == [busy, once, quiet]
    resolved = {"filter": "filter:tasks:unresolved_comment_count", "operator": "equal", "type": "Number", "value": 0}
    assert [t["id"] for t in (await listing(admin, [resolved]))["tasks"]] == [quiet, once]

    assert (await client.post(f"/api/tasks/{busy}/comments/read", headers=reviewer.headers)).status_code == 200
    after_read = await listing(reviewer, [unread])
    assert [t["id"] for t in after_read["tasks"]] == [once] and after_read["total"] == 1
    bad = {**unread, "value": "many"}
    r = await client.get("/api/tasks/", headers=reviewer.headers, params={
        "project": pid, "query": json.dumps({"filters": {"conjunction": "and", "items": [bad]}})})
    assert r.status_code == 400 and "unread_comments" in r.text
    columns = (await client.get("/api/dm/columns", headers=admin.headers, params={"project": pid})).json()["columns"]
    assert {"unread_comments", "comment_count", "unresolved_comment_count"} <= {c["id"] for c in columns}
