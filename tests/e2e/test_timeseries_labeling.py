"""Time-series labeling in Chromium: inline JSON and a CSV file served by URL become plots; a
range is dragged on a channel and an instant clicked, both labelled, a region edited and the
whole series classified; the submitted JSON equals Label Studio's exactly. A malformed file
shows an error naming the row and the column."""

from __future__ import annotations

import base64
import io
import math
import struct
import wave
from typing import Any

import httpx
from playwright.async_api import expect

from tests.e2e.labeling import open_labeling, set_theme, submit_and_read
from tests.e2e.test_controls_widgets import MOUNT
from tests.e2e.test_image_labeling import drag

CONFIG = """<View>
  <TimeSeriesLabels name="label" toName="ts">
    <Label value="Run" background="#d62728" hotkey="1"/>
    <Label value="Walk" background="#2ca02c" hotkey="2"/>
  </TimeSeriesLabels>
  <TimeSeries name="ts" value="$ts" valueType="json" timeColumn="time">
    <Channel column="velocity" legend="Velocity" units="m/s" strokeColor="#1f77b4" displayFormat=",.2f"/>
    <MultiChannel height="150">
      <Channel column="ax" legend="Acc X" strokeColor="#ff7f0e"/>
      <Channel column="ay" legend="Acc Y" strokeColor="#9467bd"/>
    </MultiChannel>
  </TimeSeries>
  <Choices name="activity" toName="ts" showInline="true"><Choice value="Sport"/><Choice value="Rest"/></Choices>
  <TextArea name="comment" toName="ts" perRegion="true" rows="1"/>
</View>"""

CSV_CONFIG = """<View>
  <TimeSeriesLabels name="evt" toName="ts"><Label value="Spike" hotkey="1"/></TimeSeriesLabels>
  <TimeSeries name="ts" value="$csv" timeColumn="when" timeFormat="%Y-%m-%d %H:%M:%S" sep=";"
              overviewChannels="temp" overviewWidth="50%">
    <Channel column="temp" legend="Temperature" units="°C"/>
  </TimeSeries>
</View>"""

SYNC_CONFIG = """<View>
  <Audio name="audio" value="$audio" sync="m"/>
  <TimeSeriesLabels name="label" toName="ts"><Label value="Step" hotkey="1"/></TimeSeriesLabels>
  <TimeSeries name="ts" value="$ts" valueType="json" timeColumn="time" sync="m">
    <Channel column="velocity"/>
  </TimeSeries>
</View>"""

N = 200  # samples, time = i / 2 (0 .. 99.5)


def series() -> dict[str, list[float]]:
    t = [i / 2 for i in range(N)]
    return {
        "time": t,
        "velocity": [round(3 + 2 * math.sin(x / 6), 4) for x in t],
        "ax": [round(math.sin(x / 3), 4) for x in t],
        "ay": [round(math.cos(x / 4), 4) for x in t],
    }


def csv_text(rows: int = 120, bad_row: int | None = None) -> str:
    lines = ["when;temp"]
    for i in range(rows):
        value = "hot" if bad_row is not None and i + 2 == bad_row else f"{20 + 5 * math.sin(i / 9):.3f}"
        lines.append(f"2024-01-01 00:{i // 60:02d}:{i % 60:02d};{value}")
    return "\n".join(lines) + "\n"


def quiet_wav(seconds: float, rate: int = 8000) -> bytes:
    """A faint 220 Hz tone (silence would draw no waveform)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(3000 * math.sin(2 * math.pi * 220 * i / rate))) for i in range(int(seconds * rate))))
    return out.getvalue()


def make_project(server: Any, admin: Any, config: str, tasks: list[dict[str, Any]]) -> tuple[dict[str, Any], list[int]]:
    with httpx.Client(base_url=server.url, headers=admin.headers) as http:
        response = http.post("/api/projects/", json={"title": "Sensors", "label_config": config})
        assert response.status_code == 201, response.text
        project = response.json()
        response = http.post(f"/api/projects/{project['id']}/import", json=tasks)
        assert response.status_code == 201, response.text
        ids = [task["id"] for task in http.get("/api/tasks", params={"project": project["id"]}).json()["tasks"]]
        return project, ids



async def plot_box(page: Any, index: int = 0) -> dict[str, float]:
    await expect(page.locator(".ts")).to_have_attribute("aria-busy", "false")
    box = await page.locator(".ts-chart .u-over").nth(index).bounding_box()
    assert box
    return box


def x_at(box: dict[str, float], t: float, t0: float, t1: float) -> float:
    return box["x"] + (t - t0) / (t1 - t0) * box["width"]



async def test_range_and_instant_labelled_and_submitted(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project, (task_id,) = make_project(server, signed_in, CONFIG, [{"ts": series()}])
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    box = await plot_box(page)
    await expect(page.locator(".ts-legend").first).to_contain_text("Velocity (m/s)")
    await expect(page.locator(".ts-status")).to_contain_text("200 samples")
    y = box["y"] + box["height"] / 2
    t0, t1 = 0.0, 99.5

    # A drag without a label waits for one; picking "Run" labels it.
    await drag(page, (x_at(box, 10, t0, t1), y), (x_at(box, 30, t0, t1), y))
    await expect(page.locator(".ts-note")).to_contain_text("pick a label")
    await page.keyboard.press("1")
    await expect(page.locator(".ts")).to_have_attribute("aria-label", "Time series ts, 1 regions")
    await page.keyboard.press("u")

    # Arm "Walk" and click: an instant.
    await page.keyboard.press("2")
    await page.mouse.click(x_at(box, 60, t0, t1), y)
    await expect(page.locator(".ts")).to_have_attribute("aria-label", "Time series ts, 2 regions")
    await page.keyboard.press("u")
    # Select the instant and drag it from 60 to 65.
    await page.mouse.click(x_at(box, 60, t0, t1), y)
    await expect(page.locator(".ts-status")).to_contain_text("Selected instant 60")
    await drag(page, (x_at(box, 60, t0, t1), y), (x_at(box, 65, t0, t1), y))
    await expect(page.locator(".ts-status")).to_contain_text("Selected instant 65")
    await page.keyboard.press("u")

    # Select the range, drag its right edge from 30 to 35, comment on it, extend it one step left.
    await page.mouse.click(x_at(box, 20, t0, t1), y)
    await expect(page.locator(".ts-status")).to_contain_text("Selected 10 – 30")
    await drag(page, (x_at(box, 30, t0, t1), y), (x_at(box, 35, t0, t1), y))
    await expect(page.locator(".ts-status")).to_contain_text("Selected 10 – 35")
    await page.keyboard.press("ArrowLeft")
    await expect(page.locator(".ts-status")).to_contain_text("Selected 9.5 – 35")
    field = page.get_by_role("textbox", name="comment: new entry")
    await field.fill("warm-up")
    await field.press("Enter")
    await field.evaluate("e => e.blur()")
    await page.get_by_role("checkbox", name="Sport").click()
    await shot(page, "timeseries-labeling-light")
    await set_theme(page, "dark")
    await shot(page, "timeseries-labeling-dark")
    await set_theme(page, "light")

    (annotation,) = await submit_and_read(page, server, signed_in, task_id)
    items = annotation["result"]
    ranges = [item for item in items if item["type"] == "timeserieslabels"]
    by_label = {item["value"]["timeserieslabels"][0]: item for item in ranges}
    run, walk = by_label["Run"], by_label["Walk"]
    assert run == {"id": run["id"], "from_name": "label", "to_name": "ts", "type": "timeserieslabels", "origin": "manual",
                   "value": {"start": 9.5, "end": 35, "instant": False, "timeserieslabels": ["Run"]}}
    assert walk == {"id": walk["id"], "from_name": "label", "to_name": "ts", "type": "timeserieslabels", "origin": "manual",
                    "value": {"start": 65, "end": 65, "instant": True, "timeserieslabels": ["Walk"]}}
    (comment,) = [item for item in items if item["type"] == "textarea"]
    assert comment == {"id": run["id"], "from_name": "comment", "to_name": "ts", "type": "textarea", "origin": "manual",
                       "value": {"start": 9.5, "end": 35, "instant": False, "text": ["warm-up"]}}
    (choice,) = [item for item in items if item["type"] == "choices"]
    assert {k: v for k, v in choice.items() if k != "id"} == {"from_name": "activity", "to_name": "ts", "type": "choices",
                                                             "origin": "manual", "value": {"choices": ["Sport"]}}


async def test_csv_by_url_with_dates_and_a_bad_file(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    await page.route("https://data.example.com/*.csv", lambda route: route.fulfill(
        status=200, content_type="text/csv", headers={"Access-Control-Allow-Origin": "*"},
        body=csv_text(bad_row=7) if "bad" in route.request.url else csv_text()))
    project, (good, bad) = make_project(server, signed_in, CSV_CONFIG, [
        {"csv": "https://data.example.com/good.csv"}, {"csv": "https://data.example.com/bad.csv"}])
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label?task={good}")
    box = await plot_box(page)
    await expect(page.locator(".ts-overview")).to_be_visible()
    # overviewWidth="50%": the first minute of two is shown
    await expect(page.locator(".ts-status")).to_contain_text("120 samples")
    t0, t1 = 0.0, 59.5  # seconds shown
    y = box["y"] + box["height"] / 2
    await page.keyboard.press("1")
    await drag(page, (x_at(box, 10, t0, t1), y), (x_at(box, 42, t0, t1), y))
    await expect(page.locator(".ts")).to_have_attribute("aria-label", "Time series ts, 1 regions")
    await shot(page, "timeseries-csv-dates")
    (annotation,) = await submit_and_read(page, server, signed_in, good)
    (item,) = annotation["result"]
    assert item == {"id": item["id"], "from_name": "evt", "to_name": "ts", "type": "timeserieslabels", "origin": "manual",
                    "value": {"start": "2024-01-01 00:00:10", "end": "2024-01-01 00:00:42", "instant": False, "timeserieslabels": ["Spike"]}}

    await open_labeling(page, f"{server.url}/projects/{project['id']}/label?task={bad}")
    error = page.locator(".ts-error")
    await expect(error).to_contain_text('Row 7, column "temp": "hot" is not a number')
    await shot(page, "timeseries-csv-error")


async def test_sync_with_audio(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    """A click on the series seeks the audio; a range selection seeks it to the range; playing the
    audio moves the series' cursor (times in seconds: the time column's numbers)."""
    with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
        project = http.post("/api/projects/", json={"title": "Synced", "label_config": SYNC_CONFIG}).json()
        audio = "data:audio/wav;base64," + base64.b64encode(quiet_wav(4.0)).decode()
        ts = {"time": [i / 50 for i in range(200)], "velocity": [math.sin(i / 10) for i in range(200)]}  # 0 .. 3.98 s
        response = http.post(f"/api/projects/{project['id']}/import", json=[{"audio": audio, "ts": ts}])
        assert response.status_code == 201, response.text
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await expect(page.locator(".la-audio")).to_have_attribute("data-state", "ready")
    box = await plot_box(page)
    y = box["y"] + box["height"] / 2
    t0, t1 = 0.0, 3.98

    await page.mouse.click(x_at(box, 2.0, t0, t1), y)
    await expect(page.locator(".la-current")).to_contain_text("0:02.00")
    await page.keyboard.press("1")
    await drag(page, (x_at(box, 1.0, t0, t1), y), (x_at(box, 1.5, t0, t1), y))
    await page.keyboard.press("u")
    await page.mouse.click(x_at(box, 1.2, t0, t1), y)
    await expect(page.locator(".la-current")).to_contain_text("0:01.00")

    await page.keyboard.press("Control+p")
    await page.wait_for_timeout(600)
    await page.keyboard.press("Control+p")
    cursor = float(await page.locator(".ts").get_attribute("data-cursor") or "0")
    assert 1.2 < cursor < 3.0, cursor
    await shot(page, "timeseries-sync-audio")


async def test_gallery_templates_render(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    """Every time-series template of the gallery, in the config preview with its sample data."""
    await page.goto(server.url + "/projects")
    templates = [t for t in (await page.evaluate("() => fetch('/api/templates').then((r) => r.json())"))["templates"]
                 if t["name"].startswith("timeseries.")]
    assert len(templates) >= 4
    for template in templates:
        sample = await page.evaluate(
            """async (config) => {
              const { api } = await import('/static/core/app/api.js');
              return (await api.post('/api/labeling/tree', { label_config: config })).sample_task;
            }""",
            template["config"],
        )
        theme = "dark" if template["name"] == "timeseries.change-points" else "light"
        await page.evaluate(MOUNT, [template["config"], sample or {}, theme])
        await expect(page.locator("#controls-harness .ts")).to_have_attribute("aria-busy", "false")
        await expect(page.locator("#controls-harness .ts-error")).to_have_count(0)
        await expect(page.locator("#controls-harness .ts-chart canvas").first).to_be_visible()
        await shot(page, "timeseries-template-" + template["name"].split(".")[1])
