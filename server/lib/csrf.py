"""CSRF: Litestar's double-submit check (cookie `csrftoken`, header `x-csrftoken`), minus its cost on reads.

For a safe method Litestar's middleware only hands out the token cookie when the browser has
none; it still builds a Request, parses the content type and wraps `send` on every GET, a
noticeable part of a cached feed page's CPU. A read from a browser that
already holds the cookie goes straight through here; everything else takes Litestar's path.
"""

from __future__ import annotations

from litestar.config.csrf import CSRFConfig
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware as LitestarCSRFMiddleware
from litestar.types import Receive, Scope, Send

from server.lib.cookies import cookie_value

__all__ = ["CSRFMiddleware", "csrf_middleware"]


class CSRFMiddleware(LitestarCSRFMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in self.config.safe_methods
            and cookie_value(scope, self.config.cookie_name)
        ):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def csrf_middleware(secret: str, secure: bool) -> DefineMiddleware:
    return DefineMiddleware(CSRFMiddleware, config=CSRFConfig(secret=secret, cookie_secure=secure))
