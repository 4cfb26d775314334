"""Reading one of Hallway's cookies straight from the request's headers.

Every request needs two cookies (the session, and whether the CSRF token is already set), and
Litestar's parser unquotes every cookie of the header into a dict: about a tenth of a cached
feed page's CPU. Hallway sets its cookies to URL-safe tokens, never quoted or escaped, so any
other value is not one of ours and reads as absent; it never goes to the standard library's
unquoting either, whose cost grows with the square of a value's backslashes (lib/request_guard.py).
"""

from __future__ import annotations

import re

from litestar.types import Scope

__all__ = ["cookie_value"]

# Tokens and signed tokens ("nonce.signature"): letters, digits, "-", "_" and ".".
_TOKEN = re.compile(r"[A-Za-z0-9_.-]+")


def cookie_value(scope: Scope, name: str) -> str | None:
    """The value of cookie `name` if it is a token, or None. Like Litestar's parser, a repeated name keeps the last."""
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
    return text if _TOKEN.fullmatch(text) else None
