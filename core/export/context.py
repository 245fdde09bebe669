"""What a format writer gets: the project, its parsed config and the tasks, batch by batch.

Writers call ``context.tasks()`` (or ``batches()``) as often as they need (CSV reads twice:
once for its header, once for its rows); each call is a fresh pass over the source, which is
either the database (easy export, snapshot build) or a snapshot's JSON file (convert).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from .media import MediaReader
from .options import ExportOptions

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

    def batches(self, *, raw_json: bool = False) -> AsyncIterator[list[dict[str, Any]]]:
        """One pass over the tasks. ``raw_json=True``, for writers that only re-encode them:
        ``data``, ``meta`` and results may be ``msgspec.Raw`` JSON text instead of objects."""
        return self.source(raw_json=raw_json)

    async def tasks(self) -> AsyncIterator[dict[str, Any]]:
        async for batch in self.source():
            for task in batch:
                yield task

    def control_tag(self, from_name: str) -> str | None:
        """The tag name (as the config spells it) of the control that wrote ``from_name``, or
        None for results of controls the config no longer has."""
        control, _ = self.config.find_control(from_name)
        return control.tag if control is not None else None
