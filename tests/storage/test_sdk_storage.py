"""label-studio-sdk's storage calls, unchanged, against a live server with local files."""

from __future__ import annotations

import json
import time

import pytest
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError

from .conftest import IMAGE_CONFIG, TERMINAL


@pytest.fixture
def ls(live_server, files_root):
    admin = live_server.sign_up_admin()
    return LabelStudio(base_url=live_server.url, api_key=admin.token)


def wait(get):
    deadline = time.monotonic() + 30
    while (storage := get()).status not in TERMINAL:
        assert time.monotonic() < deadline, storage
        time.sleep(0.1)
    return storage


def test_sdk_import_and_export_storage_flows(ls, files_root):
    folder = files_root / "images"
    folder.mkdir()
    for name in ("a.jpg", "b.jpg", "c.txt"):
        (folder / name).write_bytes(b"x")
    out = files_root / "out"
    out.mkdir()
    project = ls.projects.create(title="SDK storage", label_config=IMAGE_CONFIG)

    assert "localfiles" in {t.name for t in ls.import_storage.list_types()}
    assert "localfiles" in {t.name for t in ls.export_storage.list_types()}
    ls.import_storage.local.validate(project=project.id, path=str(folder))
    with pytest.raises(ApiError) as info:
        ls.import_storage.local.validate(project=project.id, path=str(files_root / "nope"))
    assert info.value.status_code == 400

    storage = ls.import_storage.local.create(project=project.id, path=str(folder), title="Pics",
                                             regex_filter=r".*\.jpg", use_blob_urls=True)
    assert storage.id and storage.path == str(folder) and storage.title == "Pics"
    assert [s.id for s in ls.import_storage.local.list(project=project.id)] == [storage.id]
    ls.import_storage.local.update(id=storage.id, title="Pictures")
    assert ls.import_storage.local.get(id=storage.id).title == "Pictures"

    synced = ls.import_storage.local.sync(id=storage.id)
    assert synced.status in {"queued", "in_progress", "completed"}
    done = wait(lambda: ls.import_storage.local.get(id=storage.id))
    assert (done.status, done.last_sync_count) == ("completed", 2)
    tasks = list(ls.tasks.list(project=project.id))
    assert sorted(t.data["image"] for t in tasks) == ["/data/local-files/?d=images/a.jpg", "/data/local-files/?d=images/b.jpg"]
    ls.import_storage.local.sync(id=storage.id)
    assert wait(lambda: ls.import_storage.local.get(id=storage.id)).last_sync_count == 0

    target = ls.export_storage.local.create(project=project.id, path=str(out), title="Annotations")
    assert [s.id for s in ls.export_storage.local.list(project=project.id)] == [target.id]
    result = [{"from_name": "c", "to_name": "image", "type": "choices", "value": {"choices": ["Cat"]}}]
    annotation = ls.annotations.create(id=tasks[0].id, result=result)
    deadline = time.monotonic() + 15
    while not (out / str(annotation.id)).exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert json.loads((out / str(annotation.id)).read_text())["result"] == result
    ls.export_storage.local.sync(id=target.id)
    assert wait(lambda: ls.export_storage.local.get(id=target.id)).last_sync_count == 1

    ls.import_storage.local.delete(id=storage.id)
    ls.export_storage.local.delete(id=target.id)
    assert list(ls.import_storage.local.list(project=project.id)) == []
