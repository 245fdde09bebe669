"""The official SDK's export calls against a live server (``projects.exports.*``)."""

import csv
import io
import json
import time

import pytest
from label_studio_sdk import LabelStudio

from .conftest import CONFIG, TASKS


@pytest.fixture
def ls_project(live_server):
    admin = live_server.sign_up_admin()
    ls = LabelStudio(base_url=live_server.url, api_key=admin.token)
    project = ls.projects.create(title="SDK export", label_config=CONFIG)
    ls.projects.import_tasks(id=project.id, request=TASKS)
    return ls, project


def test_formats_and_sync_download(ls_project):
    ls, project = ls_project
    names = [f["name"] for f in ls.projects.exports.list_formats(id=project.id)]  # typed List[str], dicts in practice
    assert names[:4] == ["JSON", "JSON_MIN", "CSV", "TSV"]
    raw = b"".join(ls.projects.exports.download_sync(id=project.id, export_type="JSON", download_all_tasks=True))
    assert [t["data"]["text"] for t in json.loads(raw)] == ["Anna lives in Paris", "Nothing here", "Skipped one"]
    raw = b"".join(ls.projects.exports.download_sync(id=project.id, export_type="CSV"))
    rows = list(csv.DictReader(io.StringIO(raw.decode())))
    assert [r["text"] for r in rows] == ["Anna lives in Paris"]  # annotated tasks only; skipped rows dropped
    assert ls.projects.exports.as_json(project.id)[0]["id"] > 0


def test_snapshot_calls(ls_project):
    ls, project = ls_project
    snapshot = ls.projects.exports.create(id=project.id, title="snap", task_filter_options={"only_with_annotations": True})
    for _ in range(200):
        snapshot = ls.projects.exports.get(id=project.id, export_pk=snapshot.id)
        if snapshot.status == "completed":
            break
        time.sleep(0.1)
    assert snapshot.status == "completed" and snapshot.counters["task_number"] == 2
    assert [e.id for e in ls.projects.exports.list(id=project.id)] == [snapshot.id]
    converted = ls.projects.exports.convert(id=project.id, export_pk=snapshot.id, export_type="JSON_MIN")
    assert converted.export_type == "JSON_MIN" and converted.converted_format
    for _ in range(200):
        formats = ls.projects.exports.get(id=project.id, export_pk=snapshot.id).converted_formats
        if formats and formats[0].status == "completed":
            break
        time.sleep(0.1)
    raw = b"".join(ls.projects.exports.download(id=project.id, export_pk=snapshot.id, export_type="JSON_MIN"))
    assert [r["text"] for r in json.loads(raw)] == ["Anna lives in Paris"]
    raw = b"".join(ls.projects.exports.download(id=project.id, export_pk=snapshot.id, export_type="JSON"))
    assert len(json.loads(raw)) == 2
    ls.projects.exports.delete(id=project.id, export_pk=snapshot.id)
    assert ls.projects.exports.list(id=project.id) == []
