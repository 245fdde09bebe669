"""Uploaded media files: stored under <data_dir>/media/upload/<project>/<uuid8>-<name>.

Which task data key a file fills is decided by the project's config: the first object tag
whose data type (a plugin's DataTypeSpec) accepts the file's extension.
"""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path
from typing import IO

from ..labelconfig import ParsedConfig
from ..registries import Registries
from .parsers import RawItem, extension_of, invalid

UPLOAD_PREFIX = "/data/upload"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    base = Path(name).name
    return _UNSAFE.sub("_", base).strip("._") or "file"


def media_key_for(extension: str, parsed: ParsedConfig, registries: Registries) -> str | None:
    """The data key of the first object tag in the config whose data type takes this extension:
    one a control labels first, else any (an object with no control of its own, such as a second
    synced Audio, still takes its files)."""
    for control in parsed.summary().values():
        for source in control.get("inputs", []):
            spec = registries.data_types.get(str(source.get("type", "")))
            if spec is not None and extension in spec.extensions and source.get("value"):
                return str(source["value"])
    for key, tag in parsed.data_types.items():
        spec = registries.data_types.get(tag)
        if spec is not None and extension in spec.extensions:
            return key
    return None


def inline_extensions(registries: Registries) -> set[str]:
    """Extensions of text media (HTML, plain text) whose content goes into the task inline."""
    return {
        ext
        for spec in registries.data_types
        if any(m.startswith("text/") for m in spec.mime_types)
        for ext in spec.extensions
    }


def media_extensions(registries: Registries) -> set[str]:
    return {ext for spec in registries.data_types for ext in spec.extensions}


def store_upload(media_dir: Path, project_id: int, name: str, stream: IO[bytes]) -> tuple[str, Path]:
    """Write the file; return its URL path (``/data/upload/<project>/<uuid8>-<name>``) and file."""
    folder = media_dir / "upload" / str(project_id)
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex[:8]}-{safe_name(name)}"
    path = folder / stored
    try:
        with open(path, "wb") as out:
            shutil.copyfileobj(stream, out, length=1 << 20)
    except BaseException:
        path.unlink(missing_ok=True)  # a full disk must not leave a partial file behind
        raise
    return f"{UPLOAD_PREFIX}/{project_id}/{stored}", path


def media_item(name: str, value: str, parsed: ParsedConfig, registries: Registries) -> RawItem:
    """A task whose data key (chosen by the config's object tags) holds the file's URL or text."""
    key = media_key_for(extension_of(name), parsed, registries)
    if key is None:
        raise invalid(name, f"no object tag in the labeling config takes {extension_of(name)} files", field="file")
    return RawItem(name, {"data": {key: value}})
