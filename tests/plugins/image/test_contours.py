"""Our outer-contour tracing against OpenCV's findContours(RETR_EXTERNAL, CHAIN_APPROX_SIMPLE),
which Label Studio's BRUSH_TO_COCO calls: the same points in the same order, on random masks
(blobs, holes, blobs inside holes, single pixels, diagonal touches) and on drawn shapes."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from labelloom.plugins.image.contours import bounding_rect, contour_area, outer_contours


def _opencv(mask: np.ndarray) -> list[list[tuple[int, int]]]:
    found, _ = cv2.findContours(mask.copy(), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return [[(int(p[0][0]), int(p[0][1])) for p in contour] for contour in found]


@pytest.mark.parametrize("seed", range(40))
def test_random_masks_match_opencv(seed):
    rng = np.random.RandomState(seed)
    for density in (0.1, 0.3, 0.5, 0.7, 0.9):
        height, width = rng.randint(1, 30, size=2)
        mask = (rng.rand(height, width) < density).astype(np.uint8) * 255
        ours = outer_contours(mask.tobytes(), int(width), int(height))
        assert ours == _opencv(mask)
        found, _ = cv2.findContours(mask.copy(), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour, theirs in zip(ours, found):
            assert bounding_rect(contour) == list(cv2.boundingRect(theirs))
            assert contour_area(contour) == pytest.approx(cv2.contourArea(theirs))


def test_drawn_shapes_with_an_island_in_a_hole():
    mask = np.zeros((120, 200), np.uint8)
    cv2.circle(mask, (60, 60), 50, 255, -1)
    cv2.circle(mask, (60, 60), 30, 0, -1)  # a hole ...
    cv2.circle(mask, (60, 60), 10, 255, -1)  # ... with an island: not an outer contour
    cv2.rectangle(mask, (130, 20), (190, 100), 255, -1)
    ours = outer_contours(mask.tobytes(), 200, 120)
    assert ours == _opencv(mask) and len(ours) == 2
    assert [(130, 20), (130, 100), (190, 100), (190, 20)] in ours  # a box keeps its four corners
