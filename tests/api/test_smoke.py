async def test_health(client):
    r = await client.get("/health")
    assert r.json() == {"status": "UP"}

async def test_admin(client, admin):
    r = await client.get("/api/current-user/whoami", headers=admin.headers)
    assert r.json()["email"] == admin.email
