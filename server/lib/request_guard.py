"""What a request must be before anything reads it: headers within bounds, no NUL in its URL, and no
cookie that the standard library would take seconds to unquote.

CPython 3.11.7's `http.cookies._unquote`, which Litestar's cookie parser runs on every cookie of the
header, is quadratic in the backslashes of a quoted value (CVE-2024-7592): 32 KB of them hold the
event loop, and every other person's request with it, for seconds. Hallway's own cookies are
URL-safe tokens (lib/cookies.py), so a cookie with a backslash is never one of ours: it is dropped
from the request here, and whatever parses cookies later (the CSRF check) stays linear. The header
bounds are nginx's and Apache's defaults (8 KiB a field, 4 × 8 KiB in all); `hallway serve` applies
the same bound while a request's head is still arriving (lib/http_server.py).
"""

from __future__ import annotations

import json

from litestar.types import ASGIApp, Receive, Scope, Send

__all__ = ["MAX_FIELD_BYTES", "MAX_HEADER_BYTES", "RequestGuardMiddleware"]

MAX_FIELD_BYTES = 8 * 1024
MAX_HEADER_BYTES = 32 * 1024


def _without_escaped_cookies(value: bytes) -> bytes:
    return b"; ".join(part.strip() for part in value.split(b";") if b"\\" not in part)


def _refusal(scope: Scope) -> tuple[int, str] | None:
    """Why the request is refused (status, sentence), or None; drops escaped cookies in place."""
    target = scope.get("raw_path") or scope["path"].encode()
    size = len(target) + len(scope["query_string"])
    escaped = False
    for name, value in scope["headers"]:
        field = len(name) + len(value)
        if field > MAX_FIELD_BYTES:
            header = name.decode("latin-1").title()
            advice = " Clearing this site's cookies in the browser fixes it." if name == b"cookie" else ""
            return 431, f"The {header} header is too large ({-(-field // 1024)} KB; at most 8 KB).{advice}"
        size += field
        if name == b"cookie" and b"\\" in value:
            escaped = True
    if size > MAX_HEADER_BYTES:
        return 431, f"The request's headers are too large ({-(-size // 1024)} KB; at most 32 KB)."
    if escaped:
        headers = [(n, _without_escaped_cookies(v) if n == b"cookie" else v) for n, v in scope["headers"]]
        scope["headers"] = [(n, v) for n, v in headers if v or n != b"cookie"]
    # PostgreSQL cannot store U+0000 and no text a person types holds one.
    if b"%00" in target or b"%00" in scope["query_string"] or "\x00" in scope["path"]:
        return 400, "The address contains a NUL character (%00); please remove it."
    return None


class RequestGuardMiddleware:
    """Refuses (431, 400) or cleans a request before any other middleware reads its headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (refusal := _refusal(scope)):
            status, detail = refusal
            body = json.dumps({"status_code": status, "detail": detail}).encode()
            await send({
                "type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            })
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)
