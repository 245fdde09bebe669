"""Test videos made with PyAV: each frame shows its number (1-based) on its own colour."""

from __future__ import annotations

import io
import colorsys

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont


def frame_image(number: int, frames: int, width: int, height: int) -> Image.Image:
    r, g, b = colorsys.hsv_to_rgb((number - 1) / max(1, frames), 0.55, 0.85)
    image = Image.new("RGB", (width, height), (int(r * 255), int(g * 255), int(b * 255)))
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=height // 3)
    except TypeError:  # Pillow < 10.1
        font = ImageFont.load_default()
    draw.text((width // 2, height // 2), str(number), fill=(0, 0, 0), font=font, anchor="mm")
    return image


def make_video(frames: int = 60, fps: int = 30, width: int = 320, height: int = 240, fmt: str = "webm") -> bytes:
    """A VP8 WebM (Chromium plays it without proprietary codecs) or an MPEG-4 MP4."""
    out = io.BytesIO()
    container = av.open(out, mode="w", format=fmt)
    stream = container.add_stream("libvpx" if fmt == "webm" else "mpeg4", rate=fps)
    stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
    if fmt == "webm":
        stream.options = {"deadline": "realtime", "cpu-used": "8", "b": "400k"}
    for number in range(1, frames + 1):
        frame = av.VideoFrame.from_ndarray(np.asarray(frame_image(number, frames, width, height)), format="rgb24")
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    container.close()
    return out.getvalue()
