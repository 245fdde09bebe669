"""Users API: Label Studio's shapes; administrators manage accounts."""


async def test_admin_creates_and_lists_users(client, admin):
    r = await client.post("/api/users/", headers=admin.headers,
                          json={"email": "Ann@Example.com", "first_name": "Ann", "password": "a fine password"})
    assert r.status_code == 201
    ann = r.json()
    assert ann["email"] == "ann@example.com" and ann["username"] == "ann" and ann["initials"] == "a"
    users = (await client.get("/api/users/", headers=admin.headers)).json()
    assert [u["email"] for u in users] == [admin.email, "ann@example.com"]
    got = (await client.get(f"/api/users/{ann['id']}/", headers=admin.headers)).json()
    assert got == ann


async def test_non_admin_cannot_manage_others(client, admin):
    r = await client.post("/api/users/", headers=admin.headers, json={"email": "bob@example.com", "password": "bob's password"})
    bob_id = r.json()["id"]
    login = await client.post("/api/auth/login", json={"email": "bob@example.com", "password": "bob's password"})
    csrf = {"X-CSRFToken": login.json()["csrf_token"]}
    assert (await client.post("/api/users/", headers=csrf, json={"email": "eve@example.com"})).status_code == 403
    assert (await client.patch(f"/api/users/{admin.id}/", headers=csrf, json={"first_name": "X"})).status_code == 403
    promote = await client.patch(f"/api/users/{bob_id}/", headers=csrf, json={"is_superuser": True})
    assert promote.status_code == 400
    mine = await client.patch(f"/api/users/{bob_id}/", headers=csrf, json={"last_name": "Builder"})
    assert mine.status_code == 200 and mine.json()["last_name"] == "Builder"


async def test_validation_errors_name_the_field(client, admin):
    r = await client.post("/api/users/", headers=admin.headers, json={"email": "not-an-email"})
    assert r.status_code == 400
    assert r.json()["validation_errors"] == {"email": ["Enter a valid email address."]}
    missing = await client.post("/api/users/", headers=admin.headers, json={"first_name": "x"})
    assert missing.status_code == 400 and "email" in missing.json()["detail"]
    wrong_type = await client.post("/api/users/", headers=admin.headers, json={"email": 5})
    assert wrong_type.status_code == 400
    dup = await client.post("/api/users/", headers=admin.headers, json={"email": admin.email})
    assert dup.status_code == 400 and "email" in dup.json()["validation_errors"]
    users = (await client.get("/api/users/", headers=admin.headers)).json()
    assert len(users) == 1  # nothing was created by the refused requests


async def test_delete_user(client, admin):
    r = await client.post("/api/users/", headers=admin.headers, json={"email": "c@example.com"})
    assert (await client.delete(f"/api/users/{r.json()['id']}/", headers=admin.headers)).status_code == 204
    assert (await client.get(f"/api/users/{r.json()['id']}/", headers=admin.headers)).status_code == 404
    assert (await client.delete(f"/api/users/{admin.id}/", headers=admin.headers)).status_code == 409
