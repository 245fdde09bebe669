"""Issue 17: ``labelloom start`` serves from ONE process by default (no supervisor: the whole
server stays small), stops cleanly on SIGTERM, and ``--processes N`` still runs N workers.

A probe plugin (a real entry point, installed into a folder on PYTHONPATH) records in a file
which process entered and left the app's lifespan, so the tests see the shutdown run: the
lifespan leaves plugin contexts after the in-process job worker has stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

PROBE = """
import contextlib
import os
from pathlib import Path

from labelloom.core.plugin import hookimpl


@hookimpl
def labelloom_lifespan(settings):
    @contextlib.asynccontextmanager
    async def probe():
        marker = Path(os.environ["PROBE_FILE"])
        with marker.open("a") as fh:
            fh.write(f"started {os.getpid()}\\n")
        yield
        with marker.open("a") as fh:
            fh.write(f"stopped {os.getpid()}\\n")

    return probe()
"""
# SQLite in tmp_path, jobs in the web process; MALLOC_ARENA_MAX as start sets it itself.
UNSET = ("LABELLOOM_DATABASE_URL", "LABELLOOM_QUEUE_URL", "LABELLOOM_WORKERS", "MALLOC_ARENA_MAX")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for thread in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{thread}/children") as fh:
            found += [int(child) for child in fh.read().split()]
    return found


def _probe_plugin(folder: Path) -> Path:
    folder.mkdir()
    (folder / "shutdown_probe.py").write_text(PROBE)
    info = folder / "shutdown_probe-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: shutdown-probe\nVersion: 0\n")
    (info / "entry_points.txt").write_text("[labelloom]\nshutdown_probe = shutdown_probe\n")
    return folder


def _events(marker: Path) -> list[tuple[str, int]]:
    if not marker.exists():
        return []
    return [(word, int(pid)) for word, pid in (line.split() for line in marker.read_text().splitlines())]


@pytest.fixture
def start(tmp_path: Path):
    """Run ``labelloom start`` on SQLite in tmp_path; yields (process, url, marker file)."""
    started: list[subprocess.Popen] = []
    plugins = _probe_plugin(tmp_path / "site")
    data = tmp_path / "data"
    marker = tmp_path / "lifespan.txt"

    def run(*extra: str) -> tuple[subprocess.Popen, str, Path]:
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if k not in UNSET}
        env.update(LABELLOOM_DATA_DIR=str(data), PROBE_FILE=str(marker),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(plugins), env.get("PYTHONPATH")])))
        process = subprocess.Popen(
            [sys.executable, "-m", "labelloom.core.cli", "start", "--port", str(port), *extra],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"labelloom start exited {process.returncode}:\n{process.stdout.read()[-3000:]}")
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    return process, url, marker
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        pytest.fail("labelloom start did not answer /health within 60 s")

    yield run
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: the server and any workers
            process.wait()


def _stop(process: subprocess.Popen, seconds: float = 15) -> str:
    """SIGTERM, then the exit status within ``seconds`` (a few on an idle machine) and the output."""
    process.send_signal(signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        pytest.fail(f"no exit {seconds} s after SIGTERM")
    assert process.returncode == 0, output[-3000:]
    return output


def test_start_serves_from_one_process_and_stops_cleanly_on_sigterm(start) -> None:
    process, url, marker = start()
    assert httpx.get(url + "/health").json() == {"status": "UP"}
    assert httpx.get(url + "/api/users/").status_code == 401  # the whole app, not just /health
    assert _children(process.pid) == []  # no supervisor, no worker processes
    assert _events(marker) == [("started", process.pid)]  # the PID we started (exec keeps it) serves
    environ = Path(f"/proc/{process.pid}/environ").read_bytes().split(b"\0")
    assert b"MALLOC_ARENA_MAX=2" in environ  # set before the exec, where glibc reads it
    output = _stop(process)
    assert _events(marker) == [("started", process.pid), ("stopped", process.pid)], output[-3000:]
    assert "experimental" not in output


def test_processes_2_still_runs_two_worker_processes(start) -> None:
    process, url, marker = start("--processes", "2")
    workers = _children(process.pid)
    assert len(workers) == 2
    deadline = time.monotonic() + 30  # each worker enters the lifespan on its own
    while len(_events(marker)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sorted(pid for word, pid in _events(marker)) == sorted(workers)
    assert httpx.get(url + "/api/users/").status_code == 401
    _stop(process, seconds=30)
    events = _events(marker)
    assert sorted(pid for word, pid in events if word == "stopped") == sorted(workers)


def test_a_failing_start_up_exits_1_and_says_so(tmp_path: Path) -> None:
    """The app's lifespan raising (here the probe cannot write its file) ends the one process."""
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(LABELLOOM_DATA_DIR=str(tmp_path / "data"), PROBE_FILE=str(tmp_path / "no" / "file"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(_probe_plugin(tmp_path / "site")), env.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-m", "labelloom.core.cli", "start", "--port", str(_free_port())],
                          env=env, capture_output=True, text=True, timeout=90)
    assert done.returncode == 1
    assert "Labelloom could not start: the app's start-up failed" in done.stderr
    assert "No such file or directory" in done.stdout + done.stderr  # the cause, logged above it
