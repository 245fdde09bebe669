"""Audio: the Audio object tag (waveform widget, segments), server-side waveform peaks, and the
ASR manifest, RTTM and subtitle export formats.

Built-in plugin, loaded through the ``labelloom`` entry-point group like any third-party one.
"""

from labelloom.core.plugin import hookimpl

from .tags import OBJECT_TAGS
from .templates import TEMPLATES

# Read without registering when a config uses these tags while this plugin is disabled.
LABELLOOM_TAGS = tuple(spec.name for spec in OBJECT_TAGS)


@hookimpl
def labelloom_register_data_types(registry):
    for spec in OBJECT_TAGS:
        registry.add(spec)


@hookimpl
def labelloom_register_templates(registry):
    for spec in TEMPLATES:
        registry.add(spec)


@hookimpl
def labelloom_register_exporters(registry):
    from .exporters import EXPORTERS
    from .transcripts import EXPORTERS as TRANSCRIPT_EXPORTERS

    for spec in (*EXPORTERS, *TRANSCRIPT_EXPORTERS):
        registry.add(spec)


@hookimpl
def labelloom_register_jobs(registry):
    from .peaks import PEAKS_JOB

    registry.add(PEAKS_JOB)


@hookimpl
def labelloom_register_routes(router):
    from .peaks import peaks_route

    router.add(peaks_route)


@hookimpl
def labelloom_register_metrics(registry):
    from .metrics import METRICS

    for spec in METRICS:
        registry.add(spec)
