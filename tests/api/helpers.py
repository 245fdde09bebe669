"""Shared test helpers for the API tests."""

TEXT_CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>
"""


def choice(label):
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


async def import_texts(client, admin, project_id, texts):
    response = await client.post(f"/api/projects/{project_id}/import?return_task_ids=true", headers=admin.headers,
                                 json=[{"text": t} for t in texts])
    assert response.status_code == 201, response.text
    return response.json()["task_ids"]
