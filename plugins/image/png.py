"""Minimal writers for 8-bit greyscale masks, as PNG and as NumPy ``.npy`` (Pillow and NumPy
are not run-time dependencies)."""

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


def grey_npy(pixels: bytes, width: int, height: int) -> bytes:
    """The same mask as a NumPy ``.npy`` file (``uint8``, shape ``(height, width)``), byte for byte
    what ``numpy.save`` writes."""
    if len(pixels) != width * height:
        raise ValueError(f"{len(pixels)} pixels do not fill {width}x{height}")
    header = "{'descr': '|u1', 'fortran_order': False, 'shape': (%d, %d), }" % (height, width)
    header += " " * (21 - len(repr(height)))  # numpy leaves room for the first axis to grow
    size = len(header) + 1  # + the closing newline
    padding = 64 - (10 + size) % 64  # magic (6) + version (2) + length (2), aligned to 64
    return (b"\x93NUMPY\x01\x00" + struct.pack("<H", size + padding) + header.encode("latin1")
            + b" " * padding + b"\n" + pixels)
