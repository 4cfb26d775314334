"""Every request body is strict: a field the route does not know is a 400, never silently dropped."""

from __future__ import annotations

import typing
from datetime import datetime, timedelta, timezone

import msgspec


def _structs(annotation) -> set[type]:
    """The msgspec Structs a body annotation can hold, nested ones included."""
    found: set[type] = set()
    pending = [annotation]
    while pending:
        current = pending.pop()
        if isinstance(current, type) and issubclass(current, msgspec.Struct):
            if current in found:
                continue
            found.add(current)
            pending.extend(typing.get_type_hints(current, include_extras=True).values())
        else:
            pending.extend(a for a in typing.get_args(current) if not isinstance(a, (str, int, float, bool)))
    return found


def test_every_request_body_schema_refuses_unknown_fields(app):
    bodies: dict[type, set[str]] = {}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if data := handler.parsed_fn_signature.parameters.get("data"):
                for struct in _structs(data.annotation):
                    bodies.setdefault(struct, set()).add(handler.operation_id)
    # The bodies people send most are among those found: an empty walk would check nothing.
    names = {struct.__name__ for struct in bodies}
    assert {"NewPost", "NewAnnouncement", "AudienceIn", "NewComment", "SignIn", "SubscriptionKeys"} <= names
    lax = {s.__name__: ops for s, ops in bodies.items() if not s.__struct_config__.forbid_unknown_fields}
    assert not lax, f"request schemas that silently drop unknown fields: {lax}"


async def test_an_embargo_sent_to_the_post_route_is_refused_not_published(member_client):
    # A client meaning to schedule a must-read announcement sends it to /api/posts by mistake: the
    # author is told which field is wrong, and nothing reaches colleagues before the embargo.
    later = (datetime.now(timezone.utc) + timedelta(days=2)).isoformat()
    response = await member_client.post(
        "/api/posts", json={"body": "Q3 results, embargoed", "must_read": True, "publish_at": later},
    )
    assert response.status_code == 400, response.text
    assert response.json()["detail"] == "This request does not accept the unknown field 'must_read'."
    feed = await member_client.get("/api/feed")
    assert [item["body"] for item in feed.json()["items"]] == []


async def test_an_unknown_field_inside_a_nested_object_is_named(admin_client):
    response = await admin_client.post(
        "/api/announcements", json={"body": "Hello", "audience": {"everyone": True, "team": "x"}},
    )
    assert response.status_code == 400, response.text
    assert response.json()["detail"] == "This request does not accept the unknown field 'audience.team'."
