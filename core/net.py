"""The one guard for outbound URLs (webhooks now; ML backends and storage endpoints later).

A URL a user gives us must not make the server talk to itself or its private network (SSRF):
loopback, private, link-local (cloud metadata lives at 169.254.169.254), carrier-grade NAT,
multicast and reserved addresses are refused unless ``LABELLOOM_ALLOW_PRIVATE_URLS=1``.

Checking once when the URL is saved is not enough: its DNS name may later resolve elsewhere
(DNS rebinding). :func:`guarded_request` resolves again at send time, checks every address and
connects to the checked address itself, so no second lookup can slip in between.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

import httpx

from .errors import BadRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = ("http", "https")
PRIVATE_HINT = "Set LABELLOOM_ALLOW_PRIVATE_URLS=1 to allow local and private addresses."


class UnsafeURL(BadRequest):
    """The URL is malformed, unresolvable or points at a non-public address (400)."""

    def __init__(self, detail: str, *, field: str = "url") -> None:
        super().__init__(detail, validation_errors={field: [detail]})


NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052 well-known prefix
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated ::a.b.c.d


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for or tunnels to, if it embeds one.

    IPv4-mapped ``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d``, NAT64 ``64:ff9b::a.b.c.d``,
    6to4 ``2002:AABB:CCDD::/48`` and Teredo ``2001::/32`` (the client's address, stored
    inverted). Packets to these may reach the embedded IPv4 address.
    """
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.teredo is not None:
        return address.teredo[1]
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64 or (address in IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: IPAddress) -> bool:
    """True for globally routable unicast addresses only.

    An IPv6 address embedding an IPv4 one (``::ffff:127.0.0.1``, ``64:ff9b::7f00:1``,
    ``2002:7f00:1::``, ...) is public only if the embedded address is too.
    """
    embedded = embedded_ipv4(address)
    if embedded is not None:
        if not (embedded.is_global and not embedded.is_multicast):
            return False
        if address.ipv4_mapped is not None:  # type: ignore[union-attr]
            return True  # ::ffff:8.8.8.8 is 8.8.8.8
    return address.is_global and not address.is_multicast


def split_url(url: str, *, field: str = "url") -> tuple[str, str, int]:
    """Scheme, host and port of an http(s) URL; anything else is refused."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(f"Invalid URL {url!r}: {exc}", field=field) from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise UnsafeURL(f"Invalid URL {url!r}: only http and https URLs are allowed.", field=field)
    if not parts.hostname:
        raise UnsafeURL(f"Invalid URL {url!r}: it has no host.", field=field)
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (a literal IP resolves to itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[IPAddress] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


async def check_outbound_url(url: str, *, allow_private: bool, field: str = "url") -> list[IPAddress]:
    """Refuse ``url`` with a 400 unless it is http(s) and every address it resolves to is public.

    :return: the checked addresses (empty when ``allow_private`` skips resolution).
    """
    _, host, port = split_url(url, field=field)
    if allow_private:
        return []
    try:
        addresses = await resolve(host, port)
    except OSError as exc:
        raise UnsafeURL(f"Cannot resolve the host of {url!r}: {exc}", field=field) from None
    if not addresses:
        raise UnsafeURL(f"Cannot resolve the host of {url!r}.", field=field)
    for address in addresses:
        if not is_public_address(address):
            embedded = embedded_ipv4(address)
            shown = f"{address} (which embeds {embedded})" if embedded is not None else str(address)
            raise UnsafeURL(
                f"Refusing {url!r}: {host} resolves to {shown}, a loopback, private, link-local or "
                f"otherwise non-public address. {PRIVATE_HINT}",
                field=field,
            )
    return addresses


async def guarded_request(
    client: httpx.AsyncClient, method: str, url: str, *, allow_private: bool, stream: bool = False, **kwargs: Any
) -> httpx.Response:
    """Send a request after checking the URL again, pinned to the address that was checked.

    The request goes to the IP itself with the original ``Host`` header and TLS server name, so
    certificates are still verified against the host name. Redirects are never followed.
    ``stream=True`` returns before the body is read (the caller reads it and closes the response).
    """
    addresses = await check_outbound_url(url, allow_private=allow_private)
    if addresses:
        target = httpx.URL(url)
        headers = httpx.Headers(kwargs.pop("headers", None))
        headers["Host"] = target.netloc.decode("ascii")
        extensions = dict(kwargs.pop("extensions", None) or {})
        if target.scheme == "https":
            extensions["sni_hostname"] = target.raw_host.decode("ascii")
        kwargs.update(headers=headers, extensions=extensions)
        pinned: httpx.URL | str = target.copy_with(host=str(addresses[0]))
    else:
        pinned = url
    request = client.build_request(method, pinned, **kwargs)
    return await client.send(request, stream=stream, follow_redirects=False)


__all__ = [
    "PRIVATE_HINT",
    "UnsafeURL",
    "check_outbound_url",
    "embedded_ipv4",
    "guarded_request",
    "is_public_address",
    "resolve",
    "split_url",
]
