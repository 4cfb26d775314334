"""Which push endpoints the server agrees to contact, at subscribe time and at send time."""

import socket

import pytest

from server.push import outbound
from server.push.outbound import PublicResolver, UnsafeEndpoint, check_endpoint_url, refusal, resolve_public


@pytest.mark.parametrize(
    "url, reason",
    [
        ("http://push.example.com/x", "must use https"),
        ("ftp://push.example.com/x", "must use https"),
        ("https://127.0.0.1/x", "loopback address"),
        ("https://10.0.0.1/x", "private address"),
        ("https://192.168.1.20/x", "private address"),
        ("https://169.254.169.254/latest/meta-data", "cloud metadata address"),
        ("https://[fd00:ec2::254]/x", "cloud metadata address"),
        ("https://[::1]/x", "loopback address"),
        ("https://[::ffff:127.0.0.1]/x", "embeds 127.0.0.1, a loopback address"),
        ("https://[::ffff:10.1.2.3]/x", "embeds 10.1.2.3, a private address"),
        ("https://[64:ff9b::a00:1]/x", "embeds 10.0.0.1, a private address"),
        ("https://[fe80::1]/x", "link-local address"),
        ("https://100.64.3.4/x", "carrier-grade NAT address"),
        ("https://0.0.0.0/x", "unspecified address"),
        ("https://224.0.0.1/x", "multicast address"),
        ("https://240.0.0.1/x", "private address"),
        ("https://2130706433/x", "not a canonical IP address"),
        ("https://127.1/x", "not a canonical IP address"),
        ("https://localhost/x", "loopback name"),
        ("https://push.localhost/x", "loopback name"),
        ("https://user:pw@push.example.com/x", "credentials"),
        ("https://bad host.example/x", "not a valid name"),
        ("https:///x", "no host"),
        ("/push/1", "no host"),
        ("", "not a URL"),
        ("https://push.example.com/" + "x" * 2100, "longer than"),
    ],
)
def test_refused_at_subscribe_time(url, reason):
    with pytest.raises(UnsafeEndpoint, match=reason):
        check_endpoint_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://fcm.googleapis.com/fcm/send/abc:APA91b",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
        "https://web.push.apple.com/QGuQyavXuto",
        "https://8.8.8.8/x",
        "https://[2001:4860:4860::8888]/x",
    ],
)
def test_public_endpoints_pass(url):
    check_endpoint_url(url)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8123/push/1", "https://127.0.0.1/push/1", "http://[::1]:80/p", "http://localhost:9/p"],
)
def test_loopback_allowed_only_when_asked(url):
    with pytest.raises(UnsafeEndpoint):
        check_endpoint_url(url)
    check_endpoint_url(url, allow_loopback=True)


def test_allow_loopback_still_refuses_private_and_plain_http_elsewhere():
    with pytest.raises(UnsafeEndpoint, match="private"):
        check_endpoint_url("https://10.0.0.1/x", allow_loopback=True)
    with pytest.raises(UnsafeEndpoint, match="https"):
        check_endpoint_url("http://push.example.com/x", allow_loopback=True)


def test_refusal_of_addresses():
    assert refusal("93.184.216.34") is None
    assert refusal("2606:4700::1111") is None
    assert refusal("127.0.0.1") == "a loopback address"
    assert refusal("127.0.0.1", allow_loopback=True) is None
    assert refusal("172.16.5.4") == "a private address"
    assert refusal("fc00::1") == "a private address"
    assert refusal("2002:0a00:0001::1") == "embeds 10.0.0.1, a private address"
    assert refusal("192.0.2.7") == "a private address"


async def test_localhost_resolves_to_loopback_and_is_refused():
    with pytest.raises(UnsafeEndpoint, match="localhost resolves to .*loopback"):
        await resolve_public("localhost", 443)
    found = await resolve_public("localhost", 443, allow_loopback=True)
    assert ("127.0.0.1" in {address for _, address in found}) or ("::1" in {address for _, address in found})


async def test_public_looking_name_resolving_to_private_is_refused(monkeypatch):
    async def fake_lookup(host, port, family=socket.AF_UNSPEC):
        return [(socket.AF_INET, "93.184.216.34"), (socket.AF_INET, "10.20.30.40")]

    monkeypatch.setattr(outbound, "lookup", fake_lookup)
    with pytest.raises(UnsafeEndpoint, match="push.example.com resolves to 10.20.30.40, a private address"):
        await resolve_public("push.example.com", 443)


async def test_resolver_hands_the_connector_only_vetted_addresses(monkeypatch):
    async def fake_lookup(host, port, family=socket.AF_UNSPEC):
        return [(socket.AF_INET, "93.184.216.34"), (socket.AF_INET6, "2606:2800:220:1::1")]

    monkeypatch.setattr(outbound, "lookup", fake_lookup)
    results = await PublicResolver().resolve("push.example.com", 443)
    assert [(r["host"], r["port"], r["hostname"]) for r in results] == [
        ("93.184.216.34", 443, "push.example.com"),
        ("2606:2800:220:1::1", 443, "push.example.com"),
    ]


async def test_literal_address_is_vetted_without_lookup(monkeypatch):
    async def no_lookup(host, port, family=socket.AF_UNSPEC):
        raise AssertionError("a literal address needs no lookup")

    monkeypatch.setattr(outbound, "lookup", no_lookup)
    with pytest.raises(UnsafeEndpoint, match="169.254.169.254 resolves to 169.254.169.254, a cloud metadata"):
        await resolve_public("169.254.169.254", 80)
