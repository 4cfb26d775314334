"""Outbound safety: push endpoints are client-supplied URLs, so only public hosts are ever contacted."""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket

from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

__all__ = [
    "MAX_ENDPOINT_LENGTH",
    "PublicResolver",
    "UnsafeEndpoint",
    "check_endpoint_url",
    "lookup",
    "refusal",
    "resolve_public",
]

MAX_ENDPOINT_LENGTH = 2048

# Cloud instance-metadata services hand out credentials to whoever asks from inside.
_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
# NAT64 gateways forward 64:ff9b::a.b.c.d to the IPv4 address a.b.c.d.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Legacy numeric IPv4 spellings (2130706433, 0x7f.1, 127.1) that resolvers map onto addresses.
_HOSTNAME = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$")
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+))*\.?$", re.IGNORECASE)


class UnsafeEndpoint(Exception):
    """A push endpoint the server refuses to contact; `reason` says why, for people."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def refusal(address: str | ipaddress.IPv4Address | ipaddress.IPv6Address, allow_loopback: bool = False) -> str | None:
    """Why an IP address must not be contacted, or None when it is public."""
    ip = address if isinstance(address, ipaddress.IPv4Address | ipaddress.IPv6Address) else ipaddress.ip_address(address)
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = refusal(embedded, allow_loopback)
            return f"embeds {embedded}, {inner}" if inner else None
    if ip in _METADATA:
        return "a cloud metadata address"
    if ip.is_loopback:
        return None if allow_loopback else "a loopback address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.version == 4 and ip in _CGNAT:
        return "a carrier-grade NAT address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved:
        return "a reserved address"
    if not ip.is_global:
        return "not a public address"
    return None


def _ip_or_none(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _is_loopback_host(host: str) -> bool:
    ip = _ip_or_none(host)
    if ip is not None:
        return ip.is_loopback
    return host == "localhost" or host.endswith(".localhost")


def check_endpoint_url(url: str, allow_loopback: bool = False) -> None:
    """Refuse an endpoint that is not https or names a non-public literal address (at subscribe time)."""
    if not isinstance(url, str) or not url:
        raise UnsafeEndpoint("the endpoint is not a URL")
    if len(url) > MAX_ENDPOINT_LENGTH:
        raise UnsafeEndpoint(f"the endpoint is longer than {MAX_ENDPOINT_LENGTH} characters")
    try:
        parsed = URL(url)
        host = (parsed.host or "").rstrip(".").lower()
    except (ValueError, TypeError):
        raise UnsafeEndpoint("the endpoint is not a valid URL") from None
    if not parsed.is_absolute() or not host:
        raise UnsafeEndpoint("the endpoint has no host")
    if parsed.user is not None or parsed.password is not None:
        raise UnsafeEndpoint("the endpoint carries credentials")
    if parsed.scheme == "http":
        if not (allow_loopback and _is_loopback_host(host)):
            raise UnsafeEndpoint("the endpoint must use https")
    elif parsed.scheme != "https":
        raise UnsafeEndpoint("the endpoint must use https")
    if "%" in host:
        raise UnsafeEndpoint("the endpoint names a scoped IPv6 address")
    ip = _ip_or_none(host)
    if ip is not None:
        reason = refusal(ip, allow_loopback)
        if reason:
            raise UnsafeEndpoint(f"{host} is {reason}")
        return
    # yarl lets any character through in a host; a push service's name is plain ASCII DNS.
    if not _HOSTNAME.match(host):
        raise UnsafeEndpoint("the endpoint's host is not a valid name")
    if _NUMERIC_HOST.match(host):
        raise UnsafeEndpoint(f"{host} is not a canonical IP address")
    if _is_loopback_host(host) and not allow_loopback:
        raise UnsafeEndpoint(f"{host} is a loopback name")


async def lookup(host: str, port: int, family: int = socket.AF_UNSPEC) -> list[tuple[int, str]]:
    """Resolve a name to (family, address) pairs with the system resolver."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, family=family, type=socket.SOCK_STREAM)
    # Scope ids are dropped on purpose: a scoped (link-local) address is refused anyway.
    return list(dict.fromkeys((fam, str(sockaddr[0]).split("%")[0]) for fam, _, _, _, sockaddr in infos))


async def resolve_public(
    host: str, port: int, allow_loopback: bool = False, family: int = socket.AF_UNSPEC
) -> list[tuple[int, str]]:
    """Resolve `host` and return its addresses only if every one of them is public."""
    ip = _ip_or_none(host)
    if ip is not None:
        found = [(socket.AF_INET6 if ip.version == 6 else socket.AF_INET, str(ip))]
    else:
        found = await lookup(host, port, family)
    if not found:
        raise OSError(f"{host} has no address")
    for _, address in found:
        # One bad address refuses the name: a name that mixes public and private
        # answers is a rebinding attempt, not a push service.
        reason = refusal(address, allow_loopback)
        if reason:
            raise UnsafeEndpoint(f"{host} resolves to {address}, {reason}")
    return found


class PublicResolver(AbstractResolver):
    """An aiohttp resolver that hands the connector only vetted addresses, so what is checked is what is dialled."""

    def __init__(self, allow_loopback: bool = False) -> None:
        self.allow_loopback = allow_loopback

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        """Resolve and vet `host`; raise UnsafeEndpoint when any address is not public."""
        found = await resolve_public(host, port, self.allow_loopback, family)
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=fam,
                proto=socket.IPPROTO_TCP,
                flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
            )
            for fam, address in found
        ]

    async def close(self) -> None:
        """Nothing to release: lookups use the loop's executor."""
