"""label-studio-sdk's Enterprise team calls, unchanged, against a live server: memberships with
roles, project members, bulk and per-task assignment."""

from __future__ import annotations

import pytest
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError


@pytest.fixture
def ls(live_server):
    admin = live_server.sign_up_admin()
    return LabelStudio(base_url=live_server.url, api_key=admin.token)


def test_sdk_memberships_members_and_assignment(ls):
    annotator = ls.users.create(email="ann@example.com")
    updated = ls.organizations.members.update(id=1, user_id=annotator.id, role="AN")
    assert updated.role == "AN"
    listed = ls.organizations.members.list(id=1, role="AN")
    assert listed.count == 1 and [m.user.id for m in listed.results] == [annotator.id]
    one = ls.organizations.members.get(id=1, user_pk=annotator.id)
    assert one.role == "AN"

    project = ls.projects.create(title="Team", label_config='<View><Text name="t" value="$t"/></View>')
    ls.projects.import_tasks(id=project.id, request=[{"t": f"x{i}"} for i in range(4)])
    tasks = [t.id for t in ls.tasks.list(project=project.id)]
    ls.projects.members.add(id=project.id, user=annotator.id)
    result = ls.projects.assignments.bulk_assign(
        id=project.id, type="AN", users=[annotator.id], selected_items={"all": False, "included": tasks[:2]}
    )
    assert result is not None
    assigned = ls.projects.assignments.list(id=project.id, task_pk=tasks[0])
    assert [(a.assignee, a.type) for a in assigned] == [(annotator.id, "AN")]
    ls.projects.assignments.assign(id=project.id, task_pk=tasks[3], type="AN", users=[annotator.id])
    ls.projects.assignments.delete(id=project.id, task_pk=tasks[0], type="AN", users=str(annotator.id))
    assert ls.projects.assignments.list(id=project.id, task_pk=tasks[0]) == []
    ls.projects.members.remove(id=project.id, user=annotator.id)
    with pytest.raises(ApiError) as denied:
        ls.organizations.members.update(id=1, user_id=annotator.id, role="XX")
    assert denied.value.status_code == 400
