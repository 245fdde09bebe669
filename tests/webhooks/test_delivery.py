"""Webhook delivery to a real receiver: every event type with Label Studio's payload, retries,
failures, timeouts, ordering, filters, batching and the delivery log."""

from __future__ import annotations

from sqlalchemy import func, select

from labelloom.core.annotations.models import Annotation
from labelloom.core.events import record_event
from labelloom.core.projects.models import Project
from labelloom.core.tasks.models import Task
from labelloom.core.webhooks import payloads
from labelloom.core.webhooks.actions import ACTIONS


async def deliveries(client, admin, webhook_id, **params):
    response = await client.get(f"/api/webhooks/{webhook_id}/deliveries", params=params, headers=admin.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_every_event_type_is_delivered_with_label_studio_payloads(
    client, admin, world, receiver, emit, create_webhook
):
    hook = await create_webhook(url=receiver.url, headers={"Authorization": "Bearer s3cret"})

    async def all_events(db):
        project = await db.get(Project, world.project_id)
        task = await db.get(Task, world.task_id)
        annotation = await db.get(Annotation, world.annotation_id)
        link = {"id": 4, "label": 9, "project": project.id, "from_name": "tax"}
        return [
            ("PROJECT_CREATED", payloads.project(project)),
            ("PROJECT_UPDATED", payloads.project(project)),
            ("TASKS_CREATED", payloads.tasks_created([task], project)),
            ("ANNOTATION_CREATED", payloads.annotation(annotation, task, project)),
            ("ANNOTATIONS_CREATED", payloads.annotations_created([annotation], [task], project)),
            ("ANNOTATION_UPDATED", payloads.annotation(annotation, task, project)),
            ("LABEL_LINK_CREATED", payloads.label_links_created([link], project)),
            ("LABEL_LINK_UPDATED", payloads.label_link_updated(link, {"id": 9, "value": "cat"}, project)),
            ("LABEL_LINK_DELETED", payloads.label_link_deleted(4, project)),
            ("REVIEW_CREATED", payloads.review({"id": 7, "accepted": False}, annotation, project)),
            ("REVIEW_UPDATED", payloads.review({"id": 7, "accepted": True}, annotation, project)),
            ("REVIEWS_DELETED", payloads.reviews_deleted([7], project)),
            ("ANNOTATIONS_DELETED", payloads.annotations_deleted([annotation.id], project)),
            ("TASKS_DELETED", payloads.tasks_deleted([task.id], project)),
            ("PROJECT_DELETED", payloads.project_deleted(project.id)),
        ]

    await emit(all_events)
    received = await receiver.wait_for(15)
    bodies = {r.body["action"]: r.body for r in received}
    assert [r.body["action"] for r in received] == [
        "PROJECT_CREATED", "PROJECT_UPDATED", "TASKS_CREATED", "ANNOTATION_CREATED", "ANNOTATIONS_CREATED",
        "ANNOTATION_UPDATED", "LABEL_LINK_CREATED", "LABEL_LINK_UPDATED", "LABEL_LINK_DELETED",
        "REVIEW_CREATED", "REVIEW_UPDATED", "REVIEWS_DELETED",
        "ANNOTATIONS_DELETED", "TASKS_DELETED", "PROJECT_DELETED",
    ]  # fmt: skip
    assert set(bodies) == set(ACTIONS)
    assert all(r.headers["Authorization"] == "Bearer s3cret" for r in received)
    assert received[0].headers["Content-Type"] == "application/json"

    project = bodies["PROJECT_UPDATED"]["project"]
    assert (project["id"], project["title"], project["label_config"]) == (world.project_id, "Cats", "<View/>")
    assert "task_data_password" not in project and "parsed_config" not in project
    assert project["created_by"] is None and project["created_at"].endswith("Z")

    created = bodies["ANNOTATION_CREATED"]
    assert set(created) == {"action", "annotation", "task", "project"}
    annotation = created["annotation"]
    assert (annotation["id"], annotation["task"], annotation["project"]) == (world.annotation_id, world.task_id, world.project_id)
    assert (annotation["completed_by"], annotation["result"], annotation["was_cancelled"]) == (admin.id, [{"id": "r1"}], False)
    assert (created["task"]["id"], created["task"]["data"], created["task"]["project"]) == (
        world.task_id, {"image": "cat.jpg"}, world.project_id,
    )  # fmt: skip
    assert created["project"]["id"] == world.project_id

    bulk = bodies["ANNOTATIONS_CREATED"]
    assert [a["id"] for a in bulk["annotation"]] == [world.annotation_id] and [t["id"] for t in bulk["task"]] == [world.task_id]
    assert [t["id"] for t in bodies["TASKS_CREATED"]["tasks"]] == [world.task_id]
    assert bodies["TASKS_DELETED"]["tasks"] == [{"id": world.task_id}]
    assert bodies["ANNOTATIONS_DELETED"]["annotations"] == [{"id": world.annotation_id}]
    assert bodies["PROJECT_DELETED"] == {"action": "PROJECT_DELETED", "project": {"id": world.project_id}}
    assert bodies["LABEL_LINK_CREATED"]["label_link"] == [{"id": 4, "label": 9, "project": world.project_id, "from_name": "tax"}]
    assert bodies["LABEL_LINK_UPDATED"]["label"] == {"id": 9, "value": "cat"}
    assert bodies["LABEL_LINK_DELETED"]["label_link"] == {"id": 4}
    assert bodies["REVIEW_CREATED"]["review"] == {"id": 7, "accepted": False}
    assert bodies["REVIEW_CREATED"]["annotation"]["id"] == world.annotation_id
    assert bodies["REVIEWS_DELETED"]["reviews"] == [{"id": 7}]

    async def settled():  # the receiver has a request before its job records the outcome
        log = await deliveries(client, admin, hook["id"])
        return log if log["count"] == 15 and all(d["status"] != "pending" for d in log["results"]) else None

    log = await _wait(settled)
    assert {(d["status"], d["attempts"], d["status_code"]) for d in log["results"]} == {("delivered", 1, 200)}
    one = log["results"][0]
    detail = (await client.get(f"/api/webhooks/{hook['id']}/deliveries/{one['id']}", headers=admin.headers)).json()
    assert detail["payload"]["action"] == one["action"] == "PROJECT_DELETED" and "payload" not in one


async def test_project_and_action_filters(client, admin, world, receiver, emit, create_webhook):
    await create_webhook(url=receiver.url + "/project", project=world.project_id)
    await create_webhook(url=receiver.url + "/picky", send_for_all_actions=False, actions=["TASKS_DELETED"])
    await create_webhook(url=receiver.url + "/bare", project=world.project_id, send_payload=False)
    await create_webhook(url=receiver.url + "/off", is_active=False)
    await create_webhook(url=receiver.url + "/other", project=world.other_project_id)

    async def events(db):
        project = await db.get(Project, world.project_id)
        return [
            ("PROJECT_CREATED", payloads.project(project)),  # organization-only: not for project hooks
            ("TASKS_DELETED", payloads.tasks_deleted([1], project)),
            ("PROJECT_UPDATED", payloads.project(project)),
        ]

    await emit(events)
    await receiver.wait_for(5)
    got = sorted((r.path, r.body["action"], len(r.body)) for r in receiver.requests)
    assert got == [
        ("/hook/bare", "PROJECT_UPDATED", 1),
        ("/hook/bare", "TASKS_DELETED", 1),
        ("/hook/picky", "TASKS_DELETED", 3),
        ("/hook/project", "PROJECT_UPDATED", 2),
        ("/hook/project", "TASKS_DELETED", 3),
    ]


async def test_long_task_lists_are_sent_in_batches(client, admin, world, receiver, emit, create_webhook):
    await create_webhook(url=receiver.url)  # the app's webhook_batch_size is 2
    tasks = [{"id": n, "data": {}} for n in range(1, 6)]
    await emit(lambda db: _value([("TASKS_CREATED", payloads.tasks_created(tasks, {"id": world.project_id}))]))
    received = await receiver.wait_for(3)
    assert [[t["id"] for t in r.body["tasks"]] for r in received] == [[1, 2], [3, 4], [5]]
    assert all(r.body["project"] == {"id": world.project_id} for r in received)


async def test_a_500_is_retried_with_backoff(client, admin, world, receiver, emit, create_webhook):
    hook = await create_webhook(url=receiver.url)
    receiver.reply((500, 0), (503, 0))
    await emit(lambda db: _value([("PROJECT_UPDATED", payloads.project({"id": world.project_id}))]))
    await receiver.wait_for(3)
    assert [r.body for r in receiver.requests] == [{"action": "PROJECT_UPDATED", "project": {"id": world.project_id}}] * 3

    async def delivered():
        [entry] = (await deliveries(client, admin, hook["id"]))["results"]
        return entry if entry["status"] == "delivered" else None

    entry = await _wait(delivered)
    assert (entry["attempts"], entry["status_code"], entry["error"]) == (3, 200, None)
    assert entry["delivered_at"] >= entry["created_at"]


async def test_failures_give_up_after_max_attempts_and_later_events_still_flow(
    client, admin, world, receiver, emit, create_webhook
):
    hook = await create_webhook(url=receiver.url)
    receiver.reply((500, 0), (500, 0), (500, 0), (404, 0))
    for action in ("PROJECT_UPDATED", "TASKS_DELETED", "ANNOTATIONS_DELETED"):
        await emit(lambda db, action=action: _value([(action, {"project": {"id": world.project_id}})]))
    await receiver.wait_for(5)

    async def settled():
        log = (await deliveries(client, admin, hook["id"]))["results"]
        return log if all(d["status"] != "pending" for d in log) else None

    newest, middle, oldest = await _wait(settled)
    assert (oldest["action"], oldest["status"], oldest["attempts"], oldest["status_code"], oldest["error"]) == (
        "PROJECT_UPDATED", "failed", 3, 500, "HTTP 500",
    )  # fmt: skip
    assert oldest["response_body"] == "receiver error"
    # A 404 is not worth retrying.
    assert (middle["action"], middle["status"], middle["attempts"], middle["status_code"]) == ("TASKS_DELETED", "failed", 1, 404)
    assert (newest["status"], newest["attempts"]) == ("delivered", 1)
    failed = await deliveries(client, admin, hook["id"], status="failed")
    assert failed["count"] == 2


async def test_events_about_one_task_arrive_in_order(client, admin, world, receiver, emit, create_webhook):
    """Many commits in a row, two workers in the app, a slowish receiver: the lease keeps one
    sender per webhook, so the receiver sees the events in commit order."""
    await create_webhook(url=receiver.url)
    receiver.reply(*[(200, 0.02)] * 30)
    expected = []
    for n in range(12):
        action = ["ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATIONS_DELETED"][n % 3]
        expected.append((action, n))
        await emit(lambda db, action=action, n=n: _value([(action, {"task": {"id": world.task_id, "n": n}})]))
    received = await receiver.wait_for(12)
    assert [(r.body["action"], r.body["task"]["n"]) for r in received] == expected


async def test_deleting_a_webhook_deletes_its_log(client, admin, world, receiver, emit, create_webhook, app, in_app):
    from labelloom.core.webhooks.models import WebhookDelivery

    hook = await create_webhook(url=receiver.url)
    await emit(lambda db: _value([("PROJECT_UPDATED", {"project": {"id": world.project_id}})]))
    await receiver.wait_for(1)
    assert (await client.delete(f"/api/webhooks/{hook['id']}", headers=admin.headers)).status_code == 204

    async def remaining():
        async with app.state.sessionmaker() as db:
            return (await db.execute(select(WebhookDelivery.id))).scalars().all()

    assert await in_app(remaining) == []


async def test_upkeep_resumes_deliveries_whose_job_was_lost(client, admin, receiver, create_webhook, app, in_app):
    """A delivery stored but never enqueued (the process died right after the commit)."""
    from labelloom.core.webhooks.models import WebhookDelivery

    hook = await create_webhook(url=receiver.url)

    async def strand_and_run_upkeep():
        async with app.state.sessionmaker() as db:
            body = {"action": "PROJECT_UPDATED", "project": {"id": 1}}
            db.add(WebhookDelivery(webhook_id=hook["id"], action="PROJECT_UPDATED", payload=body))
            await db.commit()  # no event recorded: nothing was enqueued
        job = await app.state.jobs.enqueue("core.upkeep")
        await job.refresh(until_complete=10)
        return job.result

    assert await in_app(strand_and_run_upkeep) == {"jobs_resent": 0, "webhooks_resumed": 1, "storages_settled": 0, "exports_settled": 0}
    [request] = await receiver.wait_for(1)
    assert request.body == {"action": "PROJECT_UPDATED", "project": {"id": 1}}


async def _value(value):
    return value


async def _wait(check, timeout=15.0):
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    while not (result := await check()):
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)
    return result


async def test_lazy_payloads_are_built_only_for_webhooks_that_send_them(
    client, admin, world, receiver, create_webhook, app, in_app
):
    """A payload recorded as a factory runs just before the commit, with the session, and only
    when a webhook will send it: no webhook, or only ``send_payload=false`` ones, costs nothing."""
    built: list[str] = []
    state = {"title": "at record time"}

    def factory(label: str):
        def build(session):
            built.append(label)
            count = session.execute(select(func.count()).select_from(Project)).scalar_one()
            return {"project": {"id": world.project_id, "title": state["title"], "projects": count}}

        return build

    async def commit(label: str) -> None:
        async with app.state.sessionmaker() as db:
            record_event(db, "PROJECT_UPDATED", factory(label), project_id=world.project_id)
            state["title"] = "at commit time"
            await db.commit()
        await app.state.background.events.drain()

    await in_app(commit, "no webhook")
    await create_webhook(url=receiver.url + "/bare", project=world.project_id, send_payload=False)
    await in_app(commit, "bare webhook")
    await receiver.wait_for(1)
    assert built == [] and receiver.requests[0].body == {"action": "PROJECT_UPDATED"}

    await create_webhook(url=receiver.url + "/full", project=world.project_id)
    await in_app(commit, "full webhook")
    await receiver.wait_for(3)
    assert built == ["full webhook"]
    full = [r.body for r in receiver.requests if r.path == "/hook/full"]
    assert full == [{"action": "PROJECT_UPDATED", "project": {"id": world.project_id, "title": "at commit time",
                                                              "projects": 2}}]
