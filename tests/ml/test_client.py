"""The ml_http plugin's client on its own: Label Studio's path joining, env-tunable timeouts,
basic auth and the SSRF guard."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from labelloom.core.plugin import LabelloomError, MLConnection
from labelloom.plugins.ml_http.client import HttpMLConnector, endpoint
from labelloom.plugins.ml_http.timeouts import Timeouts


def test_paths_join_like_label_studio() -> None:
    assert endpoint("http://h:9090", "predict") == "http://h:9090/predict"
    assert endpoint("http://h:9090/", "predict") == "http://h:9090/predict"
    assert endpoint("http://h/models/ner", "setup") == "http://h/models/ner/setup"


def test_timeouts_read_labelloom_then_label_studio_names(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Timeouts.from_env() == Timeouts(predict=100.0, setup=3.0, health=1.0, train=30.0, connect=1.0)
    monkeypatch.setenv("ML_TIMEOUT_SETUP", "7")
    monkeypatch.setenv("LABELLOOM_ML_TIMEOUT_HEALTH", "0.25")
    monkeypatch.setenv("LABEL_STUDIO_ML_TIMEOUT_PREDICT", "12")
    timeouts = Timeouts.from_env()
    assert (timeouts.setup, timeouts.health, timeouts.predict) == (7.0, 0.25, 12.0)
    monkeypatch.setenv("ML_TIMEOUT_TRAIN", "soon")
    with pytest.raises(ValueError, match="ML_TIMEOUT_TRAIN"):
        Timeouts.from_env()


@pytest.fixture
def echo() -> Any:
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": json.loads(body)})
            data = b'{"model_version": "v1"}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


async def test_basic_auth_and_body_are_sent(echo: Any) -> None:
    url, seen = echo
    client = HttpMLConnector(MLConnection(url=url + "/base", basic_auth=("bob", "s3cret"), allow_private=True))
    try:
        assert await client.setup({"project": "1.2"}) == {"model_version": "v1"}
    finally:
        await client.aclose()
    assert seen == [{"path": "/base/setup", "auth": "Basic Ym9iOnMzY3JldA==", "body": {"project": "1.2"}}]


async def test_private_addresses_are_refused_without_the_setting(echo: Any) -> None:
    url, seen = echo
    client = HttpMLConnector(MLConnection(url=url, allow_private=False))
    with pytest.raises(LabelloomError, match="LABELLOOM_ALLOW_PRIVATE_URLS"):
        await client.health()
    await client.aclose()
    assert seen == []
