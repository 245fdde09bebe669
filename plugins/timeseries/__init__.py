"""Time series: the TimeSeries object tag with its Channel children and TimeSeriesLabels.

Built-in plugin, loaded through the ``labelloom`` entry-point group like any third-party one.
"""

from labelloom.core.plugin import hookimpl

from .exporters import EXPORTERS
from .tags import OBJECT_TAGS, TAGS
from .templates import TEMPLATES

# Read without registering when a config uses these tags while this plugin is disabled.
LABELLOOM_TAGS = tuple(spec.name for spec in (*OBJECT_TAGS, *TAGS))


@hookimpl
def labelloom_register_data_types(registry):
    for spec in OBJECT_TAGS:
        registry.add(spec)


@hookimpl
def labelloom_register_tags(registry):
    for spec in TAGS:
        registry.add(spec)


@hookimpl
def labelloom_register_exporters(registry):
    for spec in EXPORTERS:
        registry.add(spec)


@hookimpl
def labelloom_register_templates(registry):
    for spec in TEMPLATES:
        registry.add(spec)


@hookimpl
def labelloom_register_metrics(registry):
    from .metrics import METRICS

    for spec in METRICS:
        registry.add(spec)
