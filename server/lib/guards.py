"""Authorization: every route needs a signed-in member unless it says otherwise.

A handler declares what it needs with `opt={"role": ...}`: "public", "member" (the
default), "moderator" or "admin". The one guard below, installed on the whole app,
enforces it, so a new route is closed until someone opens it on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

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


async def authorize(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    # async although it never awaits: Litestar runs a plain function guard in a worker thread,
    # a thread hop on every request (the feed benchmark, issue 2).
    need = handler.opt.get("role", "member")
    if need == "public":
        return
    viewer = connection.scope.get("user")
    if viewer is None:
        raise NotAuthorizedException("Please sign in.")
    if not viewer.at_least(need):
        raise PermissionDeniedException(f"Only a {need} can do this.")


def viewer_of(connection: ASGIConnection) -> Viewer:
    """The signed-in viewer (the guard has already made sure there is one)."""
    return connection.scope["user"]
