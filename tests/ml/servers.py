"""Model servers for the ML tests: the real ``label-studio-ml`` server with a tiny model, and a
fault server that misbehaves on purpose.

``label-studio-ml`` (PyPI) pins Flask 1.1 / Werkzeug 2.0 / Jinja2 3.0, which conflict with
Litestar's, so it runs from its own virtualenv, created on first use (``uv`` from our venv) at
``$LABELLOOM_ML_BACKEND_VENV`` or ``~/.cache/labelloom/label-studio-ml-venv``.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
# label-studio-ml 1.0.9 imports rq and redis without declaring them.
LS_ML_REQUIREMENTS = ["label-studio-ml==1.0.9", "rq<2", "redis<6"]


def backend_venv() -> Path:
    default = Path.home() / ".cache" / "labelloom" / "label-studio-ml-venv"
    return Path(os.environ.get("LABELLOOM_ML_BACKEND_VENV", default))


def ensure_backend_python() -> Path:
    """The python of a virtualenv with label-studio-ml installed (created when missing)."""
    venv = backend_venv()
    venv.parent.mkdir(parents=True, exist_ok=True)
    # Test workers (pytest-xdist) start together: one builds the virtualenv, the others wait.
    with open(venv.parent / f".{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _ensure_backend_python(venv)


def _ensure_backend_python(venv: Path) -> Path:
    python = venv / "bin" / "python"
    ok = python.exists() and subprocess.run([str(python), "-c", "import label_studio_ml.api"],
                                            capture_output=True).returncode == 0
    if not ok:
        uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
        if uv is None:
            raise RuntimeError("uv is needed to create the label-studio-ml virtualenv")
        if not python.exists():
            subprocess.run([uv, "venv", "--python", sys.executable, str(venv)], check=True, capture_output=True)
        subprocess.run([uv, "pip", "install", "--python", str(python), *LS_ML_REQUIREMENTS], check=True, capture_output=True)
    return python


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ModelServer:
    url: str
    model_dir: Path
    process: subprocess.Popen[bytes]

    def events(self) -> list[dict[str, Any]]:
        """Every webhook event the model server received (its job manager writes event.json)."""
        found = []
        for path in sorted(self.model_dir.glob("*/event.json")):
            try:
                found.append(json.loads(path.read_text()))
            except ValueError:
                continue  # being written
        return found

    def wait_for_event(self, name: str, timeout: float = 20.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events():
                if event.get("event") == name:
                    return event
            time.sleep(0.1)
        raise AssertionError(f"the model server received no {name} event within {timeout} s: {self.events()}")


def start_model_server(model_dir: Path) -> ModelServer:
    python = ensure_backend_python()
    port = free_port()
    process = subprocess.Popen([str(python), str(HERE / "tiny_model.py"), str(port), str(model_dir)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the label-studio-ml server did not start")
        time.sleep(0.1)
    return ModelServer(url, model_dir, process)


@dataclass
class FaultServer:
    """Answers ``/health`` and ``/setup`` well; ``/predict`` per ``mode``: ``ok`` (one result per
    task), ``slow`` (sleeps past the timeout), ``error`` (500), ``malformed`` (not JSON),
    ``short`` (one result too few for a batch, right for one task), ``empty`` (no results)."""

    url: str = ""
    mode: str = "ok"
    health_status: int = 200
    setup_status: int = 200
    delay: float = 3.0
    requests: list[tuple[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def predict_sizes(self) -> list[int]:
        return [len(body["tasks"]) for path, body in self.requests if path == "/predict"]


def start_fault_server() -> tuple[FaultServer, ThreadingHTTPServer]:
    state = FaultServer()

    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def do_GET(self) -> None:  # noqa: N802
            with state.lock:
                state.requests.append((self.path, None))
            self._send(state.health_status, b'{"status": "UP"}')

        def do_POST(self) -> None:  # noqa: N802
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = json.loads(raw or b"null")
            with state.lock:
                state.requests.append((self.path, body))
            if self.path == "/setup":
                self._send(state.setup_status, b'{"model_version": "fault-v1"}' if state.setup_status == 200 else b"setup broke")
                return
            if self.path != "/predict":
                self._send(201, b"{}")
                return
            tasks = body["tasks"]
            if state.mode == "slow":
                time.sleep(state.delay)
            if state.mode == "error":
                self._send(500, b"model crashed")
                return
            if state.mode == "malformed":
                self._send(200, b"{not json", "text/plain")
                return
            count = len(tasks) - 1 if state.mode == "short" and len(tasks) > 1 else len(tasks)
            if state.mode == "empty":
                count = 0
            results = [{"result": [{"from_name": "sentiment", "to_name": "text", "type": "choices",
                                    "value": {"choices": ["Positive"]}}], "score": 0.5} for _ in range(count)]
            self._send(200, json.dumps({"results": results, "model_version": "fault-v1"}).encode())

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    return state, server
