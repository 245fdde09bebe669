"""Region geometry on images. Coordinates are percent of the original image (0-100).

Canonical form: anchors clamped into the image (values a rounding error outside are pulled in,
values clearly outside are refused), negative box sizes flipped, rotation within [0, 360).
"""

from __future__ import annotations

import math
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from labelloom.core.plugin import RegionSpec, ResultContext, ResultProblem

# How far outside 0-100 a coordinate may be before it is an error rather than rounding noise.
TOLERANCE = 1.0


def percent(value: float, field: str) -> float:
    if not math.isfinite(value):
        raise ResultProblem("must be a finite number", field)
    if value < -TOLERANCE or value > 100 + TOLERANCE:
        raise ResultProblem(f"must be between 0 and 100 (percent of the image), not {value:g}", field)
    return min(100.0, max(0.0, float(value)))


def extent(value: float, field: str) -> float:
    if not math.isfinite(value):
        raise ResultProblem("must be a finite number", field)
    return min(100.0, max(0.0, float(value)))


def angle(value: float, field: str = "rotation") -> float:
    if not math.isfinite(value):
        raise ResultProblem("must be a finite number", field)
    return float(value) % 360.0


class Rectangle(msgspec.Struct, kw_only=True):
    x: float
    y: float
    width: float
    height: float
    rotation: float = 0.0


def normalize_rectangle(box: Rectangle, ctx: ResultContext) -> Rectangle:
    box.rotation = angle(box.rotation)
    if box.rotation == 0:
        # Old data may store boxes drawn right-to-left with negative sizes.
        if box.width < 0:
            box.x, box.width = box.x + box.width, -box.width
        if box.height < 0:
            box.y, box.height = box.y + box.height, -box.height
    box.x = percent(box.x, "x")
    box.y = percent(box.y, "y")
    if box.rotation == 0:
        box.width = min(extent(box.width, "width"), 100.0 - box.x)
        box.height = min(extent(box.height, "height"), 100.0 - box.y)
    else:
        box.width = extent(abs(box.width), "width")
        box.height = extent(abs(box.height), "height")
    return box


class Polygon(msgspec.Struct, kw_only=True):
    points: list[tuple[float, float]]
    closed: bool | UnsetType = UNSET


def normalize_polygon(shape: Polygon, ctx: ResultContext) -> Polygon:
    needed = 1 if shape.closed is False else 3
    if len(shape.points) < needed:
        raise ResultProblem(f"needs at least {needed} points", "points")
    shape.points = [
        [percent(x, f"points[{i}][0]"), percent(y, f"points[{i}][1]")] for i, (x, y) in enumerate(shape.points)
    ]
    return shape


class KeyPoint(msgspec.Struct, kw_only=True):
    x: float
    y: float
    width: float | UnsetType = UNSET


def normalize_keypoint(point: KeyPoint, ctx: ResultContext) -> KeyPoint:
    point.x = percent(point.x, "x")
    point.y = percent(point.y, "y")
    if isinstance(point.width, float):
        point.width = extent(abs(point.width), "width")
    return point


class Ellipse(msgspec.Struct, kw_only=True):
    x: float
    y: float
    radiusX: float
    radiusY: float
    rotation: float = 0.0


def normalize_ellipse(shape: Ellipse, ctx: ResultContext) -> Ellipse:
    shape.x = percent(shape.x, "x")
    shape.y = percent(shape.y, "y")
    shape.radiusX = extent(abs(shape.radiusX), "radiusX")
    shape.radiusY = extent(abs(shape.radiusY), "radiusY")
    shape.rotation = angle(shape.rotation)
    return shape


class Brush(msgspec.Struct, kw_only=True):
    format: str = "rle"
    rle: list[int]


def normalize_brush(mask: Brush, ctx: ResultContext) -> Brush:
    if mask.format != "rle":
        raise ResultProblem('must be "rle"', "format")
    if not mask.rle:
        raise ResultProblem("must not be empty", "rle")
    if min(mask.rle) < 0 or max(mask.rle) > 255:
        raise ResultProblem("must hold bytes (0-255) of the run-length encoded mask", "rle")
    return mask


class Bitmask(msgspec.Struct, kw_only=True):
    imageDataURL: str


def normalize_bitmask(mask: Bitmask, ctx: ResultContext) -> Bitmask:
    if not mask.imageDataURL.startswith("data:image/"):
        raise ResultProblem("must be a data:image/... URL", "imageDataURL")
    return mask


class Vector(msgspec.Struct, kw_only=True):
    vertices: list[dict[str, Any]]  # dicts, so vertex fields we do not know survive
    closed: bool = False


def normalize_vector(shape: Vector, ctx: ResultContext) -> Vector:
    for i, vertex in enumerate(shape.vertices):
        for axis in ("x", "y"):
            coordinate = vertex.get(axis)
            if not isinstance(coordinate, (int, float)) or isinstance(coordinate, bool):
                raise ResultProblem("must be a number", f"vertices[{i}].{axis}")
            vertex[axis] = percent(coordinate, f"vertices[{i}].{axis}")
    return shape


REGIONS = (
    RegionSpec(
        name="rectangle", value=Rectangle, keys=("x", "y", "width", "height"), normalize=normalize_rectangle,
        example={"x": 10.0, "y": 20.0, "width": 30.0, "height": 15.0, "rotation": 0.0},
    ),
    RegionSpec(
        name="ellipse", value=Ellipse, keys=("x", "y", "radiusX", "radiusY"), normalize=normalize_ellipse,
        example={"x": 50.0, "y": 50.0, "radiusX": 10.0, "radiusY": 5.0, "rotation": 0.0},
    ),
    RegionSpec(
        name="polygon", value=Polygon, keys=("points",), normalize=normalize_polygon,
        example={"points": [[10.0, 10.0], [40.0, 10.0], [25.0, 40.0]], "closed": True},
    ),
    RegionSpec(
        name="keypoint", value=KeyPoint, keys=("x", "y"), normalize=normalize_keypoint,
        example={"x": 40.0, "y": 22.0, "width": 0.7},
    ),
    RegionSpec(
        name="brush", value=Brush, keys=("rle",), normalize=normalize_brush,
        example={"format": "rle", "rle": [0, 0, 0, 4, 0, 0, 2, 7, 255, 0]},
    ),
    RegionSpec(
        name="bitmask", value=Bitmask, keys=("imageDataURL",), normalize=normalize_bitmask,
        example={"imageDataURL": "data:image/png;base64,iVBORw0KGgo="},
    ),
    RegionSpec(
        name="vector", value=Vector, keys=("vertices",), normalize=normalize_vector,
        example={"vertices": [{"id": "v1", "x": 10.0, "y": 10.0}, {"id": "v2", "x": 30.0, "y": 30.0}], "closed": False},
    ),
)
