"""Issue 16: schemathesis over every operation of the app's OpenAPI schema, valid and invalid
input alike, against a live server on SQLite and PostgreSQL: no response may be a 5xx.

Deterministic (hypothesis derandomized, no example database) and bounded: a fixed number of
examples per operation and generation mode (LABELLOOM_FUZZ_EXAMPLES, default 2). The server has
no background workers (queued jobs only), generous sign-in limits (the fuzzer signs in wrongly
on purpose), and a few real rows so that small ids hit something. When an operation locks the
fuzzing administrator out (a changed email, a rotated token), a fresh administrator is made
directly in the database and fuzzing goes on.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from labelloom.core.commands import db as commands
from labelloom.core.testing import LiveServer

EXAMPLES = int(os.environ.get("LABELLOOM_FUZZ_EXAMPLES", "2"))
# 5xx found in routes owned by work in progress elsewhere, reported there; each entry is an
# operation whose 5xx is tolerated (printed, not failed) until its fix lands. Keep this short.
KNOWN_ELSEWHERE: dict[str, str] = {}
CONFIG = """<View><Text name="text" value="$text"/>
<Choices name="label" toName="text"><Choice value="A"/><Choice value="B"/></Choices></View>"""


def _seed(base_url: str, headers: dict[str, str]) -> None:
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as http:
        project = http.post("/api/projects", json={"title": "Fuzz", "label_config": CONFIG}).json()
        ids = http.post(f"/api/projects/{project['id']}/import?return_task_ids=true",
                        json=[{"text": "one"}, {"text": "two"}, {"text": "three"}]).json()["task_ids"]
        result = [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": ["A"]}}]
        http.post(f"/api/tasks/{ids[0]}/annotations", json={"result": result})
        http.post("/api/predictions", json={"task": ids[1], "result": result, "model_version": "v1"})
        http.post("/api/dm/views", json={"project": project["id"], "data": {}})


class Fuzzer:
    def __init__(self, server: LiveServer, settings_: Any, headers: dict[str, str]) -> None:
        self.server = server
        self.settings = settings_
        self.headers = headers
        self.failures: list[str] = []
        self.known: set[str] = set()

    def still_signed_in(self) -> bool:
        return httpx.get(self.server.url + "/api/current-user", headers=self.headers).status_code == 200

    def new_admin(self) -> None:
        email = f"fuzz-{time.time_ns()}@example.com"
        asyncio.run(commands.create_user(self.settings, email, "a long fuzzing password", admin=True))
        self.headers["Authorization"] = "Token " + asyncio.run(commands.user_token(self.settings, email))

    def run(self, operation: Any, mode: GenerationMode) -> None:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
            suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate],
        )
        def fuzz(case: Any) -> None:
            try:
                response = case.call(base_url=self.server.url, headers=dict(self.headers), timeout=60)
            except Exception as exc:  # a dropped connection is a server fault too
                self.failures.append(f"{operation.label} [{mode.value}]: {exc!r}\n    {case.as_curl_command()[:600]}")
                return
            if response.status_code >= 500:
                if operation.label in KNOWN_ELSEWHERE:
                    self.known.add(operation.label)
                    return
                self.failures.append(
                    f"{operation.label} [{mode.value}]: {response.status_code} {response.text[:200]}\n"
                    f"    {case.as_curl_command()[:600]}"
                )

        try:
            fuzz()
        except Unsatisfiable:
            pass  # an operation without parameters has no invalid form
        if not self.still_signed_in():
            self.new_admin()


@pytest.fixture
def fuzz_server(make_app, make_settings):
    settings_ = make_settings(workers=0, login_failures_per_account=10**9, login_failures_per_address=10**9)
    from labelloom.core.app import create_app

    with LiveServer(create_app(settings_)) as server:
        yield server, settings_


def test_no_operation_answers_5xx(fuzz_server):
    server, settings_ = fuzz_server
    logging.getLogger("labelloom").setLevel(logging.CRITICAL)  # 5xx are collected, not logged
    admin = server.sign_up_admin()
    fuzzer = Fuzzer(server, settings_, dict(admin.headers))
    _seed(server.url, fuzzer.headers)
    schema = schemathesis.openapi.from_url(server.url + "/docs/openapi.json")
    operations = sorted((result.ok() for result in schema.get_all_operations()), key=lambda op: op.label)
    assert len(operations) > 100  # the whole API, plugins' routes included
    for operation in operations:
        for mode in GenerationMode:
            fuzzer.run(operation, mode)
    for label in sorted(fuzzer.known):
        print(f"known 5xx (tolerated, fixed elsewhere): {label}: {KNOWN_ELSEWHERE[label]}")
    assert not fuzzer.failures, f"{len(fuzzer.failures)} server errors:\n" + "\n".join(fuzzer.failures)
