"""Every route is walked: anonymous people get 401, members get 403 on moderator/admin routes.

`authorize` (server/lib/guards.py, run by the session middleware) reads each handler's `opt["role"]` (member when absent), so a new route is
protected by default; the public ones are listed here and a new public route must be added
to the list on purpose.
"""

from __future__ import annotations

import re

import pytest
from litestar.routes import HTTPRoute

# (method, path template) of the routes anyone may call without signing in.
PUBLIC = {
    ("GET", "/api/health"),
    ("POST", "/api/session"),  # sign in
    ("DELETE", "/api/session"),  # sign out is harmless without a session
    ("GET", "/api/invites/{token:str}"),
    ("POST", "/api/invites/{token:str}/accept"),
    ("GET", "/api/password-resets/{token:str}"),  # an admin's one-time reset link: the token is the key
    ("POST", "/api/password-resets/{token:str}"),
    ("OPTIONS", "/api/uploads"),  # tus discovery; reveals no upload
}
SKIP_METHODS = {"OPTIONS", "HEAD"}
RANK = {"member": 0, "moderator": 1, "admin": 2}


def _routes(app):
    """(method, path template, role) of every API and media route."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        if not (route.path.startswith("/api/") or route.path.startswith("/media")):
            continue
        for handler in route.route_handlers:
            for method in handler.http_methods:
                found.append((method, route.path, handler.opt.get("role", "member")))
    return found


def _concrete(path: str) -> str:
    """A request path for a template: numbers for ints, a plausible token for strings."""
    path = re.sub(r"\{[^}:]+:int\}", "1", path)
    path = re.sub(r"\{[^}:]+:path\}", "p/1/x.webp", path)
    return re.sub(r"\{[^}:]+(:[a-z]+)?\}", "abc", path)


async def test_public_routes_are_exactly_the_listed_ones(app):
    public = {(m, p) for m, p, role in _routes(app) if role == "public"}
    assert public <= PUBLIC, f"new public routes: {public - PUBLIC}"


async def test_anonymous_requests_to_every_protected_route_are_401(app, clients):
    client = await clients.anonymous()
    checked = 0
    for method, path, role in _routes(app):
        if role == "public" or method in SKIP_METHODS:
            continue
        response = await client.request(method, _concrete(path), json={} if method in {"POST", "PUT", "PATCH"} else None)
        assert response.status_code == 401, f"{method} {path} answered {response.status_code}"
        checked += 1
    assert checked >= 10


async def test_members_get_403_on_moderator_and_admin_routes(app, clients, member):
    client = await clients.signed_in(member)
    guarded = [(m, p, r) for m, p, r in _routes(app) if r in {"moderator", "admin"} and m not in SKIP_METHODS]
    assert guarded, "there are moderator and admin routes (pin, invites)"
    for method, path, role in guarded:
        response = await client.request(method, _concrete(path), json={} if method in {"POST", "PUT", "PATCH"} else None)
        assert response.status_code == 403, f"{method} {path} answered {response.status_code}"
        assert response.json()["detail"] == f"Only a {role} can do this."


@pytest.mark.parametrize("role", ["moderator", "admin"])
async def test_roles_rank_above_member(app, clients, users, role):
    """A moderator passes moderator routes; only an admin passes admin routes."""
    person = await users.create(role)
    client = await clients.signed_in(person)
    for method, path, needed in _routes(app):
        if needed not in RANK or method in SKIP_METHODS or RANK[needed] == 0:
            continue
        response = await client.request(method, _concrete(path), json={} if method in {"POST", "PUT", "PATCH"} else None)
        if RANK[role] >= RANK[needed]:
            assert response.status_code != 403, f"{role} refused at {method} {path}"
        else:
            assert response.status_code == 403, f"{role} let through at {method} {path}"
