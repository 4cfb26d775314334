"""Facts about the network peer of a request."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from litestar.connection import ASGIConnection

from server.settings import get_settings

__all__ = ["client_address", "forwarded_client", "trusted_networks"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    """The proxies of the settings as networks ("10.0.0.0/8", "127.0.0.1", "::1")."""
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _address(hop: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address in one X-Forwarded-For entry ("1.2.3.4", "1.2.3.4:5678", "[::1]:80"), else None."""
    hop = hop.strip()
    if hop.startswith("["):
        hop = hop[1:].partition("]")[0]
    elif hop.count(":") == 1:
        hop = hop.partition(":")[0]
    try:
        address = ipaddress.ip_address(hop)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is the same client.
    return (address.ipv4_mapped or address) if isinstance(address, ipaddress.IPv6Address) else address


def forwarded_client(peer: str, forwarded_for: list[str], trusted: tuple[Network, ...]) -> str:
    """The client behind a chain of trusted proxies: the right-most X-Forwarded-For hop that is
    not one of them.

    Each proxy appends the address it was connected from, so only the right end is written by
    proxies we trust; whatever the client sent itself sits to the left of it and is never taken
    (the left-most entry is whatever an attacker wants it to be).
    """
    peer_address = _address(peer)
    if peer_address is None or not any(peer_address in net for net in trusted):
        return str(peer_address) if peer_address is not None else peer
    hops = [hop for value in forwarded_for for hop in value.split(",")]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Garbage where a proxy of ours should have written an address: stop at the last
            # address we can vouch for instead of reading further left.
            return str(peer_address)
        if not any(address in net for net in trusted):
            return str(address)
        peer_address = address
    return str(peer_address)  # every hop is a proxy of ours: the request started inside


def client_address(connection: ASGIConnection) -> str:
    """The client's address; X-Forwarded-For counts only as written by the trusted proxies."""
    client = connection.client
    peer = client.host if client else "unknown"
    trusted = trusted_networks(get_settings().trusted_proxies)
    if not trusted:
        return peer
    return forwarded_client(peer, connection.headers.getall("x-forwarded-for", []), trusted)
