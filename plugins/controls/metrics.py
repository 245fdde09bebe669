"""Agreement metrics of classifications: exact match for choices, taxonomy, rating, number,
date-time, pairwise and ranker results; normalised edit similarity for text areas."""

from __future__ import annotations

from typing import Any

from labelloom.core.plugin import MetricSpec, exact_match, text_similarity


def _field(name: str) -> Any:
    def compare(a: dict[str, Any], b: dict[str, Any]) -> float:
        return exact_match(a.get(name), b.get(name))

    return compare


def textarea_score(a: dict[str, Any], b: dict[str, Any]) -> float:
    """Texts joined by newlines, compared by 1 - Levenshtein distance / longer length."""
    return text_similarity("\n".join(map(str, a.get("text") or [])), "\n".join(map(str, b.get("text") or [])))


def textarea_text(item: dict[str, Any]) -> str:
    """A text area's texts joined once per item (prepare), compared by :func:`text_similarity`."""
    return "\n".join(map(str, item["value"].get("text") or []))


def ranker_score(a: dict[str, Any], b: dict[str, Any]) -> float:
    return exact_match(_buckets(a.get("ranker")), _buckets(b.get("ranker")))


def _buckets(value: Any) -> Any:
    # Ranker buckets hold ordered lists: order inside a bucket matters, bucket order does not.
    return {k: list(v) for k, v in value.items()} if isinstance(value, dict) else value


METRICS = [
    MetricSpec(name="choices", kind="classification", compare=_field("choices"), title="Exact match",
               description="1 when both chose the same set of choices, else 0."),
    MetricSpec(name="taxonomy", kind="classification", compare=_field("taxonomy"), title="Exact match",
               description="1 when both picked the same set of taxonomy paths, else 0."),
    MetricSpec(name="rating", kind="classification", compare=_field("rating"), title="Exact match",
               description="1 when both gave the same rating, else 0."),
    MetricSpec(name="number", kind="classification", compare=_field("number"), title="Exact match",
               description="1 when both entered the same number, else 0."),
    MetricSpec(name="datetime", kind="classification", compare=_field("datetime"), title="Exact match",
               description="1 when both entered the same date-time text, else 0."),
    MetricSpec(name="pairwise", kind="classification", compare=_field("selected"), title="Exact match",
               description="1 when both preferred the same side, else 0."),
    MetricSpec(name="ranker", kind="classification", compare=ranker_score, title="Exact match",
               description="1 when both put the same items in the same order in every bucket, else 0."),
    MetricSpec(name="textarea", kind="classification", prepare=textarea_text, compare=text_similarity, title="Edit similarity",
               description="1 - Levenshtein distance / length of the longer text."),
]
