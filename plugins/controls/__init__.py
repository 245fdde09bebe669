"""Data-type-agnostic controls (Choices, Labels, TextArea, Rating, Number, DateTime, Taxonomy, Pairwise, Ranker, Relations), visual tags, and the generic JSON/CSV/TSV export formats.

Built-in plugin, loaded through the ``labelloom`` entry-point group like any third-party one.
"""

from labelloom.core.plugin import hookimpl


@hookimpl
def labelloom_register_tags(registry):
    """Nothing is registered yet: this plugin's specs arrive with their own issue."""
