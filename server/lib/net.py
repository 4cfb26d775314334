"""Facts about the network peer of a request."""

from litestar.connection import ASGIConnection

from server.settings import get_settings

__all__ = ["client_address"]


def client_address(connection: ASGIConnection) -> str:
    """The client's address; X-Forwarded-For only counts behind a trusted proxy."""
    if get_settings().trust_proxy:
        forwarded = connection.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    client = connection.client
    return client.host if client else "unknown"
