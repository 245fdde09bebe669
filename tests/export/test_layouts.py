"""Layouts of the four generic formats against hand-written output, and against the output of
Label Studio's own converter run on our JSON export (the same data)."""

import csv
import io
import json

import pytest
from label_studio_sdk.converter import Converter

from .conftest import CONFIG, RESULT
from .helpers import export


@pytest.fixture
async def exported(client, admin, project):
    response = await export(client, admin, project["id"], "JSON", download_all_tasks="true")
    return json.loads(response.content)


async def test_json_is_the_list_of_full_tasks(client, admin, project, exported):
    pid, (t1, t2, t3) = project["id"], project["task_ids"]
    assert [t["id"] for t in exported] == [t1, t2, t3]
    first = exported[0]
    assert list(first) == [
        "id", "data", "annotations", "predictions", "drafts", "meta", "created_at", "updated_at", "inner_id",
        "total_annotations", "cancelled_annotations", "total_predictions", "comment_count",
        "unresolved_comment_count", "last_comment_updated_at", "project", "updated_by", "file_upload",
        "comment_authors",
    ]
    assert first["data"] == {"text": "Anna lives in Paris", "meta_info": {"source": "wiki"}}
    (annotation,) = first["annotations"]
    assert annotation["result"] == RESULT
    assert annotation["completed_by"] == admin.id  # an id unless expanded
    assert annotation["lead_time"] == 42.7 and annotation["was_cancelled"] is False
    assert annotation["task"] == t1 and annotation["project"] == pid
    (prediction,) = first["predictions"]
    assert prediction["model_version"] == "v1" and prediction["score"] == 0.5 and prediction["result"] == RESULT[2:3]
    assert (first["inner_id"], first["total_annotations"], first["cancelled_annotations"], first["total_predictions"]) == (1, 1, 0, 1)
    assert exported[1]["annotations"] == [] and exported[1]["predictions"] == []
    assert exported[2]["annotations"][0]["was_cancelled"] is True and exported[2]["cancelled_annotations"] == 1
    # The converter's layout: "[\n", records indented by 2, ",\n" between, "\n]".
    response = await export(client, admin, pid, "JSON", download_all_tasks="true")
    assert response.text.startswith("[\n{\n  \"id\": ") and response.text.endswith("}\n]")
    assert "\n},\n{\n" in response.text


async def test_json_min_rows(client, admin, project, exported):
    t1, t2, _ = project["task_ids"]
    a = exported[0]["annotations"][0]
    response = await export(client, admin, project["id"], "JSON_MIN", download_all_tasks="true")
    assert json.loads(response.content) == [
        {
            "text": "Anna lives in Paris", "meta_info": {"source": "wiki"}, "id": t1,
            "ner": [{"start": 0, "end": 4, "text": "Anna", "labels": ["PER"]},
                    {"start": 14, "end": 19, "text": "Paris", "labels": ["LOC"]}],
            "sentiment": "Positive",          # one choice collapses to a string
            "stars": [{"rating": 4}],
            "summary": "short summary",       # one text collapses to a string
            "annotator": admin.id, "annotation_id": a["id"], "created_at": a["created_at"],
            "updated_at": a["updated_at"], "lead_time": 42.7,
        },
        # a task without annotations: one empty row; the skipped-only task: none
        {"text": "Nothing here", "meta_info": {"source": "news/2024"}, "id": t2, "annotator": None,
         "annotation_id": None, "created_at": None, "updated_at": None, "lead_time": None},
    ]


def _cells(text, delimiter):
    """CSV rows with JSON cells decoded: PostgreSQL's jsonb keeps no key order ("field order
    aside"); the bytes are compared with Label Studio's converter in the next test."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return rows[0], [[json.loads(c) if c and c[0] in "[{" else c for c in row] for row in rows[1:]]


async def test_csv_and_tsv_rows(client, admin, project, exported):
    t1, t2, _ = project["task_ids"]
    a = exported[0]["annotations"][0]
    header = '"annotation_id","annotator","created_at","id","lead_time","meta_info","ner","sentiment","stars","summary","text","updated_at"'
    ner = [{"start": 0, "end": 4, "text": "Anna", "labels": ["PER"]},
           {"start": 14, "end": 19, "text": "Paris", "labels": ["LOC"]}]
    rows = [
        [str(a["id"]), str(admin.id), a["created_at"], str(t1), "42.7", {"source": "wiki"}, ner, "Positive",
         [{"rating": 4}], "short summary", "Anna lives in Paris", a["updated_at"]],
        ["", "", "", str(t2), "", {"source": "news/2024"}, "", "", "", "", "Nothing here", ""],
    ]
    for export_type, delimiter in (("CSV", ","), ("TSV", "\t")):
        response = await export(client, admin, project["id"], export_type, download_all_tasks="true")
        text = response.text
        assert text.startswith(header.replace(",", delimiter) + "\r\n")
        assert _cells(text, delimiter) == (header.replace('"', "").split(","), rows)
        # numbers unquoted, strings and empty values quoted; JSON cells compact, slashes escaped
        assert f"\r\n{a['id']}{delimiter}\"{admin.id}\"{delimiter}" in text
        assert f'{delimiter}"{{""source"":""news\\/2024""}}"{delimiter}' in text
        assert f'\r\n""{delimiter}""{delimiter}""{delimiter}{t2}{delimiter}""' in text
    assert response.headers["content-type"].startswith("text/tab-separated-values")


@pytest.mark.parametrize("export_type", ["JSON_MIN", "CSV", "TSV"])
async def test_same_bytes_as_label_studio_converter(client, admin, project, exported, tmp_path, export_type):
    """Label Studio converts its JSON export file; converting ours must give our bytes."""
    source = tmp_path / "export.json"
    source.write_text(json.dumps(exported))
    converter = Converter(config=CONFIG, project_dir=None, download_resources=False)
    out = tmp_path / "out"
    if export_type == "JSON_MIN":
        converter.convert_to_json_min(str(source), str(out), is_dir=False)
        expected = (out / "result.json").read_bytes()
    else:
        converter.convert_to_csv(str(source), str(out), is_dir=False, sep="," if export_type == "CSV" else "\t")
        expected = (out / "result.csv").read_bytes()
    response = await export(client, admin, project["id"], export_type, download_all_tasks="true")
    assert response.content == expected


async def test_only_annotated_tasks_by_default_and_ids(client, admin, project):
    t1, t2, t3 = project["task_ids"]
    response = await export(client, admin, project["id"], "JSON")
    assert [t["id"] for t in response.json()] == [t1, t3]  # skipped counts as annotated
    response = await export(client, admin, project["id"], "JSON", download_all_tasks="true", ids=t2)
    assert [t["id"] for t in response.json()] == [t2]
    response = await client.get(f"/api/projects/{project['id']}/export?export_type=JSON&download_all_tasks=true"
                                f"&ids={t1}&ids={t3}", headers=admin.headers)
    assert [t["id"] for t in response.json()] == [t1, t3]


async def test_all_but_excluded(client, admin, project):
    t1, t2, t3 = project["task_ids"]
    response = await client.get(f"/api/projects/{project['id']}/export?exportType=JSON&download_all_tasks=true"
                                f"&exclude_ids={t2}", headers=admin.headers)
    assert [t["id"] for t in response.json()] == [t1, t3]
    # With a view: the tab's filters, minus the excluded tasks (the data manager's selection).
    view = (await client.post("/api/dm/views/", headers=admin.headers, json={"project": project["id"], "data": {"filters": {
        "conjunction": "and", "items": [{"filter": "filter:tasks:id", "operator": "greater", "type": "Number", "value": t1}]}}})).json()
    response = await client.get(f"/api/projects/{project['id']}/export?exportType=JSON&download_all_tasks=true"
                                f"&view={view['id']}&exclude_ids={t3}", headers=admin.headers)
    assert [t["id"] for t in response.json()] == [t2]
    # A snapshot takes the same scope in its body.
    r = await client.post(f"/api/projects/{project['id']}/exports/", headers=admin.headers,
                          json={"task_filter_options": {"exclude_ids": [t1, t3]}})
    assert r.status_code == 201, r.text
    assert r.json()["task_filter_options"]["exclude_ids"] == [t1, t3]


async def test_empty_export_and_unknown_format(client, admin, project):
    response = await export(client, admin, project["id"], "JSON", download_all_tasks="true", ids=999999)
    assert response.json() == []
    response = await client.get(f"/api/projects/{project['id']}/export?exportType=NOPE", headers=admin.headers)
    assert response.status_code == 400
    assert "NOPE" in response.text
    response = await client.get("/api/projects/999999/export?exportType=JSON", headers=admin.headers)
    assert response.status_code == 404


async def test_formats(client, admin, project):
    response = await client.get(f"/api/projects/{project['id']}/export/formats", headers=admin.headers)
    assert response.status_code == 200
    assert [f["name"] for f in response.json()][:4] == ["JSON", "JSON_MIN", "CSV", "TSV"]
    assert set(response.json()[0]) >= {"name", "title", "description", "link", "tags"}


async def test_requires_authentication(client, project):
    response = await client.get(f"/api/projects/{project['id']}/export?exportType=JSON")
    assert response.status_code == 401
