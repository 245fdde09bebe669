"""Images: the Image object tag, its region controls (boxes, polygons, key points, ellipses, brush masks) and the COCO/YOLO/VOC/brush-PNG export formats.

Built-in plugin, loaded through the ``labelloom`` entry-point group like any third-party one.
"""

from labelloom.core.plugin import hookimpl

from .tags import CONTROL_TAGS, OBJECT_TAGS
from .templates import TEMPLATES

# Read without registering when a config uses these tags while this plugin is disabled.
LABELLOOM_TAGS = tuple(spec.name for spec in (*OBJECT_TAGS, *CONTROL_TAGS))


@hookimpl
def labelloom_register_data_types(registry):
    for spec in OBJECT_TAGS:
        registry.add(spec)


@hookimpl
def labelloom_register_tags(registry):
    for spec in CONTROL_TAGS:
        registry.add(spec)


@hookimpl
def labelloom_register_templates(registry):
    for spec in TEMPLATES:
        registry.add(spec)


@hookimpl
def labelloom_register_exporters(registry):
    from .exporters import EXPORTERS

    for spec in EXPORTERS:
        registry.add(spec)


@hookimpl
def labelloom_register_metrics(registry):
    from .metrics import METRICS

    for spec in METRICS:
        registry.add(spec)
