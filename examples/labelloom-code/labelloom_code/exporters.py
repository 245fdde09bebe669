"""CODE_RANGES: a zip with one ``<task id>.json`` per task, listing the labelled line ranges of
every submitted annotation (newest first) with the text of those lines.

```json
{"task": 7, "annotations": [{"id": 12, "completed_by": 1, "ranges": [
  {"object": "code", "label": "Bug", "labels": ["Bug"], "start": 5, "end": 5,
   "lines": "    return total / len(values)"}]}]}
```

Written entry by entry into a zip stream, one batch of tasks at a time, as the built-in
multi-file formats are.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import msgspec

from labelloom.core.plugin import ExporterSpec, ZipStream, annotator, submitted_newest_first

from .tags import source_text, split_lines


def _code_objects(context: Any) -> dict[str, Any]:
    """The config's ``Code`` objects by name."""
    return {name: obj for name, obj in context.config.objects.items() if obj.tag == "Code"}


def _labels(value: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key, entry in value.items():
        if key.endswith("labels") and isinstance(entry, list):  # codelabels, or a generic Labels
            out.extend(str(label) for label in entry)
    return out


def task_ranges(objects: dict[str, Any], task: dict[str, Any], annotation: dict[str, Any]) -> list[dict[str, Any]]:
    """The line ranges of one annotation, in file order, each with the text of its lines."""
    data = task.get("data") or {}
    lines_of = {name: split_lines(source_text(obj, data) or "") for name, obj in objects.items()}
    out = []
    for item in annotation.get("result") or []:
        value, target = item.get("value"), item.get("to_name")
        if target not in objects or not isinstance(value, dict):
            continue
        start, end = value.get("start"), value.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        labels = _labels(value)
        lines = lines_of[target]
        out.append({
            "object": target,
            "label": labels[0] if labels else None,
            "labels": labels,
            "start": start,
            "end": end,
            "lines": "\n".join(lines[max(start, 1) - 1:end]),
        })
    out.sort(key=lambda r: (r["object"], r["start"], r["end"]))
    return out


def task_document(objects: dict[str, Any], task: dict[str, Any]) -> dict[str, Any]:
    return {
        "task": task["id"],
        "annotations": [
            {
                "id": annotation.get("id"),
                # the annotator's email when the export expands users, else their id
                "completed_by": annotator(annotation, as_id=True) if "completed_by" in annotation else None,
                "ranges": task_ranges(objects, task, annotation),
            }
            for annotation in submitted_newest_first(task)
        ],
    }


async def write_code_ranges(context: Any) -> AsyncIterator[bytes]:
    objects = _code_objects(context)
    archive = ZipStream()
    async for batch in context.batches():
        for task in batch:
            document = task_document(objects, task)
            archive.add(f"{task['id']}.json", msgspec.json.format(msgspec.json.encode(document), indent=2))
        yield archive.take()
    yield archive.close()


EXPORTERS = [
    ExporterSpec(
        name="CODE_RANGES",
        title="Code ranges",
        description="A zip with one JSON file per task: the labelled line ranges and the text of those lines.",
        media_type="application/zip",
        file_extension="zip",
        requires_objects=frozenset({"Code"}),
        write=write_code_ranges,
        tags=("source code",),
    ),
]
