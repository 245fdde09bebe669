"""Writing a COCO file piece by piece, laid out as ``json.dump(indent=2)`` lays it out (the
converter's files): values indented to their depth, array items appended as they come."""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Callable, Iterator
from typing import Any


def indented(value: Any, indent: int) -> str:
    """A JSON value indented as part of a document ``indent`` spaces deep."""
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + " " * indent)


class ArrayItems:
    """The items of a top-level array (4 spaces deep), written one by one through ``write``."""

    def __init__(self, write: Callable[[str], Any]) -> None:
        self.write = write
        self.count = 0

    def add(self, value: Any) -> None:
        self.write((",\n    " if self.count else "\n    ") + indented(value, 4))
        self.count += 1


class SpooledItems(ArrayItems):
    """Array items that wait in a temporary file (8 MB in memory, then disk) until their place in
    the document comes: a context manager."""

    def __init__(self) -> None:
        self.spool = tempfile.SpooledTemporaryFile(max_size=8 << 20, mode="w+", encoding="utf-8")
        super().__init__(self.spool.write)

    def copy_to(self, out: Any) -> None:
        self.spool.seek(0)
        while block := self.spool.read(1 << 16):
            out.write(block.encode())

    def __enter__(self) -> SpooledItems:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.spool.close()


@contextlib.contextmanager
def coco_file(archive: Any, name: str) -> Iterator[tuple[Any, ArrayItems, SpooledItems]]:
    """``name`` opened in the zip with its ``"images"`` array begun: ``(out, images,
    annotations)``, the annotations spooled until the images array is closed."""
    with SpooledItems() as annotations, archive.open(name) as out:
        out.write(b'{\n  "images": [')
        yield out, ArrayItems(lambda text: out.write(text.encode())), annotations
