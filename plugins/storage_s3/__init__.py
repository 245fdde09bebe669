"""Amazon S3 (and S3-compatible) storage: import tasks from a bucket, export annotations to one, serve s3:// media.

Built-in plugin, loaded through the ``labelloom`` entry-point group like any third-party one.
"""

from labelloom.core.plugin import hookimpl


@hookimpl
def labelloom_register_storages(registry):
    """Nothing is registered yet: this plugin's specs arrive with their own issue."""
