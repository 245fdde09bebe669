"""Google Cloud Storage: import tasks from a bucket, export annotations to one, serve gs:// media.

Built-in plugin, loaded through the ``labelloom`` entry-point group like any third-party one.
"""

from labelloom.core.plugin import StorageSpec, hookimpl

from .config import SECRET_FIELDS, GCSConfig

SCHEME = "gs"


def build_connector(config):
    # Imported on first use: google-cloud-storage adds megabytes to every server process, most of which
    # never open a bucket.
    from .connector import build_connector as build

    return build(config)


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
