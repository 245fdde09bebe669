"""Task files read from a storage object as a stream: one JSON task, a JSON array of tasks
(streamed with ijson, so a 100k-task file never sits in memory) or JSONL, one task a line.

Everything here is blocking: the sync job drives the generators from a worker thread.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import ijson
import msgspec

from ..errors import StorageError
from ..specs import StorageConnector, StorageRead

TASK_FILE_SUFFIXES = (".json", ".jsonl")
MAX_SINGLE_TASK = 64 << 20  # bytes of a file holding one JSON object

_json = msgspec.json.Decoder()


class ChunkReader(io.RawIOBase):
    """A file object over a :class:`StorageRead`'s chunk iterator (what ijson and line reading need)."""

    def __init__(self, read: StorageRead) -> None:
        self._chunks = iter(read.chunks)
        self._rest = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._rest:
            try:
                self._rest = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._rest))
        buffer[:size] = self._rest[:size]
        self._rest = self._rest[size:]
        return size


class TaskFileError(StorageError):
    """A row or the whole file cannot be read as tasks (the message names where)."""


def is_task_file(key: str) -> bool:
    return key.lower().endswith(TASK_FILE_SUFFIXES)


def task_rows(connector: StorageConnector, key: str, *, start_row: int = 0) -> Iterator[tuple[int, Any]]:
    """``(row index, task JSON)`` of every task in object ``key`` from ``start_row`` on."""
    if not is_task_file(key):
        raise TaskFileError(
            f"'{key}' is not a task file (.json or .jsonl). To make one task per media file, "
            "turn on 'Treat every object as a source file'."
        )
    read = connector.open(key)
    try:
        stream = io.BufferedReader(ChunkReader(read), buffer_size=256 * 1024)
        if key.lower().endswith(".jsonl"):
            yield from _jsonl(stream, key, start_row)
        else:
            yield from _json_document(stream, key, start_row)
    finally:
        read.close()


def _short(exc: Exception) -> str:
    """yajl's message without its ASCII-art pointer ("parse error: premature EOF")."""
    return str(exc).split("\n")[0].split("(right here)")[0].strip()


def _jsonl(stream: io.BufferedReader, key: str, start_row: int) -> Iterator[tuple[int, Any]]:
    row = 0
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        if row >= start_row:
            try:
                yield row, _json.decode(line)
            except msgspec.DecodeError as exc:
                raise TaskFileError(f"'{key}' line {number} is not valid JSON ({exc})") from None
        row += 1


def _json_document(stream: io.BufferedReader, key: str, start_row: int) -> Iterator[tuple[int, Any]]:
    head = stream.peek(64)[:64].lstrip()
    if head.startswith(b"\xef\xbb\xbf"):
        stream.read(3)
        head = head[3:].lstrip()
    if head.startswith(b"["):
        try:
            for row, item in enumerate(ijson.items(stream, "item", use_float=True)):
                if row >= start_row:
                    yield row, item
        except ijson.JSONError as exc:
            raise TaskFileError(f"'{key}' is not valid JSON ({_short(exc)})") from None
        return
    data = stream.read(MAX_SINGLE_TASK + 1)
    if len(data) > MAX_SINGLE_TASK:
        raise TaskFileError(f"'{key}' holds one JSON object larger than {MAX_SINGLE_TASK >> 20} MB")
    try:
        document = _json.decode(data)
    except msgspec.DecodeError as exc:
        raise TaskFileError(f"'{key}' is not valid JSON ({exc})") from None
    if not isinstance(document, dict):
        raise TaskFileError(f"'{key}' must hold a task object or a list of tasks")
    if start_row == 0:
        yield 0, document


__all__ = ["ChunkReader", "StorageError", "TaskFileError", "is_task_file", "task_rows"]
