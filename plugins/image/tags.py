"""Image object tags and the region controls drawn on them."""

from __future__ import annotations

import base64
from typing import Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

from labelloom.core.plugin import (
    ControlAttrs,
    DataTypeSpec,
    LabelsFamilyAttrs,
    ObjectAttrs,
    RegionSpec,
    TagSpec,
    label_list_value,
)

from .geometry import REGIONS, Rectangle, normalize_rectangle

Opt = UnsetType


class ImageAttrs(ObjectAttrs):
    valueList: str | Opt = UNSET
    width: str = "100%"
    maxWidth: str = "750px"
    height: str | Opt = UNSET
    maxHeight: str | Opt = UNSET
    zoom: bool = False
    negativeZoom: bool = False
    zoomBy: float = 1.1
    zoomControl: bool = False
    brightnessControl: bool = False
    contrastControl: bool = False
    rotateControl: bool = False
    grid: bool = False
    gridSize: int = 30
    gridColor: str | Opt = UNSET
    crosshair: bool = False
    smoothing: bool | Opt = UNSET
    horizontalAlignment: Literal["left", "center", "right"] = "left"
    verticalAlignment: Literal["top", "center", "bottom"] = "top"
    defaultZoom: Literal["auto", "original", "fit"] = "fit"
    crossOrigin: Literal["none", "anonymous", "use-credentials"] = "none"


class PdfAttrs(ObjectAttrs):
    pass


class ShapeAttrs(ControlAttrs):
    """Attributes of the drawing tools (with or without labels)."""

    canRotate: bool = True
    snap: Literal["pixel", "none"] = "none"
    opacity: float | Opt = UNSET
    fillColor: str | Opt = UNSET
    strokeColor: str | Opt = UNSET
    strokeWidth: float | Opt = UNSET
    fillOpacity: float | Opt = UNSET
    pointSize: str | Opt = UNSET
    pointStyle: str | Opt = UNSET


class ShapeLabelsAttrs(LabelsFamilyAttrs):
    canRotate: bool = True
    snap: Literal["pixel", "none"] = "none"
    fillOpacity: float | Opt = UNSET
    pointSize: str | Opt = UNSET
    pointStyle: str | Opt = UNSET


class MagicWandAttrs(ControlAttrs):
    blurradius: int = 5
    defaultthreshold: int = 15
    opacity: float | Opt = UNSET
    fillcolor: str | Opt = UNSET
    strokeWidth: float | Opt = UNSET


class PageRectangle(Rectangle, kw_only=True):
    """A box on one page of a PDF (percent of the page), as Label Studio's OCR on PDFs saves it."""

    pageIndex: int | Opt = UNSET


# Only region-level OCR draws on PDF pages (``OcrLabels``): its own region kind, so the image
# tools (``RectangleLabels`` ...) keep saying they work with <Image>.
PDF_REGIONS = (
    RegionSpec(
        name="pagebox", value=PageRectangle, keys=("x", "y", "width", "height"), normalize=normalize_rectangle,
        example={"x": 10.0, "y": 20.0, "width": 30.0, "height": 15.0, "rotation": 0.0, "pageIndex": 0},
    ),
)


# A 4x3 grey picture: previews need no network and no shipped file.
_SAMPLE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">'
    '<rect width="640" height="480" fill="#d9dde3"/><circle cx="320" cy="240" r="120" fill="#8aa1b9"/></svg>'
)
SAMPLE_IMAGE = "data:image/svg+xml;base64," + base64.b64encode(_SAMPLE_SVG.encode()).decode()


def _sample_image(node: Any) -> Any:
    if "valueList" in node.attrs and "value" not in node.attrs:
        return [SAMPLE_IMAGE, SAMPLE_IMAGE]
    return SAMPLE_IMAGE


OBJECT_TAGS = [
    DataTypeSpec(
        name="Image",
        preview="image",
        attrs=ImageAttrs,
        data_attrs=("value", "valueList"),
        regions=REGIONS,
        mime_types=("image/jpeg", "image/png", "image/gif", "image/bmp", "image/webp", "image/svg+xml", "image/tiff"),
        extensions=(".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg", ".tif", ".tiff"),
        sample_value=_sample_image,
        widget="widgets/image.js",
    ),
    DataTypeSpec(
        name="Pdf",
        preview="pdf",
        attrs=PdfAttrs,
        regions=PDF_REGIONS,
        mime_types=("application/pdf",),
        extensions=(".pdf",),
        sample_value=lambda node: "https://example.com/sample.pdf",
        widget="widgets/pdf.js",
    ),
]


# The label chip bar of a control (drawing happens on the Image it points at).
CONTROL_WIDGET = "widgets/control.js"


def _shape_pair(tool: str, region: str) -> list[TagSpec]:
    """A drawing tool without labels (``Rectangle``) and its labelled twin (``RectangleLabels``)."""
    labelled = f"{tool}Labels"
    key = labelled.lower()
    return [
        TagSpec(name=tool, attrs=ShapeAttrs, result_type=tool.lower(), region=region, widget=CONTROL_WIDGET),
        TagSpec(
            name=labelled, attrs=ShapeLabelsAttrs, result_type=key, region=region,
            value=label_list_value(key), labels_key=key, items=("Label",), items_required=True,
            example=lambda control, key=key: {key: list(control.labels[:1])},
            widget=CONTROL_WIDGET,
        ),
    ]


class OcrLabelsValue(msgspec.Struct, kw_only=True):
    """Label Studio's ``ocrlabels`` result: labels and the recognised text of a box or polygon
    (on a PDF the box also carries its ``pageIndex``)."""

    ocrlabels: list[str]
    ocrtext: str | Opt = UNSET


CONTROL_TAGS = [
    *_shape_pair("Rectangle", "rectangle"),
    *_shape_pair("Polygon", "polygon"),
    *_shape_pair("KeyPoint", "keypoint"),
    *_shape_pair("Ellipse", "ellipse"),
    *_shape_pair("Brush", "brush"),
    *_shape_pair("Bitmask", "bitmask"),
    *_shape_pair("Vector", "vector"),
    # Region-level OCR: labelled boxes (or polygons) with their text, on images and PDF pages.
    TagSpec(
        name="OcrLabels", attrs=ShapeLabelsAttrs, to=("Image", "Pdf"), result_type="ocrlabels", region="*",
        value=OcrLabelsValue, labels_key="ocrlabels", items=("Label",), items_required=True,
        example=lambda control: {"ocrlabels": list(control.labels[:1])},
        widget=CONTROL_WIDGET,
    ),
    # A tool that paints into brush regions; its strokes are saved by the brush control.
    TagSpec(name="MagicWand", attrs=MagicWandAttrs, region="brush", widget=CONTROL_WIDGET),
]
