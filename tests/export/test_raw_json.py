"""The JSON writers read JSON columns as text (``raw_json``): the bytes must be exactly those of
the decoded path, whatever the data holds."""

from labelloom.core.export.options import easy_export_options
from labelloom.core.export.rows import task_batches
from labelloom.core.export.writer import write_tasks_json

from .conftest import RESULT

ODD_DATA = [
    {"data": {"text": "naïve café ✓ \"quoted\" \\ back/slash", "n": 3, "f": 0.1, "neg": -2.25, "big": 12345678901234,
              "nested": {"list": [1, 2.5, None, True, {"deep": "x"}], "empty": {}}, "null": None},
     "meta": {"origin": "import", "tags": ["a", "b"]},
     "annotations": [{"result": RESULT, "lead_time": 12.5}],
     "predictions": [{"model_version": "m", "score": 0.75, "result": RESULT[:1]}]},
    {"data": {"text": ""}},
]


async def _export(app, project_id, raw_json):
    options = easy_export_options(download_all_tasks=True, ids=None)
    async with app.state.sessionmaker() as db:
        chunks = [c async for c in write_tasks_json(task_batches(db, project_id, options, raw_json=raw_json))]
    return b"".join(chunks)


async def test_raw_and_decoded_paths_write_the_same_bytes(make_app, client, admin):
    h = admin.headers
    pid = (await client.post("/api/projects/", headers=h, json={"title": "Raw", "label_config": '<View><Text name="text" value="$text"/><Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC"/></Labels><Choices name="sentiment" toName="text"><Choice value="Positive"/></Choices><Rating name="stars" toName="text"/><TextArea name="summary" toName="text"/></View>'})).json()["id"]
    r = await client.post(f"/api/projects/{pid}/import?return_task_ids=true", headers=h, json=ODD_DATA)
    assert r.status_code == 201, r.text
    first = r.json()["task_ids"][0]
    r = await client.post(f"/api/tasks/{first}/drafts", headers=h, json={"result": RESULT[2:3]})
    assert r.status_code in (200, 201), r.text
    app = client.app
    decoded, raw = await _export(app, pid, False), await _export(app, pid, True)
    assert raw == decoded
    assert '"naïve café'.encode() in raw and b'"drafts": [\n' in raw  # the odd values and the draft are there
