"""Images: the Image object tag, its region controls (boxes, polygons, key points, ellipses, brush masks) and the COCO/YOLO/VOC export formats.

Built-in plugin, loaded through the ``labelloom`` entry-point group like any third-party one.
"""

from labelloom.core.plugin import hookimpl


@hookimpl
def labelloom_register_data_types(registry):
    """Nothing is registered yet: this plugin's specs arrive with their own issue."""
