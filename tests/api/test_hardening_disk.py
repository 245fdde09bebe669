"""Issue 16, finding 7: a disk that refuses a write (full, over quota, read-only) is a 507 that
says what could not be written, never an anonymous 500, and the request changes nothing."""

from __future__ import annotations

import errno
import io
from pathlib import Path
from types import SimpleNamespace

from labelloom.core.imports import media


async def test_a_full_disk_during_an_upload_is_507_naming_the_file(client, admin, project, monkeypatch):
    written = []

    def full_disk(source, target, length=0):
        target.write(b"text\n")  # part of the file made it to disk
        target.flush()
        written.append(Path(target.name))
        raise OSError(errno.ENOSPC, "No space left on device", target.name)

    monkeypatch.setattr(media, "shutil", SimpleNamespace(copyfileobj=full_disk))
    pid = project["id"]
    r = await client.post(f"/api/projects/{pid}/import", headers=admin.headers,
                          files=[("file", ("reviews.csv", io.BytesIO(b"text\nnice\n")))])
    assert r.status_code == 507, r.text
    assert "No space left on device" in r.json()["detail"]
    assert "reviews.csv" in r.json()["detail"]
    assert "/" not in r.json()["detail"].split("write ", 1)[1].split(":")[0]  # the name, not the server's path
    assert (await client.get(f"/api/projects/{pid}", headers=admin.headers)).json()["task_number"] == 0
    assert (await client.get(f"/api/projects/{pid}/file-uploads", headers=admin.headers)).json() == []
    assert written and not written[0].exists()  # the partial file is gone too


async def test_a_read_only_disk_is_507_too(client, admin, project, monkeypatch):
    def read_only(source, target, length=0):
        raise OSError(errno.EROFS, "Read-only file system", target.name)

    monkeypatch.setattr(media, "shutil", SimpleNamespace(copyfileobj=read_only))
    r = await client.post(f"/api/projects/{project['id']}/import", headers=admin.headers,
                          files=[("file", ("a.txt", io.BytesIO(b"hello\n")))])
    assert r.status_code == 507, r.text
    assert "Read-only file system" in r.json()["detail"]
