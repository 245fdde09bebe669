"""Label Studio's brush masks: the thi.ng ``rle-pack`` bit stream, decoded and encoded in pure
Python (no numpy at run time), bit-for-bit identical to ``static/rle.js``.

Layout (big-endian bit stream): 32 bits value count, 5 bits word size - 1, 4 x 4 bits run-length
field sizes - 1 (default 3, 4, 8, 16 bits); then records of 1 flag bit (1 = one value repeated,
0 = a literal chunk of values), 2 bits selecting the length field, the length - 1, and the
value(s). A mask is the image as RGBA bytes (``height * width * 4``); its alpha channel is the
mask, as Label Studio's converter reads it (``brush.decode_rle``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

RLE_SIZES = (3, 4, 8, 16)


class RleError(ValueError):
    """The bytes are not a valid rle-pack stream."""


class _Bits:
    """Reads big-endian bit fields of up to 32 bits."""

    def __init__(self, data: bytes) -> None:
        self.data = bytes(data) + b"\0" * 5
        self.limit = len(data) * 8
        self.pos = 0

    def read(self, n: int) -> int:
        pos = self.pos
        if pos + n > self.limit:
            raise RleError("the run-length data ends early")
        start = pos >> 3
        window = int.from_bytes(self.data[start:start + 5], "big")
        self.pos = pos + n
        return (window >> (40 - (pos & 7) - n)) & ((1 << n) - 1)


class _BitWriter:
    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.bits = 0

    def write(self, value: int, n: int) -> None:
        self.acc = (self.acc << n) | (value & ((1 << n) - 1))
        self.bits += n
        while self.bits >= 8:
            self.bits -= 8
            self.out.append((self.acc >> self.bits) & 0xFF)
        self.acc &= (1 << self.bits) - 1

    def bytes(self) -> bytes:
        if self.bits:
            return bytes(self.out) + bytes([(self.acc << (8 - self.bits)) & 0xFF])
        return bytes(self.out)


def decode(rle: Sequence[int] | bytes) -> bytearray:
    """The flat values (RGBA bytes for a brush mask) of an rle-pack stream."""
    try:
        data = bytes(rle)
    except (ValueError, TypeError) as exc:
        raise RleError("run-length data must be a list of bytes (0-255)") from exc
    bits = _Bits(data)
    num = bits.read(32)
    word = bits.read(5) + 1
    if word != 8:
        raise RleError(f"brush masks use 8-bit words, not {word}")
    sizes = [bits.read(4) + 1 for _ in range(4)]
    out = bytearray(num)
    i = 0
    while i < num:
        repeated = bits.read(1)
        j = i + 1 + bits.read(sizes[bits.read(2)])
        if j > num:
            raise RleError("a run goes past the declared length")
        if repeated:
            value = bits.read(8)
            if value:
                out[i:j] = bytes((value,)) * (j - i)
            i = j
        else:
            while i < j:
                out[i] = bits.read(8)
                i += 1
    return out


# One "anything but v" pattern per byte value: searching for the end of a run is a C scan.
_OTHER = [re.compile(b"[^" + re.escape(bytes((v,))) + b"]") for v in range(256)]


def _runs(values: bytes) -> Iterable[tuple[int, int]]:
    """(value, length) runs of ``values``."""
    n = len(values)
    i = 0
    while i < n:
        v = values[i]
        match = _OTHER[v].search(values, i + 1)
        j = match.start() if match else n
        yield v, j - i
        i = j


def encode(values: bytes | bytearray | Sequence[int]) -> list[int]:
    """rle-pack bytes of ``values`` (8-bit words, run sizes 3/4/8/16), as Label Studio's editor
    writes them. Follows thi.ng's encoder record for record, except that a final single value
    left over after a 65,536-long run is written (thi.ng drops it, which corrupts the stream)."""
    data = bytes(values)
    num = len(data)
    out = _BitWriter()
    out.write(num, 32)
    out.write(7, 5)
    for size in RLE_SIZES:
        out.write(size - 1, 4)
    limits = [1 << s for s in RLE_SIZES]
    rle3 = limits[3]
    chunk: list[int] = []

    def field(n: int) -> None:
        t = 0 if n < limits[0] else 1 if n < limits[1] else 2 if n < limits[2] else 3
        out.write(t, 2)
        out.write(n, RLE_SIZES[t])

    def write_run(value: int, copies: int) -> None:
        out.write(1, 1)
        field(copies - 1)
        out.write(value, 8)

    def write_chunk() -> None:
        out.write(0, 1)
        field(len(chunk) - 1)
        for v in chunk:
            out.write(v, 8)
        chunk.clear()

    def push(value: int) -> None:
        chunk.append(value)
        if len(chunk) == rle3:
            write_chunk()

    runs = list(_runs(data))
    for index, (value, length) in enumerate(runs):
        last = index == len(runs) - 1
        if length == 1:
            if last:
                # thi.ng keeps the final value pending: it joins a pending chunk or is a run of 1.
                if chunk:
                    chunk.append(value)
                    write_chunk()
                else:
                    write_run(value, 1)
            else:
                push(value)
            continue
        if chunk:
            write_chunk()
        full, rest = divmod(length - 1, rle3)
        for _ in range(full):
            write_run(value, rle3)
        rest += 1  # copies still pending after the full runs
        if rest >= 2 or last:
            write_run(value, rest)
        else:
            push(value)
    return list(out.bytes())


def mask_from_rle(rle: Sequence[int], width: int, height: int) -> bytes:
    """The alpha channel (``height * width`` bytes, row-major) of a brush result."""
    values = decode(rle)
    if len(values) != width * height * 4:
        raise RleError(
            f"mask holds {len(values)} values, but a {width}x{height} image needs {width * height * 4}"
        )
    return bytes(values[3::4])


def rle_from_mask(mask: bytes | bytearray, width: int, height: int) -> list[int]:
    """The brush RLE of a ``height * width`` alpha mask (every channel set to the mask value, as
    Label Studio's converter does in ``mask2rle``)."""
    if len(mask) != width * height:
        raise ValueError(f"mask has {len(mask)} pixels, expected {width * height}")
    rgba = bytearray(len(mask) * 4)
    for channel in range(4):
        rgba[channel::4] = mask
    return encode(rgba)
