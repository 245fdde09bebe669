"""The computer-vision export formats this plugin registers, in the order they are offered.

Each family lives in ``formats/`` (``coco``, ``yolo``, ``voc``, ``brush``) and follows Label
Studio's converter (``label_studio_sdk.converter``) on the same data; ``formats/common.py``
holds what they share, and ``with_images(spec)`` there derives the ``*_WITH_IMAGES`` formats.
"""

from __future__ import annotations

from .formats.brush import BRUSH_TO_COCO, BRUSH_TO_NUMPY, BRUSH_TO_PNG
from .formats.coco import COCO, COCO_WITH_IMAGES
from .formats.voc import VOC
from .formats.yolo import YOLO, YOLO_OBB, YOLO_OBB_WITH_IMAGES, YOLO_WITH_IMAGES

EXPORTERS = [
    COCO,
    VOC,
    YOLO,
    COCO_WITH_IMAGES,
    YOLO_WITH_IMAGES,
    YOLO_OBB,
    YOLO_OBB_WITH_IMAGES,
    BRUSH_TO_NUMPY,
    BRUSH_TO_COCO,
    BRUSH_TO_PNG,
]
