"""Outer contours of a mask as polygons: Suzuki and Abe's border following, the algorithm behind
OpenCV's ``findContours(mask, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE)`` that Label Studio's
``BRUSH_TO_COCO`` uses, without OpenCV: same start points, same direction, same corners kept
(straight and diagonal runs keep only their ends), same order. Plus ``boundingRect`` and
``contourArea`` of the result, as that export reports them.
"""

from __future__ import annotations

import re

# Chain codes: 0 = east, then counter-clockwise on screen (2 = north, y decreasing).
_DX = (1, 1, 0, -1, -1, -1, 0, 1)
_DY = (0, -1, -1, -1, 0, 1, 1, 1)

Contour = list[tuple[int, int]]

_NONZERO_TO_ONE = bytes([0] + [1] * 255)
# Pixel states: 0 background, 1 untraced, then border pixels. OpenCV numbers each border (and
# negates it on a blob's right side); for outer borders only the side matters, so two marks do.
LEFT, RIGHT = 2, 3
_RUNS = re.compile(rb"\x01+")


def outer_contours(mask: bytes | bytearray, width: int, height: int) -> list[Contour]:
    """The outer border of every connected blob (8-connectivity) of non-zero pixels that is not
    inside a hole of another blob, each as its corner points ``(x, y)``.

    OpenCV scans every pixel; here each row visits only where the value can change from its left
    neighbour (the mask's own edges and the border pixels labelled so far), so the cost follows
    the blobs' outlines, not the image's area.
    """
    stride = width + 2  # a one-pixel frame of zeros, so no step leaves the image
    binary = bytes(mask).translate(_NONZERO_TO_ONE)
    frame = b"\0" * stride
    img = bytearray(frame + b"".join(b"\0" + binary[y * width:(y + 1) * width] + b"\0" for y in range(height)) + frame)
    deltas = [_DX[s] + _DY[s] * stride for s in range(8)] * 2
    marks: list[list[int]] = [[] for _ in range(height + 2)]  # labelled columns, per row
    found: list[Contour] = []
    for y in range(1, height + 1):
        row = y * stride
        offset = (y - 1) * width - 1  # index in ``binary`` -> column in ``img``
        edges: set[int] = set()
        for run in _RUNS.finditer(binary, offset + 1, offset + 1 + width):
            edges.add(run.start() - offset)  # its first 1
            edges.add(run.end() - offset)  # the 0 after it
        todo = _candidates(edges, marks[y], 0)
        last_border = row  # the last labelled border pixel met in this row (the frame at first)
        i = 0
        while i < len(todo):
            x = todo[i]
            i += 1
            p, prev = img[row + x], img[row + x - 1]
            if p == prev:
                continue
            # An outer border starts where a 0 is followed by an untraced 1; holes are skipped,
            # and so are blobs inside another (the last border met is a blob's left side).
            if prev == 0 and p == 1:
                if img[last_border] != LEFT:
                    found.append(_follow(img, deltas, stride, marks, row + x, (x - 1, y - 1)))
                    todo, i = _candidates(edges, marks[y], x), 0  # the trace labelled this row too
                continue
            if p not in (0, 1):
                last_border = row + x
    found.reverse()  # OpenCV lists the last found first
    return found


def _candidates(edges: set[int], marked: list[int], after: int) -> list[int]:
    """Columns right of ``after`` where a pixel may differ from its left neighbour."""
    cols = set(edges)
    for x in marked:
        cols.add(x)
        cols.add(x + 1)
    return sorted(c for c in cols if c > after)


def _follow(img: bytearray, deltas: list[int], stride: int, marks: list[list[int]], start: int,
            point: tuple[int, int]) -> Contour:
    """Trace one outer border from its first (top-left) pixel, labelling it as it goes: ``LEFT``
    on the left side, ``RIGHT`` where the border turns back (a blob's right side)."""
    s = s_end = 4
    while True:  # clockwise from west for the first neighbour
        s = (s - 1) & 7
        first = start + deltas[s]
        if img[first] != 0 or s == s_end:
            break
    if s == s_end:  # a lone pixel
        img[start] = RIGHT
        marks[start // stride].append(start % stride)
        return [point]
    points: Contour = []
    x, y = point
    here, prev_s = start, s ^ 4
    while True:
        s_end = s
        while s < 15:  # counter-clockwise from the pixel we came from
            s += 1
            nxt = here + deltas[s]
            if img[nxt] != 0:
                break
        s &= 7
        if 0 < s <= s_end:  # (unsigned)(s - 1) < s_end in OpenCV: the east side was passed
            img[here] = RIGHT
            marks[here // stride].append(here % stride)
        elif img[here] == 1:
            img[here] = LEFT
            marks[here // stride].append(here % stride)
        if s != prev_s:  # a corner: the direction changes
            points.append((x, y))
            prev_s = s
        x, y = x + _DX[s], y + _DY[s]
        if nxt == start and here == first:
            return points
        here = nxt
        s = (s + 4) & 7


def bounding_rect(contour: Contour) -> list[int]:
    """``[x, y, w, h]`` in whole pixels, both ends included (OpenCV's ``boundingRect``)."""
    xs = [p[0] for p in contour]
    ys = [p[1] for p in contour]
    return [min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1]


def contour_area(contour: Contour) -> float:
    """The polygon's area by the shoelace formula (OpenCV's ``contourArea``, unsigned)."""
    n = len(contour)
    twice = sum(contour[i - 1][0] * contour[i][1] - contour[i][0] * contour[i - 1][1] for i in range(n))
    return abs(twice) / 2.0
