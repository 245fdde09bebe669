"""Issue 16: the production topology of docs/deployment.md as separate processes on one
PostgreSQL and Redis: two web servers (`labelloom start --workers 0`) and a worker
(`labelloom worker`), sharing the secret key, the database, the queue and the media folder.

Checked: a token issued by one server works on the other; a job enqueued through one server is
run by the worker and its result read through the other; annotators spread over both servers
never get the same task from the label stream and no annotation is lost or doubled; after
kill -9 of one web server the other keeps serving.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from labelloom.core.testing import IN_CI, postgres_url

pytestmark = pytest.mark.postgresql
CONFIG = """<View><Text name="text" value="$text"/>
<Choices name="label" toName="text"><Choice value="A"/><Choice value="B"/></Choices></View>"""
RESULT = [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": ["A"]}}]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _psql(admin_url: str, sql: str) -> None:
    subprocess.run(["psql", admin_url, "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True)


@pytest.fixture
def topology(tmp_path: Path) -> Iterator[dict]:
    url, redis = postgres_url(), os.environ.get("LABELLOOM_TEST_REDIS_URL")
    if url is None or redis is None:
        if IN_CI:
            pytest.fail("the multi-machine test needs PostgreSQL and LABELLOOM_TEST_REDIS_URL in CI")
        pytest.skip("needs PostgreSQL and LABELLOOM_TEST_REDIS_URL")
    base, _, name = url.rpartition("/")
    database = f"{name}_cluster"
    admin_url = url.replace("+psycopg", "")
    _psql(admin_url, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    _psql(admin_url, f"CREATE DATABASE {database}")
    env = {
        **os.environ,
        "LABELLOOM_DATABASE_URL": f"{base}/{database}",
        "LABELLOOM_QUEUE_URL": redis,
        "LABELLOOM_QUEUE_NAME": f"cluster-{uuid.uuid4().hex[:8]}",  # no other test's jobs
        "LABELLOOM_SECRET_KEY": "a shared secret of the cluster, long enough",
        "LABELLOOM_DATA_DIR": str(tmp_path / "shared"),  # the shared media volume
        "LABELLOOM_WORKERS": "0",
        "LABELLOOM_LOG_LEVEL": "warning",
    }
    labelloom = str(Path(sys.executable).with_name("labelloom"))
    subprocess.run([labelloom, "migrate"], env=env, check=True, capture_output=True, timeout=300)
    processes: dict[str, subprocess.Popen] = {}
    logs = tmp_path / "logs"
    logs.mkdir()

    def spawn(role: str, *args: str) -> subprocess.Popen:
        out = open(logs / f"{role}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen([labelloom, *args], env=env, stdout=out, stderr=subprocess.STDOUT)
        processes[role] = process
        return process

    urls = {}
    for role in ("web_a", "web_b"):
        port = _free_port()
        spawn(role, "start", "--no-migrate", "--host", "127.0.0.1", "--port", str(port))
        urls[role] = f"http://127.0.0.1:{port}"
    spawn("worker", "worker", "--concurrency", "2")
    deadline = time.monotonic() + 90
    for role, base_url in urls.items():
        while True:
            try:
                if httpx.get(base_url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or processes[role].poll() is not None:
                pytest.fail(f"{role} did not start:\n{(logs / f'{role}.log').read_text()[-3000:]}")
            time.sleep(0.2)
    try:
        yield {"urls": urls, "processes": processes, "logs": logs}
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        _psql(admin_url, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def test_two_web_servers_and_a_worker_share_one_instance(topology) -> None:
    a, b = topology["urls"]["web_a"], topology["urls"]["web_b"]
    setup = httpx.post(a + "/api/auth/setup", json={"email": "admin@example.com", "password": "correct horse battery"})
    assert setup.status_code == 201, setup.text
    with httpx.Client(base_url=a, cookies=setup.cookies) as http:
        token = http.get("/api/current-user/token").json()["token"]
    auth = {"Authorization": f"Token {token}"}
    web_a = httpx.Client(base_url=a, headers=auth, timeout=60)
    web_b = httpx.Client(base_url=b, headers=auth, timeout=60)
    assert web_b.get("/api/current-user").json()["email"] == "admin@example.com"  # one secret, one database

    project = web_a.post("/api/projects/", json={"title": "Cluster", "label_config": CONFIG}).json()
    pid = project["id"]
    imported = web_b.post(f"/api/projects/{pid}/import?return_task_ids=true",
                          json=[{"text": f"item {i}"} for i in range(30)])
    assert imported.status_code == 201, imported.text
    assert web_a.get(f"/api/projects/{pid}").json()["task_number"] == 30

    # annotators spread over both servers: each gets a task of its own from the label stream
    annotators = []
    for i in range(6):
        user = web_a.post("/api/users", json={"email": f"annotator{i}@example.com", "password": "annotator password"})
        assert user.status_code == 201, user.text
        with httpx.Client(base_url=a if i % 2 else b) as login:
            signed = login.post("/api/auth/login", json={"email": f"annotator{i}@example.com",
                                                          "password": "annotator password"})
            assert signed.status_code == 200, signed.text
            personal = login.get("/api/current-user/token").json()["token"]
        annotators.append(httpx.Client(base_url=a if i % 2 else b, headers={"Authorization": f"Token {personal}"},
                                       timeout=60))
    served: dict[int, int] = {}
    for round_ in range(4):
        for index, client in enumerate(annotators):
            if round_ == 2 and index == 0:
                # kill -9 one web server mid-run: its annotators move to the survivor
                topology["processes"]["web_a"].send_signal(signal.SIGKILL)
                topology["processes"]["web_a"].wait(10)
            if client.base_url == httpx.URL(a) and topology["processes"]["web_a"].poll() is not None:
                client.base_url = b
            task = client.get(f"/api/projects/{pid}/next")
            assert task.status_code == 200, task.text
            task_id = task.json()["id"]
            assert task_id not in served, f"task {task_id} served to annotators {served[task_id]} and {index}"
            served[task_id] = index
            saved = client.post(f"/api/tasks/{task_id}/annotations", json={"result": RESULT})
            assert saved.status_code == 201, saved.text
    web_a.base_url = b  # web A is gone; everything below goes through B
    tasks = web_b.get("/api/tasks", params={"project": pid, "page_size": 100}).json()
    assert tasks["total_annotations"] == len(served) == 24
    assert sorted(t["id"] for t in tasks["tasks"] if t["total_annotations"]) == sorted(served)
    assert all(t["total_annotations"] <= 1 for t in tasks["tasks"])

    # a job enqueued through one server is run by the worker and read through the other
    snapshot = web_b.post(f"/api/projects/{pid}/exports", json={"title": "cluster export"})
    assert snapshot.status_code in (200, 201), snapshot.text
    export_id = snapshot.json()["id"]
    deadline = time.monotonic() + 120
    while (status := web_b.get(f"/api/projects/{pid}/exports/{export_id}").json()["status"]) != "completed":
        assert status != "failed", (topology["logs"] / "worker.log").read_text()[-3000:]
        assert time.monotonic() < deadline, f"export still {status}:\n{(topology['logs'] / 'worker.log').read_text()[-3000:]}"
        time.sleep(0.5)
    download = web_b.get(f"/api/projects/{pid}/exports/{export_id}/download?exportType=JSON")
    assert download.status_code == 200 and len(download.json()) == 30
    assert sum(len(t["annotations"]) for t in download.json()) == 24
