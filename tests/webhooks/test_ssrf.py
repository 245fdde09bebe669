"""The outbound-URL guard: private addresses are refused unless LABELLOOM_ALLOW_PRIVATE_URLS=1,
when a webhook is saved and again when it is sent (DNS rebinding)."""

from __future__ import annotations

import asyncio
import ipaddress
import time

import httpx
import pytest

from labelloom.core import net
from labelloom.core.webhooks.models import Webhook


@pytest.fixture
def app_settings():
    return {"webhook_retry_delay": 0.1}  # private URLs not allowed: the default


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.0.0.7", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00:ec2::254", False),
        ("::ffff:127.0.0.1", False),
    ],
)
def test_public_addresses(address, public):
    assert net.is_public_address(ipaddress.ip_address(address)) is public


PRIVATE_URLS = [
    "http://127.0.0.1:8080/hook",
    "http://localhost/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://10.1.2.3/hook",
    "https://0.0.0.0/",
]


async def test_private_webhook_urls_are_refused_by_default(client, admin):
    for url in PRIVATE_URLS:
        response = await client.post("/api/webhooks/", json={"url": url}, headers=admin.headers)
        assert response.status_code == 400, (url, response.text)
        body = response.json()
        assert "LABELLOOM_ALLOW_PRIVATE_URLS=1" in body["detail"]
        assert body["validation_errors"]["url"] == [body["detail"]]


async def test_public_webhook_urls_are_accepted(client, admin):
    response = await client.post("/api/webhooks/", json={"url": "http://93.184.216.34/hook"}, headers=admin.headers)
    assert response.status_code == 201, response.text
    patch = await client.patch(
        f"/api/webhooks/{response.json()['id']}", json={"url": "http://127.0.0.1/x"}, headers=admin.headers
    )
    assert patch.status_code == 400


async def test_delivery_checks_the_address_again(client, admin, world, receiver, emit, app, in_app):
    """A URL that was public when saved but now resolves to a private address (or a row that
    bypassed the API) is refused at send time: nothing reaches the private address."""

    async def insert() -> int:
        async with app.state.sessionmaker() as db:
            webhook = Webhook(url=receiver.url)
            db.add(webhook)
            await db.commit()
            return webhook.id

    webhook_id = await in_app(insert)

    async def event(db):
        return [("PROJECT_UPDATED", {"project": {"id": world.project_id}})]

    await emit(event)
    deadline = time.monotonic() + 15
    while True:
        log = (await client.get(f"/api/webhooks/{webhook_id}/deliveries", headers=admin.headers)).json()
        if log["results"] and log["results"][0]["status"] == "failed":
            break
        assert time.monotonic() < deadline, log
        await asyncio.sleep(0.05)
    entry = log["results"][0]
    assert entry["attempts"] == 1 and entry["status_code"] is None  # refused: not retried
    assert "Refusing" in entry["error"] and "127.0.0.1" in entry["error"]
    assert receiver.requests == []


async def test_guarded_request_pins_the_checked_address(monkeypatch):
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    answers = {"hooks.example.com": "93.184.216.34"}

    async def fake_resolve(host, port):
        return [ipaddress.ip_address(answers[host])]

    monkeypatch.setattr(net, "resolve", fake_resolve)
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        response = await net.guarded_request(
            client, "POST", "https://hooks.example.com:8443/in?x=1", allow_private=False, json={"a": 1}
        )
        assert response.status_code == 204
        [request] = seen
        assert str(request.url) == "https://93.184.216.34:8443/in?x=1"
        assert request.headers["Host"] == "hooks.example.com:8443"
        assert request.extensions["sni_hostname"] == "hooks.example.com"

        answers["hooks.example.com"] = "10.0.0.5"  # the DNS answer changed: rebinding
        with pytest.raises(net.UnsafeURL, match="10.0.0.5"):
            await net.guarded_request(client, "POST", "https://hooks.example.com:8443/in", allow_private=False)
        assert len(seen) == 1


async def test_private_urls_pass_when_allowed():
    assert await net.check_outbound_url("http://127.0.0.1:9/x", allow_private=True) == []
    with pytest.raises(net.UnsafeURL, match="only http and https"):
        await net.check_outbound_url("file:///etc/passwd", allow_private=True)
    with pytest.raises(net.UnsafeURL, match="Cannot resolve"):
        await net.check_outbound_url("http://no-such-host.invalid/", allow_private=False)
