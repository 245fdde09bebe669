"""Every error is JSON with a detail; unknown API paths are JSON 404s; big bodies get a 413."""

from litestar.testing import AsyncTestClient


async def test_unknown_api_path_is_json_404(client, admin):
    r = await client.get("/api/does-not-exist/", headers=admin.headers)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["detail"]


async def test_malformed_json_is_a_400(client, admin):
    r = await client.post("/api/users/", headers={**admin.headers, "Content-Type": "application/json"}, content=b"{")
    assert r.status_code == 400 and r.json()["detail"]


async def test_body_too_large_is_a_413(make_app, admin):
    async with AsyncTestClient(make_app(max_request_body=1024)) as client:
        r = await client.post("/api/users/", headers=admin.headers, json={"email": "x@example.com", "first_name": "x" * 5000})
    assert r.status_code == 413
    assert r.json()["detail"]


async def test_version_and_openapi(client):
    version = (await client.get("/api/version/")).json()
    assert version["release"] and "image" in version["labelloom"]["plugins"]
    schema = (await client.get("/docs/openapi.json")).json()
    assert "/api/current-user/whoami" in schema["paths"]
