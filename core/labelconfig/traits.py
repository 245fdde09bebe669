"""What the browser shell needs to know about a tag, read from its spec, so the shell itself never
names a tag: the labeling session, the data manager, the config editors, the import dialog and the
keymap ask for traits ("classifies", "label", "visual"), not for ``Choices`` or ``Image``.

Served per tag by ``GET /api/plugins`` (``tags.<Tag>``) and per node in the labeling tree
(``traits``).
"""

from __future__ import annotations

from typing import Any

VISUAL_PREVIEWS = frozenset({"image", "video", "audio", "timeseries", "pdf"})


def traits_of(spec: Any, *, is_object: bool) -> list[str]:
    """The boolean traits of a tag, as a sorted list of names:

    - ``classifies``: a control that labels the whole task (no region of its own: Choices,
      TextArea, Rating ...); a config with nothing else has no regions to list.
    - ``label``: an item that declares one label of its control (Label, Choice, Relation).
    - ``labels``: a control whose items are flat labels a hotkey can pick (Choices, the Labels
      family; not Taxonomy's nested choices).
    - ``object``: an object tag (shows task data).
    - ``visual``: an object whose data is seen rather than read (images, video, audio, plots).
    - ``top_level``: a control whose results are top-level items (Relations).
    """
    out: list[str] = []
    if is_object:
        out.append("object")
        if getattr(spec, "preview", "text") in VISUAL_PREVIEWS:
            out.append("visual")
        return out
    kind = getattr(spec, "kind", "visual")
    if kind == "control":
        if getattr(spec, "top_level", False):
            out.append("top_level")
        elif getattr(spec, "region", None) is None:
            out.append("classifies")
        if getattr(spec, "labels_key", None) and getattr(spec, "items", ()):
            out.append("labels")
    if kind == "item" and getattr(spec, "label", False):
        out.append("label")
    return sorted(out)


def tag_description(spec: Any, *, is_object: bool) -> dict[str, Any]:
    """A tag as the web app sees it (widget URL and plugin are added by the caller)."""
    described: dict[str, Any] = {
        "kind": "object" if is_object else getattr(spec, "kind", "visual"),
        "traits": traits_of(spec, is_object=is_object),
        "result_type": getattr(spec, "result_type", None),
        "items": list(getattr(spec, "items", ()) or ()),
    }
    if is_object:
        described["preview"] = getattr(spec, "preview", "text")
        described["extensions"] = list(getattr(spec, "extensions", ()) or ())
        described["regions"] = [region.name for region in getattr(spec, "regions", ()) or ()]
    else:
        described["region"] = getattr(spec, "region", None)
    return described
