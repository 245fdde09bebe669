"""ML backends speaking Label Studio's ML protocol over HTTP (predict, train, interactive).

Built-in plugin, loaded through the ``labelloom`` entry-point group like any third-party one.
"""

from labelloom.core.plugin import hookimpl


@hookimpl
def labelloom_register_ml_backends(registry):
    """Nothing is registered yet: this plugin's specs arrive with their own issue."""
