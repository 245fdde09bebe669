"""Turns import sources (JSON, JSONL, CSV, TSV, TXT) into raw task items with their location.

Every item carries where it came from ("item 3", "file.csv line 12") so an error can say where.
Line-based formats are read line by line; nothing is parsed twice.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import IO, Any

import msgspec

from ..errors import ValidationFailed
from .jsonlist import json_items

UNDEFINED_KEY = "$undefined$"  # Label Studio's key for one-column data, renamed on import
TASK_FORMATS = {".json", ".jsonl", ".csv", ".tsv", ".txt"}
_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")

_json = msgspec.json.Decoder()


class RawItem(msgspec.Struct):  # made once per task, so it must be cheap (built in C)
    where: str
    value: Any
    upload: tuple[int, str] | None = None  # the FileUpload (id, file name) the item came from


def invalid(where: str, message: str, field: str = "tasks") -> ValidationFailed:
    return ValidationFailed(f"{where}: {message}", validation_errors={field: [f"{where}: {message}"]})


def from_json(stream: IO[bytes], source: str = "") -> Iterator[RawItem]:
    """A JSON list of tasks (read a region at a time) or one task object."""
    return json_items(stream, source, RawItem)


def from_json_bytes(raw: bytes, source: str = "") -> Iterator[RawItem]:
    return from_json(io.BytesIO(raw), source)


def from_jsonl(stream: IO[bytes], source: str) -> Iterator[RawItem]:
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            value = _json.decode(line)
        except msgspec.DecodeError as exc:
            raise invalid(f"{source} line {number}", f"is not valid JSON ({exc})") from None
        except RecursionError:
            raise invalid(f"{source} line {number}", "is nested too deeply") from None
        yield RawItem(f"{source} line {number}", value)


def _cell(value: str) -> Any:
    """CSV cells that are plain numbers become numbers, as Label Studio's pandas reader does."""
    if _NUMBER.fullmatch(value):
        number = float(value)
        return int(value) if number.is_integer() and "." not in value and "e" not in value.lower() else number
    return value


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _not_utf8(text: Any, source: str) -> ValidationFailed:
    """The error for a file that is not UTF-8, naming the line of the first bad byte (the text
    layer decodes ahead in chunks, so the line is found again in the bytes, on this path only)."""
    raw = getattr(text, "buffer", None)
    try:
        raw.seek(0)
        data = raw.read()
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return invalid(f"{source} line {line}", "is not UTF-8 text")
    except (AttributeError, OSError, ValueError):
        pass
    return invalid(source, "is not UTF-8 text")


class _Lines:
    """The text's lines for ``csv.reader``, keeping those of the record being read, so an error
    names the line a record starts on and an unclosed quote can be told from a short row."""

    __slots__ = ("_it", "current", "exhausted", "last", "source")

    def __init__(self, text: IO[str], source: str, first: int) -> None:
        self._it, self.source, self.last = text, source, first - 1
        self.current: list[str] = []
        self.exhausted = False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        try:
            line = next(self._it)
        except StopIteration:
            self.exhausted = True
            raise
        except UnicodeDecodeError:
            raise _not_utf8(self._it, self.source) from None
        self.last += 1
        self.current.append(line)
        return line


def _ends_in_quotes(lines: list[str], delimiter: str, quote: str = '"') -> bool:
    """Whether a record's text ends inside a quoted field (the csv module's lenient reading)."""
    at_start, quoted, after_quote = True, False, False
    for line in lines:
        for char in line:
            if quoted:
                if char == quote:
                    quoted, after_quote = False, True
                continue
            if after_quote and char == quote:  # "" inside a quoted field
                quoted, after_quote = True, False
                continue
            after_quote = False
            if char == delimiter or char in "\r\n":
                at_start = True
            elif at_start and char == quote:
                quoted, at_start = True, False
            else:
                at_start = False
    return quoted


def from_delimited(stream: IO[bytes], source: str, delimiter: str | None) -> Iterator[RawItem]:
    """CSV/TSV with a header row of data keys; the CSV separator is detected from the header.

    Errors name the line the record starts on: an unclosed quote ("line 2: a quoted field is
    never closed") rather than the short row it turns the rest of the file into.
    """
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        header_line = text.readline()
    except UnicodeDecodeError:
        raise _not_utf8(text, source) from None
    if not header_line.strip():
        raise invalid(source, "is empty: the first line must name the columns")
    if delimiter is None:
        delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    try:
        header = next(csv.reader([header_line], delimiter=delimiter))
    except (csv.Error, StopIteration) as exc:
        raise invalid(f"{source} line 1", f"cannot be read as a header ({exc})") from None
    if _ends_in_quotes([header_line], delimiter):
        raise invalid(f"{source} line 1", "a quoted field is never closed")
    if len(set(header)) != len(header) or any(not h.strip() for h in header):
        raise invalid(f"{source} line 1", "column names must be unique and non-empty")
    lines = _Lines(text, source, 2)
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        start = lines.last + 1
        lines.current.clear()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise invalid(f"{source} line {start}", f"cannot be read ({exc})") from None
        if lines.exhausted and _ends_in_quotes(lines.current, delimiter):
            raise invalid(f"{source} line {start}", "a quoted field is never closed")
        if not row or all(not cell for cell in row):
            continue
        if len(row) != len(header):
            message = f"has {_plural(len(row), 'column')}, the header has {_plural(len(header), 'column')}"
            if lines.last > start:
                message += f" (a quoted field runs from line {start} to line {lines.last}: is a quote missing?)"
            raise invalid(f"{source} line {start}", message)
        yield RawItem(f"{source} line {start}", {key: _cell(cell) for key, cell in zip(header, row)})


def from_txt(stream: IO[bytes], source: str) -> Iterator[RawItem]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig")
    try:
        for number, line in enumerate(text, 1):
            line = line.rstrip("\r\n")
            if line:
                yield RawItem(f"{source} line {number}", {UNDEFINED_KEY: line})
    except UnicodeDecodeError:
        raise _not_utf8(text, source) from None


def from_file(name: str, stream: IO[bytes]) -> Iterator[RawItem]:
    extension = extension_of(name)
    if extension == ".json":
        yield from from_json(stream, name)
    elif extension == ".jsonl":
        yield from from_jsonl(stream, name)
    elif extension == ".csv":
        yield from from_delimited(stream, name, None)
    elif extension == ".tsv":
        yield from from_delimited(stream, name, "\t")
    elif extension == ".txt":
        yield from from_txt(stream, name)
    else:
        raise invalid(name, f"has an unsupported format {extension or '(no extension)'}", field="file")


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""
