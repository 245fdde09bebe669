"""Amazon S3 (and S3-compatible) storage: import tasks from a bucket, export annotations to one, serve s3:// media.

Built-in plugin, loaded through the ``labelloom`` entry-point group like any third-party one.
"""

from labelloom.core.plugin import StorageSpec, hookimpl

from .config import SECRET_FIELDS, S3Config

SCHEME = "s3"


def build_connector(config):
    # Imported on first use: boto3 adds megabytes to every server process, most of which
    # never open a bucket.
    from .connector import build_connector as build

    return build(config)


@hookimpl
def labelloom_register_storages(registry):
    registry.add(
        StorageSpec(
            name="s3",
            title="Amazon S3",
            schemes=(SCHEME,),
            config=S3Config,
            secret_fields=SECRET_FIELDS,
            connector=build_connector,
            url_fields=("s3_endpoint",),
        )
    )
