"""Authorization: every route needs a signed-in member unless it says otherwise.

A handler declares what it needs with `opt={"role": ...}`: "public", "member" (the
default), "moderator" or "admin". `authorize` below, run for every route by the session
middleware, enforces it, so a new route is closed until someone opens it on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException

__all__ = ["Viewer", "authorize", "RANK", "viewer_of"]

RANK = {"member": 1, "moderator": 2, "admin": 3}


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in person making a request."""

    id: int
    role: str
    name: str
    email: str
    department: str = ""
    location: str = ""

    def at_least(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]


def authorize(scope) -> None:
    """Refuse the request unless its route's role allows the viewer in scope["user"].

    Called by SessionMiddleware once the viewer is known, not installed as a Litestar guard:
    Litestar calls guards with a copy of the route handler, a large part of a cached feed
    page's CPU. Middleware runs after routing, so the route
    handler and its options are in the scope.
    """
    need = scope["route_handler"].opt.get("role", "member")
    if need == "public":
        return
    viewer = scope.get("user")
    if viewer is None:
        raise NotAuthorizedException("Please sign in.")
    if not viewer.at_least(need):
        raise PermissionDeniedException(f"Only a {need} can do this.")


def viewer_of(connection: ASGIConnection) -> Viewer:
    """The signed-in viewer (the guard has already made sure there is one)."""
    return connection.scope["user"]
