"""GET /api/push/key and POST/DELETE /api/push/subscriptions on both databases: checks in words."""

from __future__ import annotations

import pytest

from server.push import outbound, services
from server.push.tables import PushSubscription
from tests.support_push import LocalPushService, make_subscription


async def rows(user_id: int | None = None) -> list[dict]:
    query = PushSubscription.select(PushSubscription.user, PushSubscription.endpoint, PushSubscription.user_agent)
    if user_id is not None:
        query = query.where(PushSubscription.user == user_id)
    return await query.order_by(PushSubscription.id)


def device(sid: str = "phone") -> dict:
    """A browser-like subscription with real keys, at a push service that is never contacted."""
    service = LocalPushService()
    service.origin = "https://push.example.com"
    return make_subscription(service, sid)


async def test_the_key_is_the_instances_vapid_public_key(member_client, clients):
    response = await member_client.get("/api/push/key")
    assert response.status_code == 200
    assert response.json() == {"public_key": services.vapid().public_key}
    assert len(response.json()["public_key"]) == 87  # a 65-byte P-256 point, base64url
    anonymous = await clients.anonymous()
    assert (await anonymous.get("/api/push/key")).status_code == 401


async def test_subscribe_several_devices_and_update_by_endpoint(member, member_client, push_service, allow_loopback):
    phone, laptop = make_subscription(push_service, "phone"), make_subscription(push_service, "laptop")
    response = await member_client.post("/api/push/subscriptions", json=phone, headers={"user-agent": "Phone/1"})
    assert response.status_code == 201, response.text
    assert response.json()["endpoint"] == phone["endpoint"]
    assert (await member_client.post("/api/push/subscriptions", json=laptop)).status_code == 201
    # The same browser again (new keys after a re-subscribe): one row, updated.
    renewed = {**phone, "keys": make_subscription(push_service, "phone")["keys"], "expirationTime": None}
    assert (await member_client.post("/api/push/subscriptions", json=renewed, headers={"user-agent": "Phone/2"})).status_code == 201
    stored = await rows(member["id"])
    assert [r["endpoint"] for r in stored] == [phone["endpoint"], laptop["endpoint"]]
    assert stored[0]["user_agent"] == "Phone/2"
    assert (await PushSubscription.select(PushSubscription.p256dh).where(
        PushSubscription.endpoint == phone["endpoint"]).first())["p256dh"] == renewed["keys"]["p256dh"]


async def test_a_browser_handed_to_someone_else_notifies_only_them(member_client, clients, users, push_service, allow_loopback):
    """The same browser signs in as the next person: it sends its own subscription, keys and all."""
    other = await users.create("member", "Next Person")
    shared = make_subscription(push_service, "shared")
    await member_client.post("/api/push/subscriptions", json=shared)
    other_client = await clients.signed_in(other)
    assert (await other_client.post("/api/push/subscriptions", json=shared)).status_code == 201
    assert [r["user"] for r in await rows()] == [other["id"]]


async def test_someone_elses_endpoint_cannot_be_taken_over(member, member_client, clients, users, push_service, allow_loopback):
    """An attacker who learnt a colleague's endpoint (not the browser's keys) posts it with keys of their own:
    refused, and the colleague's phone still gets the colleague's notifications."""
    victims = make_subscription(push_service, "victim")
    assert (await member_client.post("/api/push/subscriptions", json=victims)).status_code == 201
    attacker = await clients.signed_in(await users.create("member", "Mallory"))
    forged = {**victims, "keys": make_subscription(push_service, "mallory")["keys"]}
    response = await attacker.post("/api/push/subscriptions", json=forged)
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Notifications cannot be turned on for this browser: it is registered to another account. "
        "Sign out of that account on this browser first."
    )
    stored = await PushSubscription.select(PushSubscription.user, PushSubscription.p256dh, PushSubscription.auth).where(
        PushSubscription.endpoint == victims["endpoint"]
    ).first()
    assert stored == {"user": member["id"], **victims["keys"]}
    # Nor does deleting it work for them.
    response = await attacker.request("DELETE", "/api/push/subscriptions", json={"endpoint": victims["endpoint"]})
    assert response.status_code == 204 and [r["user"] for r in await rows()] == [member["id"]]


async def test_the_oldest_device_goes_beyond_the_limit(member, member_client, push_service, allow_loopback):
    subs = [make_subscription(push_service, f"d{i}") for i in range(services.MAX_DEVICES + 1)]
    for sub in subs:
        assert (await member_client.post("/api/push/subscriptions", json=sub)).status_code == 201
    assert [r["endpoint"] for r in await rows(member["id"])] == [s["endpoint"] for s in subs[1:]]


@pytest.mark.parametrize(
    "endpoint, words",
    [
        ("http://push.example.com/send/1", "must use https"),
        ("https://127.0.0.1/send/1", "127.0.0.1 is a loopback address"),
        ("https://10.0.0.1/send/1", "10.0.0.1 is a private address"),
        ("https://192.168.1.20/send/1", "a private address"),
        ("https://169.254.169.254/latest", "a cloud metadata address"),
        ("https://[::1]/send/1", "a loopback address"),
        ("https://localhost/send/1", "localhost is a loopback name"),
        ("https://2130706433/send/1", "not a canonical IP address"),
        ("ftp://push.example.com/1", "must use https"),
        ("not a url", "the endpoint has no host"),
    ],
)
async def test_unsafe_endpoints_are_refused_in_words(member_client, endpoint, words):
    response = await member_client.post("/api/push/subscriptions", json={**device(), "endpoint": endpoint})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("Notifications cannot be turned on for this browser")
    assert words in detail
    assert await rows() == []


async def test_a_name_resolving_to_a_private_address_is_refused(member_client, monkeypatch):
    async def fake_lookup(host, port, family=0):
        return [(2, "10.1.2.3")]

    monkeypatch.setattr(outbound, "lookup", fake_lookup)
    response = await member_client.post("/api/push/subscriptions", json=device())
    assert response.status_code == 400
    assert "push.example.com resolves to 10.1.2.3, a private address" in response.json()["detail"]


async def test_a_name_that_does_not_resolve_is_refused(member_client, monkeypatch):
    async def no_such_host(host, port, family=0):
        raise OSError("Name or service not known")

    monkeypatch.setattr(outbound, "lookup", no_such_host)
    response = await member_client.post("/api/push/subscriptions", json=device())
    assert response.status_code == 400
    assert "the push service push.example.com could not be found" in response.json()["detail"]


async def test_a_public_name_is_accepted(member, member_client, monkeypatch):
    async def public(host, port, family=0):
        return [(2, "93.184.215.14")]

    monkeypatch.setattr(outbound, "lookup", public)
    response = await member_client.post("/api/push/subscriptions", json=device())
    assert response.status_code == 201, response.text
    assert len(await rows(member["id"])) == 1


@pytest.mark.parametrize(
    "change, words",
    [
        ({"keys": {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "keys.p256dh must be an uncompressed P-256 point"),
        ({"keys": {"p256dh": None, "auth": "x"}}, "keys.p256dh"),
        ({"auth": "c2hvcnQ"}, "keys.auth must be 16 bytes"),
        ({"auth": "not base64!"}, "keys.auth is not base64url"),
        ({"keys": None}, "keys"),
        ({"endpoint": None}, "endpoint"),
    ],
)
async def test_malformed_keys_are_refused_in_words(member_client, change, words):
    sub = device()
    if "auth" in change:
        sub["keys"] = {**sub["keys"], "auth": change["auth"]}
    else:
        sub.update(change)
    response = await member_client.post("/api/push/subscriptions", json=sub)
    assert response.status_code == 400
    assert words in response.json()["detail"]
    assert await rows() == []


async def test_delete_forgets_only_your_own(member, member_client, clients, users, push_service, allow_loopback):
    other = await users.create("member", "Otto Other")
    other_client = await clients.signed_in(other)
    mine, theirs = make_subscription(push_service, "mine"), make_subscription(push_service, "theirs")
    await member_client.post("/api/push/subscriptions", json=mine)
    await other_client.post("/api/push/subscriptions", json=theirs)

    response = await member_client.request("DELETE", "/api/push/subscriptions", json={"endpoint": theirs["endpoint"]})
    assert response.status_code == 204
    assert [r["user"] for r in await rows()] == [member["id"], other["id"]]
    response = await member_client.request("DELETE", "/api/push/subscriptions", json={"endpoint": mine["endpoint"]})
    assert response.status_code == 204
    assert [r["user"] for r in await rows()] == [other["id"]]
    # Again: nothing left to forget, still fine (the browser may unsubscribe twice).
    response = await member_client.request("DELETE", "/api/push/subscriptions", json={"endpoint": mine["endpoint"]})
    assert response.status_code == 204


async def test_anonymous_cannot_subscribe(clients):
    anonymous = await clients.anonymous()
    response = await anonymous.post("/api/push/subscriptions", json=device())
    assert response.status_code == 401
