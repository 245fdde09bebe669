"""The image plugin's export formats, one module per family (``coco``, ``yolo``, ``voc``,
``brush``) on the helpers of ``common``; ``..exporters`` lists them for registration."""
