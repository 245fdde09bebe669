"""Pair scores and task figures of real configs, against values computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from labelloom.core.quality.compute import AnnotationRow, PredictionRow, score_task

IMAGE = """<View><Image name="img" value="$image"/>
<RectangleLabels name="box" toName="img"><Label value="Car"/><Label value="Person"/></RectangleLabels>
<Choices name="kind" toName="img"><Choice value="Day"/><Choice value="Night"/></Choices>
<TextArea name="note" toName="img"/></View>"""

TEXT = """<View><Text name="text" value="$text"/>
<Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels></View>"""


def rect(x, y, w, h, label="Car", rotation=0):
    return {"from_name": "box", "to_name": "img", "type": "rectanglelabels", "original_width": 100,
            "original_height": 100,
            "value": {"x": x, "y": y, "width": w, "height": h, "rotation": rotation, "rectanglelabels": [label]}}


def choice(value):
    return {"from_name": "kind", "to_name": "img", "type": "choices", "value": {"choices": [value]}}


def span(start, end, label="PER"):
    return {"from_name": "ner", "to_name": "text", "type": "labels", "value": {"start": start, "end": end, "labels": [label]}}


def test_empty_results_agree(make_scorer):
    s = make_scorer(IMAGE)
    assert s.pair(s.prepare([]), s.prepare([])).score == 1.0


def test_one_region_against_none_is_zero(make_scorer):
    s = make_scorer(IMAGE)
    assert s.pair(s.prepare([rect(0, 0, 10, 10)]), s.prepare([])).score == 0.0


def test_boxes_threshold_and_overlap_methods(make_scorer):
    a = [rect(0, 0, 10, 10), rect(50, 50, 10, 10)]
    b = [rect(5, 0, 10, 10)]  # IoU 1/3 with the first box
    strict = make_scorer(IMAGE, threshold=0.5)
    assert strict.pair(strict.prepare(a), strict.prepare(b)).score == 0.0
    loose = make_scorer(IMAGE, threshold=0.3)
    assert loose.pair(loose.prepare(a), loose.prepare(b)).score == pytest.approx(2 * 1 / 3)  # F1: 1 match of 2 + 1
    soft = make_scorer(IMAGE, method="overlap")
    assert soft.pair(soft.prepare(a), soft.prepare(b)).score == pytest.approx(2 * (1 / 3) / 3)


def test_labels_must_match_unless_told_otherwise(make_scorer):
    a, b = [rect(0, 0, 10, 10, "Car")], [rect(0, 0, 10, 10, "Person")]
    s = make_scorer(IMAGE)
    assert s.pair(s.prepare(a), s.prepare(b)).score == 0.0
    geometry_only = make_scorer(IMAGE, match_labels=False)
    assert geometry_only.pair(geometry_only.prepare(a), geometry_only.prepare(b)).score == pytest.approx(1.0)


def test_rotated_boxes_match_their_upright_twin(make_scorer):
    s = make_scorer(IMAGE)
    assert s.pair(s.prepare([rect(50, 50, 20, 10, rotation=90)]), s.prepare([rect(40, 50, 10, 20)])).score == pytest.approx(1.0)


def test_greedy_matching_takes_the_best_pair_first(make_scorer):
    s = make_scorer(IMAGE, threshold=0.1)
    a = [rect(0, 0, 10, 10), rect(6, 0, 10, 10)]
    b = [rect(1, 0, 10, 10)]
    # b overlaps a[0] by 9/11 and a[1] by 5/15: a[0] is taken; one match of 2 + 1 items.
    matched = s.match(s.prepare(a).groups[("box", "img")], s.prepare(b).groups[("box", "img")])
    assert [round(score, 4) for score, _ in matched] == [round(9 / 11, 4)]


def test_controls_are_averaged(make_scorer):
    s = make_scorer(IMAGE)
    a = [rect(0, 0, 10, 10), choice("Day")]
    b = [rect(0, 0, 10, 10), choice("Night")]
    assert s.pair(s.prepare(a), s.prepare(b)).score == pytest.approx(0.5)


def test_textarea_edit_similarity(make_scorer):
    s = make_scorer(IMAGE)
    note = lambda t: {"from_name": "note", "to_name": "img", "type": "textarea", "value": {"text": [t]}}  # noqa: E731
    assert s.pair(s.prepare([note("kitten")]), s.prepare([note("sitting")])).score == pytest.approx(4 / 7)


def test_overlapping_spans_of_one_annotation(make_scorer):
    s = make_scorer(TEXT)
    a = [span(0, 10), span(5, 15)]
    b = [span(0, 10)]
    pair = s.pair(s.prepare(a), s.prepare(b))
    assert pair.score == pytest.approx(2 / 3)  # one match; precision 1/2, recall 1/1
    assert pair.by_label == {"PER": pytest.approx(2 / 3)}


def test_per_label_agreement(make_scorer):
    s = make_scorer(TEXT)
    a = [span(0, 5, "PER"), span(10, 20, "ORG")]
    b = [span(0, 5, "PER"), span(30, 40, "ORG")]
    pair = s.pair(s.prepare(a), s.prepare(b))
    assert pair.by_label == {"PER": 1.0, "ORG": 0.0}
    assert pair.score == pytest.approx(0.5)


def at(day):
    return datetime(2026, 1, day, 12, tzinfo=UTC)


def test_task_agreement_is_the_mean_over_pairs(make_scorer):
    s = make_scorer(IMAGE)
    rows = [
        AnnotationRow(1, 10, at(1), False, 5.0, False, [choice("Day")]),
        AnnotationRow(2, 11, at(2), False, 7.0, False, [choice("Day")]),
        AnnotationRow(3, 12, at(2), False, None, True, [choice("Night")]),
        AnnotationRow(4, 13, at(3), True, 1.0, False, []),
    ]
    scores = score_task(s, rows, [PredictionRow(9, "v1", at(3), [choice("Night")])])
    assert scores.agreement == pytest.approx(1 / 3)
    assert scores.annotations == 3
    assert scores.gt_scores == {1: 0.0, 2: 0.0}
    contrib = {(r[0], r[1], r[2], r[3], r[4]): (r[5], r[6]) for r in scores.contrib}
    assert contrib[("done", "2026-01-01", 10, 0, "")] == (1, 0.0)
    assert contrib[("skipped", "2026-01-03", 13, 0, "")] == (1, 0.0)
    assert contrib[("lead", "2026-01-02", 11, 0, "")] == (1, 7.0)
    assert contrib[("pair", "2026-01-02", 10, 11, "")] == (1, 1.0)
    assert contrib[("pair", "2026-01-02", 10, 12, "")] == (1, 0.0)
    assert contrib[("agree", "2026-01-01", 10, 0, "")] == (1, 0.5)
    assert contrib[("thist", "2026-01-02", 0, 0, "3")] == (1, 0.0)
    assert contrib[("model_gt", "2026-01-03", 0, 0, "v1")] == (1, 1.0)
    assert contrib[("model_ann", "2026-01-03", 0, 0, "v1")][1] == pytest.approx(1 / 3)
    assert contrib[("label", "2026-01-01", 10, 0, "Day")] == (1, 0.0)


def test_one_annotation_has_no_agreement(make_scorer):
    s = make_scorer(IMAGE)
    scores = score_task(s, [AnnotationRow(1, 10, at(1), False, None, False, [choice("Day")])])
    assert scores.agreement is None
    assert not any(r[0] in ("pair", "tagree", "agree") for r in scores.contrib)


def test_unknown_controls_and_relations_are_left_out(make_scorer):
    s = make_scorer(IMAGE)
    junk = [{"type": "relation", "from_id": "a", "to_id": "b"},
            {"from_name": "gone", "to_name": "img", "type": "choices", "value": {"choices": ["X"]}}]
    assert s.pair(s.prepare(junk), s.prepare([])).score == 1.0


def _covered(since, until):
    """The rollup periods the dashboard reads for a range, by asking its SQL condition."""
    from sqlalchemy import create_engine, select, table, column, literal_column  # noqa: F401
    from labelloom.core.quality.dashboard import periods
    from labelloom.core.quality.models import QualityRollup

    engine = create_engine("sqlite://")
    QualityRollup.__table__.metadata.create_all(engine, tables=[QualityRollup.__table__], checkfirst=True)
    days = [f"2025-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 32)]
    keys = ["*"] + [f"2025-{m:02d}" for m in range(1, 13)] + days
    with engine.begin() as conn:
        conn.execute(QualityRollup.__table__.insert(), [
            {"project_id": 1, "kind": "k", "day": k, "user_a": 0, "user_b": 0, "key": "", "n": 1, "total": 0.0} for k in keys
        ])
        return sorted(conn.execute(select(QualityRollup.day).where(periods(since, until))).scalars())


def test_periods_cover_a_range_once():
    assert _covered(None, None) == ["*"]
    assert _covered("2025-03-05", "2025-03-07") == ["2025-03-05", "2025-03-06", "2025-03-07"]
    got = _covered("2025-03-30", "2025-05-02")
    assert got == ["2025-03-30", "2025-03-31", "2025-04", "2025-05-01", "2025-05-02"]
    assert _covered("2025-02-01", "2025-03-31") == ["2025-02", "2025-03"]
    assert _covered("2025-03-31", "2025-04-02") == ["2025-03-31", "2025-04-01", "2025-04-02"]
    assert _covered("2025-11-15", None)[:2] == ["2025-11-15", "2025-11-16"] and _covered("2025-11-15", None)[-1] == "2025-12"
    assert _covered(None, "2025-01-31") == ["2025-01"]


def test_the_whole_task_example_of_the_docs(make_scorer):
    s = make_scorer(IMAGE)
    a = [rect(0, 0, 10, 10), rect(50, 50, 10, 10), choice("Day")]
    b = [rect(1, 0, 10, 10), choice("Night")]
    pair = s.pair(s.prepare(a), s.prepare(b))
    assert pair.score == pytest.approx(1 / 3)
    assert pair.by_label == {"Car": pytest.approx(2 / 3), "Day": 0.0, "Night": 0.0}
