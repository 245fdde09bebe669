"""CONLL2003 and SPACY through the export API: exact bytes, and the same bytes as Label Studio's
converter produces from our JSON export of the same project."""

import json

import pytest
from label_studio_sdk.converter import Converter

CONFIG = """
<View>
  <Text name="txt" value="$text"/>
  <Labels name="ner" toName="txt"><Label value="PER"/><Label value="LOC"/><Label value="ORG"/></Labels>
  <Choices name="mood" toName="txt"><Choice value="ok"/></Choices>
</View>
"""

EMOJI = "Zoë 😀 met Anna-Lena in São Paulo, at \"Café Nord\"."


def span(rid, start, end, label, text):
    return {"id": rid, "from_name": "ner", "to_name": "txt", "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}


TASKS = [
    {"data": {"text": "Anna lives in Paris"},
     "annotations": [{"result": [span("r1", 0, 4, "PER", "Anna lives in Paris"),
                                 span("r2", 14, 19, "LOC", "Anna lives in Paris")]}]},
    {"data": {"text": EMOJI},
     "annotations": [{"result": [
         span("a", 0, 3, "PER", EMOJI), span("b", 10, 19, "PER", EMOJI), span("c", 23, 32, "LOC", EMOJI),
         span("d", 38, 47, "ORG", EMOJI),
         {"id": "m", "from_name": "mood", "to_name": "txt", "type": "choices", "value": {"choices": ["ok"]}}]}]},
    {"data": {"text": "Nobody labelled me."}},
    {"data": {"text": "Skipped text"}, "annotations": [{"result": [], "was_cancelled": True}]},
]


@pytest.fixture
async def project(client, admin):
    response = await client.post("/api/projects/", headers=admin.headers, json={"title": "NER", "label_config": CONFIG})
    assert response.status_code == 201, response.text
    project = response.json()
    response = await client.post(f"/api/projects/{project['id']}/import", headers=admin.headers, json=TASKS)
    assert response.status_code == 201, response.text
    return project


async def export(client, admin, project_id, export_type):
    response = await client.get(f"/api/projects/{project_id}/export?exportType={export_type}&download_all_tasks=true",
                                headers=admin.headers)
    assert response.status_code == 200, response.text
    return response


def test_emoji_offsets_are_code_points():
    assert EMOJI[0:3] == "Zoë" and EMOJI[10:19] == "Anna-Lena" and EMOJI[23:32] == "São Paulo"
    assert EMOJI[38:47] == "Café Nord"


async def test_conll2003_bytes(client, admin, project):
    response = await export(client, admin, project["id"], "CONLL2003")
    assert response.headers["content-disposition"].endswith('.conll"')
    assert response.content.decode() == (
        "-DOCSTART- -X- O\n"
        "Anna -X- _ B-PER\nlives -X- _ O\nin -X- _ O\nParis -X- _ B-LOC\n\n"
        "Zoë -X- _ B-PER\n😀 -X- _ O\nmet -X- _ O\nAnna-Lena -X- _ B-PER\nin -X- _ O\nSão -X- _ B-LOC\n"
        "Paulo -X- _ I-LOC\n, -X- _ O\nat -X- _ O\n\" -X- _ O\nCafé -X- _ B-ORG\nNord -X- _ I-ORG\n"
        "\" -X- _ O\n. -X- _ O\n\n"
        "Nobody -X- _ O\nlabelled -X- _ O\nme -X- _ O\n. -X- _ O\n\n"
    )


async def test_conll2003_equals_label_studio_converter(client, admin, project, tmp_path):
    ours = (await export(client, admin, project["id"], "CONLL2003")).content
    snapshot = tmp_path / "export.json"
    snapshot.write_bytes((await export(client, admin, project["id"], "JSON")).content)
    converter = Converter(CONFIG, project_dir=str(tmp_path), download_resources=False)
    assert "CONLL2003" in converter.supported_formats
    converter.convert_to_conll2003(str(snapshot), str(tmp_path / "out"), is_dir=False)
    assert ours == (tmp_path / "out" / "result.conll").read_bytes()


async def test_newest_annotation_first_and_formats_listed(client, admin, project):
    pid = project["id"]
    tasks = (await client.get(f"/api/tasks/?project={pid}", headers=admin.headers)).json()
    tasks = tasks["tasks"] if isinstance(tasks, dict) else tasks
    first = next(t for t in tasks if t["data"]["text"] == "Anna lives in Paris")
    response = await client.post(f"/api/tasks/{first['id']}/annotations/", headers=admin.headers,
                                 json={"result": [span("n1", 5, 10, "ORG", "Anna lives in Paris")]})
    assert response.status_code == 201, response.text
    body = (await export(client, admin, pid, "CONLL2003")).content.decode()
    assert body.startswith("-DOCSTART- -X- O\nAnna -X- _ O\nlives -X- _ B-ORG\n")
    names = [f["name"] for f in (await client.get(f"/api/projects/{pid}/export/formats", headers=admin.headers)).json()]
    assert "CONLL2003" in names and "SPACY" in names


async def test_spacy_layout(client, admin, project):
    response = await export(client, admin, project["id"], "SPACY")
    text = response.content.decode()
    assert text.startswith('[\n[\n  "Anna lives in Paris",\n  {\n    "entities": [\n      [\n        0,')
    assert json.loads(text) == [
        ["Anna lives in Paris", {"entities": [[0, 4, "PER"], [14, 19, "LOC"]]}],
        [EMOJI, {"entities": [[0, 3, "PER"], [10, 19, "PER"], [23, 32, "LOC"], [38, 47, "ORG"]]}],
        ["Nobody labelled me.", {"entities": []}],
    ]
    assert "😀" in text  # non-ASCII written as is


async def test_image_projects_do_not_offer_them(client, admin):
    config = '<View><Image name="img" value="$image"/><RectangleLabels name="box" toName="img"><Label value="Car"/></RectangleLabels></View>'
    response = await client.post("/api/projects/", headers=admin.headers, json={"title": "Img", "label_config": config})
    pid = response.json()["id"]
    names = [f["name"] for f in (await client.get(f"/api/projects/{pid}/export/formats", headers=admin.headers)).json()]
    assert "CONLL2003" not in names and "SPACY" not in names
    response = await client.get(f"/api/projects/{pid}/export?exportType=CONLL2003", headers=admin.headers)
    assert response.status_code == 400
