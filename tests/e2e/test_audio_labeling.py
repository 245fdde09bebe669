"""Audio labeling in Chromium: uploaded WAV and FLAC files become tasks; a segment is dragged on
the waveform with the armed label, selected, transcribed (per-region TextArea), played with the
hotkeys at another speed, and submitted; the stored JSON has Label Studio's exact shape."""

from __future__ import annotations

import io
import math
import re
import struct
import wave
from typing import Any

import httpx
from playwright.async_api import expect

from tests.e2e.labeling import open_labeling, set_theme, submit_and_read
from tests.e2e.test_image_labeling import drag

SECONDS = 4.0
RATE = 16000
CONFIG = """<View>
  <Labels name="speaker" toName="audio"><Label value="Alice" hotkey="1"/><Label value="Bob" hotkey="2"/></Labels>
  <Audio name="audio" value="$audio"/>
  <TextArea name="transcript" toName="audio" perRegion="true" rows="2" editable="true"/>
  <Choices name="quality" toName="audio"><Choice value="Clean"/><Choice value="Noisy"/></Choices>
</View>"""
STEREO_CONFIG = """<View>
  <Labels name="event" toName="audio"><Label value="Bark" hotkey="1"/></Labels>
  <AudioPlus name="audio" value="$audio" splitChannels="true" height="160"/>
</View>"""


def tone_wav(seconds: float = SECONDS, rate: int = RATE) -> bytes:
    """A 440 Hz tone whose loudness swells and fades like syllables (a 220 Hz one in the second half)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        n = int(seconds * rate)
        w.writeframes(b"".join(
            struct.pack("<h", int(14000 * abs(math.sin(math.pi * 2.5 * i / rate)) ** 2
                                  * math.sin(2 * math.pi * (440 if i < n // 2 else 220) * i / rate)))
            for i in range(n)))
    return out.getvalue()


def stereo_flac(seconds: float = 3.0, rate: int = RATE) -> bytes:
    """Two channels (a tone on the left, silence then a tone on the right), FLAC via PyAV."""
    import av
    import numpy as np

    t = np.arange(int(seconds * rate)) / rate
    left = 0.5 * np.sin(2 * np.pi * 330 * t)
    right = np.where(t > seconds / 2, 0.3 * np.sin(2 * np.pi * 660 * t), 0.0)
    samples = (np.stack([left, right]) * 32767).astype(np.int16)
    out = io.BytesIO()
    with av.open(out, "w", format="flac") as container:
        stream = container.add_stream("flac", rate=rate, layout="stereo")
        frame = av.AudioFrame.from_ndarray(samples.T.reshape(1, -1).copy(), format="s16", layout="stereo")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def make_audio_project(server: Any, admin: Any, config: str, name: str, content: bytes, mime: str) -> tuple[dict[str, Any], int]:
    with httpx.Client(base_url=server.url, headers=admin.headers) as http:
        response = http.post("/api/projects/", json={"title": "Calls", "label_config": config})
        assert response.status_code == 201, response.text
        project = response.json()
        response = http.post(f"/api/projects/{project['id']}/import", files=[("file", (name, content, mime))])
        assert response.status_code == 201, response.text
        (task,) = http.get("/api/tasks", params={"project": project["id"]}).json()["tasks"]
        return project, task["id"]



async def audio_ready(page: Any) -> dict[str, float]:
    await expect(page.locator(".la-audio")).to_have_attribute("data-state", "ready")
    box = await page.locator(".la-wave").bounding_box()
    assert box
    return box



async def test_segment_label_transcribe_play_and_submit(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project, task_id = make_audio_project(server, signed_in, CONFIG, "call.wav", tone_wav(), "audio/wav")
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    box = await audio_ready(page)
    await expect(page.locator(".la-total")).to_contain_text("0:04.00")
    width = box["width"]
    y = box["y"] + box["height"] / 2

    # Without a label the drag explains what to do.
    await drag(page, (box["x"] + width * 0.1, y), (box["x"] + width * 0.3, y))
    await expect(page.locator(".la-note")).to_contain_text("Pick a label first")
    await expect(page.locator(".la-count")).to_have_text("0 segments")

    # Arm Alice (hotkey 1) and drag from 1 s to 2 s.
    await page.keyboard.press("1")
    x1, x2 = box["x"] + width * 0.25, box["x"] + width * 0.5
    await drag(page, (x1, y), (x2, y))
    await expect(page.locator(".la-count")).to_have_text("1 segment")
    # Select it with a click, then transcribe it.
    await page.mouse.click((x1 + x2) / 2, y)
    field = page.get_by_role("textbox", name="transcript: new entry")
    await expect(field).to_be_visible()
    await field.fill("hello there")
    await field.press("Enter")
    await field.evaluate("e => e.blur()")
    # Relabel to Bob while selected.
    await page.keyboard.press("2")
    # Whole-clip choice.
    await page.get_by_role("checkbox", name="Clean").click()

    # Speed, play/pause with Ctrl+P, back with Ctrl+B.
    await page.get_by_label("Playback speed").select_option("1.5")
    await page.keyboard.press("Control+p")
    await expect(page.get_by_role("button", name="Pause")).to_be_visible()
    await page.wait_for_timeout(400)
    await page.keyboard.press("Control+p")
    await expect(page.get_by_role("button", name="Play", exact=True)).to_be_visible()
    rate = await page.evaluate("() => document.querySelector('.la-audio audio.la-media')?.playbackRate ?? null")
    before = await page.locator(".la-current").inner_text()
    await page.keyboard.press("Alt+d")
    await expect(page.locator(".la-current")).not_to_have_text(before)
    await page.get_by_role("button", name="Zoom in").click()
    await expect(page.locator(".la-zoom")).not_to_have_text("100%")
    await shot(page, "audio-labeling-light")
    await set_theme(page, "dark")
    await shot(page, "audio-labeling-dark")
    await set_theme(page, "light")

    (annotation,) = await submit_and_read(page, server, signed_in, task_id)
    items = annotation["result"]
    by_name = {item["from_name"]: item for item in items}
    assert sorted(by_name) == ["quality", "speaker", "transcript"]
    seg = by_name["speaker"]
    assert list(seg["value"]) == ["start", "end", "channel", "labels"]
    assert seg["type"] == "labels" and seg["to_name"] == "audio" and seg["origin"] == "manual"
    assert seg["original_length"] == SECONDS
    assert seg["value"]["labels"] == ["Bob"] and seg["value"]["channel"] == 0
    assert abs(seg["value"]["start"] - 1.0) < 0.05 and abs(seg["value"]["end"] - 2.0) < 0.05
    assert re.fullmatch(r"[A-Za-z0-9_-]{4,}", seg["id"])
    text = by_name["transcript"]
    assert text["id"] == seg["id"] and text["type"] == "textarea"
    assert text["value"] == {"start": seg["value"]["start"], "end": seg["value"]["end"], "channel": 0, "text": ["hello there"]}
    assert by_name["quality"]["value"] == {"choices": ["Clean"]}
    assert rate == 1.5


async def test_split_channels_flac(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project, task_id = make_audio_project(server, signed_in, STEREO_CONFIG, "dogs.flac", stereo_flac(), "audio/flac")
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    box = await audio_ready(page)
    await page.keyboard.press("1")
    # The second lane (right channel), from 1.5 s to 2.4 s of 3 s.
    y = box["y"] + box["height"] * 0.75
    await drag(page, (box["x"] + box["width"] * 0.5, y), (box["x"] + box["width"] * 0.8, y))
    await expect(page.locator(".la-count")).to_have_text("1 segment")
    await shot(page, "audio-split-channels-light")
    (annotation,) = await submit_and_read(page, server, signed_in, task_id)
    (seg,) = annotation["result"]
    assert seg["value"]["channel"] == 1 and seg["value"]["labels"] == ["Bark"]
    assert abs(seg["value"]["start"] - 1.5) < 0.05 and abs(seg["value"]["end"] - 2.4) < 0.05
    assert seg["original_length"] == 3.0


async def test_overlaps_move_resize_lock_delete(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project, task_id = make_audio_project(server, signed_in, CONFIG, "call.wav", tone_wav(), "audio/wav")
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    box = await audio_ready(page)
    y = box["y"] + box["height"] / 2

    def x(seconds: float) -> float:
        return box["x"] + 1 + (box["width"] - 2) * seconds / SECONDS

    count = page.locator(".la-count")
    await page.keyboard.press("1")
    await drag(page, (x(1.0), y), (x(3.0), y))  # Alice 1-3 s
    await expect(count).to_have_text("1 segment")
    await page.keyboard.press("u")
    await page.keyboard.press("2")
    await drag(page, (x(1.5), y), (x(2.0), y))  # Bob 1.5-2 s, over Alice
    await expect(count).to_have_text("2 segments")
    selected = page.locator('.la-segment[data-selected="true"]')
    # A click picks the shorter segment; a second click on the same spot the one below it.
    await page.mouse.click(x(1.75), y)
    await expect(selected).to_have_attribute("title", re.compile("^Bob"))
    await page.wait_for_timeout(350)
    await page.mouse.click(x(1.75), y)
    await expect(selected).to_have_attribute("title", re.compile("^Alice"))
    # Move Alice by +0.5 s, then stretch her end to 3.8 s.
    await drag(page, (x(2.5), y), (x(3.0), y))
    await expect(selected).to_have_attribute("title", re.compile("1.50–3.50 s"))
    await drag(page, (x(3.5) - 3, y), (x(3.8) - 3, y))
    await expect(selected).to_have_attribute("title", re.compile("1.50–3.80 s"))
    await shot(page, "audio-edit-light")
    # Locked: a drag on her body marks nothing and moves nothing.
    await page.keyboard.press("Alt+l")
    await expect(selected).to_have_attribute("title", re.compile("locked"))
    await drag(page, (x(2.5), y), (x(2.0), y))
    await expect(page.locator(".la-note")).to_contain_text("locked")
    await expect(selected).to_have_attribute("title", re.compile("1.50–3.80 s"))
    await expect(count).to_have_text("2 segments")
    await page.keyboard.press("Alt+l")
    # Delete Bob.
    await page.mouse.click(x(1.75), y)
    await expect(selected).to_have_attribute("title", re.compile("^Bob"))
    await page.keyboard.press("Backspace")
    await expect(count).to_have_text("1 segment")
    await set_theme(page, "dark")
    await shot(page, "audio-edit-dark")
    await set_theme(page, "light")

    (annotation,) = await submit_and_read(page, server, signed_in, task_id)
    (seg,) = annotation["result"]
    assert seg["value"]["labels"] == ["Alice"]
    assert abs(seg["value"]["start"] - 1.5) < 0.05 and abs(seg["value"]["end"] - 3.8) < 0.05


async def test_undecodable_audio_says_so_and_offers_a_player(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project, _ = make_audio_project(server, signed_in, CONFIG, "broken.wav", b"RIFF\0\0\0\0WAVEnot audio" * 20, "audio/wav")
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await expect(page.locator(".la-audio")).to_have_attribute("data-state", "failed")
    await expect(page.locator(".la-note")).to_contain_text("could not be drawn")
    await expect(page.locator("audio.la-fallback")).to_have_count(1)
    await shot(page, "audio-broken-light")


SYNC_CONFIG = """<View>
  <Audio name="a" value="$audio" sync="clip"/>
  <Audio name="b" value="$audio" sync="clip"/>
</View>"""


async def test_sync_group_follows_play_pause_and_speed(server: Any, page: Any, signed_in: Any) -> None:
    first_project, task_id = make_audio_project(server, signed_in, CONFIG, "call.wav", tone_wav(), "audio/wav")
    with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
        url = http.get(f"/api/tasks/{task_id}").json()["data"]["audio"]
        project = http.post("/api/projects/", json={"title": "Synced", "label_config": SYNC_CONFIG}).json()
        assert http.post(f"/api/projects/{project['id']}/import", json=[{"audio": url}]).status_code == 201
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    for audio in await page.locator(".la-audio").all():
        await expect(audio).to_have_attribute("data-state", "ready")
    first, second = page.locator(".la-audio").nth(0), page.locator(".la-audio").nth(1)
    await first.get_by_label("Playback speed").select_option("2")
    await expect(second.get_by_label("Playback speed")).to_have_value("2")
    await first.get_by_role("button", name="Play", exact=True).click()
    await expect(second.get_by_role("button", name="Pause")).to_be_visible()
    await first.get_by_role("button", name="Pause").click()
    await expect(second.get_by_role("button", name="Play", exact=True)).to_be_visible()
    times = [await a.locator(".la-current").inner_text() for a in (first, second)]
    assert times[0] != "0:00.00" and abs(float(times[0].split(":")[1]) - float(times[1].split(":")[1])) < 0.3


async def test_spectrogram_option(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    config = """<View><Labels name="kind" toName="audio"><Label value="Tone"/></Labels>
      <Audio name="audio" value="$audio" spectrogram="true" defaultZoom="2" defaultSpeed="1.25"/></View>"""
    project, _ = make_audio_project(server, signed_in, config, "call.wav", tone_wav(), "audio/wav")
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await audio_ready(page)
    await expect(page.locator(".la-audio.has-spectrogram")).to_have_count(1)
    await expect(page.locator(".la-zoom")).to_have_text("200%")
    await expect(page.get_by_label("Playback speed")).to_have_value("1.25")
    canvases = await page.evaluate("""() => {
      const host = [...document.querySelectorAll('.la-wave div')].find((d) => d.shadowRoot);
      return host.shadowRoot.querySelectorAll('canvas').length;
    }""")
    assert canvases >= 2
    await page.wait_for_timeout(300)
    await shot(page, "audio-spectrogram-light")


async def test_prediction_tab_shows_segments_read_only(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project, task_id = make_audio_project(server, signed_in, CONFIG, "call.wav", tone_wav(), "audio/wav")
    predicted = {"from_name": "speaker", "to_name": "audio", "type": "labels", "original_length": SECONDS,
                 "value": {"start": 0.5, "end": 1.5, "channel": 0, "labels": ["Bob"]}}
    with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
        http.post("/api/predictions/", json={"task": task_id, "model_version": "asr-1", "score": 0.8, "result": [predicted]}).raise_for_status()
        http.post(f"/api/tasks/{task_id}/annotations/", json={"result": []}).raise_for_status()
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label?task={task_id}")
    await page.get_by_role("tab", name=re.compile("Prediction · asr-1")).click()
    box = await audio_ready(page)
    await expect(page.locator(".la-count")).to_have_text("1 segment")
    await expect(page.locator(".la-note")).to_contain_text("Read only")
    y = box["y"] + box["height"] / 2
    await page.keyboard.press("1")
    await drag(page, (box["x"] + box["width"] * 0.6, y), (box["x"] + box["width"] * 0.8, y))
    await expect(page.locator(".la-count")).to_have_text("1 segment")
    await page.mouse.click(box["x"] + box["width"] * 0.25, y)  # selecting still works
    await expect(page.locator('.la-segment[data-selected="true"]')).to_have_attribute("title", re.compile("^Bob 0.50–1.50 s"))
    await shot(page, "audio-prediction-light")
