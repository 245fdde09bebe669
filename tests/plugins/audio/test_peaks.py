"""Waveform peaks computed on the server with PyAV: the file format the widget reads, the route
with its cache, and clear errors for files that cannot be decoded or found."""

from __future__ import annotations

import io
import math
import struct
import wave
from pathlib import Path

import numpy as np
import pytest

from labelloom.plugins.audio.peaks import HEADER, MAX_PEAKS, Peaks, Undecodable, compute_peaks, decimate, peaks_rate


def tone_wav(path: Path, seconds: float, rate: int = 8000, channels: int = 1, loud_until: float | None = None) -> Path:
    with wave.open(str(path), "wb") as f:
        f.setnchannels(channels)
        f.setsampwidth(2)
        f.setframerate(rate)
        frames = bytearray()
        for i in range(int(seconds * rate)):
            t = i / rate
            v = int(16384 * math.sin(2 * math.pi * 440 * t)) if loud_until is None or t < loud_until else 0
            frames += struct.pack("<" + "h" * channels, v, *([v // 4] * (channels - 1)))
        f.writeframes(bytes(frames))
    return path


def test_peaks_rate_bounds_the_file_size():
    assert peaks_rate(None) == 100
    assert peaks_rate(10) == 1000
    assert peaks_rate(7200) * 7200 == pytest.approx(MAX_PEAKS)
    assert peaks_rate(10 * 3600 * 24) == 20


def test_mono_wav_peaks(tmp_path):
    peaks = compute_peaks(tone_wav(tmp_path / "a.wav", 2.0, loud_until=1.0))
    assert peaks.duration == 2.0 and peaks.sample_rate == 8000 and peaks.peaks_per_second == 1000
    (channel,) = peaks.channels
    assert len(channel) == 2000
    assert max(channel[:1000]) == 128  # 16384 / 32768 of full scale
    assert max(channel[1000:]) == 0
    again = Peaks.decode(peaks.encode())
    assert again == peaks
    assert len(peaks.encode()) == HEADER.size + 2000


def test_stereo_channels_are_kept_apart(tmp_path):
    peaks = compute_peaks(tone_wav(tmp_path / "s.wav", 1.0, channels=2))
    assert len(peaks.channels) == 2
    assert max(peaks.channels[0]) == 128 and max(peaks.channels[1]) == 32


def test_flac_through_pyav(tmp_path):
    import av

    rate = 16000
    samples = (np.sin(2 * np.pi * 220 * np.arange(rate * 3) / rate) * 8000).astype(np.int16)
    out = io.BytesIO()
    with av.open(out, "w", format="flac") as container:
        stream = container.add_stream("flac", rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    (tmp_path / "x.flac").write_bytes(out.getvalue())
    peaks = compute_peaks(tmp_path / "x.flac")
    assert peaks.duration == 3.0 and len(peaks.channels[0]) == 3000
    assert 60 <= max(peaks.channels[0]) <= 63


def test_garbage_is_undecodable(tmp_path):
    (tmp_path / "bad.wav").write_bytes(b"RIFF....WAVEnot really")
    with pytest.raises(Undecodable):
        compute_peaks(tmp_path / "bad.wav")


def test_decimate_pure_python():
    assert decimate([0.1, -0.5, 0.2, 0.3, -0.9], 2) == [0.5, 0.3, 0.9]


async def test_route_computes_caches_and_explains(client, admin, data_dir):
    media = Path(data_dir) / "media" / "upload" / "1"
    media.mkdir(parents=True, exist_ok=True)
    tone_wav(media / "call.wav", 1.5)
    (media / "broken.mp3").write_bytes(b"ID3 this is not audio at all" * 10)

    r = await client.get("/api/plugins/audio/peaks", params={"src": "/data/upload/1/call.wav"}, headers=admin.headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/octet-stream"
    peaks = Peaks.decode(r.content)
    assert peaks.duration == 1.5 and len(peaks.channels) == 1 and len(peaks.channels[0]) == 1500
    cached = list((Path(data_dir) / "cache" / "audio-peaks").glob("*.peaks"))
    assert len(cached) == 1 and cached[0].read_bytes() == r.content
    cached[0].write_bytes(r.content[:-1] + b"\x07")  # served from the cache from now on
    again = await client.get("/api/plugins/audio/peaks", params={"src": "/data/upload/1/call.wav"}, headers=admin.headers)
    assert again.content[-1:] == b"\x07"

    r = await client.get("/api/plugins/audio/peaks", params={"src": "/data/upload/1/broken.mp3"}, headers=admin.headers)
    assert r.status_code == 422 and "could not be" in r.json()["detail"]
    r = await client.get("/api/plugins/audio/peaks", params={"src": "/data/upload/1/gone.wav"}, headers=admin.headers)
    assert r.status_code == 404
    r = await client.get("/api/plugins/audio/peaks", params={"src": "/data/upload/../../secret_key"}, headers=admin.headers)
    assert r.status_code == 404
    r = await client.get("/api/plugins/audio/peaks", params={"src": "https://example.com/a.mp3"}, headers=admin.headers)
    assert r.status_code == 400 and "browser" in r.json()["detail"]
    r = await client.get("/api/plugins/audio/peaks", params={"src": "/data/upload/1/call.wav"})
    assert r.status_code in (401, 403)


async def test_peaks_job_fills_the_cache(tmp_path):
    from types import SimpleNamespace

    from labelloom.plugins.audio.peaks import PEAKS_JOB, cache_path

    settings = SimpleNamespace(data_dir=str(tmp_path / "data"), media_dir=tmp_path / "data" / "media")
    folder = settings.media_dir / "upload" / "3"
    folder.mkdir(parents=True)
    tone_wav(folder / "long.wav", 2.5, channels=2)
    assert PEAKS_JOB.name == "audio.peaks"
    result = await PEAKS_JOB.function({"settings": settings}, src="/data/upload/3/long.wav")
    assert result == {"duration": 2.5, "channels": 2, "peaks_per_second": 1000.0}
    assert Peaks.decode(cache_path(settings, folder / "long.wav").read_bytes()).duration == 2.5
