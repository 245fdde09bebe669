"""Source code labeling for Labelloom.

- ``<Code name="code" value="$code" language="python"/>``: an object tag showing a source file
  with line numbers; its regions are line ranges ``{start, end}`` (1-based, inclusive).
- ``<CodeLabels name="review" toName="code"><Label value="Bug"/></CodeLabels>``: labels on
  those line ranges (result type ``codelabels``).
- ``CODE_RANGES``: an export format, a zip with one JSON file per task listing the labelled
  ranges and the text of their lines.
- A template for the gallery: "Code review: label line ranges".

The plugin imports nothing from Labelloom but :mod:`labelloom.core.plugin` (Python) and
``@labelloom/sdk`` (browser).
"""

from labelloom.core.plugin import hookimpl

from .tags import CONTROL_TAGS, OBJECT_TAGS
from .templates import TEMPLATES

__version__ = "0.1.0"

# Core reads this (without registering anything) to tell a user that a config's <Code> needs
# this plugin when it is installed but disabled.
LABELLOOM_TAGS = ("Code", "CodeLabels")


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
