#!/usr/bin/env python3
"""Cloud storage benchmark (issue 21): prints figures, asserts nothing.

Starts moto's S3 server in this process (objects are put straight into its backend, so seeding
100k objects takes seconds, not minutes) and `labelloom start` as a separate process on a fresh
database (SQLite in a temp dir, or --postgres URL, which is wiped), then measures:

  - sync of N objects with use_blob_urls (one task each): time, server RSS before/peak/after,
    and a re-sync (nothing new: the idempotence check, still a full listing);
  - sync of one JSONL task file of N rows: time and RSS;
  - resolve latency of a task's media link: presigned (303) and proxied (200, bytes through the
    server), median and p95 over --reps requests;
  - target write latency: annotation POST until its object is in the bucket (sequential), and
    the time for a burst of annotations to land;
  - with --gcs-objects N: sync of N objects from fake-gcs-server, and a re-sync.

moto's own listing sorts the whole bucket for every 1,000-key page (about 1.5 s a page at 100k
keys, 150 s for the bucket), which would swamp what is measured here. Unless --raw-moto is
given, moto's listing is memoised per bucket state in this process and pages are found by
bisection; the script prints how long the S3 connector alone takes to list the bucket (no
database), the floor any sync pays on this server.

Usage: .venv/bin/python bench/storage_bench.py [--objects 100000] [--rows 100000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_bench import PeakRss, free_port, rss_mb, signed_in, start, worker_pid  # noqa: E402

CONFIG = '<View><Image name="image" value="$image"/><Choices name="c" toName="image"><Choice value="Cat"/></Choices></View>'
CAT = [{"from_name": "c", "to_name": "image", "type": "choices", "value": {"choices": ["Cat"]}}]
CREDENTIALS = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench-secret", "region_name": "us-east-1"}
TERMINAL = {"completed", "completed_with_errors", "failed", "cancelled"}


def memoise_moto_listing() -> None:
    """Make moto's ListObjectsV2 cost one page, not one bucket (bench only): the sorted listing is
    kept until the bucket's key count changes, and a continuation token is found by bisection."""
    import bisect

    from moto.s3.models import S3Backend

    cache: dict[tuple[Any, ...], tuple[list[Any], list[str]]] = {}

    def list_objects_v2(self: Any, bucket: Any, prefix: Any, delimiter: Any, continuation_token: Any, start_after: Any,
                        max_keys: int) -> Any:
        state = (bucket.name, prefix, delimiter, len(bucket.keys))
        if state not in cache:
            keys, folders, _, _ = self.list_objects(bucket, prefix, delimiter, marker=None, max_keys=None)
            items = sorted([*keys, *folders], key=self._get_name)
            cache[state] = (items, [self._get_name(item) for item in items])
        items, names = cache[state]
        limit = self._pagination_tokens.get(continuation_token) if continuation_token else start_after
        first = bisect.bisect_right(names, limit) if limit else 0
        return self._truncate_result(items[first:first + max_keys + 1], max_keys)

    S3Backend.list_objects_v2 = list_objects_v2  # type: ignore[method-assign]


def start_moto() -> tuple[Any, str, Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, f"http://127.0.0.1:{port}", s3_backends[DEFAULT_ACCOUNT_ID]["aws"]


def start_gcs(objects: int) -> Any:
    """fake-gcs-server with bucket bench-gcs holding img/NNNNNN.jpg, set as the GCS emulator of
    the server started after it (STORAGE_EMULATOR_HOST). Seeded by parallel media uploads (its
    own -data preload takes minutes for a few thousand files)."""
    from concurrent.futures import ThreadPoolExecutor

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.storage_cloud.services import FakeGCS

    server = FakeGCS().start()
    t = time.perf_counter()
    with httpx.Client(base_url=server.url, limits=httpx.Limits(max_connections=16)) as http:
        http.post("/storage/v1/b", params={"project": "bench"}, json={"name": "bench-gcs"}).raise_for_status()

        def upload(i: int) -> None:
            http.post("/upload/storage/v1/b/bench-gcs/o", params={"uploadType": "media", "name": f"img/{i:06}.jpg"},
                      content=b"jpeg-bytes", headers={"Content-Type": "image/jpeg"}).raise_for_status()

        with ThreadPoolExecutor(16) as pool:
            list(pool.map(upload, range(objects)))
    os.environ["STORAGE_EMULATOR_HOST"] = server.url
    print(f"fake-gcs-server: uploaded {objects:,} objects in {time.perf_counter() - t:.1f} s", flush=True)
    return server


def s3_client(url: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=url, **CREDENTIALS, config=Config(s3={"addressing_style": "path"}))


def listing_floor(url: str, bucket: str, prefix: str) -> tuple[int, float]:
    """How long the S3 connector alone takes to list the bucket (no database): a sync's floor."""
    import msgspec

    from labelloom.plugins.storage_s3.config import S3Config
    from labelloom.plugins.storage_s3.connector import build_connector

    connector = build_connector(msgspec.convert({"bucket": bucket, "prefix": prefix, "s3_endpoint": url, **CREDENTIALS}, S3Config))
    t = time.perf_counter()
    count = sum(1 for _ in connector.iter_objects(recursive=False))
    return count, time.perf_counter() - t


def synced(http: httpx.Client, path: str, worker: int) -> tuple[dict[str, Any], float, float, float]:
    """Start a sync and wait for it: (storage, seconds, RSS before, RSS peak)."""
    before = rss_mb(worker)
    peak = PeakRss(worker)
    peak.start()
    t = time.perf_counter()
    http.post(f"{path}/sync").raise_for_status()
    while True:
        body = http.get(path).json()
        if body["status"] in TERMINAL:
            break
        time.sleep(0.2)
    elapsed = time.perf_counter() - t
    peak.running = False
    peak.join()
    return body, elapsed, before, peak.peak


def report_sync(label: str, body: dict[str, Any], elapsed: float, before: float, peak: float, worker: int) -> None:
    print(f"{label}: {body['status']}, {body['last_sync_count']} tasks in {elapsed:6.2f} s "
          f"({body['last_sync_count'] / elapsed if elapsed else 0:,.0f}/s); server RSS {before:.0f} -> peak {peak:.0f} MB "
          f"(+{peak - before:.0f}), after {rss_mb(worker):.0f} MB", flush=True)
    if body.get("traceback"):
        print("   errors:", body["traceback"][:300], flush=True)


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered):6.1f} ms, p95 {p95:6.1f} ms"


def timed(fn: Any, reps: int) -> list[float]:
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--annotations", type=int, default=100)
    parser.add_argument("--postgres", help="run the server on this PostgreSQL database (it is wiped)")
    parser.add_argument("--raw-moto", action="store_true", help="keep moto's O(bucket)-per-page listing")
    parser.add_argument("--gcs-objects", type=int, default=0,
                        help="also sync this many objects from fake-gcs-server (seeding it is slow: ~minutes for 20k)")
    args = parser.parse_args()
    gcs = start_gcs(args.gcs_objects) if args.gcs_objects else None

    if not args.raw_moto:
        memoise_moto_listing()
    moto, moto_url, backend = start_moto()
    s3 = s3_client(moto_url)
    s3.create_bucket(Bucket="bench-objects")
    s3.create_bucket(Bucket="bench-rows")
    t = time.perf_counter()
    for i in range(args.objects):
        backend.put_object("bench-objects", f"img/{i:06}.jpg", b"jpeg-bytes")
    rows = b"\n".join(json.dumps({"image": f"s3://bench-objects/img/{i % max(args.objects, 1):06}.jpg", "n": i}).encode()
                      for i in range(args.rows))
    backend.put_object("bench-rows", "tasks/rows.jsonl", rows)
    backend.put_object("bench-objects", "media/one-mib.bin", os.urandom(1 << 20))
    print(f"seeded {args.objects:,} objects and a {len(rows) / 1e6:.1f} MB JSONL of {args.rows:,} rows in "
          f"{time.perf_counter() - t:.1f} s (moto {'raw' if args.raw_moto else 'listing memoised'})", flush=True)
    count, seconds = listing_floor(moto_url, "bench-objects", "img/")
    print(f"listing alone ({count:,} objects, the S3 connector without Labelloom): {seconds:6.2f} s", flush=True)

    if args.postgres:
        from sqlalchemy import create_engine, text

        engine = create_engine(args.postgres)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    os.environ["LABELLOOM_ALLOW_PRIVATE_URLS"] = "1"  # moto listens on loopback
    with tempfile.TemporaryDirectory() as data_dir:
        proc, url = start(args.postgres, data_dir)
        worker = worker_pid(proc)
        try:
            http = signed_in(url, 600)
            connection = {**CREDENTIALS, "s3_endpoint": moto_url}

            project = http.post("/api/projects/", json={"title": "objects", "label_config": CONFIG}).json()["id"]
            created = http.post("/api/storages/s3", json={"project": project, "bucket": "bench-objects", "prefix": "img",
                                                          "use_blob_urls": True, **connection})
            created.raise_for_status()
            path = f"/api/storages/s3/{created.json()['id']}"
            report_sync(f"sync {args.objects:,} objects (one task each)", *synced(http, path, worker), worker)
            report_sync("re-sync (nothing new)", *synced(http, path, worker), worker)

            rows_project = http.post("/api/projects/", json={"title": "rows", "label_config": CONFIG}).json()["id"]
            created = http.post("/api/storages/s3", json={"project": rows_project, "bucket": "bench-rows", "prefix": "tasks",
                                                          **connection})
            created.raise_for_status()
            rows_path = f"/api/storages/s3/{created.json()['id']}"
            report_sync(f"sync one JSONL of {args.rows:,} tasks", *synced(http, rows_path, worker), worker)

            # resolve latency: presigned (303, not followed) and proxied (bytes through the server)
            tasks = http.get("/api/tasks", params={"project": project, "page": 3, "page_size": 100}).json()["tasks"]
            links = [t["data"]["image"] for t in tasks]
            counter = iter(range(10**9))
            redirect = timed(lambda: http.get(links[next(counter) % len(links)], follow_redirects=False), args.reps)
            print(f"resolve, presigned 303: {percentiles(redirect)}", flush=True)
            http.patch(path, json={"presign": False}).raise_for_status()
            proxied = timed(lambda: http.get(links[next(counter) % len(links)]).raise_for_status(), args.reps)
            print(f"resolve, proxied 10-byte object: {percentiles(proxied)}", flush=True)
            one_mib = base64.urlsafe_b64encode(b"s3://bench-objects/media/one-mib.bin").decode()
            big = links[0].split("fileuri=")[0] + "fileuri=" + one_mib  # the same resolve path, another object
            mib = timed(lambda: http.get(big).raise_for_status(), 20)
            print(f"resolve, proxied 1 MiB object: {percentiles(mib)}", flush=True)

            # target writes
            target = http.post("/api/storages/export/s3", json={"project": project, "bucket": "bench-objects",
                                                                 "prefix": "labels", **connection})
            target.raise_for_status()
            keys = backend.buckets["bench-objects"].keys
            some = http.get("/api/tasks", params={"project": project, "page": 5, "page_size": args.annotations * 3}).json()["tasks"]
            latencies = []
            for task in some[: args.annotations]:
                t = time.perf_counter()
                made = http.post(f"/api/tasks/{task['id']}/annotations/", json={"result": CAT})
                made.raise_for_status()
                key = f"labels/{made.json()['id']}"
                while key not in keys:
                    time.sleep(0.002)
                latencies.append((time.perf_counter() - t) * 1000)
            print(f"target write, annotation POST -> object in bucket (sequential, {len(latencies)}): "
                  f"{percentiles(latencies)}", flush=True)
            burst = some[args.annotations: args.annotations * 3]
            t = time.perf_counter()
            ids = [http.post(f"/api/tasks/{task['id']}/annotations/", json={"result": CAT}).json()["id"] for task in burst]
            posted = time.perf_counter() - t
            while any(f"labels/{i}" not in keys for i in ids):
                time.sleep(0.01)
            landed = time.perf_counter() - t
            print(f"target write, burst of {len(ids)} annotations: posted in {posted:5.2f} s, all in the bucket after "
                  f"{landed:5.2f} s ({len(ids) / landed:,.0f}/s)", flush=True)

            if gcs is not None:
                gcs_project = http.post("/api/projects/", json={"title": "gcs", "label_config": CONFIG}).json()["id"]
                created = http.post("/api/storages/gcs", json={"project": gcs_project, "bucket": "bench-gcs", "prefix": "img",
                                                               "use_blob_urls": True})
                created.raise_for_status()
                gcs_path = f"/api/storages/gcs/{created.json()['id']}"
                report_sync(f"sync {args.gcs_objects:,} objects from fake-gcs-server", *synced(http, gcs_path, worker), worker)
                report_sync("re-sync from fake-gcs-server (nothing new)", *synced(http, gcs_path, worker), worker)
        finally:
            proc.terminate()
            proc.wait(30)
            moto.stop()
            if gcs is not None:
                gcs.stop()


if __name__ == "__main__":
    main()
