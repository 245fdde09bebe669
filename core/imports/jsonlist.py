"""The items of a JSON task document read from a byte stream, a region at a time.

Memory follows the region, not the body: the list is cut at its top-level commas and each
region (up to :data:`REGION_BYTES`) is decoded by msgspec in one call. The cut is guessed first
(the last ``},{`` of the region: a wrong guess never decodes); when the guess fails, a regular
expression finds whole items of up to four nesting levels in one step, and deeper or unusual
items are walked token by token, within :data:`MAX_DEPTH`. A 20 MB ``[{},{},...]`` body never
becomes six million objects at once, and a ``[[[[...`` body is refused early.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import IO, Any, TypeVar

import msgspec

from ..errors import ValidationFailed

READ = 1 << 20  # bytes read from the stream at a time (more while one item is larger)
REGION_ITEMS = 1000  # items decoded by one msgspec call
REGION_BYTES = 256 * 1024  # at most ~90,000 empty objects alive at once
# Nesting levels an item may have: SQLite's JSON functions stop at 1000, and msgspec refuses
# about as deep (the interpreter's recursion limit), so both ways through here agree.
MAX_DEPTH = 1000

_STRING = rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
_FLAT = rb'(?:[^"\[\]{}]++|' + _STRING + rb")*+"


def _nested(levels: int) -> bytes:
    """A container holding containers down to ``levels`` deep (brackets are matched in type
    by msgspec when the region is decoded, not here)."""
    inner = _FLAT if levels == 1 else rb"(?:[^\"\[\]{}]++|" + _STRING + rb"|" + _nested(levels - 1) + rb")*+"
    return rb"[\[{]" + inner + rb"[\]}]"


# One whole item (up to four levels) and the separator after it, in a single match.
_ITEM = re.compile(rb"[ \t\r\n]*+(?:" + _nested(4) + rb")[ \t\r\n]*+([,\]])")
# The slow path's tokens: strings whole, a lone quote (a string the buffer cuts), brackets, commas.
_TOKEN = re.compile(_STRING + rb'|["\[\]{},]')
_SPACE = b" \t\r\n"
_OPEN, _CLOSE, _QUOTE, _COMMA = b"[{", b"]}", ord('"'), ord(",")
_decode = msgspec.json.Decoder().decode


class _NeedMore(Exception):
    """The buffer ends inside an item."""


def _invalid(where: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{where}: {message}", validation_errors={"tasks": [f"{where}: {message}"]})


def _scan_item(buf: bytes, pos: int, where: str) -> tuple[int, int]:
    """The separator ending the item at ``pos`` (its offset and byte), walking tokens."""
    depth = 0
    for token in _TOKEN.finditer(buf, pos):
        start = token.start()
        char = buf[start]
        if char == _QUOTE:
            if token.end() - start == 1:
                raise _NeedMore
        elif char in _OPEN:
            depth += 1
            if depth > MAX_DEPTH:
                raise _invalid(where, f"is nested more than {MAX_DEPTH} levels deep")
        elif char in _CLOSE:
            if depth == 0:
                return start, char
            depth -= 1
        elif depth == 0:  # a comma between items
            return start, char
    raise _NeedMore


T = TypeVar("T")


def json_items(stream: IO[bytes], source: str, make: Callable[[str, Any], T]) -> Iterator[T]:
    """``make(where, value)`` of each task in a JSON list, or of the one task object the document is."""
    prefix = f"{source} " if source else ""
    label = f"{prefix}JSON".strip()
    buf = stream.read(READ)
    while buf.lstrip(_SPACE + b"\xef\xbb\xbf") == b"" and (more := stream.read(READ)):
        buf += more  # white space (and a byte-order mark) before the document
    if buf.startswith(b"\xef\xbb\xbf"):
        buf = buf[3:]
    pos = len(buf) - len(buf.lstrip(_SPACE))
    if not buf[pos:pos + 1] == b"[":  # one task object (or an error): the document is the item
        document = _decode_or_fail(buf + stream.read(), label)
        if not isinstance(document, dict):
            raise _invalid(label, "must be a list of tasks or one task object")
        yield make(f"{prefix}item 0", document)
        return
    pos += 1
    index, eof, closed = 0, False, False
    while not closed:
        if not eof and len(buf) - pos < 2 * REGION_BYTES:
            more = stream.read(max(READ, len(buf) - pos))
            eof = not more
            buf, pos = buf[pos:] + more, 0
        found = _guess_region(buf, pos, eof, index > 0)
        if found is None:
            try:
                found = _exact_region(buf, pos, prefix, index)
            except _NeedMore:
                if eof:
                    raise _invalid(f"{prefix}item {index}", "cannot be parsed: the list ends in the middle of it") from None
                more = stream.read(max(READ, len(buf) - pos))  # one item larger than the buffer
                eof = not more
                buf, pos = buf[pos:] + more, 0
                continue
        values, pos, closed = found
        if not isinstance(values, list):  # the exact walk's region, not decoded yet
            values = _decode_region(buf, values, label, prefix, index)
        for value in values:
            yield make(f"{prefix}item {index}", value)
            index += 1
        del values, found
    _expect_end(buf[pos:], stream, label)


def _guess_region(buf: bytes, pos: int, eof: bool, after_comma: bool) -> tuple[list[object], int, bool] | None:
    """The common case at msgspec's speed: cut where an item seems to end ("}," before "{") and
    decode. A wrong cut (inside a string or a nested object) leaves the region unbalanced, so it
    never decodes; then (or for invalid JSON) the exact walk takes over."""
    if eof and len(buf) - pos <= REGION_BYTES:  # the rest of the list, "]" included
        try:
            values = _decode(b"[" + buf[pos:])
        except (msgspec.DecodeError, RecursionError):
            return None
        if after_comma and not values:  # "[{...}, ]": the exact walk names the stray comma
            return None
        return values, len(buf), True
    cut = pos + REGION_BYTES
    for _ in range(3):
        cut = buf.rfind(b"},", pos, cut)
        if cut < 0:
            return None
        if buf[cut + 2:cut + 40].lstrip(_SPACE)[:1] == b"{":
            try:
                return _decode(b"[" + buf[pos:cut + 1] + b"]"), cut + 2, False
            except (msgspec.DecodeError, RecursionError):
                pass
    return None


def _exact_region(buf: bytes, pos: int, prefix: str, index: int) -> tuple[tuple[int, list[int]], int, bool]:
    """((region start, each item's separator), next position, list closed), item by item."""
    start = pos
    ends: list[int] = []
    closed = False
    while True:
        item_at = pos
        found = _ITEM.match(buf, pos)
        if found is not None:
            separator_at, char = found.start(1), buf[found.start(1)]
        else:
            try:
                separator_at, char = _scan_item(buf, pos, f"{prefix}item {index + len(ends)}")
            except _NeedMore:
                if ends:
                    break  # decode what is complete, then read on
                raise
        pos = separator_at + 1
        if char == _COMMA:
            ends.append(separator_at)
        else:  # "]": the list ends
            closed = True
            if buf[item_at:separator_at].strip(_SPACE):
                ends.append(separator_at)
            elif index + len(ends):
                raise _invalid(f"{prefix}item {index + len(ends)}", "cannot be parsed: a comma ends the list")
            break
        if len(ends) >= REGION_ITEMS or pos - start >= REGION_BYTES:
            break
    return (start, ends), pos, closed


def _expect_end(rest: bytes, stream: IO[bytes], label: str) -> None:
    """Only white space may follow the list (read in bounded pieces)."""
    while rest or (rest := stream.read(READ)):
        if rest.strip(_SPACE):
            raise _invalid(label, f"cannot be parsed: there is more after the list ({rest.strip(_SPACE)[:20]!r})")
        rest = b""


def _decode_region(buf: bytes, region_at: tuple[int, list[int]], label: str, prefix: str, index: int) -> list[object]:
    start, ends = region_at
    if not ends:
        return []
    region = bytearray(b"[")  # one copy of the region, even when it is one huge item
    region += memoryview(buf)[start:ends[-1]]
    region += b"]"
    try:
        values = _decode(region)
    except msgspec.DecodeError as exc:
        raise _invalid(_where(exc, start, ends, label, prefix, index), f"cannot be parsed ({_plain(exc)})") from None
    except RecursionError:
        raise _invalid(f"{prefix}item {index}", "is nested too deeply") from None
    del region
    if len(values) != len(ends):  # e.g. "[1 2]" inside what looked like one item
        raise _invalid(f"{prefix}item {index}", "cannot be parsed (a comma is missing between items)")
    return values


_BYTE = re.compile(r"\(byte (\d+)\)")
_PATH = re.compile(r"`\$\[(\d+)\]([^`]*)`")


def _where(exc: Exception, start: int, ends: list[int], label: str, prefix: str, index: int) -> str:
    """The item a msgspec error points into: by byte offset (which counts the added "[") or by
    its path (``$[3].data``)."""
    message = str(exc)
    if found := _BYTE.search(message):
        offset = start + int(found.group(1)) - 1
        return f"{prefix}item {index + bisect_right(ends, offset - 1)}"
    if found := _PATH.search(message):
        return f"{prefix}item {index + int(found.group(1))}"
    return label


def _plain(exc: Exception) -> str:
    """msgspec's message without the offset or path, which count from the region, not the body."""
    message = _BYTE.sub("", str(exc))
    message = _PATH.sub(lambda m: f"`{m.group(2).lstrip('.') or 'the item'}`", message)
    return message.replace(" - at `the item`", "").strip()


def _decode_or_fail(raw: bytes, label: str) -> object:
    try:
        return _decode(raw)
    except msgspec.DecodeError as exc:
        raise _invalid(label, f"cannot be parsed ({exc})") from None
    except RecursionError:
        raise _invalid(label, "is nested too deeply") from None
