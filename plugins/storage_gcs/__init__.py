"""Google Cloud Storage: import tasks from a bucket, export annotations to one, serve gs:// media.

Built-in plugin, loaded through the ``labelloom`` entry-point group like any third-party one.
"""

from labelloom.core.plugin import StorageSpec, hookimpl

from .config import SECRET_FIELDS, GCSConfig
from .connector import SCHEME, build_connector


@hookimpl
def labelloom_register_storages(registry):
    registry.add(
        StorageSpec(
            name="gcs",
            title="Google Cloud Storage",
            schemes=(SCHEME,),
            config=GCSConfig,
            secret_fields=SECRET_FIELDS,
            connector=build_connector,
        )
    )
