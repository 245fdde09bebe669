"""One task's quality figures from its annotations and predictions, as plain data.

The output is the task agreement and ``contrib``: the task's additions to the rollups, one row
``[kind, day, user_a, user_b, key, n, total]`` per rollup key (kinds below). Rollups are sums of
every task's contrib, so a task recomputed subtracts its old rows and adds its new ones.

Kinds (``day`` is the UTC day of the annotation, or of the later one for pairs):

- ``done`` / ``skipped``: one per submitted / skipped annotation, by annotator
- ``lead``: lead time seconds (``total``) of annotations that have one, by annotator
- ``label``: items carrying each label (``key``), by annotator
- ``agree``: an annotation's mean agreement with the task's other annotations, by annotator;
  ``ahist``: the same in ten buckets (``key`` "0".."9")
- ``tagree`` / ``thist``: the task's agreement (day of its latest annotation)
- ``pair``: the pair score of two annotators (``user_a`` < ``user_b``, or equal)
- ``plabel``: per-label agreement of a pair (``key`` the label)
- ``gt``: an annotation's score against the task's other ground-truth annotations, by annotator
- ``model_gt`` / ``model_ann``: a prediction's score against ground truth / the mean against
  the annotations, ``key`` its model version, day of the prediction
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from typing import Any

from .scoring import PairScore, Prepared, Scorer


@dataclass(slots=True)
class AnnotationRow:
    id: int
    user: int
    created_at: datetime
    was_cancelled: bool
    lead_time: float | None
    ground_truth: bool
    result: Any


@dataclass(slots=True)
class PredictionRow:
    id: int
    model_version: str
    created_at: datetime
    result: Any


@dataclass(slots=True)
class TaskScores:
    agreement: float | None
    annotations: int
    contrib: list[list[Any]]
    pairs: list[tuple[int, int, float]]  # (annotation id, annotation id, score) for the API
    gt_scores: dict[int, float]  # annotation id -> score against ground truth


def day_of(moment: datetime | str | None) -> str:
    if moment is None:
        return "0000-00-00"
    if isinstance(moment, str):
        return moment[:10]
    return moment.strftime("%Y-%m-%d")


def bucket(score: float) -> str:
    return str(min(9, max(0, int(score * 10 + 1e-9))))


class _Contrib:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, int, int, str], list[float]] = {}

    def add(self, kind: str, day: str, user_a: int, user_b: int, key: str, n: int, total: float = 0.0) -> None:
        row = self.rows.get((kind, day, user_a, user_b, key))
        if row is None:
            self.rows[(kind, day, user_a, user_b, key)] = [n, total]
        else:
            row[0] += n
            row[1] += total

    def as_list(self) -> list[list[Any]]:
        return [[*k, int(v[0]), v[1]] for k, v in sorted(self.rows.items())]


def score_task(scorer: Scorer, annotations: Sequence[AnnotationRow], predictions: Sequence[PredictionRow] = ()) -> TaskScores:
    out = _Contrib()
    live = [a for a in annotations if not a.was_cancelled]
    prepared: dict[int, Prepared] = {a.id: scorer.prepare(a.result) for a in live}
    days = {a.id: day_of(a.created_at) for a in annotations}
    for a in annotations:
        user = a.user or 0
        if a.was_cancelled:
            out.add("skipped", days[a.id], user, 0, "", 1)
            continue
        out.add("done", days[a.id], user, 0, "", 1)
        if a.lead_time is not None:
            out.add("lead", days[a.id], user, 0, "", 1, float(a.lead_time))
        for label, count in prepared[a.id].labels().items():
            out.add("label", days[a.id], user, 0, label[:255], count)

    pair_scores: dict[tuple[int, int], PairScore] = {}
    for x, y in combinations(live, 2):
        pair_scores[(x.id, y.id)] = scorer.pair(prepared[x.id], prepared[y.id])

    agreement = None
    if len(live) >= 2:
        agreement = sum(p.score for p in pair_scores.values()) / len(pair_scores)
        last_day = max(days[a.id] for a in live)
        out.add("tagree", last_day, 0, 0, "", 1, agreement)
        out.add("thist", last_day, 0, 0, bucket(agreement), 1)
        by_id = {a.id: a for a in live}
        for (ia, ib), pair in pair_scores.items():
            ua, ub = sorted((by_id[ia].user or 0, by_id[ib].user or 0))
            day = max(days[ia], days[ib])
            out.add("pair", day, ua, ub, "", 1, pair.score)
            for label, score in pair.by_label.items():
                out.add("plabel", day, 0, 0, label[:255], 1, score)
        for a in live:
            mine = [p.score for (ia, ib), p in pair_scores.items() if a.id in (ia, ib)]
            mean = sum(mine) / len(mine)
            out.add("agree", days[a.id], a.user or 0, 0, "", 1, mean)
            out.add("ahist", days[a.id], a.user or 0, 0, bucket(mean), 1)

    truths = [a for a in live if a.ground_truth]
    gt_scores: dict[int, float] = {}
    for a in live:
        others = [t for t in truths if t.id != a.id]
        if not others:
            continue
        scores = [_pair(pair_scores, scorer, prepared, a.id, t.id) for t in others]
        gt_scores[a.id] = sum(scores) / len(scores)
        out.add("gt", days[a.id], a.user or 0, 0, "", 1, gt_scores[a.id])

    for p in predictions:
        if not truths and not live:
            break
        mine = scorer.prepare(p.result)
        version = (p.model_version or "")[:255]
        day = day_of(p.created_at)
        if truths:
            scores = [scorer.pair(mine, prepared[t.id]).score for t in truths]
            out.add("model_gt", day, 0, 0, version, 1, sum(scores) / len(scores))
        scores = [scorer.pair(mine, prepared[a.id]).score for a in live]
        out.add("model_ann", day, 0, 0, version, 1, sum(scores) / len(scores))

    return TaskScores(
        agreement=agreement,
        annotations=len(live),
        contrib=out.as_list(),
        pairs=[(ia, ib, p.score) for (ia, ib), p in pair_scores.items()],
        gt_scores=gt_scores,
    )


def _pair(cache: dict[tuple[int, int], PairScore], scorer: Scorer, prepared: dict[int, Prepared], x: int, y: int) -> float:
    found = cache.get((x, y)) or cache.get((y, x))
    return found.score if found is not None else scorer.pair(prepared[x], prepared[y]).score
