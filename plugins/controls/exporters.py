"""Label Studio's four generic export formats: JSON, JSON_MIN, CSV and TSV.

Each writer streams: it serialises the tasks batch by batch and yields bytes as it goes. The
layouts follow Label Studio's converter (``label_studio_sdk.converter``): JSON_MIN and CSV/TSV
have one row per submitted (not skipped) annotation, newest first, plus one row for each task
without annotations.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import AsyncIterator
from typing import Any

import msgspec

from labelloom.core.plugin import ExporterSpec, annotator, converter_items, write_tasks_json

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


def csv_row(item: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"id": item["id"]}
    for name, values in item["output"].items():
        pretty = prettify(values)
        row[name] = pretty if isinstance(pretty, str) else ls_json(pretty)
    for key, value in item["input"].items():
        row[key] = ls_json(value) if isinstance(value, (dict, list)) else value
    row.update(_annotation_fields(item, as_id=False))
    return row


SPOOL_IN_MEMORY = 8 << 20  # rows above this many bytes wait on disk, not in memory


def csv_writer(delimiter: str) -> Any:
    async def write(context: Any) -> AsyncIterator[bytes]:
        # The header is the sorted union of every row's keys, known only after the last row:
        # rows wait in a spool file (JSON lines) meanwhile, so the tasks are read once and
        # memory stays flat.
        keys = set(ANNOTATION_KEYS)
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
            async for items in flat_items(context):
                lines = bytearray()
                for item in items:
                    row = csv_row(item)
                    keys.update(row)
                    lines += msgspec.json.encode(row)
                    lines += b"\n"
                spool.write(lines)
            spool.seek(0)
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=sorted(keys), quoting=csv.QUOTE_NONNUMERIC, delimiter=delimiter)
            writer.writeheader()
            for number, line in enumerate(spool, 1):
                writer.writerow(msgspec.json.decode(line))
                if number % 1000 == 0:
                    yield buffer.getvalue().encode()
                    buffer.seek(0)
                    buffer.truncate()
            yield buffer.getvalue().encode()

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
