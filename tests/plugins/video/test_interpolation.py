"""Label Studio's interpolate_key_frames expansion, checked against Label Studio's own function."""

from __future__ import annotations

import copy
import random

import pytest
from label_studio_sdk._extensions.label_studio_tools.postprocessing.video import extract_key_frames

from labelloom.plugins.video.interpolation import interpolate_results, interpolate_sequence


def kf(frame, x, enabled=True, **extra):
    return {"frame": frame, "enabled": enabled, "rotation": 0, "x": x, "y": 38, "width": 41, "height": 22,
            "time": frame / 10, **extra}


def track(sequence, frames=10, duration=1.0):
    return {"id": "t1", "from_name": "box", "to_name": "video", "type": "videorectangle", "origin": "manual",
            "value": {"framesCount": frames, "duration": duration, "sequence": sequence, "labels": ["Car"]}}


CASES = [
    [kf(1, 38), kf(5, 40, False, y=49, rotation=30)],
    [kf(1, 38), kf(5, 40)],
    [kf(1, 38)],
    [kf(1, 38, False)],
    [kf(1, 38), kf(5, 40, False), kf(11, 38), kf(15, 40, False)],
    [kf(3, 10), kf(3, 20)],  # two keyframes on one frame (bad data) survive as Label Studio leaves them
    [kf(8, 10), kf(2, 30)],  # out of order
]


@pytest.mark.parametrize("sequence", CASES)
def test_same_as_label_studio(sequence):
    results = [track(sequence, frames=20, duration=2.0), {"id": "c", "type": "choices", "value": {"choices": ["A"]}}]
    before = copy.deepcopy(results)
    assert interpolate_results(results) == extract_key_frames(copy.deepcopy(results))
    assert results == before  # not changed in place


def test_random_tracks_same_as_label_studio():
    rng = random.Random(7)
    for _ in range(200):
        frames = sorted(rng.sample(range(1, 80), rng.randint(1, 6)))
        sequence = [
            {"frame": f, "enabled": rng.random() > 0.3, "rotation": rng.uniform(0, 40), "x": rng.uniform(0, 80),
             "y": rng.uniform(0, 80), "width": rng.uniform(1, 20), "height": rng.uniform(1, 20), "time": f / 25}
            for f in frames
        ]
        results = [track(sequence, frames=rng.choice([0, 60, 100]), duration=rng.choice([0, 4.0]))]
        assert interpolate_results(results) == extract_key_frames(copy.deepcopy(results))


def test_values_between_keyframes():
    out = interpolate_sequence([kf(1, 38, time=1.22), kf(5, 40, False, y=49, width=56, height=34, rotation=30, time=3.44)],
                               frames_count=10_000)
    assert [f["frame"] for f in out] == [1, 2, 3, 4, 5]
    mid = out[2]
    assert (mid["x"], mid["y"], mid["width"], mid["height"], mid["rotation"], mid["time"]) == (39, 43.5, 48.5, 28, 15, 2.33)
    assert mid["auto"] and not out[0].get("auto") and not out[4].get("auto")
    held = interpolate_sequence([kf(1, 38, time=1)], frames_count=10, duration=9)
    assert len(held) == 10 and held[9]["x"] == 38 and held[9]["time"] == 9 and held[9]["auto"]
    assert interpolate_sequence([kf(1, 38, False)], frames_count=10) == [kf(1, 38, False)]
    assert interpolate_results([track([])]) == []
