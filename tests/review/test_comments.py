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
