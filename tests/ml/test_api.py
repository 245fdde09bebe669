"""``/api/ml`` against a real label-studio-ml server: CRUD, state, webhook, validation."""

from __future__ import annotations

from typing import Any

from .conftest import connect


async def test_connect_reports_connected_and_the_model_version(client: Any, admin: Any, project: Any, model_server: Any) -> None:
    backend = await connect(client, admin, project.id, model_server.url, title="tiny", is_interactive=True)
    assert backend["state"] == "CO", backend
    assert backend["readable_state"] == "Connected"
    assert backend["error_message"] is None
    assert backend["model_version"]  # the server's version ("INITIAL" before any training)
    assert backend["is_interactive"] is True and backend["project"] == project.id
    # The project shows the backend's version's predictions from now on.
    shown = (await client.get(f"/api/projects/{project.id}", headers=admin.headers)).json()
    assert shown["model_version"] == backend["model_version"]


async def test_adding_a_backend_creates_its_webhook_once(client: Any, admin: Any, project: Any, model_server: Any) -> None:
    await connect(client, admin, project.id, model_server.url)
    await connect(client, admin, project.id, model_server.url + "/", title="again")
    hooks = (await client.get("/api/webhooks/", params={"project": project.id}, headers=admin.headers)).json()
    assert [h["url"] for h in hooks] == [model_server.url + "/webhook"]
    assert hooks[0]["send_for_all_actions"] is True and hooks[0]["send_payload"] is True


async def test_password_is_write_only_and_crud_round_trips(client: Any, admin: Any, project: Any, model_server: Any) -> None:
    backend = await connect(client, admin, project.id, model_server.url, auth_method="BASIC_AUTH",
                            basic_auth_user="bob", basic_auth_pass="s3cret", extra_params={"k": 1}, timeout=5)
    assert "basic_auth_pass" not in backend and backend["basic_auth_pass_is_set"] is True
    assert backend["extra_params"] == {"k": 1} and backend["timeout"] == 5
    response = await client.patch(f"/api/ml/{backend['id']}", json={"title": "renamed", "description": "d"}, headers=admin.headers)
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "renamed" and response.json()["basic_auth_pass_is_set"] is True
    listed = (await client.get("/api/ml/", params={"project": project.id}, headers=admin.headers)).json()
    assert [b["id"] for b in listed] == [backend["id"]] and "s3cret" not in str(listed)
    assert (await client.delete(f"/api/ml/{backend['id']}", headers=admin.headers)).status_code == 204
    assert (await client.get(f"/api/ml/{backend['id']}", headers=admin.headers)).status_code == 404
    hooks = (await client.get("/api/webhooks/", params={"project": project.id}, headers=admin.headers)).json()
    assert hooks == []  # the webhook made with it goes with it


async def test_bad_input_is_a_400_naming_the_field(client: Any, admin: Any, project: Any, model_server: Any) -> None:
    cases = [
        ({"url": "ftp://x", "project": project.id}, "url"),
        ({"url": model_server.url, "project": 999999}, "project"),
        ({"url": model_server.url, "project": project.id, "auth_method": "OAUTH"}, "auth_method"),
        ({"url": model_server.url, "project": project.id, "timeout": -1}, "timeout"),
        ({"url": "", "project": project.id}, "url"),
    ]
    for body, field in cases:
        response = await client.post("/api/ml/", json=body, headers=admin.headers)
        assert response.status_code == 400, (body, response.text)
        assert field in response.json()["validation_errors"], response.text
    response = await client.post("/api/ml/", json={"project": project.id}, headers=admin.headers)
    assert response.status_code == 400
    assert (await client.get("/api/ml/", params={"project": project.id}, headers=admin.headers)).json() == []


async def test_ssrf_guard_refuses_private_addresses_by_default(make_app: Any, admin: Any) -> None:
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(make_app()) as strict:  # same database, private URLs refused
        headers = admin.headers
        project = (await strict.post("/api/projects/", json={"title": "p"}, headers=headers)).json()
        response = await strict.post("/api/ml/", json={"url": "http://127.0.0.1:9", "project": project["id"]}, headers=headers)
        assert response.status_code == 400
        assert "LABELLOOM_ALLOW_PRIVATE_URLS" in response.json()["detail"]


async def test_states_follow_the_server(client: Any, admin: Any, project: Any, fault_server: Any) -> None:
    backend = await connect(client, admin, project.id, fault_server.url)
    assert backend["state"] == "CO" and backend["model_version"] == "fault-v1"
    fault_server.setup_status = 500
    again = (await client.get(f"/api/ml/{backend['id']}", headers=admin.headers)).json()
    assert again["state"] == "ER" and "HTTP 500" in again["error_message"] and "setup broke" in again["error_message"]
    async with client.app.state.sessionmaker() as db:  # a GET stores the state it found
        from labelloom.core.ml.models import MLBackend

        assert (await db.get(MLBackend, backend["id"])).state == "ER"
    fault_server.health_status = 503
    again = (await client.get(f"/api/ml/{backend['id']}", headers=admin.headers)).json()
    assert again["state"] == "DI" and "503" in again["error_message"]
    fault_server.health_status = fault_server.setup_status = 200
    again = (await client.get(f"/api/ml/{backend['id']}", headers=admin.headers)).json()
    assert again["state"] == "CO" and again["error_message"] is None


async def test_setup_gets_label_studio_body(client: Any, admin: Any, project: Any, fault_server: Any) -> None:
    await connect(client, admin, project.id, fault_server.url, extra_params={"threshold": 0.5})
    setup = [body for path, body in fault_server.requests if path == "/setup"][0]
    assert setup["project"].startswith(f"{project.id}.")
    assert "<Choices" in setup["schema"] and setup["extra_params"] == {"threshold": 0.5}
    assert setup["access_token"] == admin.token and setup["hostname"].startswith("http")
    assert [p for p, _ in fault_server.requests][:2] == ["/health", "/setup"]


async def test_dead_backend_is_disconnected_not_an_error_response(client: Any, admin: Any, project: Any) -> None:
    from .servers import free_port

    backend = await connect(client, admin, project.id, f"http://127.0.0.1:{free_port()}")
    assert backend["state"] == "DI" and "Cannot reach" in backend["error_message"]
