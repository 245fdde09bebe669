"""Which installed plugin provides a tag, so an unknown tag can say "needs plugin Y".

Each plugin module may declare the tag names it registers in a module-level tuple
``LABELLOOM_TAGS``. For a tag the registries do not know, we look at the installed entry points
of the ``labelloom`` group, import their modules (without registering anything) and read that
tuple. The index is built once per process, on the first unknown tag.
"""

from __future__ import annotations

import importlib
import logging
from functools import lru_cache
from importlib.metadata import entry_points

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "labelloom"
DECLARATION = "LABELLOOM_TAGS"


@lru_cache(maxsize=1)
def _tag_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            module = importlib.import_module(ep.module)
        except Exception:  # a broken plugin must not break config validation
            log.debug("cannot import plugin %s to read its tag list", ep.name, exc_info=True)
            continue
        for tag in getattr(module, DECLARATION, ()) or ():
            if isinstance(tag, str):
                index.setdefault(tag.lower(), ep.name)
    return index


def providing_plugin(tag: str) -> str | None:
    """The entry-point name of an installed plugin that declares ``tag``, or None."""
    return _tag_index().get(tag.lower())
