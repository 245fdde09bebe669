"""The official label-studio-sdk client, unchanged, against a live Labelloom server.

The real client is the judge of compatibility: these are the flows its users script.
"""

import pytest
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError

CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>
"""


def field(item, name):
    """The SDK types some nested items as models and others as dicts."""
    return item[name] if isinstance(item, dict) else getattr(item, name)


def choice(label):
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


@pytest.fixture
def ls(live_server):
    admin = live_server.sign_up_admin()
    return LabelStudio(base_url=live_server.url, api_key=admin.token)


def test_projects_crud(ls):
    project = ls.projects.create(title="Reviews", label_config=CONFIG, description="sentiment")
    assert project.id and project.title == "Reviews"
    assert project.parsed_label_config["sentiment"]["to_name"] == ["text"]
    ls.projects.update(id=project.id, title="Reviews v2", maximum_annotations=2)
    got = ls.projects.get(id=project.id)
    assert (got.title, got.maximum_annotations, got.task_number) == ("Reviews v2", 2, 0)
    titles = [p.title for p in ls.projects.list()]
    assert "Reviews v2" in titles
    ls.projects.delete(id=project.id)
    with pytest.raises(ApiError) as info:
        ls.projects.get(id=project.id)
    assert info.value.status_code == 404


def test_import_and_pager_over_several_pages(ls):
    project = ls.projects.create(title="Pager", label_config=CONFIG)
    response = ls.projects.import_tasks(id=project.id, request=[{"text": f"review {i}"} for i in range(250)])
    assert response.task_count == 250
    seen = [task.data["text"] for task in ls.tasks.list(project=project.id, page_size=40)]
    assert seen == [f"review {i}" for i in range(250)]


def test_bad_import_changes_nothing(ls):
    project = ls.projects.create(title="Strict", label_config=CONFIG)
    with pytest.raises(ApiError) as info:
        ls.projects.import_tasks(id=project.id, request=[{"text": "ok"}, {"txt": "missing key"}])
    assert info.value.status_code == 400
    assert "item 1" in str(info.value.body)
    assert ls.projects.get(id=project.id).task_number == 0


def test_tasks_annotations_and_predictions(ls):
    project = ls.projects.create(title="Flow", label_config=CONFIG)
    task = ls.tasks.create(project=project.id, data={"text": "great product"})
    assert ls.tasks.get(id=str(task.id)).data == {"text": "great product"}

    annotation = ls.annotations.create(id=task.id, result=choice("Positive"), lead_time=3.5)
    assert annotation.result[0]["value"]["choices"] == ["Positive"]
    assert [a.id for a in ls.annotations.list(id=task.id)] == [annotation.id]
    ls.annotations.update(id=annotation.id, result=choice("Neutral"))
    assert ls.annotations.get(id=annotation.id).result[0]["value"]["choices"] == ["Neutral"]

    with pytest.raises(ApiError) as info:
        ls.annotations.create(id=task.id, result=choice("Furious"))
    assert info.value.status_code == 400

    prediction = ls.predictions.create(task=task.id, result=choice("Negative"), score=0.4, model_version="m1")
    assert (prediction.score, prediction.model_version) == (0.4, "m1")
    assert [p.id for p in ls.predictions.list(task=task.id)] == [prediction.id]

    full = ls.tasks.get(id=str(task.id))
    assert full.total_annotations == 1 and full.total_predictions == 1 and full.is_labeled
    counts = ls.projects.get(id=project.id)
    assert (counts.task_number, counts.total_annotations_number, counts.total_predictions_number) == (1, 1, 1)

    ls.annotations.delete(id=annotation.id)
    ls.predictions.delete(id=prediction.id)
    after = ls.tasks.get(id=str(task.id))
    assert after.total_annotations == 0 and after.total_predictions == 0 and not after.is_labeled
    ls.tasks.delete(id=str(task.id))
    assert ls.projects.get(id=project.id).task_number == 0


def test_import_with_annotations_and_predictions(ls):
    project = ls.projects.create(title="Preannotated", label_config=CONFIG)
    response = ls.projects.import_tasks(
        id=project.id,
        request=[
            {"data": {"text": "a"}, "annotations": [{"result": choice("Positive")}]},
            {"data": {"text": "b"}, "predictions": [{"result": choice("Negative"), "score": 0.9, "model_version": "v7"}]},
        ],
    )
    assert (response.task_count, response.annotation_count, response.prediction_count) == (2, 1, 1)
    tasks = list(ls.tasks.list(project=project.id, fields="all"))
    assert field(tasks[0].annotations[0], "ground_truth") is True  # Label Studio's rule for imports
    assert field(tasks[1].predictions[0], "model_version") == "v7"
    assert ls.projects.get(id=project.id).model_version == "v7"


def test_whoami_and_personal_access_token(live_server):
    admin = live_server.sign_up_admin()
    import httpx

    refresh = httpx.post(f"{live_server.url}/api/token/", headers=admin.headers).json()["token"]
    client = LabelStudio(base_url=live_server.url, api_key=refresh)  # the SDK's JWT flow
    assert client.users.whoami().email == admin.email
    assert LabelStudio(base_url=live_server.url, api_key=admin.token).users.whoami().email == admin.email


def test_validate_config(ls):
    project = ls.projects.create(title="V", label_config=CONFIG)
    ls.projects.validate_label_config(id=project.id, label_config=CONFIG)
    with pytest.raises(ApiError) as info:
        ls.projects.validate_label_config(id=project.id, label_config="<View><Nope/></View>")
    assert info.value.status_code == 400
