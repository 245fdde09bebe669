"""Small, exact similarity measures shared by the metrics plugins register (public through
``labelloom.core.plugin``): interval IoU, normalised edit similarity, exact match."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def interval_iou(a_start: float, a_end: float, b_start: float, b_end: float) -> float:
    """Intersection over union of two closed intervals; two equal points (zero length) are 1."""
    if a_start > a_end:
        a_start, a_end = a_end, a_start
    if b_start > b_end:
        b_start, b_end = b_end, b_start
    inter = min(a_end, b_end) - max(a_start, b_start)
    union = max(a_end, b_end) - min(a_start, b_start)
    if union <= 0:  # both are the same instant
        return 1.0 if a_start == b_start else 0.0
    return max(0.0, inter) / union


def ranges_iou(a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]]) -> float:
    """IoU of two unions of half-open ranges ``[start, end)`` (e.g. frame ranges), each union
    merged first so overlapping ranges of one side are not counted twice."""
    ma, mb = _merge(a), _merge(b)
    total_a = sum(e - s for s, e in ma)
    total_b = sum(e - s for s, e in mb)
    inter = 0.0
    i = j = 0
    while i < len(ma) and j < len(mb):
        lo, hi = max(ma[i][0], mb[j][0]), min(ma[i][1], mb[j][1])
        if hi > lo:
            inter += hi - lo
        if ma[i][1] < mb[j][1]:
            i += 1
        else:
            j += 1
    union = total_a + total_b - inter
    if union <= 0:
        return 1.0 if not ma and not mb else 0.0
    return inter / union


def _merge(ranges: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for start, end in sorted((min(s, e), max(s, e)) for s, e in ranges):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def text_similarity(a: str, b: str) -> float:
    """1 - Levenshtein distance / length of the longer text (1 for two empty texts)."""
    if a == b:
        return 1.0
    longer = max(len(a), len(b))
    if not a or not b:
        return 0.0
    # Common ends cost nothing to compare and do not change the distance.
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    a, b = a[head:], b[head:]
    tail = 0
    while tail < len(a) and tail < len(b) and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    if tail:
        a, b = a[:-tail], b[:-tail]
    if not a or not b:
        return 1.0 - max(len(a), len(b)) / longer
    return 1.0 - levenshtein(a, b) / longer


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions) by Hyyrö's bit-vector algorithm:
    one pass over ``b`` with ``len(a)``-bit integers, the same result as the textbook table."""
    m = len(a)
    if not m:
        return len(b)
    full = (1 << m) - 1
    top = 1 << (m - 1)
    peq: dict[str, int] = {}
    for i, char in enumerate(a):
        peq[char] = peq.get(char, 0) | (1 << i)
    pv, mv, score = full, 0, m
    for char in b:
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & full) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & full
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv
    return score


def exact_match(a: Any, b: Any) -> float:
    """1 when two values are equal (lists compared as sets: order of choices does not matter)."""
    if isinstance(a, list) and isinstance(b, list):
        return 1.0 if _as_set(a) == _as_set(b) else 0.0
    if isinstance(a, float) or isinstance(b, float):
        try:
            return 1.0 if math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12) else 0.0
        except (TypeError, ValueError):
            return 0.0
    return 1.0 if a == b else 0.0


def _as_set(items: list[Any]) -> frozenset[Any]:
    return frozenset(tuple(i) if isinstance(i, list) else i for i in items)
