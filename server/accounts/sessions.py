"""Server-side sessions: a random cookie, a hashed row, and the middleware that reads it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from litestar.datastructures import Cookie
from litestar.types import ASGIApp, Receive, Scope, Send

from server.accounts.tables import Session
from server.db import content_counter, fetch
from server.lib.cookies import cookie_value
from server.lib.caches import SCOPE_KEY, clock, cache_for
from server.lib.guards import Viewer, authorize
from server.lib.tokens import new_token, token_hash
from server.settings import get_settings

__all__ = ["COOKIE", "start_session", "end_session", "viewer_for_token", "session_cookie", "SessionMiddleware"]

COOKIE = "hallway_session"


async def start_session(user_id: int) -> str:
    """Create a session row and return the cookie value."""
    token = new_token()
    expires = datetime.now(timezone.utc) + timedelta(days=get_settings().session_days)
    await Session.insert(Session(token_hash=token_hash(token), user=user_id, expires_at=expires))
    return token


async def end_session(token: str) -> None:
    await Session.delete().where(Session.token_hash == token_hash(token))


async def end_all_sessions(user_id: int) -> None:
    await Session.delete().where(Session.user == user_id)


async def viewer_for_token(token: str, version: int | None = None) -> Viewer | None:
    """The viewer of a live session, or None when it expired or the account is disabled.

    Every request asks this; a per-process cache answers until the next commit that changes
    content anywhere (sign-out, a disabled account or a changed role all do) or the session's expiry.
    """
    cache = cache_for(Session._meta.db, "sessions")
    if cache is None:
        return (await _load_viewer(token))[0]
    key = token_hash(token)
    found = cache.get(key, version)
    if found is not None:
        return found[0]
    version = cache.version()
    viewer, expires = await _load_viewer(token)
    # A miss is cached too (a stale cookie sent again and again), for a minute at most.
    cache.put(key, (viewer,), version, expires.timestamp() if viewer else clock() + 60)
    return viewer


# Every uncached request runs this; plain SQL skips Piccolo's query building (a joined select
# costs more CPU to build than to run, the largest part of an uncached feed page).
_VIEWER_SQL = (
    "SELECT sessions.expires_at, users.id, users.role, users.name, users.email, users.department,"
    ' users.location, users.disabled FROM sessions JOIN users ON users.id = sessions."user"'
    " WHERE sessions.token_hash = {}"
)


async def _load_viewer(token: str) -> tuple[Viewer | None, datetime | None]:
    rows = await fetch(Session, _VIEWER_SQL, token_hash(token))
    row = rows[0] if rows else None
    if not row or row["disabled"] or row["expires_at"] <= datetime.now(timezone.utc):
        return None, None
    return Viewer(
        id=row["id"], role=row["role"], name=row["name"], email=row["email"],
        department=row["department"], location=row["location"],
    ), row["expires_at"]


def session_cookie(token: str | None) -> Cookie:
    """The session cookie; an empty one with max_age 0 deletes it."""
    settings = get_settings()
    return Cookie(
        key=COOKIE,
        value=token or "",
        max_age=settings.session_days * 86400 if token else 0,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
        path="/",
    )


class SessionMiddleware:
    """Puts the signed-in Viewer (or None) into scope["user"] and checks the route's role (lib/guards)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            scope["user"] = None
            # Read once for the whole request; the feed's page cache uses the same reading.
            version = scope[SCOPE_KEY] = content_counter(Session._meta.db)
            token = cookie_value(scope, COOKIE)
            if token:
                scope["user"] = await viewer_for_token(token, version)
            authorize(scope)
        await self.app(scope, receive, send)
