"""Agreement metrics of image regions: IoU of boxes (rotation aware), ellipses and polygons
(exact polygon clipping; an ellipse is a 64-gon), brush masks (decoded RLE, pixel IoU) and a
distance score for key points. Coordinates are percent of the image; boxes and ellipses are
turned into pixels when the item says the image's size, so rotations keep their true shape.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from labelloom.core.plugin import MetricSpec

from .rle import RleError, decode

Point = tuple[float, float]
ELLIPSE_VERTICES = 64
KEYPOINT_TOLERANCE = 10.0  # percent of the image: points this far apart score 0


def _scale(item: dict[str, Any]) -> tuple[float, float]:
    """Pixels per percent on each axis (1, 1 when the item does not say the image's size)."""
    width, height = item.get("original_width"), item.get("original_height")
    if isinstance(width, (int, float)) and isinstance(height, (int, float)) and width > 0 and height > 0:
        return width / 100.0, height / 100.0
    return 1.0, 1.0


def _signed(polygon: Sequence[Point]) -> float:
    """Shoelace area, positive for counter-clockwise vertices (y up)."""
    total = 0.0
    for i in range(len(polygon)):
        x1, y1 = polygon[i - 1]
        x2, y2 = polygon[i]
        total += x1 * y2 - x2 * y1
    return total / 2.0


def area(polygon: Sequence[Point]) -> float:
    return abs(_signed(polygon))


def clip(subject: Sequence[Point], convex: Sequence[Point]) -> list[Point]:
    """Sutherland-Hodgman: ``subject`` clipped by a convex polygon. Its area is exact for any
    simple ``subject`` (a concave one may leave zero-area slivers, which add nothing)."""
    if _signed(convex) < 0:
        convex = list(reversed(convex))
    output = list(subject)
    ax, ay = convex[-1]
    for bx, by in convex:
        if not output:
            break
        ex, ey = bx - ax, by - ay  # the clipping edge; "inside" is on its left
        points, output = output, []
        px, py = points[-1]
        p_side = ex * (py - ay) - ey * (px - ax)
        for qx, qy in points:
            q_side = ex * (qy - ay) - ey * (qx - ax)
            if q_side >= 0:
                if p_side < 0:
                    t = p_side / (p_side - q_side)
                    output.append((px + t * (qx - px), py + t * (qy - py)))
                output.append((qx, qy))
            elif p_side >= 0:
                t = p_side / (p_side - q_side) if p_side != q_side else 0.0
                output.append((px + t * (qx - px), py + t * (qy - py)))
            px, py, p_side = qx, qy, q_side
        ax, ay = bx, by
    return output


def is_convex(polygon: Sequence[Point]) -> bool:
    sign = 0
    n = len(polygon)
    for i in range(n):
        (x1, y1), (x2, y2), (x3, y3) = polygon[i - 2], polygon[i - 1], polygon[i]
        turn = (x2 - x1) * (y3 - y2) - (y2 - y1) * (x3 - x2)
        if turn:
            if sign and (turn > 0) != (sign > 0):
                return False
            sign = 1 if turn > 0 else -1
    return True


def triangles(polygon: Sequence[Point]) -> list[list[Point]]:
    """Ear clipping of a simple polygon (either orientation)."""
    points = list(polygon) if _signed(polygon) > 0 else list(reversed(polygon))
    out: list[list[Point]] = []
    guard = 0
    while len(points) > 3 and guard < 10000:
        guard += 1
        for i in range(len(points)):
            a, b, c = points[i - 1], points[i], points[(i + 1) % len(points)]
            if (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) <= 0:
                continue  # reflex corner
            if any(_in_triangle(p, a, b, c) for p in points if p not in (a, b, c)):
                continue
            out.append([a, b, c])
            del points[i]
            break
        else:
            break  # degenerate (self-intersecting) input: keep what is left as one piece
    out.append(points)
    return out


def _in_triangle(p: Point, a: Point, b: Point, c: Point) -> bool:
    def side(u: Point, v: Point) -> float:
        return (v[0] - u[0]) * (p[1] - u[1]) - (v[1] - u[1]) * (p[0] - u[0])

    return side(a, b) >= 0 and side(b, c) >= 0 and side(c, a) >= 0


class Shape:
    """A polygon with what every comparison needs computed once: bounding box, area, and
    whether it is an upright rectangle (then IoU is a few subtractions)."""

    __slots__ = ("points", "box", "area", "upright", "frame", "_pieces")

    @classmethod
    def upright_box(cls, x: float, y: float, w: float, h: float) -> Shape:
        """An upright box, without the general work (a full recompute prepares many)."""
        shape = cls.__new__(cls)
        x2, y2 = x + w, y + h
        shape.points = [(x, y), (x2, y), (x2, y2), (x, y2)]
        shape.box = (min(x, x2), min(y, y2), max(x, x2), max(y, y2))
        shape.area = abs(w * h)
        shape.upright = True
        shape.frame = None
        shape._pieces = None
        return shape

    def __init__(self, points: Sequence[Point], upright: bool = False) -> None:
        self.points = list(points)
        xs = [p[0] for p in self.points] or [0.0]
        ys = [p[1] for p in self.points] or [0.0]
        self.box = (min(xs), min(ys), max(xs), max(ys))
        self.area = area(self.points) if len(self.points) >= 3 else 0.0
        self.upright = upright
        # A rotated box: (its angle, the box upright in a frame turned back by that angle).
        # Two boxes turned by the same angle overlap as their upright boxes there do.
        self.frame: tuple[float, tuple[float, float, float, float]] | None = None
        self._pieces: list[list[Point]] | None = None

    def pieces(self) -> list[list[Point]]:
        """Convex pieces to clip by: the polygon itself, or its triangles when concave. Made
        once per shape: a shape is compared with every region of the other annotations."""
        if self._pieces is None:
            pieces = [self.points] if is_convex(self.points) else triangles(self.points)
            self._pieces = [piece for piece in pieces if len(piece) >= 3]
        return self._pieces


def polygon_iou(a: Shape | Sequence[Point], b: Shape | Sequence[Point]) -> float:
    """IoU of two simple polygons (or :class:`Shape`\\ s): exact clipping of ``a`` by ``b``,
    or by the triangles of ``b`` when it is concave."""
    a = a if isinstance(a, Shape) else Shape(a)
    b = b if isinstance(b, Shape) else Shape(b)
    if a.area <= 0 or b.area <= 0:
        return 0.0
    ax1, ay1, ax2, ay2 = a.box
    bx1, by1, bx2, by2 = b.box
    width, height = min(ax2, bx2) - max(ax1, bx1), min(ay2, by2) - max(ay1, by1)
    if width <= 0 or height <= 0:
        return 0.0  # bounding boxes apart: nothing shared
    if a.upright and b.upright:
        inter = width * height
    elif a.frame is not None and b.frame is not None and a.frame[0] == b.frame[0]:
        (ax1, ay1, ax2, ay2), (bx1, by1, bx2, by2) = a.frame[1], b.frame[1]
        inter = max(0.0, min(ax2, bx2) - max(ax1, bx1)) * max(0.0, min(ay2, by2) - max(ay1, by1))
    else:
        inter = sum(area(clip(a.points, piece)) for piece in b.pieces())
    union = a.area + b.area - inter
    return max(0.0, min(1.0, inter / union)) if union > 0 else 0.0


def _rotate(points: list[Point], cx: float, cy: float, degrees: float) -> list[Point]:
    if not degrees:
        return points
    t = math.radians(degrees)
    cos, sin = math.cos(t), math.sin(t)
    return [(cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos) for x, y in points]


def rectangle_shape(item: dict[str, Any]) -> Shape:
    """The box's corners in pixels; Label Studio rotates a box about its top-left corner."""
    v = item["value"]
    sx, sy = _scale(item)
    x, y, w, h = v["x"] * sx, v["y"] * sy, v["width"] * sx, v["height"] * sy
    rotation = float(v.get("rotation") or 0) % 360
    if rotation == 0:
        return Shape.upright_box(x, y, w, h)
    corners = _rotate([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], x, y, rotation)
    shape = Shape(corners)
    t = math.radians(rotation)
    cos, sin = math.cos(t), math.sin(t)
    fx, fy = x * cos + y * sin, -x * sin + y * cos  # the top-left corner turned back about the origin
    shape.frame = (rotation, (min(fx, fx + w), min(fy, fy + h), max(fx, fx + w), max(fy, fy + h)))
    return shape


def ellipse_shape(item: dict[str, Any]) -> Shape:
    v = item["value"]
    sx, sy = _scale(item)
    cx, cy, rx, ry = v["x"] * sx, v["y"] * sy, v["radiusX"] * sx, v["radiusY"] * sy
    steps = [2 * math.pi * k / ELLIPSE_VERTICES for k in range(ELLIPSE_VERTICES)]
    return Shape(_rotate([(cx + rx * math.cos(t), cy + ry * math.sin(t)) for t in steps], cx, cy,
                         float(v.get("rotation") or 0)))


def polygon_shape(item: dict[str, Any]) -> Shape:
    sx, sy = _scale(item)
    return Shape([(float(p[0]) * sx, float(p[1]) * sy) for p in item["value"]["points"]])


def brush_mask(item: dict[str, Any]) -> Any:
    """The mask's covered pixels as a boolean array (alpha > 0 of the decoded RGBA)."""
    try:
        values = decode(item["value"]["rle"])
    except RleError:
        raise ValueError("unreadable brush mask") from None
    import numpy as np  # on demand: ~11 MB that a server scoring no brush masks never needs

    return np.frombuffer(bytes(values), dtype=np.uint8)[3::4] > 0


def mask_iou(a: Any, b: Any) -> float:
    import numpy as np

    if a.shape != b.shape:
        return 0.0  # masks of different image sizes
    union = int(np.count_nonzero(a | b))
    return int(np.count_nonzero(a & b)) / union if union else 1.0


def keypoint_score(a: dict[str, Any], b: dict[str, Any]) -> float:
    """1 at the same spot, falling linearly to 0 at ``KEYPOINT_TOLERANCE`` percent apart."""
    distance = math.hypot(a["x"] - b["x"], a["y"] - b["y"])
    return max(0.0, 1.0 - distance / KEYPOINT_TOLERANCE)


METRICS = [
    MetricSpec(name="rectangle", kind="region", prepare=rectangle_shape, compare=polygon_iou, title="Box IoU",
               description="Area of intersection over area of union of two boxes, rotation included."),
    MetricSpec(name="ellipse", kind="region", prepare=ellipse_shape, compare=polygon_iou, title="Ellipse IoU",
               description="IoU of two ellipses, each drawn as a 64-sided polygon."),
    MetricSpec(name="polygon", kind="region", prepare=polygon_shape, compare=polygon_iou, title="Polygon IoU",
               description="Exact IoU of two simple polygons (clipping against an ear-clipped triangulation)."),
    MetricSpec(name="brush", kind="region", prepare=brush_mask, compare=mask_iou, title="Mask IoU",
               description="Pixels painted by both over pixels painted by either (decoded RLE)."),
    MetricSpec(name="keypoint", kind="region", compare=keypoint_score, title="Key point distance",
               description=f"1 - distance / {KEYPOINT_TOLERANCE:g} % of the image, floored at 0."),
]
