"""Agreement metrics of text spans: overlap (IoU of character ranges) of ``Text`` spans,
``HyperText`` spans (by their global offsets) and ``Paragraphs`` spans (paragraph, offset)."""

from __future__ import annotations

from typing import Any

from labelloom.core.plugin import MetricSpec, interval_iou

# Paragraph positions as one number: paragraph index, then the offset inside it.
PARAGRAPH_STRIDE = 1_000_000


def text_span(item: dict[str, Any]) -> tuple[float, float]:
    value = item["value"]
    return float(value["start"]), float(value["end"])


def html_span(item: dict[str, Any]) -> tuple[Any, ...]:
    """Global character offsets when the item has them; else its XPaths and offsets, which
    then only match spans with the same start and end nodes."""
    value = item["value"]
    offsets = value.get("globalOffsets")
    if isinstance(offsets, dict) and isinstance(offsets.get("start"), int) and isinstance(offsets.get("end"), int):
        return ("", float(offsets["start"]), float(offsets["end"]))
    return (f'{value["start"]}|{value["end"]}', float(value["startOffset"]), float(value["endOffset"]))


def paragraph_span(item: dict[str, Any]) -> tuple[float, float]:
    value = item["value"]
    start = int(value["start"]) * PARAGRAPH_STRIDE + int(value.get("startOffset") or 0)
    end = int(value["end"]) * PARAGRAPH_STRIDE + int(value.get("endOffset") or 0)
    return float(start), float(end)


def span_iou(a: tuple[float, float], b: tuple[float, float]) -> float:
    return interval_iou(a[0], a[1], b[0], b[1])


def html_iou(a: tuple[Any, ...], b: tuple[Any, ...]) -> float:
    if a[0] != b[0]:
        return 0.0
    return interval_iou(a[1], a[2], b[1], b[2])


METRICS = [
    MetricSpec(name="textspan", kind="region", prepare=text_span, compare=span_iou, title="Span overlap",
               description="Characters both spans cover over characters either covers."),
    MetricSpec(name="htmlspan", kind="region", prepare=html_span, compare=html_iou, title="Span overlap",
               description="Span overlap on the page's global text offsets."),
    MetricSpec(name="paragraphspan", kind="region", prepare=paragraph_span, compare=span_iou, title="Span overlap",
               description="Span overlap on (paragraph, offset) positions."),
]
