"""The ``images/`` folder of an image export: the names label files refer to and, for the
``*_WITH_IMAGES`` formats (and VOC with ``download_resources``), the image files themselves.

Shipped images are named as Label Studio names what it downloads, ``<md5(url)[:8]>__<name>``,
so two URLs ending in the same file name stay apart and each label file keeps its image's stem.
An image that cannot be read leaves its labels in place and is listed in ``missing_images.txt``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

from labelloom.core.plugin import ZipStream, downloaded_name


MISSING_LIST = "missing_images.txt"


def image_value(value: Any) -> str:
    """The image URL of a task's value (the last one of a list, as the file names use)."""
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value or "")


class ShippedImages:
    def __init__(self, context: Any, key: str, *, ship: bool, plain_name: Any) -> None:
        """:param plain_name: ``(value, task_id) -> images/<name>`` for exports without files."""
        self.key = key
        self.media = context.media if ship else None
        self.plain_name = plain_name
        self.added: set[str] = set()

    def name(self, value: Any, task_id: int) -> str:
        """The archive path (``images/...``) of a task's image."""
        text = image_value(value)
        if self.media is None or not text or text.startswith("data:"):
            return self.plain_name(value, task_id)
        return "images/" + downloaded_name(text)

    async def add(self, archive: ZipStream, tasks: Iterable[dict[str, Any]]) -> AsyncIterator[bytes]:
        """Put the images of ``tasks`` not yet in the archive into it, yielding zip bytes as each
        is written (a batch's images are never all held at once)."""
        if self.media is None:
            return
        wanted: dict[str, str] = {}
        for task in tasks:
            value = image_value(task["data"].get(self.key))
            name = self.name(value, task["id"])
            if value and name not in self.added and value not in wanted:
                wanted[value] = name
                self.added.add(name)
        async for value, content in self.media.read_many(wanted):
            if content is not None:
                archive.add(wanted[value], content, compress=False)
                yield archive.take()

    def finish(self, archive: ZipStream) -> None:
        """List the images that could not be shipped."""
        if self.media is not None and self.media.failures:
            lines = "".join(f"{value}\t{reason}\n" for value, reason in self.media.failures)
            archive.add(MISSING_LIST, ("image\treason\n" + lines).encode())

    async def close(self) -> None:
        """Let go of the reader's connections (also when the download was abandoned)."""
        if self.media is not None:
            await self.media.close()
