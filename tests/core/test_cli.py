"""The labelloom command, run as a user runs it: a real process on a real data directory."""

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from labelloom.core.testing import postgres_url

LABELLOOM = [sys.executable, "-m", "labelloom.core.cli"]


def run(*args, data_dir, check=True, **env):
    result = subprocess.run(
        [*LABELLOOM, *args, "--data-dir", str(data_dir)],
        capture_output=True, text=True, timeout=60, env={**os.environ, **env},
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_help_names_every_command():
    out = subprocess.run([*LABELLOOM, "--help"], capture_output=True, text=True).stdout
    for command in ("start", "migrate", "user", "plugins"):
        assert command in out
    user_help = subprocess.run([*LABELLOOM, "user", "--help"], capture_output=True, text=True).stdout
    for action in ("create", "list", "reset-password", "token"):
        assert action in user_help


def test_user_commands(tmp_path):
    assert "database at revision" in run("migrate", data_dir=tmp_path).stdout
    run("user", "create", "ops@example.com", "--password", "a good password", "--admin", data_dir=tmp_path)
    listing = run("user", "list", data_dir=tmp_path).stdout
    assert "ops@example.com admin" in listing
    token = run("user", "token", "ops@example.com", data_dir=tmp_path).stdout.strip()
    assert len(token) == 40
    run("user", "reset-password", "ops@example.com", "--password", "another good one", data_dir=tmp_path)
    missing = run("user", "token", "nobody@example.com", data_dir=tmp_path, check=False)
    assert missing.returncode == 1 and "No user with email nobody@example.com" in missing.stderr
    short = run("user", "create", "x@example.com", "--password", "short", data_dir=tmp_path, check=False)
    assert short.returncode == 1 and "at least 8 characters" in short.stderr


def test_plugins_lists_the_nine_built_ins(tmp_path):
    out = run("plugins", data_dir=tmp_path).stdout
    names = {line.split()[0] for line in out.splitlines() if line and not line.startswith(" ")}
    assert {"controls", "image", "text", "audio", "timeseries", "video", "storage_s3", "storage_gcs",
            "ml_http"} <= names


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp_path, *extra, **env):
    port = free_port()
    proc = subprocess.Popen(
        [*LABELLOOM, "start", "--data-dir", str(tmp_path), "--port", str(port), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, **env},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health").status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
        if proc.poll() is not None:
            raise AssertionError(proc.stdout.read())
    proc.kill()
    raise AssertionError("server did not start")


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def test_start_migrates_creates_admin_and_serves(tmp_path, backend, test_databases):
    env = {}
    if backend == "postgresql":
        if postgres_url() is None:
            pytest.skip("no PostgreSQL")
        env["LABELLOOM_DATABASE_URL"] = test_databases.url("postgresql")
        import asyncio

        from labelloom.core.testing import _empty_tables

        asyncio.run(_empty_tables(env["LABELLOOM_DATABASE_URL"]))
    proc, url = start_server(tmp_path, "--username", "boss@example.com", "--password", "the boss password", **env)
    try:
        login = httpx.post(url + "/api/auth/login", json={"email": "boss@example.com", "password": "the boss password"})
        assert login.status_code == 200 and login.json()["user"]["is_superuser"]
        assert httpx.get(url + "/api/users/").status_code == 401
        if backend == "sqlite":
            assert (tmp_path / "labelloom.sqlite3").exists() and (tmp_path / "secret_key").exists()
    finally:
        proc.terminate()
        proc.wait(15)
        if backend == "postgresql":
            import asyncio

            from labelloom.core.testing import _empty_tables

            asyncio.run(_empty_tables(env["LABELLOOM_DATABASE_URL"]))


def test_server_process_freezes_its_start_up_heap(tmp_path):
    """What start-up built stays out of the garbage collector's full passes (gc.freeze)."""
    script = (
        "import gc; from labelloom.core.server import app_factory; "
        "before = gc.get_freeze_count(); app_factory(); print(before, gc.get_freeze_count())"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "LABELLOOM_DATA_DIR": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    before, after = map(int, out.stdout.split())
    assert before == 0 and after > 50_000
