"""Issue 16: the production topology of docs/deployment.md as separate processes on one
PostgreSQL and Redis: two web servers (`labelloom start --workers 0`) and two workers
(`labelloom worker`), sharing the secret key, the database, the queue and the media folder.

50 simulated annotators (async httpx) spread over both servers repeat label stream ``next`` +
annotate while webhooks deliver every annotation to a slow local receiver and export jobs
run; one web server and one worker are killed with SIGKILL mid-run. Checked afterwards:

- no annotation lost or doubled: every acknowledged annotation exists once, nobody annotated
  a task twice, and the only unacknowledged ones are requests the killed server took with it;
- no task served to two annotators (overlap 1);
- every tracked job finished or failed with a reason (the killed worker's jobs are swept by
  heartbeat and retried elsewhere);
- webhooks delivered at least once for every annotation (at-least-once: a delivery the
  killed worker had sent but not recorded is sent again, so duplicates are allowed);
- caches agree across processes at once: a config change, a role change, a deactivation and
  a new webhook made through one server apply in the other on the next request;
- the surviving processes keep serving.

Duration is bounded by the job heartbeats (30 s for webhook deliveries) and the webhook lease
(60 s) that a killed worker leaves behind: recovery is waited for, never shortened.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from labelloom.core.testing import IN_CI, postgres_url

pytestmark = pytest.mark.postgresql
CONFIG = """<View><Text name="text" value="$text"/>
<Choices name="label" toName="text"><Choice value="A"/><Choice value="B"/></Choices></View>"""
CONFIG_WITH_C = CONFIG.replace('<Choice value="B"/>', '<Choice value="B"/><Choice value="C"/>')
RESULT = [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": ["A"]}}]
RESULT_C = [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": ["C"]}}]
ANNOTATORS = 50
ROUNDS = 3
TASKS = 400
RECOVERY_BUDGET = 150  # seconds: heartbeat (30 s) + sweep + webhook lease (60 s) + upkeep (every minute)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _psql(url: str, sql: str) -> str:
    done = subprocess.run(["psql", url.replace("+psycopg", ""), "-v", "ON_ERROR_STOP=1", "-Atc", sql],
                          check=True, capture_output=True, text=True)
    return done.stdout.strip()


class Receiver:
    """A webhook endpoint: records every body; while ``slow`` is set, answers after a second
    so that deliveries are in flight in the workers when one is killed."""

    def __init__(self) -> None:
        self.bodies: list[dict] = []
        self.in_flight = 0
        self.slow = threading.Event()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    receiver.in_flight += 1
                try:
                    if receiver.slow.is_set():
                        time.sleep(1.0)
                    with receiver.lock:
                        receiver.bodies.append({"path": self.path, **json.loads(body)})
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the sender was killed mid-request
                finally:
                    with receiver.lock:
                        receiver.in_flight -= 1

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def created(self, hook: str) -> set[int]:
        """Annotation ids announced as ANNOTATION_CREATED to the hook at path ``/hook``."""
        with self.lock:
            return {b["annotation"]["id"] for b in self.bodies
                    if b["path"] == f"/{hook}" and b.get("action") == "ANNOTATION_CREATED"}


@pytest.fixture
def topology(tmp_path: Path) -> Iterator[dict]:
    url, redis = postgres_url(), os.environ.get("LABELLOOM_TEST_REDIS_URL")
    if url is None or redis is None:
        if IN_CI:
            pytest.fail("the multi-machine test needs PostgreSQL and LABELLOOM_TEST_REDIS_URL in CI")
        pytest.skip("needs PostgreSQL and LABELLOOM_TEST_REDIS_URL")
    base, _, name = url.rpartition("/")
    database = f"{name}_cluster"
    _psql(url, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    _psql(url, f"CREATE DATABASE {database}")
    cluster_url = f"{base}/{database}"
    env = {
        **os.environ,
        # Small pools: 4 processes share the test server's connection budget with other tests.
        "LABELLOOM_DATABASE_URL": f"{cluster_url}?pool_size=4&max_overflow=6",
        "LABELLOOM_QUEUE_URL": redis,
        "LABELLOOM_QUEUE_NAME": f"cluster-{uuid.uuid4().hex[:8]}",  # no other test's jobs
        "LABELLOOM_SECRET_KEY": "a shared secret of the cluster, long enough",
        "LABELLOOM_DATA_DIR": str(tmp_path / "shared"),  # the shared media volume
        "LABELLOOM_WORKERS": "0",
        "LABELLOOM_LOG_LEVEL": "warning",
        "LABELLOOM_ALLOW_PRIVATE_URLS": "1",  # the webhook receiver is on 127.0.0.1
        "LABELLOOM_JOB_SWEEP_INTERVAL": "2",  # look for dead workers' jobs often
    }
    labelloom = str(Path(sys.executable).with_name("labelloom"))
    subprocess.run([labelloom, "migrate"], env=env, check=True, capture_output=True, timeout=300)
    processes: dict[str, subprocess.Popen] = {}
    logs = tmp_path / "logs"
    logs.mkdir()

    def spawn(role: str, *args: str) -> None:
        out = open(logs / f"{role}.log", "w")  # noqa: SIM115 - closed with the process
        processes[role] = subprocess.Popen([labelloom, *args], env=env, stdout=out, stderr=subprocess.STDOUT)

    urls = {}
    for role in ("web_a", "web_b"):
        port = _free_port()
        spawn(role, "start", "--no-migrate", "--host", "127.0.0.1", "--port", str(port))
        urls[role] = f"http://127.0.0.1:{port}"
    for role in ("worker_a", "worker_b"):
        spawn(role, "worker", "--concurrency", "2")
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

    def log_tail(role: str) -> str:
        return f"--- {role}:\n" + (logs / f"{role}.log").read_text()[-3000:]

    clients: list[httpx.Client] = []  # closed first: granian waits for open keep-alive connections
    try:
        yield {"urls": urls, "processes": processes, "logs": log_tail, "db": cluster_url, "clients": clients}
    finally:
        for client in clients:
            client.close()
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        _psql(url, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def _kill(process: subprocess.Popen) -> None:
    """SIGKILL to the process and everything it started (a web server's granian worker too)."""
    children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    process.send_signal(signal.SIGKILL)
    for child in children:
        try:
            os.kill(int(child), signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait(10)


class Run:
    """What the annotators saw."""

    def __init__(self) -> None:
        self.served: dict[int, str] = {}  # task id -> the annotator it was served to
        self.acknowledged: dict[int, tuple[str, int]] = {}  # annotation id -> (annotator, task)
        self.lost_answers = 0  # annotation requests whose server died before answering
        self.after_kill: list[int] = []  # statuses answered after the kill


async def _annotate(name: str, token: str, servers: list[str], pid: int, run: Run, dead: set[str]) -> None:
    """One annotator: ``next`` + annotate, ROUNDS times, on its server; when that server dies,
    on the survivor. An annotation whose answer was lost is never re-sent: ``next`` tells."""
    headers = {"Authorization": f"Token {token}"}
    server = servers[0]
    async with httpx.AsyncClient(headers=headers, timeout=60) as http:
        done = 0
        while done < ROUNDS:
            if server in dead:
                server = next(s for s in servers if s not in dead)
            killed_before = bool(dead)
            try:
                task = await http.get(f"{server}/api/projects/{pid}/next")
            except httpx.TransportError:
                dead_guess = server
                await asyncio.sleep(0.2)
                if dead_guess in dead:
                    continue
                raise
            assert task.status_code == 200, task.text
            task_id = task.json()["id"]
            other = run.served.setdefault(task_id, name)
            assert other == name, f"task {task_id} served to {other} and {name}"
            try:
                saved = await http.post(f"{server}/api/tasks/{task_id}/annotations", json={"result": RESULT})
            except httpx.TransportError:
                await asyncio.sleep(0.2)
                if server in dead:
                    run.lost_answers += 1
                    continue  # maybe saved, maybe not: the next ``next`` shows which
                raise
            assert saved.status_code == 201, saved.text
            if killed_before:
                run.after_kill.append(saved.status_code)
            run.acknowledged[saved.json()["id"]] = (name, task_id)
            done += 1


def test_two_web_servers_and_two_workers_survive_kill_9(topology) -> None:
    a, b = topology["urls"]["web_a"], topology["urls"]["web_b"]
    processes, tail = topology["processes"], topology["logs"]
    setup = httpx.post(a + "/api/auth/setup", json={"email": "admin@example.com", "password": "correct horse battery"})
    assert setup.status_code == 201, setup.text
    with httpx.Client(base_url=a, cookies=setup.cookies) as http:
        token = http.get("/api/current-user/token").json()["token"]
    auth = {"Authorization": f"Token {token}"}
    web_a = httpx.Client(base_url=a, headers=auth, timeout=60)
    web_b = httpx.Client(base_url=b, headers=auth, timeout=60)
    topology["clients"] += [web_a, web_b]
    assert web_b.get("/api/current-user").json()["email"] == "admin@example.com"  # one secret, one database

    pid = web_a.post("/api/projects/", json={"title": "Cluster", "label_config": CONFIG}).json()["id"]
    imported = web_b.post(f"/api/projects/{pid}/import", json=[{"text": f"item {i}"} for i in range(TASKS)])
    assert imported.status_code == 201, imported.text
    assert web_a.get(f"/api/projects/{pid}").json()["task_number"] == TASKS

    # Annotators without passwords (no hashing to wait for); their API tokens from the database.
    for i in range(ANNOTATORS):
        made = web_a.post("/api/users", json={"email": f"annotator{i}@cluster.example"})
        assert made.status_code == 201, made.text
        added = web_b.post(f"/api/projects/{pid}/members", json={"user": made.json()["id"]})
        assert added.status_code in (200, 201), added.text
    rows = _psql(topology["db"], "SELECT u.id, u.email, t.key FROM api_tokens t JOIN users u ON u.id = t.user_id "
                                 "WHERE u.email LIKE '%@cluster.example' ORDER BY u.id")
    annotators = [line.split("|") for line in rows.splitlines()]
    assert len(annotators) == ANNOTATORS

    # -- caches agree across processes at once -------------------------------------------------
    probe_id, _, probe_key = annotators[-1]
    probe = {"Authorization": f"Token {probe_key}"}
    seen = httpx.get(f"{b}/api/current-user/permissions", headers=probe).json()["role"]  # B has read it
    for role in ("RE", "AN"):
        changed = web_a.patch("/api/organizations/1/memberships", json={"user_id": int(probe_id), "role": role})
        assert changed.status_code == 200, changed.text
        on_a = httpx.get(f"{a}/api/current-user/permissions", headers=probe).json()["role"]
        assert httpx.get(f"{b}/api/current-user/permissions", headers=probe).json()["role"] == role, (seen, on_a, changed.text)
    assert web_a.delete(f"/api/organizations/1/memberships/{probe_id}").status_code == 204
    assert httpx.get(f"{b}/api/current-user", headers=probe).status_code in (401, 403)
    annotators.pop()  # the deactivated probe takes no part below

    assert web_b.get(f"/api/projects/{pid}").json()["label_config"] == CONFIG  # B has read the config
    assert web_a.patch(f"/api/projects/{pid}", json={"label_config": CONFIG_WITH_C}).status_code == 200
    assert web_b.get(f"/api/projects/{pid}").json()["label_config"] == CONFIG_WITH_C
    first = web_b.get(f"/api/projects/{pid}/next").json()["id"]
    with_c = web_b.post(f"/api/tasks/{first}/annotations", json={"result": RESULT_C})
    assert with_c.status_code == 201, with_c.text  # B validates with the config A just saved

    receiver = Receiver()
    hooks = {}
    for hook in ("one", "two"):  # two hooks: each has its own lease, so deliveries run in both workers
        made = web_a.post("/api/webhooks/", json={"url": f"{receiver.url}/{hook}", "project": pid,
                                                  "send_for_all_actions": False, "actions": ["ANNOTATION_CREATED"]})
        assert made.status_code == 201, made.text
        hooks[hook] = made.json()["id"]

    # -- 50 annotators on both servers; kill -9 of a web server and a worker mid-run -----------
    run = Run()
    dead: set[str] = set()
    exports: list[int] = []
    phases = {"annotating": time.monotonic()}

    async def chaos() -> None:
        receiver.slow.set()  # deliveries now take a second each: some are in flight below
        while len(run.acknowledged) < ANNOTATORS // 2:
            await asyncio.sleep(0.05)
        waiting = time.monotonic() + 10
        while receiver.in_flight < 2 and time.monotonic() < waiting:  # deliveries in flight, likely in both
            await asyncio.sleep(0.05)
        _kill(processes["worker_a"])
        _kill(processes["web_a"])
        dead.add(a)
        phases["killed"] = time.monotonic()
        receiver.slow.clear()

    async def everyone() -> None:
        runs = [_annotate(email, key, [a, b] if i % 2 else [b, a], pid, run, dead)
                for i, (_, email, key) in enumerate(annotators)]
        await asyncio.gather(chaos(), *runs)

    asyncio.run(everyone())
    phases["annotated"] = time.monotonic()
    assert processes["web_a"].poll() is not None and processes["worker_a"].poll() is not None
    assert run.after_kill, "the annotators finished before the kill"
    assert set(run.after_kill) == {201}  # the survivors kept serving

    # -- no annotation lost or doubled, no task served twice --------------------------------------
    stored = _psql(topology["db"], f"SELECT a.id, u.email, a.task_id FROM annotations a JOIN users u "
                                   f"ON u.id = a.completed_by_id WHERE a.project_id = {pid} "
                                   f"AND u.email LIKE '%@cluster.example'")
    in_db = {int(i): (email, int(task)) for i, email, task in (line.split("|") for line in stored.splitlines())}
    assert set(run.acknowledged) <= set(in_db), "an acknowledged annotation is missing"
    for annotation_id, (email, task_id) in run.acknowledged.items():
        assert in_db[annotation_id] == (email, task_id)
    unacknowledged = set(in_db) - set(run.acknowledged)
    assert len(unacknowledged) <= run.lost_answers, (unacknowledged, run.lost_answers)
    per_task = [task for _, task in in_db.values()]
    assert len(per_task) == len(set(per_task)), "a task was annotated twice (overlap 1)"
    assert all(run.served[task] == email for email, task in in_db.values())
    assert len(run.acknowledged) == len(annotators) * ROUNDS

    # -- jobs: exports through the survivor, then every tracked job ends with a reason ---------
    for _ in range(2):
        made = web_b.post(f"/api/projects/{pid}/exports", json={"title": "after the kill"})
        assert made.status_code in (200, 201), made.text
        exports.append(made.json()["id"])
    deadline = time.monotonic() + RECOVERY_BUDGET
    expected = set(in_db)  # every annotation made after the hooks were
    while True:
        statuses = [web_b.get(f"/api/projects/{pid}/exports/{e}").json()["status"] for e in exports]
        jobs = web_b.get("/api/jobs", params={"page_size": 100}).json()["results"]
        unsettled = [j for j in jobs if j["status"] in ("queued", "active")]
        missing = {hook: expected - receiver.created(hook) for hook in hooks}
        if all(s in ("completed", "failed") for s in statuses):
            phases.setdefault("exported", time.monotonic())
        if not any(missing.values()):
            phases.setdefault("delivered", time.monotonic())
        if not unsettled and all(s in ("completed", "failed") for s in statuses) and not any(missing.values()):
            break
        assert time.monotonic() < deadline, (
            f"not settled after {RECOVERY_BUDGET} s: exports {statuses}, jobs {unsettled}, "
            f"webhook deliveries missing {({h: len(m) for h, m in missing.items()})}\n"
            f"all jobs {[(j['id'], j['function'], j['status'], j['error'], j['attempts']) for j in jobs]}\n"
            f"exports {[web_b.get(f'/api/projects/{pid}/exports/{e}').json() for e in exports]}\n"
            + tail("worker_b") + tail("web_b"))
        time.sleep(1)
    print({name: round(at - phases["annotating"], 1) for name, at in phases.items()})  # seconds, for -s
    assert all(j["status"] == "complete" or (j["status"] in ("failed", "aborted") and j["error"]) for j in jobs), jobs
    assert statuses == ["completed", "completed"]  # jobs enqueued after the kill run in the survivor
    for hook, webhook_id in hooks.items():
        for status in ("pending", "failed", "cancelled"):
            log = web_b.get(f"/api/webhooks/{webhook_id}/deliveries", params={"status": status}).json()
            assert log["count"] == 0, log["results"]
        # At least once: duplicates are allowed (a delivery sent by the killed worker but not
        # recorded is sent again); a missing one is not.
        assert receiver.created(hook) >= expected

    download = web_b.get(f"/api/projects/{pid}/exports/{exports[-1]}/download?exportType=JSON")
    assert download.status_code == 200 and len(download.json()) == TASKS
    assert sum(len(t["annotations"]) for t in download.json()) == len(in_db) + 1
    receiver.server.shutdown()
