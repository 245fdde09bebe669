"""The official label-studio-sdk's view, task-query and action calls against a live server."""

import json

import pytest
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError
from label_studio_sdk.data_manager import Column, Filters, Operator, Type

from tests.sdk.test_sdk_flows import CONFIG, choice


@pytest.fixture
def ls(live_server):
    admin = live_server.sign_up_admin()
    return LabelStudio(base_url=live_server.url, api_key=admin.token)


def test_views_tasks_and_actions_through_the_sdk(ls):
    project = ls.projects.create(title="DM", label_config=CONFIG)
    ls.projects.import_tasks(id=project.id, request=[{"text": f"t{i}", "n": i} for i in range(6)])
    task_ids = [t.id for t in ls.tasks.list(project=project.id)]
    for task_id in task_ids[:2]:
        ls.annotations.create(id=task_id, result=choice("Positive"))

    filters = Filters.create(Filters.AND, [
        Filters.item(Column.data("n"), Operator.GREATER_OR_EQUAL, Type.Number, Filters.value(1)),
        Filters.item(Column.total_annotations, Operator.EQUAL, Type.Number, Filters.value(0)),
    ])
    view = ls.views.create(project=project.id, data={"title": "Todo", "filters": filters, "ordering": ["-tasks:data.n"]})
    assert view.id and view.data["title"] == "Todo"
    assert [v.id for v in ls.views.list(project=project.id)] == [view.id]
    assert ls.views.get(id=str(view.id)).data["filters"] == filters
    ls.views.update(id=str(view.id), project=project.id, data={"title": "To do", "filters": filters, "ordering": ["-tasks:data.n"]})
    assert ls.views.get(id=str(view.id)).data["title"] == "To do"

    assert [t.id for t in ls.tasks.list(view=view.id)] == task_ids[2:][::-1]
    query = json.dumps({"filters": Filters.create(Filters.OR, [
        Filters.item(Column.annotations_results, Operator.CONTAINS, Type.String, Filters.value("positive"))])})
    assert [t.id for t in ls.tasks.list(project=project.id, query=query)] == task_ids[:2]

    actions = [a.id for a in ls.actions.list(project=project.id)]
    assert "delete_tasks" in actions and "delete_tasks_annotations" in actions
    ls.actions.create(id="delete_tasks_annotations", project=project.id, selected_items={"all": False, "included": [task_ids[0]]})
    assert ls.tasks.get(id=task_ids[0]).total_annotations == 0
    ls.actions.create(id="delete_tasks", project=project.id, view=view.id, selected_items={"all": True, "excluded": [task_ids[5]]})
    assert [t.id for t in ls.tasks.list(project=project.id)] == [*task_ids[:2], task_ids[5]]
    assert ls.projects.get(id=project.id).task_number == 3

    other = ls.views.create(project=project.id, data={"title": "Other"})
    ls.views.update_order(project=project.id, ids=[other.id, view.id])
    assert [v.id for v in ls.views.list(project=project.id)] == [other.id, view.id]
    ls.views.delete(id=str(other.id))
    with pytest.raises(ApiError) as info:
        ls.views.get(id=str(other.id))
    assert info.value.status_code == 404
    ls.views.delete_all(project=project.id)
    assert ls.views.list(project=project.id) == []
