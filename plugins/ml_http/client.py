"""The HTTP client of Label Studio's ML protocol: ``/health``, ``/setup``, ``/predict``,
``/train``, ``/webhook`` with Label Studio's bodies, timeouts and path joining.

Every request goes through core's SSRF guard (``guarded_request``): the backend's address is
checked again at send time, so a name that later resolves to a private address is refused.
"""

from __future__ import annotations

import asyncio
import base64
import json
import ssl
import weakref
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

import httpx

from labelloom.core.plugin import MLBackendError, MLConnection, guarded_request

from .timeouts import Timeouts

ERROR_TEXT_LIMIT = 500  # characters of a failing answer kept in the error message

# One pooled client per event loop (kept warm for interactive round trips), made on first use
# and closed by the plugin's lifespan; one TLS context per process (building one costs ~10 ms).
_shared: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = weakref.WeakKeyDictionary()
_tls: ssl.SSLContext | None = None


def tls_context() -> ssl.SSLContext:
    global _tls
    if _tls is None:
        _tls = httpx.create_ssl_context()
    return _tls


def shared_client() -> httpx.AsyncClient:
    loop = asyncio.get_running_loop()
    client = _shared.get(loop)
    if client is None or client.is_closed:
        client = httpx.AsyncClient(verify=tls_context(),
                                   limits=httpx.Limits(max_connections=100, max_keepalive_connections=20))
        _shared[loop] = client
    return client


async def close_shared_client() -> None:
    client = _shared.pop(asyncio.get_running_loop(), None)
    if client is not None:
        await client.aclose()


def endpoint(base: str, suffix: str) -> str:
    """Label Studio's ``urljoin(url + '/', suffix)``: a path in the base URL is kept."""
    return urljoin(base.rstrip("/") + "/", suffix)


class HttpMLConnector:
    """One backend's connector (see ``MLConnector`` in the plugin API)."""

    def __init__(self, connection: MLConnection, timeouts: Timeouts | None = None) -> None:
        self.connection = connection
        self.timeouts = timeouts or Timeouts.from_env()
        self._client: httpx.AsyncClient | None = shared_client()

    async def aclose(self) -> None:
        self._client = None  # the pooled client stays open for the next call

    async def health(self) -> dict[str, Any]:
        return await self._call("GET", "health", None, self.timeouts.health)

    async def setup(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return await self._call("POST", "setup", body, self.timeouts.setup)

    async def predict(self, body: Mapping[str, Any], *, interactive: bool = False) -> dict[str, Any]:
        return await self._call("POST", "predict", body, self.connection.timeout or self.timeouts.predict)

    async def train(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return await self._call("POST", "train", body, self.timeouts.train)

    async def webhook(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return await self._call("POST", "webhook", body, self.timeouts.train)

    async def _call(self, method: str, path: str, body: Mapping[str, Any] | None, timeout: float) -> dict[str, Any]:
        assert self._client is not None, "the connector is closed"
        url = endpoint(self.connection.url, path)
        content = None if body is None else json.dumps(body, separators=(",", ":"), default=str).encode()
        headers = {"Accept": "application/json"}
        if self.connection.basic_auth:
            user, password = self.connection.basic_auth
            headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        if content is not None:
            headers["Content-Type"] = "application/json"
        try:
            response = await guarded_request(
                self._client, method, url, allow_private=self.connection.allow_private, content=content,
                headers=headers, timeout=httpx.Timeout(timeout, connect=min(timeout, self.timeouts.connect)),
            )
        except httpx.TimeoutException:
            raise MLBackendError(f"{method} {url} timed out after {timeout:g} s.") from None
        except httpx.HTTPError as exc:
            raise MLBackendError(f"Cannot reach {url}: {exc or type(exc).__name__}.") from None
        if not response.is_success:
            text = response.text.strip()[:ERROR_TEXT_LIMIT]
            raise MLBackendError(f"{method} {url} answered HTTP {response.status_code}" + (f": {text}" if text else "."))
        if not response.content.strip():
            return {}
        try:
            data = response.json()
        except ValueError:
            raise MLBackendError(f"{method} {url} answered malformed JSON: {response.text[:120]!r}") from None
        # Label Studio's /health may answer a bare list or string; only objects carry fields.
        return data if isinstance(data, dict) else {"value": data}
