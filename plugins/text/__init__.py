"""Text: the Text, HyperText and Paragraphs object tags, span labeling, and the CONLL2003/spaCy export formats.

Built-in plugin, loaded through the ``labelloom`` entry-point group like any third-party one.
"""

from labelloom.core.plugin import hookimpl


@hookimpl
def labelloom_register_data_types(registry):
    """Nothing is registered yet: this plugin's specs arrive with their own issue."""
