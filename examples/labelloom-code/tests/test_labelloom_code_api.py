"""The plugin through Labelloom's HTTP API: config validation, line-range results, the template
and the CODE_RANGES export."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

CONFIG = """<View>
  <CodeLabels name="review" toName="code">
    <Label value="Bug"/><Label value="Smell"/>
  </CodeLabels>
  <Code name="code" value="$code" language="python" lineNumbers="true"/>
</View>"""

SOURCE = "def f(x):\n    y = x * 2\n    return y / 0\n\nprint(f(1))\n"


def line_range(start, end, label, rid="r1"):
    return {"id": rid, "from_name": "review", "to_name": "code", "type": "codelabels",
            "value": {"start": start, "end": end, "codelabels": [label]}}


@pytest.fixture
async def project(client, admin):
    response = await client.post("/api/projects/", headers=admin.headers, json={"title": "Review", "label_config": CONFIG})
    assert response.status_code == 201, response.text
    return response.json()


async def import_task(client, admin, project, **task):
    response = await client.post(f"/api/projects/{project['id']}/import?return_task_ids=true", headers=admin.headers,
                                 json=[{"data": {"code": SOURCE}, **task}])
    assert response.status_code == 201, response.text
    return response.json()["task_ids"][0]


async def annotate(client, admin, task_id, result):
    return await client.post(f"/api/tasks/{task_id}/annotations/", headers=admin.headers, json={"result": result})


async def test_the_plugin_registers_its_tags_widgets_and_format(client, admin):
    body = (await client.get("/api/plugins", headers=admin.headers)).json()
    plugin = next(p for p in body["plugins"] if p["name"] == "code")
    assert plugin["registered"]["data_types"] == ["Code"]
    assert plugin["registered"]["tags"] == ["CodeLabels"]
    assert plugin["registered"]["exporters"] == ["CODE_RANGES"]
    module = body["tags"]["Code"]["module"]
    assert module.split("?")[0] == "/static/plugins/code/widgets/code.js"
    script = await client.get(module, headers=admin.headers)
    assert script.status_code == 200 and 'from "@labelloom/sdk"' in script.text
    assert body["tags"]["CodeLabels"]["module"].split("?")[0] == "/static/plugins/code/widgets/codelabels.js"


async def test_line_ranges_are_checked(client, admin, project):
    task_id = await import_task(client, admin, project)
    ok = await annotate(client, admin, task_id, [line_range(2, 3, "Bug")])
    assert ok.status_code == 201, ok.text
    assert ok.json()["result"][0]["value"] == {"start": 2, "end": 3, "codelabels": ["Bug"]}

    for value, field, words in [
        ({"start": 0, "end": 3}, "start", "line number"),
        ({"start": 3, "end": 2}, "end", "before start"),
        ({"start": "two", "end": 3}, "start", "whole number"),
    ]:
        bad = line_range(1, 1, "Bug")
        bad["value"].update(value)
        response = await annotate(client, admin, task_id, [bad])
        assert response.status_code == 400, response.text
        errors = response.json()["validation_errors"]
        key = next(k for k in errors if k.endswith(f"value.{field}"))
        assert words in errors[key][0]

    response = await annotate(client, admin, task_id, [line_range(1, 1, "Nice")])
    assert response.status_code == 400 and "not a label" in response.text


async def test_config_problems_name_the_tag(client, admin):
    response = await client.post("/api/projects/validate/", headers=admin.headers,
                                 json={"label_config": '<View><CodeLabels name="r" toName="code"/><Code name="code" value="$code"/></View>'})
    assert response.status_code == 400
    assert "CodeLabels" in response.text


async def test_the_template_is_in_the_gallery_and_valid(client, admin):
    gallery = (await client.get("/api/templates", headers=admin.headers)).json()
    template = next(t for t in gallery["templates"] if t["title"] == "Code review: label line ranges")
    response = await client.post("/api/projects/validate/", headers=admin.headers, json={"label_config": template["config"]})
    assert response.status_code == 200, response.text
    assert response.json()["data_keys"] == ["code"]


async def test_code_ranges_export(client, admin, project):
    labelled = await import_task(client, admin, project)
    response = await annotate(client, admin, labelled, [line_range(3, 3, "Bug", "a"), line_range(1, 2, "Smell", "b")])
    assert response.status_code == 201, response.text
    empty = await import_task(client, admin, project)

    formats = (await client.get(f"/api/projects/{project['id']}/export/formats", headers=admin.headers)).json()
    assert "CODE_RANGES" in {f["name"] for f in formats if not f.get("disabled")}

    response = await client.get(f"/api/projects/{project['id']}/export?exportType=CODE_RANGES&download_all_tasks=true",
                                headers=admin.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted([f"{labelled}.json", f"{empty}.json"])
    document = json.loads(archive.read(f"{labelled}.json"))
    assert document["task"] == labelled
    (annotation,) = document["annotations"]
    assert annotation["completed_by"] == admin.id
    assert annotation["ranges"] == [
        {"object": "code", "label": "Smell", "labels": ["Smell"], "start": 1, "end": 2, "lines": "def f(x):\n    y = x * 2"},
        {"object": "code", "label": "Bug", "labels": ["Bug"], "start": 3, "end": 3, "lines": "    return y / 0"},
    ]
    assert json.loads(archive.read(f"{empty}.json")) == {"task": empty, "annotations": []}


async def test_code_ranges_is_offered_only_for_code_projects(client, admin):
    config = '<View><Text name="t" value="$text"/><Choices name="c" toName="t"><Choice value="a"/></Choices></View>'
    response = await client.post("/api/projects/", headers=admin.headers, json={"title": "Text", "label_config": config})
    formats = (await client.get(f"/api/projects/{response.json()['id']}/export/formats", headers=admin.headers)).json()
    offered = {f["name"] for f in formats if not f.get("disabled")}
    assert "JSON" in offered and "CODE_RANGES" not in offered
