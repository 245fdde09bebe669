"""Organization memberships and roles: the open-edition default, changing roles, the rules
that keep an organization administrable."""

from __future__ import annotations

from .conftest import make_member


async def test_open_edition_default_everyone_may_do_everything(client, admin):
    plain = await make_member(client, admin, "plain@example.com", None)
    mine = (await client.get("/api/current-user/permissions", headers=plain.headers)).json()
    assert mine["role"] == "MA" and mine["all_projects"] is True
    # a plain user creates and sees projects as before roles existed
    created = await client.post("/api/projects/", headers=plain.headers, json={"title": "Mine"})
    assert created.status_code == 201
    owner = (await client.get("/api/current-user/permissions", headers=admin.headers)).json()
    assert owner["role"] == "OW" and "organization.manage" in owner["permissions"]


async def test_memberships_list_in_label_studio_shape_with_role_filter(client, admin, people):
    body = (await client.get("/api/organizations/1/memberships", headers=admin.headers)).json()
    assert body["count"] == 5
    first = body["results"][0]
    assert set(first) >= {"id", "organization", "user", "role"} and first["organization"] == 1
    assert first["user"]["email"] == admin.email and first["role"] == "OW"
    filtered = (await client.get("/api/organizations/1/memberships?role=AN,RE", headers=admin.headers)).json()
    assert sorted(m["role"] for m in filtered["results"]) == ["AN", "RE"]
    one = (await client.get(f"/api/organizations/1/memberships/{people['AN'].id}", headers=admin.headers)).json()
    assert one["role"] == "AN" and one["role_source"] == "organization"


async def test_bad_role_and_organization_are_client_errors(client, admin, people):
    bad = await client.patch("/api/organizations/1/memberships", headers=admin.headers,
                             json={"user_id": people["AN"].id, "role": "XX"})
    assert bad.status_code == 400 and "role" in bad.json()["validation_errors"]
    missing = await client.patch("/api/organizations/1/memberships", headers=admin.headers,
                                 json={"user_id": 99999, "role": "AN"})
    assert missing.status_code == 400
    assert (await client.get("/api/organizations/7/memberships", headers=admin.headers)).status_code == 404
    assert (await client.get("/api/organizations/1/memberships?role=ZZ", headers=admin.headers)).status_code == 400


async def test_only_owner_grants_owner_and_nobody_demotes_themselves(client, admin, people):
    administrator = people["AD"]
    refused = await client.patch("/api/organizations/1/memberships", headers=administrator.headers,
                                 json={"user_id": people["MA"].id, "role": "OW"})
    assert refused.status_code == 403
    ok = await client.patch("/api/organizations/1/memberships", headers=administrator.headers,
                            json={"user_id": people["MA"].id, "role": "RE"})
    assert ok.status_code == 200 and ok.json()["role"] == "RE"
    myself = await client.patch("/api/organizations/1/memberships", headers=admin.headers,
                                json={"user_id": admin.id, "role": "AN"})
    assert myself.status_code == 409
    # a manager may not manage roles at all
    manager = await make_member(client, admin, "m2@example.com", "MA")
    assert (await client.patch("/api/organizations/1/memberships", headers=manager.headers,
                               json={"user_id": people["AN"].id, "role": "RE"})).status_code == 403


async def test_admin_role_keeps_superuser_flag_in_step(client, admin, people):
    await client.patch("/api/organizations/1/memberships", headers=admin.headers,
                       json={"user_id": people["AN"].id, "role": "AD"})
    user = (await client.get(f"/api/users/{people['AN'].id}", headers=admin.headers)).json()
    assert user["is_superuser"] is True
    await client.patch("/api/organizations/1/memberships", headers=admin.headers,
                       json={"user_id": people["AN"].id, "role": "AN"})
    user = (await client.get(f"/api/users/{people['AN'].id}", headers=admin.headers)).json()
    assert user["is_superuser"] is False


async def test_deactivated_member_cannot_sign_in_and_reactivates(client, admin, people):
    annotator = people["AN"]
    gone = await client.delete(f"/api/organizations/1/memberships/{annotator.id}", headers=admin.headers)
    assert gone.status_code == 204
    assert (await client.get("/api/current-user/whoami", headers=annotator.headers)).status_code == 401
    listed = (await client.get(f"/api/organizations/1/memberships/{annotator.id}", headers=admin.headers)).json()
    assert listed["role"] == "DI"
    back = await client.patch("/api/organizations/1/memberships", headers=admin.headers,
                              json={"user_id": annotator.id, "role": "AN"})
    assert back.status_code == 200
    assert (await client.get("/api/current-user/whoami", headers=annotator.headers)).status_code == 200


async def test_default_role_for_new_users_is_configurable(client, admin):
    assert (await client.get("/api/organizations/1", headers=admin.headers)).json()["default_role"] == "MA"
    changed = await client.patch("/api/organizations/1", headers=admin.headers, json={"default_role": "AN"})
    assert changed.status_code == 200 and changed.json()["default_role"] == "AN"
    newcomer = await make_member(client, admin, "new@example.com", None)
    mine = (await client.get("/api/current-user/permissions", headers=newcomer.headers)).json()
    assert mine["role"] == "AN" and mine["all_projects"] is False
    assert (await client.get("/api/projects/", headers=newcomer.headers)).json()["count"] == 0
    refused = await client.patch("/api/organizations/1", headers=admin.headers, json={"default_role": "OW"})
    assert refused.status_code == 400


async def test_last_owner_or_admin_cannot_be_demoted(client, admin, people):
    # two admin-level people exist (owner, administrator); demote the administrator: fine
    ok = await client.patch("/api/organizations/1/memberships", headers=admin.headers,
                            json={"user_id": people["AD"].id, "role": "MA"})
    assert ok.status_code == 200
