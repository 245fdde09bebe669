"""A minimal PNG writer for 8-bit greyscale masks (Pillow is not a run-time dependency)."""

from __future__ import annotations

import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def grey_png(pixels: bytes, width: int, height: int) -> bytes:
    """A PNG (colour type 0, 8 bits) of ``height`` rows of ``width`` bytes."""
    if len(pixels) != width * height:
        raise ValueError(f"{len(pixels)} pixels do not fill {width}x{height}")
    raw = bytearray()
    for row in range(height):
        raw.append(0)  # filter: none
        raw += pixels[row * width:(row + 1) * width]
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(bytes(raw), 6))
            + _chunk(b"IEND", b""))
