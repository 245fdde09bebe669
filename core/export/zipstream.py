"""A zip archive written as a byte stream: entries are compressed as they are written and the
bytes handed out chunk by chunk, so a multi-file export never sits whole in memory."""

from __future__ import annotations

import time
import zipfile
from typing import IO


class _Sink:
    """A write-only, unseekable file: zipfile then writes data descriptors instead of seeking."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def write(self, data: bytes) -> int:
        self.buffer += data
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        out = bytes(self.buffer)
        self.buffer.clear()
        return out


class ZipStream:
    """``add(name, bytes)`` / ``open(name)`` entries, ``take()`` the bytes produced so far,
    ``close()`` then ``take()`` the central directory."""

    def __init__(self) -> None:
        self._sink = _Sink()
        self._zip = zipfile.ZipFile(self._sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)
        self._stamp = time.localtime()[:6]

    def _info(self, name: str, compress: bool = True) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self._stamp)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        return info

    def add(self, name: str, data: bytes, *, compress: bool = True) -> None:
        """``compress=False`` stores the bytes as they are: media files (JPEG, PNG, WAV, FLAC ...)
        are compressed already or barely shrink, and deflating them costs most of an export."""
        self._zip.writestr(self._info(name, compress), data)

    def add_dir(self, name: str) -> None:
        self._zip.mkdir(name.rstrip("/"))

    def open(self, name: str) -> IO[bytes]:
        return self._zip.open(self._info(name), "w", force_zip64=True)

    def take(self) -> bytes:
        return self._sink.take()

    def close(self) -> bytes:
        self._zip.close()
        return self._sink.take()
