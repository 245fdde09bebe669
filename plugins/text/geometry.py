"""Spans in text-like data.

- ``Text``: ``start``/``end`` are global Unicode code-point offsets (Python ``str`` indexes).
- ``HyperText``: XPaths of the start and end nodes plus character offsets inside them, and
  optional ``globalOffsets`` into the page's text.
- ``Paragraphs``: paragraph indexes, written as strings, plus offsets inside those paragraphs.
"""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from labelloom.core.plugin import RegionSpec, ResultContext, ResultProblem


class TextSpan(msgspec.Struct, kw_only=True):
    start: int
    end: int
    text: str | UnsetType = UNSET


def normalize_text_span(span: TextSpan, ctx: ResultContext) -> TextSpan:
    if span.start < 0:
        raise ResultProblem("must not be negative", "start")
    if span.end < span.start:
        raise ResultProblem(f"must not be before start ({span.start})", "end")
    return span


class GlobalOffsets(msgspec.Struct, kw_only=True):
    start: int
    end: int


class HtmlSpan(msgspec.Struct, kw_only=True):
    start: str
    end: str
    startOffset: int
    endOffset: int
    globalOffsets: GlobalOffsets | UnsetType = UNSET
    text: str | UnsetType = UNSET


def normalize_html_span(span: HtmlSpan, ctx: ResultContext) -> HtmlSpan:
    for field in ("startOffset", "endOffset"):
        if getattr(span, field) < 0:
            raise ResultProblem("must not be negative", field)
    offsets = span.globalOffsets
    if isinstance(offsets, GlobalOffsets) and not 0 <= offsets.start <= offsets.end:
        raise ResultProblem("start must be between 0 and end", "globalOffsets")
    return span


class ParagraphSpan(msgspec.Struct, kw_only=True):
    start: str | int
    end: str | int
    startOffset: int
    endOffset: int
    text: str | UnsetType = UNSET


def _paragraph_index(value: Any, field: str) -> int:
    text = str(value).strip()
    if not text.isdigit():
        raise ResultProblem(f"must be a paragraph index such as \"0\", not {value!r}", field)
    return int(text)


def normalize_paragraph_span(span: ParagraphSpan, ctx: ResultContext) -> ParagraphSpan:
    first, last = _paragraph_index(span.start, "start"), _paragraph_index(span.end, "end")
    if last < first:
        raise ResultProblem(f"must not be before start ({first})", "end")
    span.start, span.end = str(first), str(last)  # Label Studio writes indexes as strings
    for field in ("startOffset", "endOffset"):
        if getattr(span, field) < 0:
            raise ResultProblem("must not be negative", field)
    return span


TEXT_REGIONS = (
    RegionSpec(
        name="textspan", value=TextSpan, keys=("start", "end"), normalize=normalize_text_span,
        example={"start": 0, "end": 4, "text": "Anna"},
    ),
)

HTML_REGIONS = (
    RegionSpec(
        name="htmlspan", value=HtmlSpan, keys=("start", "end", "startOffset", "endOffset"),
        normalize=normalize_html_span,
        example={
            "start": "/p[1]/text()[1]", "startOffset": 0, "end": "/p[1]/text()[1]", "endOffset": 5,
            "globalOffsets": {"start": 0, "end": 5}, "text": "Hello",
        },
    ),
)

PARAGRAPH_REGIONS = (
    RegionSpec(
        name="paragraphspan", value=ParagraphSpan, keys=("start", "end", "startOffset", "endOffset"),
        normalize=normalize_paragraph_span,
        example={"start": "0", "startOffset": 0, "end": "0", "endOffset": 3, "text": "Hi,"},
    ),
)
