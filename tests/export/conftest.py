import pytest

CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
  <Rating name="stars" toName="text" maxRating="5"/>
  <TextArea name="summary" toName="text"/>
</View>
"""

RESULT = [
    {"id": "r1", "from_name": "ner", "to_name": "text", "type": "labels",
     "value": {"start": 0, "end": 4, "text": "Anna", "labels": ["PER"]}},
    {"id": "r2", "from_name": "ner", "to_name": "text", "type": "labels",
     "value": {"start": 14, "end": 19, "text": "Paris", "labels": ["LOC"]}},
    {"id": "c1", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}},
    {"id": "c2", "from_name": "stars", "to_name": "text", "type": "rating", "value": {"rating": 4}},
    {"id": "c3", "from_name": "summary", "to_name": "text", "type": "textarea", "value": {"text": ["short summary"]}},
]

TASKS = [
    {"data": {"text": "Anna lives in Paris", "meta_info": {"source": "wiki"}},
     "annotations": [{"result": RESULT, "lead_time": 42.7}],
     "predictions": [{"model_version": "v1", "score": 0.5, "result": RESULT[2:3]}]},
    {"data": {"text": "Nothing here", "meta_info": {"source": "news/2024"}}},
    {"data": {"text": "Skipped one", "meta_info": {"source": "news"}},
     "annotations": [{"result": [], "was_cancelled": True, "lead_time": 1.5}]},
]


@pytest.fixture
async def project(client, admin):
    response = await client.post("/api/projects/", headers=admin.headers, json={"title": "Export", "label_config": CONFIG})
    assert response.status_code == 201, response.text
    project = response.json()
    response = await client.post(f"/api/projects/{project['id']}/import?return_task_ids=true", headers=admin.headers,
                                 json=TASKS)
    assert response.status_code == 201, response.text
    project["task_ids"] = response.json()["task_ids"]
    return project
