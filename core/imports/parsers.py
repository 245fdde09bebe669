"""Turns import sources (JSON, JSONL, CSV, TSV, TXT) into raw task items with their location.

Every item carries where it came from ("item 3", "file.csv line 12") so an error can say where.
Line-based formats are read line by line; nothing is parsed twice.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import msgspec

from ..errors import ValidationFailed

UNDEFINED_KEY = "$undefined$"  # Label Studio's key for one-column data, renamed on import
TASK_FORMATS = {".json", ".jsonl", ".csv", ".tsv", ".txt"}
_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")

_json = msgspec.json.Decoder()


@dataclass(frozen=True)
class RawItem:
    where: str
    value: Any


def invalid(where: str, message: str, field: str = "tasks") -> ValidationFailed:
    return ValidationFailed(f"{where}: {message}", validation_errors={field: [f"{where}: {message}"]})


def from_json_bytes(raw: bytes, source: str = "") -> Iterator[RawItem]:
    """A JSON list of tasks or one task object."""
    prefix = f"{source} " if source else ""
    try:
        document = _json.decode(raw)
    except msgspec.DecodeError as exc:
        raise invalid(f"{prefix}JSON".strip(), f"cannot be parsed ({exc})") from None
    if isinstance(document, dict):
        yield RawItem(f"{prefix}item 0", document)
    elif isinstance(document, list):
        for index, item in enumerate(document):
            yield RawItem(f"{prefix}item {index}", item)
    else:
        raise invalid(f"{prefix}JSON".strip(), "must be a list of tasks or one task object")


def from_jsonl(stream: IO[bytes], source: str) -> Iterator[RawItem]:
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            yield RawItem(f"{source} line {number}", _json.decode(line))
        except msgspec.DecodeError as exc:
            raise invalid(f"{source} line {number}", f"is not valid JSON ({exc})") from None


def _cell(value: str) -> Any:
    """CSV cells that are plain numbers become numbers, as Label Studio's pandas reader does."""
    if _NUMBER.fullmatch(value):
        number = float(value)
        return int(value) if number.is_integer() and "." not in value and "e" not in value.lower() else number
    return value


def from_delimited(stream: IO[bytes], source: str, delimiter: str | None) -> Iterator[RawItem]:
    """CSV/TSV with a header row of data keys; the CSV separator is detected from the header."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    header_line = text.readline()
    if not header_line.strip():
        raise invalid(source, "is empty: the first line must name the columns")
    if delimiter is None:
        delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    header = next(csv.reader([header_line], delimiter=delimiter))
    if len(set(header)) != len(header) or any(not h.strip() for h in header):
        raise invalid(f"{source} line 1", "column names must be unique and non-empty")
    reader = csv.reader(text, delimiter=delimiter)
    for row in reader:
        if not row or all(not cell for cell in row):
            continue
        number = reader.line_num + 1
        if len(row) != len(header):
            raise invalid(f"{source} line {number}", f"has {len(row)} columns, the header has {len(header)}")
        yield RawItem(f"{source} line {number}", {key: _cell(cell) for key, cell in zip(header, row)})


def from_txt(stream: IO[bytes], source: str) -> Iterator[RawItem]:
    for number, line in enumerate(io.TextIOWrapper(stream, encoding="utf-8-sig"), 1):
        line = line.rstrip("\r\n")
        if line:
            yield RawItem(f"{source} line {number}", {UNDEFINED_KEY: line})


def from_file(name: str, stream: IO[bytes]) -> Iterator[RawItem]:
    extension = extension_of(name)
    if extension == ".json":
        yield from from_json_bytes(stream.read(), name)
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
