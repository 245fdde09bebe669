"""A storage kind's settings: Label Studio's flat request bodies split into the common fields
and the kind's own config (validated by the spec's msgspec Struct), secrets masked on the way
out, and the field list the settings dialog is generated from."""

from __future__ import annotations

from typing import Any

import msgspec
import re2

from ..errors import NotFound, ValidationFailed
from ..registries import Registries
from ..specs import StorageSpec
from .models import EXPORT, IMPORT

# What a client reads instead of a stored secret; sending it back (or leaving the field out)
# keeps the stored value.
SECRET_MARKER = "__stored__"
MAX_REGEX = 1000  # characters of a regex_filter

# Label Studio's fields every storage has, with their defaults on creation.
COMMON_DEFAULTS: dict[str, Any] = {
    "title": "",
    "description": "",
    "regex_filter": "",
    "use_blob_urls": False,
    "presign": True,
    "presign_ttl": 1,
    "recursive_scan": False,
}
EXPORT_DEFAULTS: dict[str, Any] = {"can_delete_objects": False}
_TYPES: dict[str, type | tuple[type, ...]] = {
    "title": str, "description": str, "regex_filter": str, "use_blob_urls": bool, "presign": bool,
    "presign_ttl": int, "recursive_scan": bool, "can_delete_objects": bool,
}


def invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", validation_errors={field: [message]})


def spec_for(registries: Registries, kind: str) -> StorageSpec:
    spec = registries.storages.get(kind)
    if spec is None:
        known = ", ".join(sorted(s.name for s in registries.storages)) or "none"
        raise NotFound(f"Unknown storage type {kind!r} (available: {known}).")
    return spec


def config_fields(spec: StorageSpec) -> list[str]:
    return [f.name for f in msgspec.structs.fields(spec.config)] if spec.config is not None else []


def common_fields(role: str) -> dict[str, Any]:
    return {**COMMON_DEFAULTS, **(EXPORT_DEFAULTS if role == EXPORT else {})}


def compile_filter(pattern: str | None) -> Any:
    """The regex_filter compiled with RE2: linear time on any key, so a hostile pattern such as
    ``(a+)+$`` cannot stall a sync (Python's ``re`` backtracks exponentially on it)."""
    if not pattern:
        return None
    if len(pattern) > MAX_REGEX:
        raise invalid("regex_filter", f"is longer than {MAX_REGEX} characters")
    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise invalid("regex_filter", f"is not a valid regular expression ({detail}; look-arounds and "
                                      "back-references are not supported)") from None


def split_body(spec: StorageSpec, role: str, body: dict[str, Any], *, stored: dict[str, Any] | None = None,
               partial: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(common fields, config)`` from a flat body: config fields by the Struct's names, also
    accepted under ``"config"``. ``stored`` is the current config (PATCH and validate with an id):
    missing fields and secrets left out or sent as the marker keep their stored values."""
    if not isinstance(body, dict):
        raise invalid("body", "must be a JSON object")
    common: dict[str, Any] = {}
    for name, default in common_fields(role).items():
        if name in body and body[name] is not None:
            value = body[name]
            if not isinstance(value, _TYPES[name]) or (isinstance(value, bool) and _TYPES[name] is int):
                raise invalid(name, f"must be a {_TYPES[name].__name__}")  # type: ignore[union-attr]
            common[name] = value
        elif not partial:
            common[name] = default
    if "presign_ttl" in common and not 1 <= common["presign_ttl"] <= 7 * 24 * 60:
        raise invalid("presign_ttl", "must be between 1 and 10080 minutes")
    if "regex_filter" in common:
        compile_filter(common["regex_filter"])
    names = config_fields(spec)
    nested = body.get("config") if isinstance(body.get("config"), dict) else {}
    raw = dict(stored or {})
    for name in names:
        value = body.get(name, nested.get(name))
        if name in body or name in nested:
            if name in spec.secret_fields and (value is None or value == "" or value == SECRET_MARKER) and stored:
                continue  # write-only: an empty or masked secret keeps the stored one
            if value is None:
                raw.pop(name, None)
            else:
                raw[name] = value
    return common, validate_config(spec, raw)


def validate_config(spec: StorageSpec, raw: dict[str, Any]) -> dict[str, Any]:
    """The config checked by the kind's Struct, as plain JSON (what the ``config`` column holds)."""
    if spec.config is None:
        return {}
    try:
        struct = msgspec.convert(raw, spec.config, strict=False)
    except msgspec.ValidationError as exc:
        message = str(exc)
        field = message.rpartition("$.")[2].split("`")[0].split(".")[0].split("[")[0] if "$." in message else "config"
        if "missing required field" in message:
            field = message.rpartition("`")[0].rpartition("`")[2] or field
        raise invalid(field, message) from None
    return msgspec.to_builtins(struct)


def config_struct(spec: StorageSpec, config: dict[str, Any]) -> Any:
    return msgspec.convert(config, spec.config, strict=False) if spec.config is not None else None


def masked(spec: StorageSpec, config: dict[str, Any]) -> dict[str, Any]:
    """The config as the API shows it: every stored secret replaced by :data:`SECRET_MARKER`."""
    return {
        name: (SECRET_MARKER if value not in (None, "") else value) if name in spec.secret_fields else value
        for name, value in config.items()
    }


def form_fields(spec: StorageSpec) -> list[dict[str, Any]]:
    """The config's fields for the settings dialog, from the Struct's JSON schema: name, title,
    description, JSON type, default, required, secret, choices."""
    if spec.config is None:
        return []
    schema = msgspec.json.schema(spec.config)
    defs = schema.get("$defs", {})
    if "$ref" in schema:
        schema = defs[schema["$ref"].rpartition("/")[2]]
    required = set(schema.get("required", ()))
    fields = []
    for name, prop in schema.get("properties", {}).items():
        kind, choices = _json_type(prop, defs)
        fields.append({
            "name": name,
            "title": prop.get("title") or name.replace("_", " ").capitalize(),
            "description": prop.get("description", ""),
            "type": kind,
            "default": prop.get("default"),
            "required": name in required,
            "secret": name in spec.secret_fields,
            "options": choices,
        })
    return fields


def _json_type(prop: dict[str, Any], defs: dict[str, Any]) -> tuple[str, list[Any] | None]:
    if "$ref" in prop:
        prop = defs.get(prop["$ref"].rpartition("/")[2], {})
    if "enum" in prop:
        return "string", list(prop["enum"])
    options = prop.get("anyOf") or prop.get("oneOf")
    if options:
        kinds = [o for o in options if o.get("type") != "null"]
        return _json_type(kinds[0], defs) if kinds else ("string", None)
    kind = prop.get("type", "string")
    return (kind if isinstance(kind, str) else "string"), None


def role_of(export: bool) -> str:
    return EXPORT if export else IMPORT
