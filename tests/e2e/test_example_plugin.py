"""The plugin API proven from outside the tree: Labelloom's wheel and the example plugin's wheel
(examples/labelloom-code) installed, without extras, into a fresh virtual environment; the
installed ``labelloom start`` serves the plugin's tag, widget, template and export format, and
an annotator labels a line range in Chromium. With ``LABELLOOM_DISABLE_PLUGINS=code`` the same
installation starts and a config using ``<Code>`` names the plugin to enable."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.e2e.labeling import open_labeling

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "labelloom-code"
EMAIL, PASSWORD = "admin@example.com", "correct horse battery"

CONFIG = """<View>
  <CodeLabels name="review" toName="code">
    <Label value="Bug" background="#e5484d"/><Label value="Smell" background="#f5a524"/>
  </CodeLabels>
  <Code name="code" value="$code" language="python"/>
</View>"""

SOURCE = '''import json


def load(path):
    with open(path) as handle:
        data = json.load(handle)
    return data["items"]  # KeyError when the file has no items


def total(items):
    return sum(item["price"] for item in items)
'''


def _run(*args: Any, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def _uv() -> str:
    found = Path(sys.executable).parent / "uv"
    return str(found) if found.exists() else shutil.which("uv") or pytest.fail("uv is needed to build the test venv")


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with both wheels, no extras. Pinned to the versions of the running
    environment, so uv's cache (offline) usually has everything."""
    tmp = tmp_path_factory.mktemp("example-plugin")
    wheels = tmp / "wheels"
    _run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", wheels, ROOT)
    # The example is built from a copy: its build/ and egg-info stay out of the checkout.
    source = tmp / "labelloom-code"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("tests", "build", "*.egg-info", "__pycache__", "types", "node_modules"))
    _run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", wheels, source)
    built = sorted(wheels.glob("*.whl"))
    assert [w.name.split("-")[0] for w in built] == ["labelloom", "labelloom_code"]
    assert "labelloom_code/static/widgets/code.js" in zipfile.ZipFile(built[1]).namelist()
    assert "labelloom/web/static/sdk.d.ts" in zipfile.ZipFile(built[0]).namelist()

    uv = _uv()
    env = tmp / "venv"
    _run(uv, "venv", "-q", "--python", sys.executable, env)
    frozen = _run(uv, "pip", "freeze", "--python", sys.executable).stdout.splitlines()
    pins = tmp / "pins.txt"
    pins.write_text("\n".join(line for line in frozen if "==" in line and not line.startswith("labelloom")) + "\n")
    install = [uv, "pip", "install", "-q", "--python", env / "bin" / "python", "-c", pins, *built]
    if subprocess.run([str(a) for a in [*install, "--offline"]], capture_output=True).returncode != 0:
        _run(*install)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    url: str
    data_dir: Path
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}"}


@pytest.fixture(scope="module")
def start(venv: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """``start(**env)`` runs the venv's ``labelloom start`` on a free port until the module ends."""
    processes: list[subprocess.Popen[bytes]] = []

    def run(**extra_env: str) -> Served:
        data_dir = tmp_path_factory.mktemp("data")
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("LABELLOOM_")}
        env.update(extra_env)
        log = open(data_dir / "server.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [str(venv / "bin" / "labelloom"), "start", "--host", "127.0.0.1", "--port", str(port),
             "--data-dir", str(data_dir), "--username", EMAIL, "--password", PASSWORD],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=data_dir,
        )
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"labelloom start exited:\n{(data_dir / 'server.log').read_text()}")
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"labelloom start did not answer /health:\n{(data_dir / 'server.log').read_text()}")
            time.sleep(0.2)
        with httpx.Client(base_url=url) as http:
            assert http.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD}).status_code == 200
            token = http.get("/api/current-user/token").json()["token"]
        return Served(url, data_dir, token)

    yield run
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def served(start: Any) -> Served:
    return start()


def test_the_installed_cli_lists_the_plugin(venv: Path, served: Served) -> None:
    out = _run(venv / "bin" / "labelloom", "plugins", "--data-dir", served.data_dir).stdout
    assert "code 0.1.0 (labelloom-code)" in out
    assert "data types: Code" in out and "exporters: CODE_RANGES" in out
    # the SDK's declarations, for type-checking widgets in the plugin's own repository
    _run(venv / "bin" / "labelloom", "sdk-types", served.data_dir / "types")
    written = served.data_dir / "types" / "@labelloom" / "sdk"
    assert (written / "index.d.ts").read_text() == (ROOT / "web" / "static" / "sdk.d.ts").read_text()
    assert json.loads((written / "package.json").read_text())["types"] == "index.d.ts"


def test_the_server_offers_the_widget_and_the_template(served: Served) -> None:
    with httpx.Client(base_url=served.url, headers=served.headers) as http:
        plugins = http.get("/api/plugins").json()
        assert plugins["tags"]["Code"]["plugin"] == "code"
        module = plugins["tags"]["Code"]["module"]
        assert module.split("?")[0] == "/static/plugins/code/widgets/code.js"
        script = http.get(module)
        assert script.status_code == 200 and "javascript" in script.headers["content-type"]
        assert 'from "@labelloom/sdk"' in script.text
        templates = http.get("/api/templates").json()["templates"]
        assert "Code review: label line ranges" in {t["title"] for t in templates}


async def test_label_a_line_range_in_the_browser_and_export_it(served: Served, page: Any, shot: Any) -> None:
    with httpx.Client(base_url=served.url, headers=served.headers) as http:
        project = http.post("/api/projects/", json={"title": "Code review", "label_config": CONFIG}).json()
        response = http.post(f"/api/projects/{project['id']}/import?return_task_ids=true", json=[{"data": {"code": SOURCE}}])
        assert response.status_code == 201, response.text
        task_id = response.json()["task_ids"][0]
        formats = http.get(f"/api/projects/{project['id']}/export/formats").json()
        assert "CODE_RANGES" in {f["name"] for f in formats if not f.get("disabled")}

    response = await page.request.post(f"{served.url}/api/auth/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.ok, await response.text()
    await open_labeling(page, f"{served.url}/projects/{project['id']}/label")
    code = page.locator('.cd[data-object="code"]')
    line = lambda n: code.locator(f'.cd-line[data-line="{n}"]')  # noqa: E731
    await expect(line(7)).to_contain_text('return data["items"]')

    # Arm "Bug" with its chip, click line 4 (a one-line range), shift-click line 7: lines 4-7.
    await page.locator(".ll-chip", has_text="Bug").click()
    await line(4).locator(".cd-src").click()
    await line(7).locator(".cd-src").click(modifiers=["Shift"])
    bug = code.locator(".cd-tag", has_text="Bug")
    await expect(bug).to_contain_text("L4–7")
    await expect(code.locator(".cd-tag")).to_have_count(1)

    # Arm "Smell" with its hotkey (2) and drag over lines 10-11.
    await page.keyboard.press("2")
    box10, box11 = await line(10).bounding_box(), await line(11).bounding_box()
    await page.mouse.move(box10["x"] + 120, box10["y"] + 5)
    await page.mouse.down()
    await page.mouse.move(box11["x"] + 120, box11["y"] + 8, steps=4)
    await page.mouse.up()
    smell = code.locator(".cd-tag", has_text="Smell")
    await expect(smell).to_contain_text("L10–11")

    # Lines first, label second: "Smell" stayed armed ("Keep label selected"), 2 disarms it; the
    # picked line waits for a label. Then that range is selected by its tag and deleted.
    await page.keyboard.press("2")
    await line(1).locator(".cd-src").click()
    await expect(code.locator(".cd-status")).to_contain_text("Now pick a label")
    await expect(line(1)).to_have_class(re.compile(r"\bis-pending\b"))
    await page.keyboard.press("2")
    await expect(code.locator(".cd-tag")).to_have_count(3)
    await line(1).locator(".cd-tag").click()
    await expect(code.locator(".cd-tag.is-selected")).to_have_text("SmellL1")
    await page.keyboard.press("Backspace")
    await expect(code.locator(".cd-tag")).to_have_count(2)

    await bug.click()  # selected: its lines tinted more strongly, its bar wider
    await expect(line(5)).to_have_class(re.compile(r"\bis-selected\b"))
    await page.mouse.move(600, 800)  # no hover in the pictures
    await shot(page, "code-plugin-light")
    await page.evaluate("() => document.documentElement.dataset.theme = 'dark'")
    await shot(page, "code-plugin-dark")
    await page.evaluate("() => document.documentElement.dataset.theme = 'light'")

    await page.get_by_role("button", name="Submit", exact=True).click()
    with httpx.Client(base_url=served.url, headers=served.headers) as http:
        for _ in range(50):
            annotations = http.get(f"/api/tasks/{task_id}/annotations/").json()
            if annotations:
                break
            await page.wait_for_timeout(100)
        assert len(annotations) == 1
        results = sorted(annotations[0]["result"], key=lambda r: r["value"]["start"])
        assert [{k: r[k] for k in ("from_name", "to_name", "type", "value")} for r in results] == [
            {"from_name": "review", "to_name": "code", "type": "codelabels", "value": {"start": 4, "end": 7, "codelabels": ["Bug"]}},
            {"from_name": "review", "to_name": "code", "type": "codelabels", "value": {"start": 10, "end": 11, "codelabels": ["Smell"]}},
        ]

        response = http.get(f"/api/projects/{project['id']}/export", params={"exportType": "CODE_RANGES"})
        assert response.status_code == 200, response.text
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == [f"{task_id}.json"]
    document = json.loads(archive.read(f"{task_id}.json"))
    lines = SOURCE.split("\n")
    assert [(r["label"], r["start"], r["end"], r["lines"]) for r in document["annotations"][0]["ranges"]] == [
        ("Bug", 4, 7, "\n".join(lines[3:7])),
        ("Smell", 10, 11, "\n".join(lines[9:11])),
    ]


def test_a_disabled_plugin_is_named_when_a_config_needs_it(start: Any) -> None:
    disabled = start(LABELLOOM_DISABLE_PLUGINS="code")
    with httpx.Client(base_url=disabled.url, headers=disabled.headers) as http:
        assert "Code" not in http.get("/api/plugins").json()["tags"]
        response = http.post("/api/projects/validate/", json={"label_config": CONFIG})
    assert response.status_code == 400, response.text
    messages = [e["message"] for e in response.json()["config_issues"]]
    assert 'tag <Code> needs plugin "code", which is not enabled' in messages
