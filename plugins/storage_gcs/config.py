"""The settings of one Google Cloud Storage connection, named as Label Studio names them.

Core owns the fields every storage kind shares (title, regex_filter, use_blob_urls, presign,
presign_ttl, recursive_scan, can_delete_objects); this struct holds what is GCS's own.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

Text = str | None

SECRET_FIELDS = ("google_application_credentials",)


class GCSConfig(msgspec.Struct, kw_only=True):
    bucket: Annotated[
        str, msgspec.Meta(min_length=1, max_length=222, title="Bucket name", description="The GCS bucket, without gs:// (e.g. my-datasets).")
    ]
    prefix: Annotated[
        Text,
        msgspec.Meta(title="Bucket prefix", description="Only objects under this folder (e.g. images/2024/); empty for the whole bucket."),
    ] = None
    google_application_credentials: Annotated[
        Text,
        msgspec.Meta(
            title="Google application credentials",
            description="The JSON key of a service account with access to the bucket (paste the file's content). "
            "Empty: the server's own credentials. Write-only: never shown again after saving.",
            extra={"multiline": True},
        ),
    ] = None
    google_project_id: Annotated[
        Text, msgspec.Meta(title="Google project ID", description="The project the bucket belongs to; taken from the key when empty.")
    ] = None
