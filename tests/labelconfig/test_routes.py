"""POST /api/projects/validate/ and GET /api/templates."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from labelloom.core.manager import build_plugin_host

from .valid_configs import VALID


async def test_validate_accepts_a_valid_config(client, admin):
    response = await client.post(
        "/api/projects/validate/", json={"label_config": VALID["worked-example-12-1"]}, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["label_config"] == VALID["worked-example-12-1"]
    assert body["parsed_label_config"]["box"]["labels"] == ["Car", "Person"]
    assert body["data_keys"] == ["image"]


async def test_validate_refuses_an_invalid_config_with_line_and_sentence(client, admin):
    xml = '<View>\n<Text name="t" value="$text"/>\n<Choices name="c" toName="nope"><Choice value="A"/></Choices>\n</View>'
    response = await client.post("/api/projects/validate", json={"label_config": xml}, headers=admin.headers)
    assert response.status_code == 400
    body = response.json()
    assert body["validation_errors"] == {
        "label_config": ['line 3: <Choices name="c">: toName="nope" does not match the name of any tag']
    }
    assert body["detail"].startswith("Invalid labeling config: line 3")


async def test_validate_needs_a_label_config(client, admin):
    response = await client.post("/api/projects/validate/", json={}, headers=admin.headers)
    assert response.status_code == 400
    assert "label_config" in response.json()["validation_errors"]


async def test_validate_needs_authentication(client):
    response = await client.post("/api/projects/validate/", json={"label_config": VALID["minimal"]})
    assert response.status_code == 401


async def test_template_gallery_lists_templates_of_several_plugins(client, admin):
    response = await client.get("/api/templates", headers=admin.headers)
    assert response.status_code == 200
    body = response.json()
    plugins = {t["plugin"] for t in body["templates"]}
    assert {"controls", "image", "text", "audio", "timeseries", "video"} <= plugins
    assert {
        "Computer Vision", "Natural Language Processing", "Audio/Speech Processing", "Conversational AI",
        "Ranking & Scoring", "Structured Data Parsing", "Time Series Analysis", "Videos",
    } <= set(body["groups"])
    first = body["templates"][0]
    assert set(first) == {"name", "title", "group", "description", "config", "sample_task", "plugin"}
    assert all(t["sample_task"] for t in body["templates"])


async def test_gallery_hides_templates_whose_plugins_are_disabled(make_app, admin):
    import labelloom.plugins.controls as controls
    import labelloom.plugins.text as text

    host = build_plugin_host(modules={"controls": controls, "text": text})
    async with AsyncTestClient(make_app(host=host)) as limited:
        response = await limited.get("/api/templates", headers=admin.headers)
        assert response.status_code == 200
        assert {t["plugin"] for t in response.json()["templates"]} == {"controls", "text"}
        refused = await limited.post(
            "/api/projects/validate/", json={"label_config": VALID["rectangle-labels"]}, headers=admin.headers
        )
        assert refused.status_code == 400
        assert refused.json()["validation_errors"]["label_config"][0] == (
            'line 1: tag <Image> needs plugin "image", which is not enabled'
        )
