"""Issue 16: `labelloom backup` then `labelloom restore` into a fresh data dir gives the same
instance back: full JSON exports equal, uploaded media byte for byte, the secret key (so the
API tokens still work). SQLite always; PostgreSQL into a second database when one is at hand."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
from pathlib import Path

import pytest
from litestar.testing import TestClient

from labelloom.core.app import create_app
from labelloom.core.cli import main
from labelloom.core.commands import db as commands
from labelloom.core.settings import Settings
from labelloom.core.testing import postgres_url

CONFIG = """<View><Image name="img" value="$image"/>
<Choices name="kind" toName="img"><Choice value="cat"/><Choice value="dog"/></Choices></View>"""
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e5279d5a0000000049454e44ae426082"
)


def _fill(settings: Settings) -> tuple[str, str]:
    """An admin, a project with tasks, annotations and an uploaded image; returns (token, media url)."""
    asyncio.run(commands.migrate(settings))
    with TestClient(create_app(settings)) as http:
        http.post("/api/auth/setup", json={"email": "admin@example.com", "password": "correct horse battery"})
        token = http.get("/api/current-user/token").json()["token"]
        headers = {"Authorization": f"Token {token}"}
        project = http.post("/api/projects/", headers=headers, json={"title": "Backup", "label_config": CONFIG}).json()
        ids = http.post(f"/api/projects/{project['id']}/import?return_task_ids=true", headers=headers,
                        json=[{"image": f"https://example.com/{i}.png", "note": f"item {i}"} for i in range(20)]).json()["task_ids"]
        for task_id in ids[:7]:
            result = [{"from_name": "kind", "to_name": "img", "type": "choices", "value": {"choices": ["cat"]}}]
            assert http.post(f"/api/tasks/{task_id}/annotations", headers=headers, json={"result": result}).status_code == 201
        upload = http.post(f"/api/projects/{project['id']}/import", headers=headers,
                           files=[("file", ("cat.png", io.BytesIO(PNG)))])
        assert upload.status_code == 201, upload.text
        tasks = http.get("/api/tasks", params={"project": project["id"], "page_size": 100}, headers=headers).json()
        media = next(t["data"]["image"] for t in tasks["tasks"] if t["data"]["image"].startswith("/data/"))
    return token, media


def _export(settings: Settings, token: str) -> list[dict]:
    with TestClient(create_app(settings)) as http:
        response = http.get("/api/projects/1/export?exportType=JSON&download_all_tasks=true",
                            headers={"Authorization": f"Token {token}"})
        assert response.status_code == 200, response.text
        return response.json()


def _media(settings: Settings, token: str, url: str) -> bytes:
    with TestClient(create_app(settings)) as http:
        response = http.get(url, headers={"Authorization": f"Token {token}"})
        assert response.status_code == 200, response.text
        return response.content


def test_sqlite_backup_restores_into_a_fresh_data_dir(tmp_path: Path) -> None:
    source = Settings(data_dir=str(tmp_path / "source")).prepared()
    token, media = _fill(source)
    archive = tmp_path / "backups" / "labelloom.tar.gz"
    assert main(["backup", str(archive), "--data-dir", source.data_dir]) == 0
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    fresh = tmp_path / "fresh"
    assert main(["restore", str(archive), "--data-dir", str(fresh)]) == 0
    restored = Settings(data_dir=str(fresh)).prepared()
    assert restored.secret_key == source.secret_key
    exported = _export(restored, token)  # the old token works: same users, same key
    assert len(exported) == 21 and sum(len(t["annotations"]) for t in exported) == 7
    assert exported == _export(source, token)
    assert _media(restored, token, media) == PNG

    # a second restore over the live copy is refused unless forced
    assert main(["restore", str(archive), "--data-dir", str(fresh)]) == 2
    assert main(["restore", str(archive), "--data-dir", str(fresh), "--force"]) == 0
    assert _export(restored, token) == exported


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    assert main(["restore", str(junk), "--data-dir", str(tmp_path / "d")]) == 2


@pytest.mark.postgresql
def test_postgresql_backup_restores_into_another_database(tmp_path: Path) -> None:
    url = postgres_url()
    if url is None:
        pytest.skip("PostgreSQL is not available")
    # a database of its own beside the test database, made and dropped here
    base, _, name = url.rpartition("/")
    copy_name = f"{name}_restore"
    admin_url = url.replace("+psycopg", "")
    subprocess.run(["psql", admin_url, "-c", f"DROP DATABASE IF EXISTS {copy_name}"], check=True, capture_output=True)
    subprocess.run(["psql", admin_url, "-c", f"CREATE DATABASE {copy_name}"], check=True, capture_output=True)
    try:
        source_db = f"{base}/{name}_backup_source"
        subprocess.run(["psql", admin_url, "-c", f"DROP DATABASE IF EXISTS {name}_backup_source"], check=True,
                       capture_output=True)
        subprocess.run(["psql", admin_url, "-c", f"CREATE DATABASE {name}_backup_source"], check=True,
                       capture_output=True)
        source = Settings(data_dir=str(tmp_path / "source"), database_url=source_db).prepared()
        token, media = _fill(source)
        archive = tmp_path / "pg.tar.gz"
        assert main(["backup", str(archive), "--data-dir", source.data_dir, "--database-url", source_db]) == 0
        target_url = f"{base}/{copy_name}"
        assert main(["restore", str(archive), "--data-dir", str(tmp_path / "fresh"), "--database-url", target_url]) == 0
        restored = Settings(data_dir=str(tmp_path / "fresh"), database_url=target_url).prepared()
        assert _export(restored, token) == _export(source, token)
        assert _media(restored, token, media) == PNG
    finally:
        for db in (copy_name, f"{name}_backup_source"):
            subprocess.run(["psql", admin_url, "-c", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"], capture_output=True)


if os.environ.get("CI") == "true":  # pragma: no cover - the tools ship with the PostgreSQL service
    assert subprocess.run(["pg_dump", "--version"], capture_output=True).returncode == 0
