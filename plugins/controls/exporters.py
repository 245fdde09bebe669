"""Label Studio's four generic export formats: JSON, JSON_MIN, CSV and TSV.

Each writer streams: it serialises the tasks batch by batch and yields bytes as it goes. The
layouts follow Label Studio's converter (``label_studio_sdk.converter``): JSON_MIN and CSV/TSV
have one row per submitted (not skipped) annotation, newest first, plus one row for each task
without annotations.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any

import msgspec

from labelloom.core.plugin import (
    IMAGE_SIZE_KEYS, ExporterSpec, annotation_fields, annotator, converter_items, submitted_newest_first,
    write_tasks_json,
)

ANNOTATION_KEYS = ("annotator", "annotation_id", "created_at", "updated_at", "lead_time")
# Single-item results of these tags collapse to a bare string in the flat formats.
COLLAPSED = {"Choices": "choices", "TextArea": "text"}


async def write_json(context: Any) -> AsyncIterator[bytes]:
    """The tasks as they are (the snapshot layout): ``[\\n`` + indented records + ``\\n]``."""
    async for chunk in write_tasks_json(context.batches(raw_json=True)):
        yield chunk


# --- flat rows (JSON_MIN, CSV, TSV) -------------------------------------------------------------


def ls_json(value: Any, indent: int | None = None) -> str:
    """JSON text as Label Studio's converter writes it (ujson's defaults): compact separators,
    or stdlib-style indentation, non-ASCII kept, and forward slashes escaped (a ``/`` only
    occurs inside strings, so replacing it is safe). msgspec, not the stdlib, whose indenting
    encoder is pure Python and several times slower; it also writes floats as ujson does
    (``1e-7``), except exponents of 16 and more (``1e20``, ujson ``1e+20``)."""
    raw = msgspec.json.encode(value)
    if indent:
        raw = msgspec.json.format(raw, indent=indent)
    return raw.replace(b"/", b"\\/").decode()


def prettify(values: list[dict[str, Any]]) -> Any:
    """A control's values for one annotation: a bare string for one choice / one text, else the
    list of value dicts (without their ``type``)."""
    out: list[Any] = []
    tag = None
    for value in values:
        value = dict(value)
        tag = value.pop("type")
        key = COLLAPSED.get(tag)
        if key and isinstance(value.get(key), list) and len(value[key]) == 1:
            out.append(value[key][0])
        else:
            out.append(value)
    return out[0] if tag in COLLAPSED and len(out) == 1 else out


def _annotation_fields(item: dict[str, Any], *, as_id: bool) -> dict[str, Any]:
    return {
        "annotator": annotator(item, as_id=as_id),
        "annotation_id": item["annotation_id"],
        "created_at": item["created_at"],
        "updated_at": item["updated_at"],
        "lead_time": item["lead_time"],
    }


async def flat_items(context: Any) -> AsyncIterator[list[dict[str, Any]]]:
    async for batch in context.batches():
        yield [item for task in batch for item in converter_items(context, task)]


async def write_json_min(context: Any) -> AsyncIterator[bytes]:
    yield b"[\n"
    first = True
    async for items in flat_items(context):
        chunk = bytearray()
        for item in items:
            record = dict(item["input"])
            record["id"] = item["id"]
            for name, values in item["output"].items():
                record[name] = prettify(values)
            record.update(_annotation_fields(item, as_id=True))
            if not first:
                chunk += b",\n"
            chunk += ls_json(record, indent=2).encode()
            first = False
        yield bytes(chunk)
    yield b"\n]"


# --- CSV and TSV ----------------------------------------------------------------------------------
#
# Label Studio's header is the sorted union of every row's keys, known only after the last row,
# and a row lacking a column has an empty cell there. The tasks are read once: each batch's rows
# are written at once as CSV text in their own columns (their keys, sorted) to a temporary file,
# in runs of rows with the same keys (a "shape"). Once the header is known, runs whose shape has
# every column are copied as they are; the others get an empty cell for each column they lack.

RUN = struct.Struct("<III")  # a run's head in the spool file: shape, rows, bytes
CHUNK = 1 << 18  # bytes handed to the response at a time
# An annotation's own columns for a task without annotations.
NO_ANNOTATION = {"annotator": None, "annotation_id": None, "created_at": None, "updated_at": None, "lead_time": None}


def decoded(value: Any) -> Any:
    """A JSON column's value, whether the source decoded it or handed on its text (``raw_json``)."""
    return msgspec.json.decode(value) if isinstance(value, msgspec.Raw) else value


def csv_rows(context: Any, task: Any) -> list[dict[str, Any]]:
    """The task's rows (the converter's items, as Label Studio's CSV flattens them): per submitted
    annotation, newest first, its controls' values, then the data, then the annotation's own
    columns (later keys win); one row without values for a task without annotations."""
    inputs = _input_cells(decoded(task["data"]))
    if not task.get("annotations"):
        return [{"id": task["id"], **inputs, **NO_ANNOTATION}]
    return [{"id": task["id"], **_output_cells(context, annotation), **inputs, **_annotation_cells(annotation)}
            for annotation in submitted_newest_first(task)]


def _input_cells(data: dict[str, Any]) -> dict[str, Any]:
    return {key: ls_json(value) if isinstance(value, (dict, list)) else value for key, value in data.items()}


def _annotation_cells(annotation: Any) -> dict[str, Any]:
    return {"annotator": annotator({"completed_by": annotation.get("completed_by", {})}), **annotation_fields(annotation)}


def _output_cells(context: Any, annotation: Any) -> dict[str, str]:
    """One cell per control with results: :func:`prettify` of its values, as text (JSON unless
    it collapsed to a string). Results of controls the config no longer has are left out."""
    grouped: dict[str, list[Any]] = {}
    tags: dict[str, str] = {}
    for result in decoded(annotation.get("result")) or ():
        name = result.get("from_name")
        tag = context.control_tag(name) if name else None
        value = result.get("value")
        if tag is None or not isinstance(value, dict):
            continue
        tags[name] = tag
        grouped.setdefault(name, []).append(_pretty_value(value, result, COLLAPSED.get(tag)))
    cells = {}
    for name, values in grouped.items():
        pretty = values[0] if len(values) == 1 and tags[name] in COLLAPSED else values
        cells[name] = pretty if isinstance(pretty, str) else ls_json(pretty)
    return cells


def _pretty_value(value: dict[str, Any], result: dict[str, Any], collapsed_key: str | None) -> Any:
    """One result value as :func:`prettify` gives it: the lone choice or text, or the value
    without ``type`` and with the image size beside it (a copy only when that changes it)."""
    if collapsed_key:
        inner = value.get(collapsed_key)
        if isinstance(inner, list) and len(inner) == 1:
            return inner[0]
    sizes = [key for key in IMAGE_SIZE_KEYS if key in result]
    if "type" not in value and not sizes:
        return value
    value = dict(value)
    value.pop("type", None)
    for key in sizes:
        value[key] = result[key]
    return value


class Shapes:
    """The distinct key sets of the rows written so far, each with its keys sorted."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, ...], int] = {}
        self.columns: list[list[str]] = []
        self.cells: list[Callable[[dict[str, Any]], tuple[Any, ...]]] = []

    def of(self, row: dict[str, Any]) -> int:
        keys = tuple(row)
        shape = self.ids.get(keys)
        if shape is None:
            shape = self.ids[keys] = len(self.columns)
            self.columns.append(sorted(keys))
            self.cells.append(itemgetter(*self.columns[shape]))  # a row's values in that order
        return shape

    def header(self) -> list[str]:
        return sorted({column for columns in self.columns for column in columns} | set(ANNOTATION_KEYS))


def csv_cell(value: Any, delimiter: str) -> str:
    """A cell as ``csv.writer(quoting=QUOTE_NONNUMERIC)`` writes it, several times faster for the
    values rows hold: text quoted (inner quotes doubled), None as ``""``, numbers as they print."""
    kind = type(value)
    if kind is str:
        return '"' + value.replace('"', '""') + '"'
    if value is None:
        return '""'
    if kind is int or kind is float or kind is bool:
        return str(value)
    buffer = io.StringIO()  # anything else: the csv module itself
    csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, delimiter=delimiter, lineterminator="").writerow([value])
    return buffer.getvalue()


def spool_rows(spool: Any, rows: list[dict[str, Any]], shapes: Shapes, delimiter: str) -> None:
    """Write the rows as CSV in their own columns, run by run of one shape: a run's head, then its text."""
    for shape, run in groupby(rows, shapes.of):
        cells = shapes.cells[shape]
        lines = [delimiter.join([csv_cell(value, delimiter) for value in cells(row)]) for row in run]
        text = ("\r\n".join(lines) + "\r\n").encode()
        spool.write(RUN.pack(shape, len(lines), len(text)))
        spool.write(text)


class Widening:
    """Rewrites runs of rows written in their own columns to the header's columns: an empty cell
    (``""``, as the csv module writes a missing value) for each column a shape lacks. A regex
    substitution over the run's text: each match is one row, a group per cell. Every cell but a
    number is quoted (``"`` ... ``"``, inner quotes doubled), and a number holds no delimiter,
    quote or line break, so cells and rows are told apart exactly."""

    def __init__(self, shapes: Shapes, header: list[str], delimiter: str) -> None:
        self.shapes, self.header, self.delimiter = shapes, header, delimiter.encode()
        self.rules: dict[int, tuple[re.Pattern[bytes], bytes] | None] = {}

    def __call__(self, shape: int, rows: int, text: bytes) -> bytes:
        if shape not in self.rules:
            self.rules[shape] = self._rule(self.shapes.columns[shape])
        rule = self.rules[shape]
        if rule is None:  # the shape has every column
            return text
        pattern, template = rule
        widened, matched = pattern.subn(template, text)
        if matched != rows:
            raise RuntimeError(f"CSV spool: {matched} of {rows} rows matched")  # never: csv_cell wrote them
        return widened

    def _rule(self, columns: list[str]) -> tuple[re.Pattern[bytes], bytes] | None:
        if len(columns) == len(self.header):
            return None
        delimiter = re.escape(self.delimiter)
        cell = rb'("[^"]*(?:""[^"]*)*"|[^"\r\n' + delimiter + rb"]+)"
        pattern = re.compile(delimiter.join([cell] * len(columns)) + rb"\r\n")
        group = {column: b"\\g<%d>" % number for number, column in enumerate(columns, 1)}
        template = self.delimiter.join(group.get(column, b'""') for column in self.header) + b"\r\n"
        return pattern, template


def spooled_runs(spool: Any) -> Iterator[tuple[int, int, bytes]]:
    spool.seek(0)
    while head := spool.read(RUN.size):
        shape, rows, size = RUN.unpack(head)
        yield shape, rows, spool.read(size)


def csv_writer(delimiter: str) -> Any:
    async def write(context: Any) -> AsyncIterator[bytes]:
        shapes = Shapes()
        with tempfile.TemporaryFile() as spool:  # on disk: memory stays flat at any size
            async for batch in context.batches(raw_json=True):
                spool_rows(spool, [row for task in batch for row in csv_rows(context, task)], shapes, delimiter)
            header = shapes.header()
            chunk = bytearray((delimiter.join([csv_cell(column, delimiter) for column in header]) + "\r\n").encode())
            widen = Widening(shapes, header, delimiter)
            for shape, rows, text in spooled_runs(spool):
                chunk += widen(shape, rows, text)
                if len(chunk) >= CHUNK:
                    yield bytes(chunk)
                    chunk.clear()
            yield bytes(chunk)

    return write


LS_DOCS = "https://labelstud.io/guide/export.html"

EXPORTERS = [
    ExporterSpec(
        name="JSON",
        title="JSON",
        description="List of items in raw JSON format stored in one JSON file. Use to export both the data "
        "and the annotations for a dataset. It's Label Studio Common Format",
        media_type="application/json",
        file_extension="json",
        link=LS_DOCS + "#JSON",
        write=write_json,
    ),
    ExporterSpec(
        name="JSON_MIN",
        title="JSON-MIN",
        description='List of items where only "from_name", "to_name" values from the raw JSON format are '
        "exported. Use to export only the annotations for a dataset.",
        media_type="application/json",
        file_extension="json",
        link=LS_DOCS + "#JSON-MIN",
        write=write_json_min,
    ),
    ExporterSpec(
        name="CSV",
        title="CSV",
        description='Results are stored as comma-separated values with the column names specified by the '
        'values of the "from_name" and "to_name" fields.',
        media_type="text/csv",
        file_extension="csv",
        link=LS_DOCS + "#CSV",
        write=csv_writer(","),
    ),
    ExporterSpec(
        name="TSV",
        title="TSV",
        description='Results are stored in tab-separated tabular file with column names specified by '
        '"from_name" "to_name" values',
        media_type="text/tab-separated-values",
        file_extension="tsv",
        link=LS_DOCS + "#TSV",
        write=csv_writer("\t"),
    ),
]
