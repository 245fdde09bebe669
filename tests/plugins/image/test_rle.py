"""Brush RLE: Python round trips, Label Studio's converter as the reference decoder/encoder, and
the browser module (static/rle.js, run with node) producing the very same bytes."""

from __future__ import annotations

import io
import json
import random
import subprocess
from pathlib import Path

import numpy as np
import pytest
from label_studio_sdk.converter import brush as ls_brush
from PIL import Image

from labelloom.plugins.image import rle
from labelloom.plugins.image.png import grey_png

STATIC = Path(rle.__file__).parent / "static"


def _cases() -> list[bytes]:
    rand = random.Random(3)
    return [
        b"", b"\0", b"\5\5", bytes([1, 2, 3]), bytes(65536), bytes([9]) * 65537, bytes([255]) * 131073,
        bytes(rand.choice((0, 0, 0, 255)) for _ in range(3000)),
        bytes(35000) + bytes(255 if i % 3 else 7 for i in range(35001)),
        bytes(rand.randrange(256) for _ in range(70000)),
    ]


@pytest.mark.parametrize("values", _cases(), ids=lambda v: f"{len(v)}")
def test_round_trip_and_label_studio_decodes_it(values):
    encoded = rle.encode(values)
    assert bytes(rle.decode(encoded)) == values
    if values:
        assert ls_brush.decode_rle(encoded).tobytes() == values


def test_masks_from_label_studio_converter():
    rand = np.random.default_rng(5)
    for shape in ((2, 3), (48, 64), (300, 200)):
        mask = ((rand.random(shape) > 0.8) * 255).astype(np.uint8)
        mask[: shape[0] // 2] = 0
        ls_rle = ls_brush.mask2rle(mask)
        assert rle.mask_from_rle(ls_rle, shape[1], shape[0]) == mask.tobytes()
        ours = rle.rle_from_mask(mask.tobytes(), shape[1], shape[0])
        decoded = ls_brush.decode_rle(ours).reshape(shape[0], shape[1], 4)[:, :, 3]
        assert np.array_equal(decoded, mask)


def test_damaged_streams_are_refused():
    with pytest.raises(rle.RleError, match="ends early"):
        rle.decode([0, 0, 0, 9, 57])
    with pytest.raises(rle.RleError, match="needs 16"):
        rle.mask_from_rle(rle.encode(bytes(4)), 2, 2)
    with pytest.raises(rle.RleError, match="list of bytes"):
        rle.decode([300])


def test_browser_encoder_writes_the_same_bytes():
    cases = [list(c) for c in _cases()]
    script = (
        "import { encode, decode } from './rle.js';\n"
        "import { readFileSync } from 'node:fs';\n"
        "const cases = JSON.parse(readFileSync(0, 'utf8'));\n"
        "const out = cases.map((c) => ({ enc: encode(c), ok: Array.from(decode(encode(c))).join() === c.join() }));\n"
        "process.stdout.write(JSON.stringify(out));\n"
    )
    done = subprocess.run(["node", "--input-type=module", "-e", script], input=json.dumps(cases), text=True,
                          capture_output=True, cwd=STATIC, check=True)
    results = json.loads(done.stdout)
    for values, result in zip(cases, results):
        assert result["ok"]
        assert result["enc"] == rle.encode(bytes(values))


def test_png_writer():
    mask = bytes((x * y) % 256 for y in range(7) for x in range(5))
    image = Image.open(io.BytesIO(grey_png(mask, 5, 7)))
    assert image.mode == "L" and image.size == (5, 7) and image.tobytes() == mask
