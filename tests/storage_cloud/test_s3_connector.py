"""The S3 connector against moto's S3 server over HTTP: paging, folders, ranges, presigned URLs,
writes with server-side encryption, deletes, and errors a user can act on."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import msgspec
import pytest

from labelloom.core.plugin import StorageError, StorageSpec
from labelloom.core.testing import plugin_host
from labelloom.plugins.storage_s3.config import S3Config
from labelloom.plugins.storage_s3.connector import CHUNK_SIZE, S3Connector, build_connector

from .services import MotoS3


def connector(moto_s3: MotoS3, bucket: str, **extra: Any) -> S3Connector:
    return build_connector(msgspec.convert(moto_s3.config(bucket, **extra), S3Config))


def put_many(s3: Any, bucket: str, keys: list[str]) -> None:
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda key: s3.put_object(Bucket=bucket, Key=key, Body=key.encode()), keys))


def count_calls(conn: S3Connector, operation: str) -> list[int]:
    calls: list[int] = []
    conn.client.meta.events.register(f"before-call.s3.{operation}", lambda **_: calls.append(1), unique_id=f"count-{id(calls)}")
    return calls


def test_the_plugin_registers_the_s3_kind_as_label_studio_names_its_fields() -> None:
    spec: StorageSpec = plugin_host(only=["storage_s3"]).register_all().storages["s3"]
    assert spec.schemes == ("s3",)
    assert set(spec.secret_fields) == {"aws_access_key_id", "aws_secret_access_key", "aws_session_token"}
    assert spec.url_fields == ("s3_endpoint",)
    fields = {f.name for f in msgspec.structs.fields(spec.config)}
    assert fields == {"bucket", "prefix", "aws_access_key_id", "aws_secret_access_key", "aws_session_token",
                      "aws_sse_kms_key_id", "region_name", "s3_endpoint"}
    schema = msgspec.json.schema(spec.config)
    props = schema["$defs"]["S3Config"]["properties"]
    assert props["bucket"]["title"] == "Bucket name" and props["s3_endpoint"]["description"]
    # The SDK sends nulls for fields left out.
    config = msgspec.convert({"bucket": "b", "prefix": None, "region_name": None}, spec.config, strict=False)
    assert spec.connector(config).prefix == ""


def test_lists_more_than_a_page_of_objects_recursively(moto_s3: MotoS3, s3: Any, s3_bucket: str) -> None:
    keys = [f"data/{i // 400}/item-{i:05d}.json" for i in range(1234)] + ["data/", "other/x.json"]
    put_many(s3, s3_bucket, keys)
    conn = connector(moto_s3, s3_bucket, prefix="data")
    pages = count_calls(conn, "ListObjectsV2")
    listed = list(conn.iter_objects(recursive=True))
    assert sorted(o.key for o in listed) == sorted(k for k in keys if k.startswith("data/") and k != "data/")
    assert len(listed) == 1234 and len(pages) == 2  # 1,000 keys per page
    # The next page is fetched while the caller handles this one; stopping early is clean.
    early = conn.iter_objects(recursive=True)
    assert next(early).key == "data/0/item-00000.json"
    early.close()
    assert {o.size for o in listed} == {len(k) for k in keys if k.startswith("data/item") or k.startswith("data/") and k != "data/"}


def test_lists_only_the_prefix_folder_when_not_recursive(moto_s3: MotoS3, s3: Any, s3_bucket: str) -> None:
    put_many(s3, s3_bucket, ["img/a.png", "img/b.png", "img/", "img/sub/c.png", "img2/d.png", "top.png"])
    flat = connector(moto_s3, s3_bucket, prefix="img/")
    assert [o.key for o in flat.iter_objects(recursive=False)] == ["img/a.png", "img/b.png"]
    assert [o.key for o in flat.iter_objects(recursive=True)] == ["img/a.png", "img/b.png", "img/sub/c.png"]
    whole = connector(moto_s3, s3_bucket)
    assert [o.key for o in whole.iter_objects(recursive=False)] == ["top.png"]
    assert len(list(whole.iter_objects(recursive=True))) == 5


def test_reads_whole_objects_and_byte_ranges_in_bounded_chunks(moto_s3: MotoS3, s3: Any, s3_bucket: str) -> None:
    body = os.urandom(CHUNK_SIZE * 2 + 1000)
    s3.put_object(Bucket=s3_bucket, Key="v/clip.mp4", Body=body, ContentType="video/mp4")
    conn = connector(moto_s3, s3_bucket)

    whole = conn.open("v/clip.mp4")
    chunks = list(whole.chunks)
    whole.close()
    assert b"".join(chunks) == body and len(chunks) == 3 and max(map(len, chunks)) <= CHUNK_SIZE
    assert (whole.size, whole.total, whole.start, whole.content_type) == (len(body), len(body), 0, "video/mp4")

    part = conn.open("v/clip.mp4", start=100, end=199)
    assert b"".join(part.chunks) == body[100:200]
    assert (part.size, part.total, part.start) == (100, len(body), 100)
    part.close()

    tail = conn.open("v/clip.mp4", start=len(body) - 10)
    assert b"".join(tail.chunks) == body[-10:] and tail.start == len(body) - 10
    tail.close()

    with pytest.raises(StorageError, match="outside the object"):
        conn.open("v/clip.mp4", start=len(body) + 5)


def test_a_presigned_url_serves_the_object_over_http(moto_s3: MotoS3, s3: Any, s3_bucket: str) -> None:
    s3.put_object(Bucket=s3_bucket, Key="images/cat one.jpg", Body=b"\xff\xd8jpeg", ContentType="image/jpeg")
    conn = connector(moto_s3, s3_bucket)
    url = conn.presign("images/cat one.jpg", ttl=90)
    assert url and url.startswith(f"{moto_s3.url}/{s3_bucket}/images/cat%20one.jpg?")
    assert "X-Amz-Expires=90" in url and "X-Amz-Signature=" in url
    response = httpx.get(url)
    assert response.status_code == 200 and response.content == b"\xff\xd8jpeg"
    assert response.headers["content-type"] == "image/jpeg"
    ranged = httpx.get(url, headers={"Range": "bytes=2-5"})
    assert ranged.status_code == 206 and ranged.content == b"jpeg"


def test_writes_with_aes256_or_the_kms_key_and_deletes(moto_s3: MotoS3, s3: Any, s3_bucket: str) -> None:
    plain = connector(moto_s3, s3_bucket, prefix="out")
    plain.write("out/1", b'{"id": 1}')
    head = s3.head_object(Bucket=s3_bucket, Key="out/1")
    assert head["ServerSideEncryption"] == "AES256" and head["ContentType"] == "application/json"
    assert s3.get_object(Bucket=s3_bucket, Key="out/1")["Body"].read() == b'{"id": 1}'

    plain.write("out/1", b'{"id": 1, "v": 2}')  # replaced in place
    assert s3.get_object(Bucket=s3_bucket, Key="out/1")["Body"].read() == b'{"id": 1, "v": 2}'

    kms = connector(moto_s3, s3_bucket, aws_sse_kms_key_id="arn:aws:kms:us-east-1:123456789012:key/test-key")
    kms.write("out/2.json", b"{}", content_type="application/json")
    head = s3.head_object(Bucket=s3_bucket, Key="out/2.json")
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"].endswith("test-key")

    plain.delete("out/1")
    plain.delete("out/1")  # already gone: not an error
    plain.delete("out/never-existed")
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=s3_bucket).get("Contents", [])] == ["out/2.json"]


def test_uris_name_keys_verbatim(moto_s3: MotoS3, s3_bucket: str) -> None:
    conn = connector(moto_s3, s3_bucket)
    for key in ["a.png", "dir/with space/x?y#z%20.png", "ünï/cödé.jpg"]:
        assert conn.key_of(conn.uri(key)) == key
    assert conn.uri("a/b.png") == f"s3://{s3_bucket}/a/b.png"
    assert conn.key_of(f"s3://{s3_bucket}-other/a.png") is None
    assert conn.key_of(f"gs://{s3_bucket}/a.png") is None
    assert conn.key_of(f"s3://{s3_bucket}/") is None
    assert conn.key_of("https://example.com/a.png") is None


def test_a_custom_endpoint_without_keys_is_anonymous(moto_s3: MotoS3, s3: Any, s3_bucket: str, monkeypatch: Any) -> None:
    """The server's own AWS identity is never presented to another endpoint."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "server-own-key-id")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "server-own-secret")
    s3.put_object(Bucket=s3_bucket, Key="public.txt", Body=b"hi", ACL="public-read")
    s3.put_object(Bucket=s3_bucket, Key="private.txt", Body=b"no")
    seen: list[dict[str, str]] = []
    conn = build_connector(msgspec.convert({"bucket": s3_bucket, "s3_endpoint": moto_s3.url}, S3Config))
    conn.client.meta.events.register("before-send.s3", lambda request, **_: seen.append(dict(request.headers)),
                                     unique_id="capture-headers")
    assert [o.key for o in conn.iter_objects(recursive=True)] == ["private.txt", "public.txt"]
    assert seen and not any("Authorization" in headers for headers in seen)
    url = conn.presign("public.txt", ttl=60)
    assert url and "X-Amz-Signature" not in url and "server-own-key-id" not in url
    assert httpx.get(url).content == b"hi"
    with pytest.raises(StorageError, match="no access key was given, so only public objects can be read"):
        conn.open("private.txt")


def test_validate_checks_the_bucket(moto_s3: MotoS3, s3_bucket: str) -> None:
    connector(moto_s3, s3_bucket).validate()
    connector(moto_s3, s3_bucket, prefix="empty/").validate()  # an empty folder is valid (targets start empty)
    with pytest.raises(StorageError, match="S3 bucket 'no-such-bucket-here' does not exist"):
        connector(moto_s3, "no-such-bucket-here").validate()
    with pytest.raises(StorageError, match="does not exist"):
        list(connector(moto_s3, "no-such-bucket-here").iter_objects(recursive=True))


def test_missing_objects_and_unreachable_endpoints_are_storage_errors(moto_s3: MotoS3, s3_bucket: str) -> None:
    conn = connector(moto_s3, s3_bucket)
    with pytest.raises(StorageError, match=f"Object 'nope.png' does not exist in S3 bucket '{s3_bucket}'"):
        conn.open("nope.png")
    with MotoS3() as stopped:
        pass  # a port nobody listens on any more
    dead = build_connector(msgspec.convert(
        {**stopped.config(s3_bucket), "aws_secret_access_key": "top-secret-value"}, S3Config))
    with pytest.raises(StorageError) as caught:
        dead.validate()
    message = str(caught.value)
    assert message == f"Cannot connect to {stopped.url}: check the endpoint URL and the network."
    assert "top-secret-value" not in message and "top-secret-value" not in repr(dead)


@pytest.fixture(scope="module")
def authenticating_s3() -> Any:
    """A second moto server that checks signatures, with an IAM user and its access key created
    in the two unauthenticated calls it allows first: ``(server, access key)``."""
    import boto3

    with MotoS3() as server:
        httpx.post(f"{server.url}/moto-api/reset-auth", content=b"2").raise_for_status()
        iam = boto3.client("iam", endpoint_url=server.url, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
        iam.create_user(UserName="labeler")
        key = iam.create_access_key(UserName="labeler")["AccessKey"]
        yield server, key


def test_rejected_credentials_say_which_one_is_wrong(authenticating_s3: Any) -> None:
    server, key = authenticating_s3
    unknown = build_connector(msgspec.convert(server.config("some-bucket"), S3Config))
    with pytest.raises(StorageError, match="access key ID was not accepted") as caught:
        unknown.validate()
    assert "testing-secret-key" not in str(caught.value)
    wrong = build_connector(msgspec.convert({**server.config("some-bucket"), "aws_access_key_id": key["AccessKeyId"],
                                             "aws_secret_access_key": "not-the-secret"}, S3Config))
    with pytest.raises(StorageError, match="secret access key does not match") as caught:
        wrong.validate()
    assert "not-the-secret" not in str(caught.value)
    # The right key but no permission: the user has no policy at all.
    denied = build_connector(msgspec.convert({**server.config("some-bucket"), "aws_access_key_id": key["AccessKeyId"],
                                              "aws_secret_access_key": key["SecretAccessKey"]}, S3Config))
    with pytest.raises(StorageError, match="Access denied to S3 bucket 'some-bucket'"):
        denied.validate()
