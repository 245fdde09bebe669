"""Model comparison: per model version of a project, its prediction count, mean score and how
well its predictions agree with the annotations (and with ground truth where marked).

Agreement compares labels, not geometry: each result is reduced to the set of
``(from_name, label or choice or text)`` it states, and a prediction and a submitted annotation
of the same task agree by the Jaccard index of those sets (1 = same labels). The mean over all
such pairs is reported. Label Studio's open edition has no such view.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..annotations.models import Annotation
from ..predictions.models import Prediction

VALUE_KEYS_SKIPPED = {"x", "y", "width", "height", "rotation", "points", "start", "end", "score", "rle", "format",
                      "brushlabels_rle", "keypoints", "sequence", "globalOffsets", "startOffset", "endOffset"}


def signature(result: Any) -> frozenset[tuple[str, str]]:
    """The labels a result states: ``{(from_name, value)}``, geometry left out."""
    found: set[tuple[str, str]] = set()
    for item in result or ():
        if not isinstance(item, dict) or "from_id" in item:  # a relation states no label
            continue
        name = str(item.get("from_name", ""))
        for key, value in (item.get("value") or {}).items():
            if key in VALUE_KEYS_SKIPPED:
                continue
            values = value if isinstance(value, list) else [value]
            for v in values:
                found.add((name, str(v) if not isinstance(v, list) else "/".join(map(str, v))))
    return frozenset(found)


def jaccard(a: frozenset[Any], b: frozenset[Any]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


async def version_stats(db: AsyncSession, project_id: int) -> list[dict[str, Any]]:
    totals = await db.execute(
        select(Prediction.model_version, func.count(), func.avg(Prediction.score), func.min(Prediction.created_at))
        .where(Prediction.project_id == project_id)
        .group_by(Prediction.model_version)
    )
    stats = {
        v: {"model_version": v, "predictions": n, "mean_score": float(s) if s is not None else None, "created_at": c,
            "agreement": None, "compared": 0, "ground_truth_agreement": None, "ground_truth_compared": 0}
        for v, n, s, c in totals
    }
    annotated: dict[int, list[tuple[frozenset[Any], bool]]] = defaultdict(list)
    rows = await db.stream(
        select(Annotation.task_id, Annotation.result, Annotation.ground_truth)
        .where(Annotation.project_id == project_id, Annotation.was_cancelled.is_(False))
    )
    async for task_id, result, ground_truth in rows:
        annotated[task_id].append((signature(result), bool(ground_truth)))
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0, 0.0, 0])
    if annotated:
        predictions = await db.stream(
            select(Prediction.task_id, Prediction.model_version, Prediction.result)
            .where(Prediction.project_id == project_id)
        )
        async for task_id, version, result in predictions:
            if task_id not in annotated:
                continue
            mine = signature(result)
            acc = sums[version]
            for theirs, ground_truth in annotated[task_id]:
                score = jaccard(mine, theirs)
                acc[0] += score
                acc[1] += 1
                if ground_truth:
                    acc[2] += score
                    acc[3] += 1
    for version, (total, count, gt_total, gt_count) in sums.items():
        entry = stats[version]
        entry["agreement"] = total / count if count else None
        entry["compared"] = int(count)
        entry["ground_truth_agreement"] = gt_total / gt_count if gt_count else None
        entry["ground_truth_compared"] = int(gt_count)
    return sorted(stats.values(), key=lambda e: (e["created_at"] is None, e["created_at"]), reverse=True)
