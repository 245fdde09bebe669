"""The time-series plugin on the server: it conforms, its widgets are announced, Label Studio's
time-range results are stored exactly as sent (numbers, formatted dates, instants), bad ranges
are refused, and the TIMESERIES_RANGES export writes one CSV row per range."""

from __future__ import annotations

import csv
import io

from labelloom.core.testing import assert_plugin_conforms

CONFIG = """<View>
  <TimeSeriesLabels name="evt" toName="ts"><Label value="Spike"/><Label value="Dip"/></TimeSeriesLabels>
  <TimeSeries name="ts" value="$ts" valueType="json" timeColumn="time" timeFormat="%Y-%m-%d %H:%M:%S">
    <Channel column="value"/>
  </TimeSeries>
  <Choices name="kind" toName="ts"><Choice value="Normal"/><Choice value="Odd"/></Choices>
</View>"""

DATA = {"ts": {"time": ["2024-01-01 00:00:10", "2024-01-01 00:00:11"], "value": [1, 2]}}
SPIKE = {"id": "ts1", "from_name": "evt", "to_name": "ts", "type": "timeserieslabels", "origin": "manual",
         "value": {"start": "2024-01-01 00:00:10", "end": "2024-01-01 00:00:42", "instant": False, "timeserieslabels": ["Spike"]}}
DIP = {"id": "ts2", "from_name": "evt", "to_name": "ts", "type": "timeserieslabels", "origin": "manual",
       "value": {"start": 12.5, "end": 12.5, "instant": True, "timeserieslabels": ["Dip", "Spike"]}}


def test_the_plugin_conforms():
    assert_plugin_conforms("timeseries")


async def project_with_task(client, admin) -> tuple[int, int]:
    r = await client.post("/api/projects/", headers=admin.headers, json={"title": "Sensors", "label_config": CONFIG})
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    r = await client.post(f"/api/projects/{pid}/import?return_task_ids=true", headers=admin.headers, json=[DATA])
    assert r.status_code == 201, r.text
    return pid, r.json()["task_ids"][0]


async def test_widgets_are_announced(client, admin):
    tags = (await client.get("/api/plugins", headers=admin.headers)).json()["tags"]
    assert tags["TimeSeries"]["module"].startswith("/static/plugins/timeseries/widgets/timeseries.js?v=")
    assert tags["TimeSeriesLabels"]["module"].startswith("/static/plugins/timeseries/widgets/timeserieslabels.js?v=")
    assert tags["Channel"]["kind"] == "item"
    for path in ("widgets/timeseries.js", "lib/worker.js", "lib/parse.js", "timeseries.css"):
        r = await client.get(f"/static/plugins/timeseries/{path}")
        assert r.status_code == 200, path


async def test_results_are_stored_as_label_studio_writes_them(client, admin):
    pid, task_id = await project_with_task(client, admin)
    result = [SPIKE, DIP]
    r = await client.post(f"/api/tasks/{task_id}/annotations/", headers=admin.headers, json={"result": result})
    assert r.status_code == 201, r.text
    (stored,) = (await client.get(f"/api/tasks/{task_id}/annotations/", headers=admin.headers)).json()
    assert stored["result"] == result


async def test_a_range_ending_before_it_starts_is_refused(client, admin):
    pid, task_id = await project_with_task(client, admin)
    bad = {**SPIKE, "value": {**SPIKE["value"], "start": "2024-01-01 00:01:00"}}
    r = await client.post(f"/api/tasks/{task_id}/annotations/", headers=admin.headers, json={"result": [bad]})
    assert r.status_code == 400, r.text
    assert "must not be before start" in r.text


async def test_ranges_csv_export(client, admin):
    pid, task_id = await project_with_task(client, admin)
    choice = {"id": "c1", "from_name": "kind", "to_name": "ts", "type": "choices", "value": {"choices": ["Odd"]}}
    r = await client.post(f"/api/tasks/{task_id}/annotations/", headers=admin.headers, json={"result": [SPIKE, DIP, choice]})
    assert r.status_code == 201, r.text
    annotation_id = r.json()["id"]
    formats = [f["name"] for f in (await client.get(f"/api/projects/{pid}/export/formats", headers=admin.headers)).json()]
    assert "TIMESERIES_RANGES" in formats
    r = await client.get(f"/api/projects/{pid}/export", headers=admin.headers, params={"exportType": "TIMESERIES_RANGES"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["task_id", "annotation_id", "annotator", "region_id", "from_name", "start", "end", "instant", "labels"]
    assert [row[:2] + row[3:] for row in rows[1:]] == [
        [str(task_id), str(annotation_id), "ts1", "evt", "2024-01-01 00:00:10", "2024-01-01 00:00:42", "false", "Spike"],
        [str(task_id), str(annotation_id), "ts2", "evt", "12.5", "12.5", "true", "Dip|Spike"],
    ]
