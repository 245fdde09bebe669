import pytest

from .helpers import TEXT_CONFIG


@pytest.fixture
async def project(client, admin):
    response = await client.post("/api/projects/", headers=admin.headers, json={"title": "T", "label_config": TEXT_CONFIG})
    assert response.status_code == 201, response.text
    return response.json()
