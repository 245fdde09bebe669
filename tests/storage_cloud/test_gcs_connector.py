"""The GCS connector against the Go fake-gcs-server over HTTP: paging, folders, ranges, v4
signed URLs, writes, deletes, and errors for missing buckets and bad credentials."""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any

import httpx
import msgspec
import pytest

from labelloom.core.plugin import StorageError, StorageSpec
from labelloom.core.testing import plugin_host
from labelloom.plugins.storage_gcs.config import GCSConfig
from labelloom.plugins.storage_gcs.connector import CHUNK_SIZE, GCSConnector, build_connector

from .services import FakeGCS


@cache
def service_account_json() -> str:
    """A throwaway service account key (signing happens locally; no token is ever fetched)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    return json.dumps({
        "type": "service_account", "project_id": "labelloom-test", "private_key_id": "k1", "private_key": pem,
        "client_email": "labeler@labelloom-test.iam.gserviceaccount.com", "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token",
    })


def connector(bucket: str, **extra: Any) -> GCSConnector:
    return build_connector(msgspec.convert({"bucket": bucket, **extra}, GCSConfig))


def upload_many(gcs: Any, bucket: str, keys: list[str]) -> None:
    target = gcs.bucket(bucket)
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda key: target.blob(key).upload_from_string(key.encode()), keys))


def test_the_plugin_registers_the_gcs_kind_as_label_studio_names_its_fields() -> None:
    spec: StorageSpec = plugin_host(only=["storage_gcs"]).register_all().storages["gcs"]
    assert spec.schemes == ("gs",) and spec.secret_fields == ("google_application_credentials",)
    fields = {f.name for f in msgspec.structs.fields(spec.config)}
    assert fields == {"bucket", "prefix", "google_application_credentials", "google_project_id"}
    props = msgspec.json.schema(spec.config)["$defs"]["GCSConfig"]["properties"]
    assert props["google_application_credentials"]["title"] == "Google application credentials"


def test_lists_more_than_a_page_of_objects_recursively(fake_gcs: FakeGCS, gcs: Any, gcs_bucket: str) -> None:
    keys = [f"data/{i // 400}/item-{i:05d}.json" for i in range(1050)] + ["other/x.json"]
    upload_many(gcs, gcs_bucket, keys)
    conn = connector(gcs_bucket, prefix="data")
    listed = list(conn.iter_objects(recursive=True))
    assert sorted(o.key for o in listed) == sorted(k for k in keys if k.startswith("data/"))
    assert all(o.size == len(o.key) for o in listed)
    pages = conn.clients.api.list_blobs(gcs_bucket, prefix="data/", page_size=1000).pages
    assert [page.num_items for page in pages] == [1000, 50]  # the emulator pages like GCS


def test_lists_only_the_prefix_folder_when_not_recursive(fake_gcs: FakeGCS, gcs: Any, gcs_bucket: str) -> None:
    upload_many(gcs, gcs_bucket, ["img/a.png", "img/b.png", "img/", "img/sub/c.png", "img2/d.png", "top.png"])
    flat = connector(gcs_bucket, prefix="/img")
    assert [o.key for o in flat.iter_objects(recursive=False)] == ["img/a.png", "img/b.png"]
    assert [o.key for o in flat.iter_objects(recursive=True)] == ["img/a.png", "img/b.png", "img/sub/c.png"]
    whole = connector(gcs_bucket)
    assert [o.key for o in whole.iter_objects(recursive=False)] == ["top.png"]
    assert len(list(whole.iter_objects(recursive=True))) == 5


def test_reads_whole_objects_and_byte_ranges_in_bounded_chunks(fake_gcs: FakeGCS, gcs: Any, gcs_bucket: str) -> None:
    body = os.urandom(CHUNK_SIZE * 2 + 1000)
    gcs.bucket(gcs_bucket).blob("v/clip one.mp4").upload_from_string(body, content_type="video/mp4")
    conn = connector(gcs_bucket)

    whole = conn.open("v/clip one.mp4")
    chunks = list(whole.chunks)
    whole.close()
    assert b"".join(chunks) == body and max(map(len, chunks)) <= CHUNK_SIZE
    assert (whole.size, whole.total, whole.start, whole.content_type) == (len(body), len(body), 0, "video/mp4")

    part = conn.open("v/clip one.mp4", start=100, end=199)
    assert b"".join(part.chunks) == body[100:200]
    assert (part.size, part.total, part.start) == (100, len(body), 100)
    part.close()

    tail = conn.open("v/clip one.mp4", start=len(body) - 10)
    assert b"".join(tail.chunks) == body[-10:] and (tail.start, tail.total) == (len(body) - 10, len(body))
    tail.close()

    with pytest.raises(StorageError, match=f"Object 'nope' does not exist in GCS bucket '{gcs_bucket}'"):
        conn.open("nope")


def test_signed_urls_with_a_service_account_and_none_without(fake_gcs: FakeGCS, gcs: Any, gcs_bucket: str) -> None:
    gcs.bucket(gcs_bucket).blob("images/cat one.jpg").upload_from_string(b"\xff\xd8jpeg", content_type="image/jpeg")
    signed = connector(gcs_bucket, google_application_credentials=service_account_json())
    url = signed.presign("images/cat one.jpg", ttl=120)
    assert url and url.startswith(f"{fake_gcs.url}/{gcs_bucket}/images/cat%20one.jpg?")
    assert "X-Goog-Expires=120" in url and "X-Goog-Signature=" in url
    assert "labeler%40labelloom-test.iam.gserviceaccount.com" in url
    response = httpx.get(url)
    assert response.status_code == 200 and response.content == b"\xff\xd8jpeg"
    # The same key still lists through the emulator (API calls go unauthenticated there).
    assert [o.key for o in signed.iter_objects(recursive=True)] == ["images/cat one.jpg"]
    assert connector(gcs_bucket).presign("images/cat one.jpg", ttl=60) is None


def test_writes_replaces_and_deletes(fake_gcs: FakeGCS, gcs: Any, gcs_bucket: str) -> None:
    conn = connector(gcs_bucket, prefix="out")
    conn.write("out/1", b'{"id": 1}')
    blob = gcs.bucket(gcs_bucket).get_blob("out/1")
    assert blob.content_type == "application/json" and blob.download_as_bytes() == b'{"id": 1}'
    conn.write("out/1", b'{"id": 1, "v": 2}')
    assert gcs.bucket(gcs_bucket).blob("out/1").download_as_bytes() == b'{"id": 1, "v": 2}'
    conn.write("out/2.json", b"{}")
    conn.delete("out/1")
    conn.delete("out/1")  # already gone: not an error
    assert [b.name for b in gcs.list_blobs(gcs_bucket)] == ["out/2.json"]


def test_uris_name_keys_verbatim(fake_gcs: FakeGCS, gcs_bucket: str) -> None:
    conn = connector(gcs_bucket)
    for key in ["a.png", "dir/with space/x?y#z%20.png", "ünï/cödé.jpg"]:
        assert conn.key_of(conn.uri(key)) == key
    assert conn.uri("a/b.png") == f"gs://{gcs_bucket}/a/b.png"
    assert conn.key_of(f"gs://{gcs_bucket}x/a.png") is None and conn.key_of(f"s3://{gcs_bucket}/a.png") is None


def test_validate_checks_the_bucket(fake_gcs: FakeGCS, gcs_bucket: str) -> None:
    connector(gcs_bucket).validate()
    connector(gcs_bucket, prefix="empty/").validate()
    with pytest.raises(StorageError, match="GCS bucket 'no-such-bucket-here' does not exist"):
        connector("no-such-bucket-here").validate()
    with pytest.raises(StorageError, match="does not exist"):
        list(connector("no-such-bucket-here").iter_objects(recursive=False))


@pytest.mark.parametrize(
    ("credentials", "message"),
    [
        ('{"type": "service_account", "private_key": "-----BEGIN', "not valid JSON \\(line 1, column"),
        ('["a list"]', "must be a JSON object"),
        ('{"type": "service_account", "private_key": "secret-pem-text"}', "incomplete: they lack client_email, token_uri"),
        ('{"type": "service_account", "private_key": "secret-pem-text", "client_email": "a@b",'
         ' "token_uri": "https://oauth2.googleapis.com/token"}', "private_key is not a valid PEM private key"),
        ('{"type": "service_account", "private_key": "secret-pem-text", "client_email": "a@b",'
         ' "token_uri": "http://169.254.169.254/token"}', "token_uri must be Google's"),
        ('{"type": "external_account", "credential_source": {"url": "http://10.0.0.1/secret-pem-text"}}',
         "unsupported type 'external_account'"),
    ],
)
def test_bad_credentials_json_is_refused_without_echoing_it(credentials: str, message: str) -> None:
    with pytest.raises(StorageError, match=message) as caught:
        connector("some-bucket", google_application_credentials=credentials)
    assert "secret-pem-text" not in str(caught.value) and "BEGIN" not in str(caught.value)
    assert caught.value.status_code == 400
