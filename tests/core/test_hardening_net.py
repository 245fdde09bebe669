"""Issue 16: IPv6 addresses that embed a private IPv4 address do not pass the URL guard."""

import ipaddress

import pytest

from labelloom.core import net


@pytest.mark.parametrize(
    ("address", "embedded"),
    [
        ("::ffff:127.0.0.1", "127.0.0.1"),  # IPv4-mapped
        ("::127.0.0.1", "127.0.0.1"),  # IPv4-compatible
        ("::a9fe:a9fe", "169.254.169.254"),  # IPv4-compatible, cloud metadata
        ("64:ff9b::127.0.0.1", "127.0.0.1"),  # NAT64
        ("64:ff9b::10.0.0.5", "10.0.0.5"),
        ("64:ff9b::a9fe:a9fe", "169.254.169.254"),
        ("2002:7f00:1::1", "127.0.0.1"),  # 6to4
        ("2002:c0a8:0101::", "192.168.1.1"),
        ("2002:a9fe:a9fe::1", "169.254.169.254"),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "127.0.0.1"),  # Teredo: client stored inverted
        ("2001:0:4136:e378:8000:63bf:f5ff:fffa", "10.0.0.5"),
    ],
)
async def test_ipv6_forms_embedding_private_ipv4_are_refused(address, embedded):
    parsed = ipaddress.ip_address(address)
    assert net.embedded_ipv4(parsed) == ipaddress.IPv4Address(embedded)
    assert net.is_public_address(parsed) is False
    with pytest.raises(net.UnsafeURL, match=embedded.replace(".", r"\.")) as refused:
        await net.check_outbound_url(f"http://[{address}]:8080/hook", allow_private=False)
    assert refused.value.validation_errors == {"url": [refused.value.detail]}


@pytest.mark.parametrize(
    "address",
    ["::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "2002:0808:0808::1", "2606:4700:4700::1111"],
)
async def test_ipv6_forms_embedding_public_ipv4_pass(address):
    assert net.is_public_address(ipaddress.ip_address(address)) is True
    assert await net.check_outbound_url(f"http://[{address}]/hook", allow_private=False) == [ipaddress.ip_address(address)]


def test_plain_addresses_have_no_embedded_ipv4():
    for address in ("::1", "::", "fe80::1", "2606:4700:4700::1111", "8.8.8.8"):
        assert net.embedded_ipv4(ipaddress.ip_address(address)) is None
    assert net.is_public_address(ipaddress.ip_address("::1")) is False
