"""Local files: a folder on the server (under ``LABELLOOM_LOCAL_FILES_ROOT``) as a source or
target storage, its files served at ``/data/local-files/?d=<path>`` as Label Studio serves them.

Built-in plugin, loaded through the ``labelloom`` entry-point group like any third-party one.
"""

from labelloom.core.plugin import StorageSpec, hookimpl

from .connector import SERVED_AT, LocalFilesConfig, build_connector


@hookimpl
def labelloom_register_storages(registry):
    registry.add(
        StorageSpec(
            name="localfiles",
            title="Local files",
            config=LocalFilesConfig,
            connector=build_connector,
            served_at=SERVED_AT,
        )
    )
