"""Malformed input is the client's mistake: a 400 (or a 404 for an id that cannot exist) that says
what is wrong, never a 500 "Something went wrong on our side"."""

from __future__ import annotations

import pytest

SERIAL = 2**31  # one past the largest id PostgreSQL's SERIAL columns hold (SQLite's go to 2^63)
HUGE = 2**63  # past what SQLite can bind
HUGER = 99999999999999999999  # past 2^64 as well


def _readable(response, *statuses: int) -> None:
    """The person (or the client's developer) gets the status asked for and a sentence, not a 500."""
    assert response.status_code in statuses, (response.status_code, response.text)
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail and "our side" not in detail


@pytest.mark.parametrize("path", [
    f"/api/posts/{SERIAL}", f"/api/posts/{HUGE}", f"/api/posts/{HUGER}", f"/api/posts/-{HUGE + 1}", f"/api/people/{HUGE}",
    f"/api/posts/{HUGE}/comments", f"/api/people/{HUGE}/followers",
])
async def test_an_id_too_large_for_any_row_in_the_path_is_not_a_server_error(member_client, path):
    _readable(await member_client.get(path), 400, 404)


@pytest.mark.parametrize("method, path", [
    ("DELETE", f"/api/posts/{HUGE}"), ("PUT", f"/api/people/{HUGE}/follow"),
    ("PUT", f"/api/posts/{HUGE}/reactions/like"), ("DELETE", f"/api/comments/{HUGE}"),
    ("POST", f"/api/posts/{HUGE}/ack"),
])
async def test_an_impossible_id_in_an_unsafe_request_is_not_a_server_error(member_client, method, path):
    _readable(await member_client.request(method, path), 400, 404)


@pytest.mark.parametrize("query", [
    f"/api/feed?author={HUGER}", f"/api/feed?author={HUGE}", f"/api/feed?author={SERIAL}", f"/api/feed?author=-{HUGE + 1}",
    f"/api/posts/1/comments?parent={HUGE}",
])
async def test_an_impossible_id_in_the_query_is_a_400(member_client, query):
    _readable(await member_client.get(query), 400, 404)


async def test_impossible_ids_in_json_bodies_are_400s(member_client, member):
    created = await member_client.post("/api/posts", json={"body": "Hello"})
    assert created.status_code == 201, created.text
    post_id = created.json()["id"]
    for method, path, body in [
        ("POST", f"/api/posts/{post_id}/comments", {"body": "Hi", "parent_id": HUGE}),
        ("PUT", f"/api/posts/{post_id}/kudos", {"user_ids": [HUGER]}),
        ("PUT", f"/api/posts/{post_id}/kudos", {"user_ids": [SERIAL]}),
        ("POST", "/api/views", {"items": [{"post_id": HUGE}]}),
        ("POST", "/api/notifications/read", {"up_to": HUGE}),
        ("POST", "/api/notifications/read", {"up_to": -HUGE - 1}),
    ]:
        response = await member_client.request(method, path, json=body)
        assert response.status_code == 400, (path, body, response.status_code, response.text)
        _readable(response, 400)


@pytest.mark.parametrize("depth", [200, 5000, 100_000])
async def test_json_nested_thousands_deep_is_a_400(member_client, depth):
    for path in ("/api/posts", "/api/notifications/read", "/api/views"):
        response = await member_client.post(
            path, content="[" * depth + "]" * depth, headers={"content-type": "application/json"}
        )
        _readable(response, 400)
        nested = '{"body": ' + '{"a": ' * depth + "1" + "}" * depth + "}"
        response = await member_client.post(path, content=nested, headers={"content-type": "application/json"})
        _readable(response, 400)


@pytest.mark.parametrize("query", [
    "/api/feed?tag=a%00b", "/api/search?q=a%00b", "/api/people?q=%00", "/api/tags/a%00b/posts",
    "/api/posts/1/reactions?kind=%00", "/api/invites/a%00b", "/api/feed?cursor=%C2%97%C2%A7.%299%C2%B9%0D",
    "/api/search?limit=12&cursor=%C2%97%C2%A7.%299%C2%B9%0D", "/api/feed?cursor=a&cursor=b",
])
async def test_nul_characters_and_garbage_in_the_url_are_400s(member_client, query):
    # PostgreSQL text cannot hold U+0000: sent to the database, it was a 500 there.
    _readable(await member_client.get(query), 400, 404)


async def test_nul_characters_in_json_text_are_400s(clients, member, member_client):
    anonymous = await clients.anonymous()
    response = await anonymous.post("/api/session", json={"email": "mia\u0000@example.com", "password": "x" * 10})
    _readable(response, 400)
    response = await member_client.request("DELETE", "/api/push/subscriptions", json={"endpoint": "\u0000"})
    _readable(response, 400)
    response = await member_client.patch("/api/notifications/preferences", json={"time_zone": "Europe/\u0000"})
    _readable(response, 400)
    # A backslash typed before "u0000" is text, not a NUL: it reaches the field's own checks.
    response = await member_client.patch("/api/me", json={"bio": "C:\\u0000"})
    assert response.status_code == 200 and response.json()["bio"] == "C:\\u0000", response.text


async def test_times_without_a_utc_equivalent_are_400s(admin_client):
    # Year 9999 at 23:59 behind UTC is in year 10000 in UTC: every comparison with it overflowed.
    post_id = (await admin_client.post("/api/posts", json={"body": "Pin me"})).json()["id"]
    for method, path, body, field in [
        ("PUT", f"/api/posts/{post_id}/pin", {"until": "9999-12-31T23:59:59-23:59"}, "until"),
        ("POST", "/api/announcements", {"body": "a", "publish_at": "9999-12-31T23:59:59-23:59"}, "publish_at"),
        ("POST", "/api/announcements", {"body": "a", "pinned": True, "pinned_until": "0001-01-01T00:00:00+23:59"},
         "pinned_until"),
    ]:
        response = await admin_client.request(method, path, json=body)
        _readable(response, 400)
        assert response.json()["detail"].startswith(f"The field '{field}' is not valid"), response.text


async def test_tiny_durations_and_shares_are_stored_not_a_server_error(member_client, member):
    # PostgreSQL's REAL columns cannot hold 1e-300 (an underflow error); a view report with it is
    # either refused (a duration under a millisecond) or stored as 0.
    post_id = (await member_client.post("/api/posts", json={"body": "Seen"})).json()["id"]
    tiny = await member_client.post("/api/views", json={"items": [{"post_id": post_id, "duration": 1e-300}]})
    _readable(tiny, 400)
    response = await member_client.post("/api/views", json={
        "items": [{"post_id": post_id, "watched_seconds": 1e-300, "duration": 10.0}],
    })
    assert response.status_code == 204, response.text
