"""Reading one cookie straight from the request's headers.

Every request needs two cookies (the session, and whether the CSRF token is already set), and
Litestar's parser unquotes every cookie of the header into a dict: about a tenth of a cached
feed page's CPU. Our cookies' values are URL-safe tokens, never quoted or escaped; for any
other value (and for every other reader) Litestar's parser stays the one in charge.
"""

from __future__ import annotations

from litestar.types import Scope

__all__ = ["cookie_value"]


def cookie_value(scope: Scope, name: str) -> str | None:
    """The value of cookie `name`, or None. Like Litestar's parser, a repeated name keeps the last."""
    wanted = name.encode("latin-1")
    found: bytes | None = None
    for key, value in scope["headers"]:
        if key == b"cookie":
            for part in value.split(b";"):
                k, sep, v = part.partition(b"=")
                if sep and k.strip() == wanted:
                    found = v.strip()
    if found is None:
        return None
    text = found.decode("latin-1")
    # Quoted or escaped: not one of ours as we set it; let Litestar's rules decide.
    if '"' in text or "%" in text or "\\" in text:
        from litestar.connection import ASGIConnection

        return ASGIConnection(scope).cookies.get(name)
    return text
