"""Teams in the browser, two people at once: an owner gives roles, adds an annotator to a project,
switches it to manual assignment and assigns tasks from the data manager; the annotator, in a
second browser context, sees only that project and only those tasks, and no settings."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

TEXT_CONFIG = '<View><Text name="text" value="$text"/><Choices name="c" toName="text"><Choice value="A"/><Choice value="B"/></Choices></View>'


async def _api(page: Any, method: str, url: str, token: str, data: Any = None) -> Any:
    response = await page.request.fetch(url, method=method, headers={"Authorization": f"Token {token}"}, data=data)
    assert response.ok, await response.text()
    return await response.json() if response.status != 204 else None


async def test_owner_assigns_and_annotator_sees_only_their_tasks(server: Any, page: Any, signed_in: Any, browser: Any, shot: Any) -> None:
    token, base = signed_in.token, server.url
    project = await _api(page, "POST", f"{base}/api/projects/", token, {"title": "Team project", "label_config": TEXT_CONFIG})
    await _api(page, "POST", f"{base}/api/projects/", token, {"title": "Someone else's"})
    ids = (await _api(page, "POST", f"{base}/api/projects/{project['id']}/import?return_task_ids=true", token,
                      [{"text": f"sentence {i}"} for i in range(5)]))["task_ids"]
    annotator = await _api(page, "POST", f"{base}/api/users/", token,
                           {"email": "ann@example.com", "password": "correct horse battery", "first_name": "Ann", "last_name": "Otator"})
    await _api(page, "POST", f"{base}/api/users/", token, {"email": "rev@example.com", "password": "correct horse battery"})

    # Organization: the owner makes Ann an annotator from the members table.
    await page.goto(f"{base}/organization")
    members = page.get_by_role("table", name="Members")
    await expect(members).to_contain_text("ann@example.com")
    await page.get_by_label("Role of ann@example.com").select_option("AN")
    await expect(page.locator(".toast").last).to_contain_text("annotator")
    await expect(page.get_by_label("Role of new members")).to_have_value("MA")
    await shot(page, "teams-organization")

    # Project settings › Members: add Ann, switch to manual assignment.
    await page.goto(f"{base}/projects/{project['id']}/settings/members")
    await page.get_by_label("Person").select_option(label="Ann Otator (Annotator)")
    await page.get_by_role("button", name="Add member").click()
    await expect(page.get_by_role("table", name="Project members")).to_contain_text("ann@example.com")
    await page.get_by_label("Manual").check()
    await expect(page.locator(".toast").last).to_contain_text("only their assigned tasks")
    await shot(page, "teams-project-members")

    # Data manager: select two tasks, Actions › Assign annotators › Ann.
    await page.goto(f"{base}/projects/{project['id']}/data")
    await page.get_by_label(f"Select task {ids[1]}").check()
    await page.get_by_label(f"Select task {ids[3]}").check()
    await page.locator(".dm-toolbar summary").first.click()
    await page.get_by_role("button", name="Assign annotators").click()
    dialog = page.get_by_role("dialog", name="Assign annotators")
    await expect(dialog).to_contain_text("This applies to 2 tasks")
    await dialog.get_by_label("Ann Otator (Annotator)").check()
    await shot(page, "teams-assign-dialog")
    await dialog.get_by_role("button", name="Assign annotators").click()
    await expect(page.locator(".toast").last).to_contain_text("Made 2 annotator assignments")
    assigned = await _api(page, "GET", f"{base}/api/tasks?project={project['id']}", token)
    by_id = {t["id"]: t["assigned_annotators"] for t in assigned["tasks"]}
    assert by_id[ids[1]] == [annotator["id"]] and by_id[ids[3]] == [annotator["id"]] and by_id[ids[0]] == []
    await shot(page, "teams-dm-assigned")

    # Ann, in her own browser context.
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        ann = await context.new_page()
        errors: list[str] = []
        ann.on("pageerror", lambda error: errors.append(str(error)))
        login = await ann.request.post(f"{base}/api/auth/login", data={"email": "ann@example.com", "password": "correct horse battery"})
        assert login.ok
        await ann.goto(f"{base}/projects")
        await expect(ann.get_by_text("Team project")).to_be_visible()
        await expect(ann.get_by_text("Someone else's")).to_have_count(0)
        await shot(ann, "teams-annotator-projects")
        await ann.goto(f"{base}/projects/{project['id']}/data")
        await expect(ann.locator(".dm-footer")).to_contain_text("Tasks: 2")
        await expect(ann.locator(f'.dm-row[data-task="{ids[1]}"]')).to_be_visible()
        await expect(ann.locator(f'.dm-row[data-task="{ids[0]}"]')).to_have_count(0)
        await shot(ann, "teams-annotator-dm")
        await ann.goto(f"{base}/projects/{project['id']}/settings")
        await expect(ann.get_by_role("heading", name="Not available to your role")).to_be_visible()
        # The label stream gives her exactly her two tasks.
        served = []
        for _ in range(2):
            task = await ann.request.get(f"{base}/api/projects/{project['id']}/next")
            assert task.ok
            served.append((await task.json())["id"])
            done = await ann.request.post(f"{base}/api/tasks/{served[-1]}/annotations/", data={"result": []},
                                          headers={"X-CSRFToken": next(c["value"] for c in await context.cookies() if c["name"] == "csrftoken")})
            assert done.ok, await done.text()
        assert sorted(served) == [ids[1], ids[3]]
        assert (await ann.request.get(f"{base}/api/projects/{project['id']}/next")).status == 404
        assert not errors, errors
    finally:
        await context.close()
