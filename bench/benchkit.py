"""What the HTTP benchmarks share: a Labelloom server started for them, a signed-in client, and
the whole process tree's memory and CPU time read from /proc (a server is a supervisor plus
workers; figures for one process would miss most of it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import httpx

TICKS = os.sysconf("SC_CLK_TCK")
USER, PASSWORD = "bench@example.com", "bench password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load() -> str:
    return "load %.2f %.2f %.2f" % os.getloadavg()


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants (children of children too)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(parents.get(pid, []))
    return tree


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time so far: a figure other programs on a busy machine disturb far
    less than wall time."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
        except (OSError, IndexError, ValueError):
            pass
    return total / TICKS


class PeakRss(threading.Thread):
    """Samples the whole tree's RSS every 20 ms (re-reading the tree: workers may come and go)."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root, self.running = root, True
        self.peak = rss_mb(process_tree(root))

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mb(process_tree(self.root)))
            time.sleep(0.02)

    def stop(self) -> float:
        self.running = False
        self.join()
        return self.peak


def start(database_url: str | None, data_dir: str) -> tuple[subprocess.Popen, str]:
    """``labelloom start`` on a free port with the bench user; returns the process and its URL."""
    port = free_port()
    env = {**os.environ, "LABELLOOM_DATA_DIR": data_dir}
    if database_url:
        env["LABELLOOM_DATABASE_URL"] = database_url
    proc = subprocess.Popen(
        [sys.executable, "-m", "labelloom.core.cli", "start", "--port", str(port), "--username", USER,
         "--password", PASSWORD],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/health").status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def signed_in(url: str, timeout: float = 600) -> httpx.Client:
    """A client of the bench server carrying the bench user's API token."""
    client = httpx.Client(base_url=url, timeout=timeout)
    client.post("/api/auth/login", json={"email": USER, "password": PASSWORD})
    token = client.get("/api/current-user/token").json()["token"]
    client.cookies.clear()
    client.headers["Authorization"] = f"Token {token}"
    return client
