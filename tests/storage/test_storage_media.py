"""Storage URIs in task data (nested too) resolve to /data/storage/{id}/resolve/ links, answered by
a presigned redirect or by the bytes proxied with Range; no storage, no file."""

from __future__ import annotations

import base64

from . import memstore
from .conftest import task_list

PNG = bytes(range(256)) * 40  # 10240 bytes


async def setup_project(client, admin, project, *, presign):
    memstore.BUCKETS["b"] = {"img/cat.png": PNG}
    response = await client.post("/api/storages/mem", json={"project": project, "bucket": "b", "presign": presign,
                                                            "presign_ttl": 5}, headers=admin.headers)
    assert response.status_code == 201, response.text
    created = await client.post(f"/api/projects/{project}/import", headers=admin.headers, json=[
        {"image": "mem://b/img/cat.png", "extra": {"frames": ["mem://b/img/cat.png", "https://example.com/x.png"]}},
    ])
    assert created.status_code == 201, created.text
    return (await task_list(client, admin, project))[0]


def fileuri(link: str) -> str:
    return link.partition("fileuri=")[2]


async def test_uris_resolve_anywhere_in_the_data(client, admin, project):
    task = await setup_project(client, admin, project, presign=True)
    link = task["data"]["image"]
    assert link.startswith(f"/data/storage/{project}/resolve/?fileuri=")
    assert base64.urlsafe_b64decode(fileuri(link) + "==").decode() == "mem://b/img/cat.png"
    frames = task["data"]["extra"]["frames"]
    assert frames[0] == link and frames[1] == "https://example.com/x.png"
    raw = (await client.get(f"/api/tasks/{task['id']}/?resolve_uri=false", headers=admin.headers)).json()
    assert raw["data"]["image"] == "mem://b/img/cat.png"


async def test_presign_redirects(client, admin, project):
    task = await setup_project(client, admin, project, presign=True)
    response = await client.get(task["data"]["image"], headers=admin.headers, follow_redirects=False)
    assert response.status_code == 303, (response.headers, response.content[:200])
    assert response.headers["location"] == "https://mem.example/b/img/cat.png?ttl=300"
    by_task = await client.get(f"/tasks/{task['id']}/resolve/?fileuri={fileuri(task['data']['image'])}",
                               headers=admin.headers, follow_redirects=False)
    assert by_task.status_code == 303


async def test_proxy_streams_bytes_and_ranges(client, admin, project):
    task = await setup_project(client, admin, project, presign=False)
    link = task["data"]["image"]
    whole = await client.get(link, headers=admin.headers)
    assert whole.status_code == 200 and whole.content == PNG
    assert whole.headers["content-type"] == "image/png" and whole.headers["accept-ranges"] == "bytes"
    part = await client.get(link, headers={**admin.headers, "Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == PNG[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(PNG)}"
    tail = await client.get(link, headers={**admin.headers, "Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == PNG[-10:]
    open_ended = await client.get(link, headers={**admin.headers, "Range": "bytes=10000-"})
    assert open_ended.status_code == 206 and open_ended.content == PNG[10000:]


async def test_no_storage_no_file_and_sign_in_required(client, admin, project):
    task = await setup_project(client, admin, project, presign=False)
    other = base64.urlsafe_b64encode(b"mem://elsewhere/x.png").decode()
    missing = await client.get(f"/data/storage/{project}/resolve/?fileuri={other}", headers=admin.headers)
    assert missing.status_code == 404 and "No storage of this project" in missing.json()["detail"]
    bad = await client.get(f"/data/storage/{project}/resolve/?fileuri=%%%", headers=admin.headers)
    assert bad.status_code == 400
    anonymous = await client.get(task["data"]["image"])
    assert anonymous.status_code == 401
    # another project's storage does not serve this project's links
    second = await client.post("/api/projects/", json={"title": "Other"}, headers=admin.headers)
    foreign = await client.get(f"/data/storage/{second.json()['id']}/resolve/?fileuri={fileuri(task['data']['image'])}",
                               headers=admin.headers)
    assert foreign.status_code == 404
