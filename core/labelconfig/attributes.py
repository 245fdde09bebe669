"""Attribute conversion: XML strings -> a tag's msgspec Struct, names matched case-insensitively.

Label Studio's editor accepts ``toName``, ``toname`` and ``TONAME`` alike; we map every spelling
to the field name of the tag's attribute Struct. Unknown attributes are kept as written (the
editor ignores them too), so real-world configs keep working.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, Union

import msgspec

from .issues import ConfigIssue
from .variables import has_variable


@dataclass(frozen=True)
class AttrField:
    name: str
    accepts_text: bool  # a str field: variables can be passed through conversion
    options: tuple[str, ...] = ()  # allowed values of a Literal field
    expects: str = "is invalid"  # how to say what the field expects


@dataclass(frozen=True)
class StructFields:
    by_lower: dict[str, AttrField] = field(default_factory=dict)


def _flatten(tp: Any) -> list[Any]:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(tp):
            out.extend(_flatten(arg))
        return out
    return [tp]


def _describe(tp: Any) -> AttrField:
    kinds = [t for t in _flatten(tp) if t is not msgspec.UnsetType and t is not type(None)]
    options: list[str] = []
    accepts_text = False
    words: list[str] = []
    for kind in kinds:
        if typing.get_origin(kind) is Literal:
            options.extend(str(v) for v in typing.get_args(kind))
        elif kind is str or kind is Any:
            accepts_text = True
        elif kind is bool:
            words.append('"true" or "false"')
        elif kind is int:
            words.append("a whole number")
        elif kind is float:
            words.append("a number")
    if options:
        expects = "must be one of: " + ", ".join(options)
    elif words:
        expects = "must be " + " or ".join(words)
    else:
        expects = "is invalid"
    return AttrField("", accepts_text, tuple(options), expects)


@lru_cache(maxsize=None)
def struct_fields(struct: type) -> StructFields:
    fields: dict[str, AttrField] = {}
    for info in msgspec.structs.fields(struct):
        described = _describe(info.type)
        fields[info.name.lower()] = AttrField(
            info.name, described.accepts_text, described.options, described.expects
        )
    return StructFields(fields)


@dataclass
class ConvertedAttrs:
    typed: Any  # the Struct instance, or None when a required attribute is missing
    attrs: dict[str, Any]  # JSON form: typed values + raw variables + unknown attributes
    issues: list[ConfigIssue]


def canonical_names(raw: dict[str, str], struct: type | None) -> dict[str, str]:
    """Rename attributes to the Struct's spelling; unknown ones stay as written."""
    if struct is None:
        return dict(raw)
    known = struct_fields(struct).by_lower
    out: dict[str, str] = {}
    for name, value in raw.items():
        found = known.get(name.lower())
        key = found.name if found else name
        out.setdefault(key, value)
    return out


def convert_attrs(
    raw: dict[str, str], struct: type | None, *, subject: str, tag: str, line: int | None
) -> ConvertedAttrs:
    """Convert ``raw`` XML attributes with ``struct``; problems become issues, never exceptions."""
    if struct is None:
        return ConvertedAttrs(None, dict(raw), [])
    known = struct_fields(struct).by_lower
    issues: list[ConfigIssue] = []
    passthrough: dict[str, Any] = {}
    to_convert: dict[str, Any] = {}
    for name, value in raw.items():
        spec = known.get(name.lower())
        if spec is None:
            passthrough.setdefault(name, value)
            continue
        if spec.name in to_convert or spec.name in passthrough:
            issues.append(
                ConfigIssue(
                    f'{subject}: the attribute "{spec.name}" is given more than once',
                    line, tag, spec.name,
                )
            )
            continue
        if has_variable(value) and not spec.accepts_text:
            passthrough[spec.name] = value  # resolved from task data at render time
            continue
        if spec.options and value not in spec.options:
            lowered = value.strip().lower()
            value = next((o for o in spec.options if o.lower() == lowered), value)
        to_convert[spec.name] = value

    typed = None
    while True:
        try:
            typed = msgspec.convert(to_convert, struct, strict=False)
            break
        except msgspec.ValidationError as exc:
            problem = _problem(str(exc), to_convert, known, subject, tag, line)
            issues.append(problem)
            if problem.attribute in to_convert:
                to_convert.pop(problem.attribute)
                continue
            break  # a required attribute is missing: nothing more to learn
    attrs: dict[str, Any] = msgspec.to_builtins(typed) if typed is not None else dict(to_convert)
    attrs.update(passthrough)
    return ConvertedAttrs(typed, attrs, issues)


def _problem(
    message: str,
    values: dict[str, Any],
    known: dict[str, AttrField],
    subject: str,
    tag: str,
    line: int | None,
) -> ConfigIssue:
    if message.startswith("Object missing required field `"):
        name = message.split("`")[1]
        return ConfigIssue(f'{subject}: the attribute "{name}" is required', line, tag, name)
    name = message.rsplit("`$.", 1)[-1].rstrip("`") if "`$." in message else None
    if name is None or name not in values:
        return ConfigIssue(f"{subject}: {message}", line, tag)
    spec = known.get(name.lower())
    expects = spec.expects if spec else "is invalid"
    return ConfigIssue(f'{subject}: {name}="{values[name]}" {expects}', line, tag, name)
