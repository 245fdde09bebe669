"""The settings of one S3 connection, named as Label Studio names them (so SDK calls work as-is).

Core owns the fields every storage kind shares (title, regex_filter, use_blob_urls, presign,
presign_ttl, recursive_scan, can_delete_objects); this struct holds what is S3's own. Titles and
descriptions generate the settings dialog.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

Text = str | None

SECRET_FIELDS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")


class S3Config(msgspec.Struct, kw_only=True):
    bucket: Annotated[
        str,
        msgspec.Meta(min_length=1, max_length=255, title="Bucket name", description="The S3 bucket, without s3:// (e.g. my-datasets)."),
    ]
    prefix: Annotated[
        Text,
        msgspec.Meta(title="Bucket prefix", description="Only objects under this folder (e.g. images/2024/); empty for the whole bucket."),
    ] = None
    aws_access_key_id: Annotated[
        Text,
        msgspec.Meta(title="Access key ID", description="Empty: the server's own AWS credentials (environment or instance role) for AWS, "
            "anonymous access for a custom endpoint."),
    ] = None
    aws_secret_access_key: Annotated[
        Text, msgspec.Meta(title="Secret access key", description="Write-only: never shown again after saving.")
    ] = None
    aws_session_token: Annotated[
        Text, msgspec.Meta(title="Session token", description="Only for temporary credentials (AWS STS).")
    ] = None
    aws_sse_kms_key_id: Annotated[
        Text,
        msgspec.Meta(
            title="KMS key ID for server-side encryption",
            description="Target storages encrypt written objects with this KMS key (aws:kms); empty means AES256.",
        ),
    ] = None
    region_name: Annotated[Text, msgspec.Meta(title="Region", description="The bucket's AWS region (e.g. eu-west-1); us-east-1 when empty.")] = None
    s3_endpoint: Annotated[
        Text,
        msgspec.Meta(
            title="S3 endpoint",
            description="For S3-compatible servers (MinIO, Ceph ...): their URL, e.g. https://minio.example.com. Empty for AWS.",
        ),
    ] = None
