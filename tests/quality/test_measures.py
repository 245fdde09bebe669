"""Each measure against values computed by hand (docs/quality.md has the same examples)."""

from __future__ import annotations

import math

import pytest

from labelloom.core.plugin import exact_match, interval_iou, ranges_iou, text_similarity
from labelloom.plugins.image import metrics as image
from labelloom.plugins.image.rle import rle_from_mask
from labelloom.plugins.text import metrics as text
from labelloom.plugins.timeseries import metrics as timeseries
from labelloom.plugins.video import metrics as video
from labelloom.plugins.audio import metrics as audio


def box(x, y, w, h, rotation=0.0, **extra):
    return {"value": {"x": x, "y": y, "width": w, "height": h, "rotation": rotation}, **extra}


def iou_of(prepare, a, b, compare=image.polygon_iou):
    return compare(prepare(a), prepare(b))


def test_interval_iou():
    assert interval_iou(0, 10, 5, 15) == pytest.approx(1 / 3)
    assert interval_iou(0, 10, 10, 20) == 0.0  # touching ends share no length
    assert interval_iou(0, 10, 20, 30) == 0.0
    assert interval_iou(3, 3, 3, 3) == 1.0  # the same instant
    assert interval_iou(3, 3, 4, 4) == 0.0
    assert interval_iou(10, 0, 0, 10) == 1.0  # reversed ends


def test_ranges_iou_merges_overlapping_ranges_of_one_side():
    assert ranges_iou([(0, 5), (3, 10)], [(0, 10)]) == 1.0
    assert ranges_iou([(0, 10)], [(5, 15)]) == pytest.approx(1 / 3)
    assert ranges_iou([(0, 2), (4, 6)], [(1, 5)]) == pytest.approx(2 / 6)
    assert ranges_iou([], []) == 1.0
    assert ranges_iou([(0, 1)], []) == 0.0


def test_text_similarity():
    assert text_similarity("kitten", "sitting") == pytest.approx(1 - 3 / 7)
    assert text_similarity("", "") == 1.0
    assert text_similarity("abc", "") == 0.0
    assert text_similarity("same", "same") == 1.0


def test_exact_match():
    assert exact_match(["A", "B"], ["B", "A"]) == 1.0
    assert exact_match(["A"], ["A", "B"]) == 0.0
    assert exact_match(3, 3.0) == 1.0
    assert exact_match([["Animal", "Cat"]], [["Animal", "Cat"]]) == 1.0
    assert exact_match(None, 1) == 0.0


def test_box_iou_axis_aligned():
    assert iou_of(image.rectangle_shape, box(0, 0, 10, 10), box(5, 0, 10, 10)) == pytest.approx(50 / 150)
    assert iou_of(image.rectangle_shape, box(0, 0, 10, 10), box(0, 0, 10, 10)) == pytest.approx(1.0)
    assert iou_of(image.rectangle_shape, box(0, 0, 10, 10), box(20, 20, 5, 5)) == 0.0


def test_rotated_box_is_rotated_about_its_top_left_corner():
    # 20 x 10 at (50, 50) turned 90 degrees covers x 40..50, y 50..70: the upright 10 x 20 box there.
    assert iou_of(image.rectangle_shape, box(50, 50, 20, 10, 90), box(40, 50, 10, 20)) == pytest.approx(1.0)
    assert iou_of(image.rectangle_shape, box(50, 50, 20, 10, 90), box(50, 50, 20, 10)) == pytest.approx(0.0)


def test_box_rotated_45_degrees_against_itself_upright():
    # Square [0,10]^2 and its copy turned 45 degrees about (0, 0): they share the quadrilateral
    # (0,0) (7.07,7.07) (4.14,10) (0,10) of area 100 * (sqrt 2 - 1).
    inter = 100 * (math.sqrt(2) - 1)
    expected = inter / (200 - inter)
    assert iou_of(image.rectangle_shape, box(0, 0, 10, 10, 45), box(0, 0, 10, 10)) == pytest.approx(expected)


@pytest.mark.parametrize("rotation", [15, 90, 200, 333.5])
def test_boxes_turned_by_one_angle_score_as_clipping_does(rotation):
    """Boxes sharing a rotation take a shortcut (their upright boxes in the turned frame): the
    same IoU as clipping the rotated polygons, which they get when the shortcut is switched off."""
    size = {"original_width": 640, "original_height": 480}
    pairs = [(box(10, 10, 20, 15, rotation, **size), box(14, 12, 20, 15, rotation, **size)),
             (box(10, 10, 20, 15, rotation), box(40, 10, 20, 15, rotation)),
             (box(10, 10, 20, 15, rotation), box(10, 10, 20, 15, rotation))]
    for a, b in pairs:
        sa, sb = image.rectangle_shape(a), image.rectangle_shape(b)
        assert sa.frame is not None and sb.frame is not None
        fast = image.polygon_iou(sa, sb)
        sa.frame = sb.frame = None
        assert fast == pytest.approx(image.polygon_iou(sa, sb), abs=1e-9)
    assert image.polygon_iou(image.rectangle_shape(pairs[2][0]), image.rectangle_shape(pairs[2][1])) == pytest.approx(1.0)


def test_rotation_uses_pixels_when_the_image_size_is_known():
    # On a 200 x 100 image a 10 % x 20 % box is a 20 x 20 px square; turned 90 degrees about its
    # corner it covers x -20..0 px: no overlap with the upright one.
    size = {"original_width": 200, "original_height": 100}
    a, b = box(50, 50, 10, 20, 90, **size), box(40, 50, 10, 20, **size)
    assert iou_of(image.rectangle_shape, a, b) == pytest.approx(1.0)


def test_polygon_iou_concave():
    ell = {"value": {"points": [[0, 0], [10, 0], [10, 5], [5, 5], [5, 10], [0, 10]]}}
    square = {"value": {"points": [[0, 0], [10, 0], [10, 10], [0, 10]]}}
    assert iou_of(image.polygon_shape, ell, square) == pytest.approx(0.75)
    assert iou_of(image.polygon_shape, square, ell) == pytest.approx(0.75)  # concave side clipped by triangles
    shifted = {"value": {"points": [[x + 5, y] for x, y in ell["value"]["points"]]}}
    # The L (area 75) and the same L moved 5 right share the 5x5 square at (5..10, 0..5) only.
    assert iou_of(image.polygon_shape, ell, shifted) == pytest.approx(25 / 125)
    assert iou_of(image.polygon_shape, ell, {"value": {"points": [[0, 0], [1, 1]]}}) == 0.0  # degenerate


def test_ellipse_iou():
    def ellipse(rx, ry, rotation=0.0):
        return {"value": {"x": 50, "y": 50, "radiusX": rx, "radiusY": ry, "rotation": rotation}}

    assert iou_of(image.ellipse_shape, ellipse(10, 5), ellipse(10, 5)) == pytest.approx(1.0)
    assert iou_of(image.ellipse_shape, ellipse(10, 10), ellipse(5, 5)) == pytest.approx(0.25)
    # A rotated circle: the same up to the 64-gon's facets (within 0.2 %).
    assert iou_of(image.ellipse_shape, ellipse(10, 10, 30), ellipse(10, 10)) == pytest.approx(1.0, abs=2e-3)


def test_brush_mask_iou_on_decoded_rle():
    width, height = 5, 2
    a = bytes([255, 255, 255, 255, 0, 0, 0, 0, 0, 0])
    b = bytes([0, 0, 255, 255, 255, 255, 0, 0, 0, 0])
    item_a = {"value": {"format": "rle", "rle": rle_from_mask(a, width, height)}}
    item_b = {"value": {"format": "rle", "rle": rle_from_mask(b, width, height)}}
    assert iou_of(image.brush_mask, item_a, item_b, image.mask_iou) == pytest.approx(2 / 6)
    other_size = {"value": {"format": "rle", "rle": rle_from_mask(bytes(12), 6, 2)}}
    assert iou_of(image.brush_mask, item_a, other_size, image.mask_iou) == 0.0


def test_keypoint_distance():
    assert image.keypoint_score({"x": 10, "y": 10}, {"x": 13, "y": 14}) == pytest.approx(0.5)
    assert image.keypoint_score({"x": 10, "y": 10}, {"x": 30, "y": 10}) == 0.0


def test_spans_and_segments():
    assert text.span_iou(text.text_span({"value": {"start": 0, "end": 10}}),
                         text.text_span({"value": {"start": 5, "end": 15}})) == pytest.approx(1 / 3)
    p = text.paragraph_span
    assert text.span_iou(p({"value": {"start": "1", "startOffset": 0, "end": "1", "endOffset": 10}}),
                         p({"value": {"start": "1", "startOffset": 5, "end": "1", "endOffset": 10}})) == pytest.approx(0.5)
    h = text.html_span
    assert text.html_iou(h({"value": {"start": "/p[1]", "end": "/p[1]", "startOffset": 0, "endOffset": 4,
                                      "globalOffsets": {"start": 0, "end": 4}}}),
                         h({"value": {"start": "/p[2]", "end": "/p[2]", "startOffset": 0, "endOffset": 2,
                                      "globalOffsets": {"start": 2, "end": 4}}})) == pytest.approx(0.5)
    seg = audio.segment
    assert audio.segment_iou(seg({"value": {"start": 1.0, "end": 3.0}}), seg({"value": {"start": 2.0, "end": 4.0}})) == pytest.approx(1 / 3)
    assert audio.segment_iou(seg({"value": {"start": 1.0, "end": 3.0, "channel": 1}}),
                             seg({"value": {"start": 1.0, "end": 3.0}})) == 0.0
    t = timeseries.time_range
    assert timeseries.range_iou(t({"value": {"start": "2024-01-01T00:00:00", "end": "2024-01-01T00:00:10"}}),
                                t({"value": {"start": "2024-01-01T00:00:05", "end": "2024-01-01T00:00:15"}})) == pytest.approx(1 / 3)
    # Frames 10-12 (3 frames) and 12-14 (3 frames) share frame 12: 1 / 5.
    assert ranges_iou(video.timeline({"value": {"ranges": [{"start": 10, "end": 12}]}}),
                      video.timeline({"value": {"ranges": [{"start": 12, "end": 14}]}})) == pytest.approx(1 / 5)
    track = {"value": {"sequence": [{"frame": 1, "enabled": True}, {"frame": 10, "enabled": False}]}}
    other = {"value": {"sequence": [{"frame": 5, "enabled": True}, {"frame": 15, "enabled": False}]}}
    assert ranges_iou(video.track_frames(track), video.track_frames(other)) == pytest.approx(5 / 14)


def _table_distance(a, b):
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


from hypothesis import given, strategies as st  # noqa: E402

from labelloom.core.quality.measures import levenshtein  # noqa: E402


@given(st.text(alphabet="abcé ", max_size=80), st.text(alphabet="abcé ", max_size=80))
def test_bit_vector_levenshtein_equals_the_table(a, b):
    assert levenshtein(a, b) == _table_distance(a, b)
    assert text_similarity(a, b) == pytest.approx(1 - _table_distance(a, b) / max(len(a), len(b)) if a or b else 1.0)
