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
from typing import Any

from .scoring import PairScore, Prepared, Scorer


@dataclass(slots=True)
class AnnotationRow:
    id: int
    user: int
    created_at: datetime | str | None  # or its UTC day, "YYYY-MM-DD"
    was_cancelled: bool
    lead_time: float | None
    ground_truth: bool
    result: Any


@dataclass(slots=True)
class PredictionRow:
    id: int
    model_version: str
    created_at: datetime | str | None
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


def score_task(scorer: Scorer, annotations: Sequence[AnnotationRow], predictions: Sequence[PredictionRow] = ()) -> TaskScores:
    # A full recompute runs this for every task of a project: plain locals and one dict of
    # rows, no per-row objects beyond what the rollups need.
    rows: dict[tuple[str, str, int, int, str], list[Any]] = {}

    def add(kind: str, day: str, user_a: int, user_b: int, key: str, n: int, total: float = 0.0) -> None:
        row = rows.get((kind, day, user_a, user_b, key))
        if row is None:
            rows[(kind, day, user_a, user_b, key)] = [n, total]
        else:
            row[0] += n
            row[1] += total

    live: list[AnnotationRow] = []
    prepared: list[Prepared] = []
    days: list[str] = []
    for a in annotations:
        user, day = a.user or 0, day_of(a.created_at)
        if a.was_cancelled:
            add("skipped", day, user, 0, "", 1)
            continue
        add("done", day, user, 0, "", 1)
        if a.lead_time is not None:
            add("lead", day, user, 0, "", 1, float(a.lead_time))
        mine = scorer.prepare(a.result)
        for label, count in mine.labels().items():
            add("label", day, user, 0, label[:255], count)
        live.append(a)
        prepared.append(mine)
        days.append(day)

    count = len(live)
    pair_scores: dict[tuple[int, int], PairScore] = {}  # by index in ``live``
    for i in range(count):
        for j in range(i + 1, count):
            pair_scores[(i, j)] = scorer.pair(prepared[i], prepared[j])

    agreement = None
    if count >= 2:
        sums = [0.0] * count
        agreement = sum(p.score for p in pair_scores.values()) / len(pair_scores)
        last_day = max(days)
        add("tagree", last_day, 0, 0, "", 1, agreement)
        add("thist", last_day, 0, 0, bucket(agreement), 1)
        for (i, j), pair in pair_scores.items():
            ua, ub = live[i].user or 0, live[j].user or 0
            if ua > ub:
                ua, ub = ub, ua
            day = days[i] if days[i] >= days[j] else days[j]
            add("pair", day, ua, ub, "", 1, pair.score)
            for label, score in pair.by_label.items():
                add("plabel", day, 0, 0, label[:255], 1, score)
            sums[i] += pair.score
            sums[j] += pair.score
        for i, a in enumerate(live):
            mean = sums[i] / (count - 1)  # each annotation is in count - 1 pairs
            add("agree", days[i], a.user or 0, 0, "", 1, mean)
            add("ahist", days[i], a.user or 0, 0, bucket(mean), 1)

    truths = [i for i, a in enumerate(live) if a.ground_truth]
    gt_scores: dict[int, float] = {}
    if truths:
        for i, a in enumerate(live):
            others = [t for t in truths if t != i]
            if not others:
                continue
            scores = [pair_scores[(i, t) if i < t else (t, i)].score for t in others]
            gt_scores[a.id] = sum(scores) / len(scores)
            add("gt", days[i], a.user or 0, 0, "", 1, gt_scores[a.id])

    for p in predictions:
        if not live:
            break
        theirs = scorer.prepare(p.result)
        version = (p.model_version or "")[:255]
        day = day_of(p.created_at)
        by_index = [scorer.pair(theirs, prepared[i]).score for i in range(count)]
        if truths:
            add("model_gt", day, 0, 0, version, 1, sum(by_index[t] for t in truths) / len(truths))
        add("model_ann", day, 0, 0, version, 1, sum(by_index) / count)

    return TaskScores(
        agreement=agreement,
        annotations=count,
        contrib=[[*k, int(v[0]), v[1]] for k, v in sorted(rows.items())],
        pairs=[(live[i].id, live[j].id, p.score) for (i, j), p in pair_scores.items()],
        gt_scores=gt_scores,
    )


