"""What a format writer gets: the project, its parsed config and the tasks, batch by batch.

Writers call ``context.tasks()`` (or ``batches()``) as often as they need; each call is a fresh
pass over the source, which is either the database (easy export, snapshot build) or a
snapshot's JSON file (convert). The built-in formats read the tasks once (CSV spools its rows
until it knows its header).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec

from .media import MediaReader
from .options import ExportOptions
from .records import Record

# ``source(raw_json=False)``: one pass over the tasks (see ``rows.task_batches`` for raw_json).
BatchSource = Callable[..., AsyncIterator[list[dict[str, Any]]]]


@dataclass
class ExportContext:
    """:ivar project_id: the exported project.
    :ivar config: its :class:`ParsedConfig` (``controls`` by name, ``data_keys`` ...).
    :ivar options: what the export includes.
    :ivar media: reads the tasks' media files, for formats that ship them (None: not available).
    :ivar download_resources: the caller asked for media files where a format may add them (VOC).
    """

    project_id: int
    config: Any
    options: ExportOptions
    source: BatchSource
    media: MediaReader | None = None
    download_resources: bool = False
    _tags: dict[Any, str | None] = field(default_factory=dict, init=False, repr=False)

    def batches(self, *, raw_json: bool = False) -> AsyncIterator[list[dict[str, Any]]]:
        """One pass over the tasks. ``raw_json=True``, for writers that only re-encode them:
        ``data``, ``meta`` and results may be ``msgspec.Raw`` JSON text instead of objects, and
        the tasks records (core/export/records.py: read like dicts, encode the same) instead of dicts."""
        expanders = self._expanders()
        if not expanders:
            return self.source(raw_json=raw_json)
        return expanded(self.source(raw_json=raw_json), expanders)

    async def tasks(self) -> AsyncIterator[dict[str, Any]]:
        async for batch in self.batches():
            for task in batch:
                yield task

    def _expanders(self) -> list[Callable[[list[dict[str, Any]]], list[dict[str, Any]]]]:
        """The region specs' ``expand`` functions, when the export asks to interpolate key frames."""
        if not self.options.serialization_options.interpolate_key_frames:
            return []
        found: list[Callable[[list[dict[str, Any]]], list[dict[str, Any]]]] = []
        for obj in getattr(self.config, "objects", {}).values():
            for region in obj.regions.values():
                if region.expand is not None and region.expand not in found:
                    found.append(region.expand)
        return found

    def control_tag(self, from_name: str) -> str | None:
        """The tag name (as the config spells it) of the control that wrote ``from_name``, or
        None for results of controls the config no longer has. Remembered per name: flat
        formats ask for every result of every task."""
        tags = self._tags
        try:
            return tags[from_name]
        except KeyError:
            pass
        except TypeError:  # an unhashable from_name in stored JSON: no control has it
            return None
        control, _ = self.config.find_control(from_name)
        tags[from_name] = tag = control.tag if control is not None else None
        return tag


async def expanded(
    batches: AsyncIterator[list[dict[str, Any]]],
    expanders: list[Callable[[list[dict[str, Any]]], list[dict[str, Any]]]],
) -> AsyncIterator[list[dict[str, Any]]]:
    """The batches with every annotation's result passed through the expanders (as Label Studio's
    ``interpolate_key_frames`` does it: annotations only, not predictions or drafts)."""
    async for batch in batches:
        for task in batch:
            for annotation in task.get("annotations") or ():
                if not isinstance(annotation, (dict, Record)) or "result" not in annotation:
                    continue
                result = annotation["result"]
                if isinstance(result, msgspec.Raw):
                    result = msgspec.json.decode(result)
                for expand in expanders:
                    result = expand(result or [])
                annotation["result"] = result
        yield batch
