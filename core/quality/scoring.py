"""Pair scores of two result lists (annotations or predictions), from the registered metrics.

An annotation's items are grouped by control (``from_name`` -> ``to_name``). For each group
present in either annotation the items of both are matched greedily: every candidate pair is
scored by its metric (regions: geometry overlap, and zero when ``match_labels`` and the labels
differ), pairs are taken best first, each item at most once. A group scores
``2 * matched / (len(a) + len(b))`` (an F1 of precision and recall), where ``matched`` counts
pairs reaching the threshold (method ``threshold``) or sums their scores (method ``overlap``;
classifications always count their score). The pair score is the mean over groups; two empty
results agree (1.0). Greedy rather than Hungarian: with scores sorted best first it is exact
whenever each item has one clearly best partner, which is the common case, and it costs
O(n*m log(n*m)) per group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..specs import MetricSpec


@dataclass(frozen=True)
class Rules:
    """A project's scoring settings."""

    method: str = "threshold"
    threshold: float = 0.5
    match_labels: bool = True


@dataclass(slots=True)
class Item:
    metric: MetricSpec
    labels: frozenset[str]
    prepared: Any


@dataclass(slots=True)
class Prepared:
    """One result list, its items grouped by control, each prepared once for all its pairs."""

    groups: dict[tuple[str, str], list[Item]] = field(default_factory=dict)

    def labels(self) -> dict[str, int]:
        """How many items carry each label (label distribution)."""
        counts: dict[str, int] = {}
        for items in self.groups.values():
            for item in items:
                for label in item.labels:
                    counts[label] = counts.get(label, 0) + 1
        return counts


@dataclass(slots=True)
class PairScore:
    score: float
    by_label: dict[str, float]


_UNKNOWN = object()
_NO_LABELS: frozenset[str] = frozenset()


class Scorer:
    """Scores results of one project: its parsed config, the metrics registry and its rules."""

    def __init__(self, parsed: Any, metrics: Mapping[str, MetricSpec] | Iterable[MetricSpec], rules: Rules) -> None:
        self.parsed = parsed
        specs = metrics.values() if isinstance(metrics, Mapping) else metrics
        self.regions = {m.name: m for m in specs if m.kind == "region"}
        specs = metrics.values() if isinstance(metrics, Mapping) else metrics
        self.types = {m.name: m for m in specs if m.kind != "region"}
        self.rules = rules
        self._controls: dict[str, Any] = {}
        self._shapes: dict[tuple[Any, ...], Any] = {}

    # -- preparing ---------------------------------------------------------------------------
    def prepare(self, result: Sequence[Any] | None) -> Prepared:
        out = Prepared()
        groups = out.groups
        shapes = self._shapes
        for raw in result or ():
            if not isinstance(raw, dict):
                continue
            from_name, value = raw.get("from_name"), raw.get("value")
            if not isinstance(from_name, str) or not isinstance(value, dict):
                continue  # relations and other top-level items are not scored
            # How an item is scored depends only on its control, target, type and value keys:
            # resolved once per such shape, not once per item.
            try:
                shape = (from_name, raw.get("to_name"), raw.get("type"), *value)
                found = shapes.get(shape, _UNKNOWN)
            except TypeError:  # an unhashable to_name or type: not a result item we know
                continue
            if found is _UNKNOWN:
                found = shapes[shape] = self._resolve(from_name, raw, value)
            if found is None:
                continue
            metric, labels_key, group = found
            labels = value.get(labels_key) if labels_key else None
            label_set = frozenset(map(str, labels)) if isinstance(labels, list) else _NO_LABELS
            try:
                prepared = metric.prepare(raw) if metric.prepare is not None else value
            except (KeyError, TypeError, ValueError, IndexError):
                continue  # an item the metric cannot read scores as absent, never as an error
            items = groups.get(group)
            if items is None:
                groups[group] = [Item(metric, label_set, prepared)]
            else:
                items.append(Item(metric, label_set, prepared))
        return out

    def _resolve(self, from_name: str, raw: dict[str, Any], value: dict[str, Any],
                 ) -> tuple[MetricSpec, Any, tuple[str, str]] | None:
        """(metric, key of the labels in the value, group) for an item of this shape."""
        control = self._control(from_name)
        if control is None:
            return None
        to_name = raw.get("to_name")
        metric = self._metric(control, to_name, raw, value)
        if metric is None:
            return None
        return metric, control.spec.labels_key or raw.get("type"), (from_name, str(to_name))

    def _control(self, from_name: str) -> Any:
        if from_name not in self._controls:
            control, _ = self.parsed.find_control(from_name)
            self._controls[from_name] = control
        return self._controls[from_name]

    def _metric(self, control: Any, to_name: Any, raw: dict[str, Any], value: dict[str, Any]) -> MetricSpec | None:
        target = control.targets.get(to_name) if isinstance(to_name, str) else None
        region = control.region_for(target, value) if target is not None else None
        if region is not None and region.name in self.regions:
            return self.regions[region.name]
        return self.types.get(raw.get("type") or control.result_type or "")

    # -- comparing ---------------------------------------------------------------------------
    def pair(self, a: Prepared, b: Prepared) -> PairScore:
        keys = a.groups.keys() | b.groups.keys()
        if not keys:
            return PairScore(1.0, {})
        total = 0.0
        label_sums: dict[str, list[float]] = {}
        groups_a, groups_b = a.groups, b.groups
        for key in keys:
            items_a, items_b = groups_a.get(key, ()), groups_b.get(key, ())
            if len(items_a) == 1 and len(items_b) == 1:  # the common case: one choice, one box ...
                total += self._single(items_a[0], items_b[0], label_sums)
                continue
            # Each pair's metric score once per group; labels only gate matches afterwards.
            scores = [[self._compare(x, y) for y in items_b] for x in items_a]
            every_a, every_b = range(len(items_a)), range(len(items_b))
            total += self._f1(items_a, items_b, scores, every_a, every_b, check_labels=True)
            for label in set().union(*(i.labels for i in items_a), *(i.labels for i in items_b)):
                with_a = [i for i in every_a if label in items_a[i].labels]
                with_b = [j for j in every_b if label in items_b[j].labels]
                if not with_a or not with_b:
                    score = 0.0
                elif items_a[with_a[0]].metric.kind != "region":
                    score = 1.0  # both chose it
                else:
                    score = self._f1(items_a, items_b, scores, with_a, with_b, check_labels=False)
                entry = label_sums.setdefault(label, [0.0, 0])
                entry[0] += score
                entry[1] += 1
        by_label = {label: s / n for label, (s, n) in label_sums.items()}
        return PairScore(total / len(keys), by_label)

    def _single(self, x: Item, y: Item, label_sums: dict[str, list[float]]) -> float:
        """:meth:`pair` for a group of one item on each side, without building a matrix."""
        metric = x.metric
        score = float(metric.compare(x.prepared, y.prepared)) if metric is y.metric else 0.0
        labels_a, labels_b = x.labels, y.labels
        if metric.kind == "region":
            rules = self.rules
            if rules.method == "threshold":
                hit = 1.0 if score > 0 and score >= rules.threshold else 0.0
            else:
                hit = score if score > 0 else 0.0
            same = hit if labels_a == labels_b or not rules.match_labels else 0.0
            both = hit
        else:
            same = score
            both = 1.0
        if labels_a or labels_b:
            for label in labels_a | labels_b:
                entry = label_sums.get(label)
                if entry is None:
                    entry = label_sums[label] = [0.0, 0]
                if label in labels_a and label in labels_b:
                    entry[0] += both
                entry[1] += 1
        return same

    @staticmethod
    def _compare(x: Item, y: Item) -> float:
        if x.metric is not y.metric:
            return 0.0
        return float(x.metric.compare(x.prepared, y.prepared))

    def _f1(self, items_a: Sequence[Item], items_b: Sequence[Item], scores: list[list[float]],
            rows: Sequence[int], columns: Sequence[int], *, check_labels: bool) -> float:
        if not rows or not columns:
            return 0.0
        matched = 0.0
        for score, i, _ in self._greedy(items_a, items_b, scores, rows, columns, check_labels):
            if items_a[i].metric.kind == "region" and self.rules.method == "threshold":
                matched += 1.0
            else:
                matched += score
        return 2.0 * matched / (len(rows) + len(columns))

    def _greedy(self, items_a: Sequence[Item], items_b: Sequence[Item], scores: list[list[float]],
                rows: Sequence[int], columns: Sequence[int], check_labels: bool) -> list[tuple[float, int, int]]:
        threshold = self.rules.threshold if self.rules.method == "threshold" else 0.0
        gate = check_labels and self.rules.match_labels
        candidates = []
        for i in rows:
            x = items_a[i]
            region = x.metric.kind == "region"
            for j in columns:
                score = scores[i][j]
                if score <= 0 or (region and score < threshold):
                    continue
                if region and gate and x.labels != items_b[j].labels:
                    continue
                candidates.append((score, i, j))
        if len(candidates) <= 1:
            return candidates
        candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
        used_a: set[int] = set()
        used_b: set[int] = set()
        pairs = []
        for score, i, j in candidates:
            if i in used_a or j in used_b:
                continue
            used_a.add(i)
            used_b.add(j)
            pairs.append((score, i, j))
        return pairs

    def match(self, items_a: Sequence[Item], items_b: Sequence[Item]) -> list[tuple[float, Item]]:
        """Greedy one-to-one matching, best score first; (score, item of a) per matched pair."""
        scores = [[self._compare(x, y) for y in items_b] for x in items_a]
        pairs = self._greedy(items_a, items_b, scores, range(len(items_a)), range(len(items_b)), True)
        return [(score, items_a[i]) for score, i, _ in pairs]
