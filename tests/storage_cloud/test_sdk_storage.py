"""label-studio-sdk's storage calls, unchanged, against a live server and real S3/GCS protocol
servers: import_storage.s3/gcs create, validate, sync, get, list, update; export_storage.s3/gcs
create, validate, sync; annotations written to the bucket when submitted through the SDK."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError

from labelloom.core.testing import LiveServer, plugin_host

from .conftest import IMAGE_CONFIG, PLUGINS, TERMINAL
from .services import CREDENTIALS, FakeGCS, MotoS3
from .test_gcs_connector import service_account_json

CAT = [{"from_name": "c", "to_name": "image", "type": "choices", "value": {"choices": ["Cat"]}}]


@pytest.fixture
def ls(make_app: Any) -> Iterator[LabelStudio]:
    with LiveServer(make_app(host=plugin_host(only=PLUGINS), allow_private_urls=True)) as server:
        admin = server.sign_up_admin()
        yield LabelStudio(base_url=server.url, api_key=admin.token)


def synced(get: Any, storage_id: int, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        storage = get(id=storage_id)
        if storage.status in TERMINAL:
            return storage
        assert time.monotonic() < deadline, f"sync did not finish: {storage}"
        time.sleep(0.1)


def until(check: Any, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := check()):
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)
    return value


def test_s3_storages_through_the_sdk(ls: LabelStudio, moto_s3: MotoS3, s3: Any, s3_bucket: str) -> None:
    for i in range(4):
        s3.put_object(Bucket=s3_bucket, Key=f"images/{i}.jpg", Body=b"jpg", ContentType="image/jpeg")
    s3.put_object(Bucket=s3_bucket, Key="images/tasks.jsonl",
                  Body=b'{"image": "s3://%s/images/0.jpg"}\n{"image": "s3://%s/images/1.jpg"}\n' % (s3_bucket.encode(), s3_bucket.encode()))
    project = ls.projects.create(title="S3", label_config=IMAGE_CONFIG)
    connection = dict(bucket=s3_bucket, s3endpoint=moto_s3.url, region_name="us-east-1", **CREDENTIALS)

    ls.import_storage.s3.validate(project=project.id, prefix="images", **connection)
    with pytest.raises(ApiError) as refused:
        ls.import_storage.s3.validate(project=project.id, **{**connection, "bucket": "missing-bucket-sdk"})
    assert refused.value.status_code == 400 and "does not exist" in json.dumps(refused.value.body)

    blobs = ls.import_storage.s3.create(project=project.id, prefix="images", regex_filter=r".*\.jpg$", use_blob_urls=True,
                                        presign=True, presign_ttl=5, title="Images", **connection)
    assert blobs.id and blobs.bucket == s3_bucket and blobs.s3endpoint == moto_s3.url and blobs.presign_ttl == 5
    assert blobs.aws_secret_access_key != CREDENTIALS["aws_secret_access_key"]
    ls.import_storage.s3.sync(id=blobs.id)
    done = synced(ls.import_storage.s3.get, blobs.id)
    assert (done.status, done.last_sync_count) == ("completed", 4)
    files = ls.import_storage.s3.create(project=project.id, prefix="images", regex_filter=r".*\.jsonl$", use_blob_urls=False,
                                        **connection)
    ls.import_storage.s3.sync(id=files.id)
    assert synced(ls.import_storage.s3.get, files.id).last_sync_count == 2
    ls.import_storage.s3.sync(id=files.id)
    assert synced(ls.import_storage.s3.get, files.id).last_sync_count == 0
    assert ls.projects.get(id=project.id).task_number == 6
    assert {s.id for s in ls.import_storage.s3.list(project=project.id)} == {blobs.id, files.id}
    renamed = ls.import_storage.s3.update(id=blobs.id, title="Renamed")
    assert renamed.title == "Renamed"

    target = ls.export_storage.s3.create(project=project.id, prefix="labels", can_delete_objects=False, **connection)
    ls.export_storage.s3.validate(project=project.id, **connection)
    task = next(iter(ls.tasks.list(project=project.id)))
    annotation = ls.annotations.create(id=task.id, result=CAT)

    def written() -> Any:
        try:
            return json.loads(s3.get_object(Bucket=s3_bucket, Key=f"labels/{annotation.id}")["Body"].read())
        except s3.exceptions.NoSuchKey:
            return None

    assert until(written)["result"] == CAT
    ls.export_storage.s3.sync(id=target.id)
    assert synced(ls.export_storage.s3.get, target.id).status == "completed"
    ls.annotations.delete(id=annotation.id)
    time.sleep(0.5)
    assert written() is not None  # can_delete_objects is off: the object stays


def test_gcs_storages_through_the_sdk(ls: LabelStudio, fake_gcs: FakeGCS, gcs: Any, gcs_bucket: str) -> None:
    bucket = gcs.bucket(gcs_bucket)
    for i in range(3):
        bucket.blob(f"audio/{i}.jpg").upload_from_string(b"jpg", content_type="image/jpeg")
    project = ls.projects.create(title="GCS", label_config=IMAGE_CONFIG)
    key = service_account_json()
    ls.import_storage.gcs.validate(project=project.id, bucket=gcs_bucket, google_application_credentials=key)
    with pytest.raises(ApiError) as refused:
        ls.import_storage.gcs.validate(project=project.id, bucket=gcs_bucket, google_application_credentials="{not json")
    assert refused.value.status_code == 400 and "not valid JSON" in json.dumps(refused.value.body)
    source = ls.import_storage.gcs.create(project=project.id, bucket=gcs_bucket, prefix="audio", use_blob_urls=True,
                                          google_application_credentials=key, google_project_id="labelloom-test")
    assert "PRIVATE KEY" not in (source.google_application_credentials or "")
    ls.import_storage.gcs.sync(id=source.id)
    assert synced(ls.import_storage.gcs.get, source.id).last_sync_count == 3

    target = ls.export_storage.gcs.create(project=project.id, bucket=gcs_bucket, prefix="out", can_delete_objects=True)
    task = next(iter(ls.tasks.list(project=project.id)))
    annotation = ls.annotations.create(id=task.id, result=CAT)
    until(lambda: bucket.get_blob(f"out/{annotation.id}") is not None)
    ls.annotations.delete(id=annotation.id)
    until(lambda: bucket.get_blob(f"out/{annotation.id}") is None)
    ls.export_storage.gcs.sync(id=target.id)
    assert synced(ls.export_storage.gcs.get, target.id).status == "completed"
