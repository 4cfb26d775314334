"""Sending through a local push service that checks VAPID and decrypts like a browser."""

import json
import socket
import time
from email.utils import formatdate

import pytest
from aiohttp import web

from server.push import outbound
from server.push.sender import MAX_PLAINTEXT, PushSender, Subscription, fit_payload, parse_retry_after
from server.push.vapid import load_or_create_vapid
from tests.support_push import LocalPushService, make_subscription

CONTACT = "mailto:comms@example.com"
POST = {"title": "Ana Lopez posted a video", "body": "Our new lab tour", "url": "/posts/42", "tag": "post-42"}


@pytest.fixture
async def service():
    async with LocalPushService() as running:
        yield running


@pytest.fixture
async def sender(tmp_path):
    async with PushSender(load_or_create_vapid(tmp_path), CONTACT, allow_loopback=True, timeout=2.0) as running:
        yield running


def subscribe(service: LocalPushService, sid: str) -> Subscription:
    return Subscription.from_json(sid, make_subscription(service, sid))


async def test_round_trip_decrypts_and_verifies(service, sender):
    subs = [subscribe(service, "a"), subscribe(service, "b")]
    results = await sender.send_many(subs, POST, ttl=3600, urgency="high", topic="post-42")

    assert [(r.subscription_id, r.outcome, r.status) for r in results] == [("a", "delivered", 201), ("b", "delivered", 201)]
    assert service.errors == []
    for sid in ("a", "b"):
        (message,) = service.messages_for(sid)
        assert json.loads(message.plaintext) == POST
        assert (message.ttl, message.urgency, message.topic) == (3600, "high", "post-42")
        assert message.claims["aud"] == service.origin
        assert message.claims["sub"] == CONTACT
        assert time.time() < message.claims["exp"] <= time.time() + 24 * 3600


async def test_ttl_is_sent_even_when_zero_and_topic_only_when_given(service, sender):
    await sender.send_many([subscribe(service, "a")], POST, ttl=0)
    (message,) = service.messages
    assert (message.ttl, message.urgency, message.topic) == (0, "normal", None)


async def test_one_jwt_serves_a_whole_fan_out(service, sender):
    subs = [subscribe(service, str(i)) for i in range(20)]
    await sender.send_many(subs, POST, ttl=60)
    assert len(service.messages) == 20
    assert len(service._verified) == 1


async def test_gone_subscriptions(service, sender):
    subs = [subscribe(service, "ok"), subscribe(service, "expired"), subscribe(service, "unknown")]
    service.answer("expired", 410)
    service.answer("unknown", 404)
    results = await sender.send_many(subs, POST, ttl=60)
    assert [(r.outcome, r.status) for r in results] == [("delivered", 201), ("gone", 410), ("gone", 404)]


async def test_503_with_retry_after_seconds_is_retried_after_that_delay(service, sender):
    service.answer("busy", 503, {"Retry-After": "120"})
    (result,) = await sender.send_many([subscribe(service, "busy")], POST, ttl=60)
    assert (result.outcome, result.status, result.retry_after) == ("retry", 503, 120.0)


async def test_429_with_an_http_date_and_5xx_without_hint(service, sender):
    service.answer("throttled", 429, {"Retry-After": formatdate(time.time() + 300, usegmt=True)})
    service.answer("broken", 500)
    throttled, broken = await sender.send_many([subscribe(service, "throttled"), subscribe(service, "broken")], POST, ttl=60)
    assert (throttled.outcome, throttled.status) == ("retry", 429)
    assert 290 <= throttled.retry_after <= 300
    assert (broken.outcome, broken.status, broken.retry_after) == ("retry", 500, None)


async def test_other_client_errors_are_rejected(service, sender):
    service.answer("bad", 400)
    service.answer("big", 413)
    results = await sender.send_many([subscribe(service, "bad"), subscribe(service, "big")], POST, ttl=60)
    assert [(r.outcome, r.status) for r in results] == [("rejected", 400), ("rejected", 413)]


def test_parse_retry_after():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(formatdate(1_000_060, usegmt=True), now=1_000_000) == 60.0
    assert parse_retry_after(formatdate(999_000, usegmt=True), now=1_000_000) == 0.0
    assert parse_retry_after("99999999") == 24 * 3600.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


async def test_a_slow_endpoint_does_not_delay_the_others(service, sender):
    service.delay("slow", 1.8)
    subs = [subscribe(service, "slow")] + [subscribe(service, str(i)) for i in range(10)]
    started = time.monotonic()
    results = await sender.send_many(subs, POST, ttl=60)
    assert all(r.outcome == "delivered" for r in results)
    slow = service.messages_for("slow")[0].at - started
    others = max(m.at for m in service.messages if m.subscription_id != "slow") - started
    assert slow >= 1.8
    assert others < 1.5  # the sender's timeout is 2 s; under load the others still finish well before the slow one


async def test_a_dead_endpoint_times_out_into_retry(service, tmp_path):
    service.delay("dead", 5)
    async with PushSender(load_or_create_vapid(tmp_path), CONTACT, allow_loopback=True, timeout=0.5) as sender:
        started = time.monotonic()
        dead, alive = await sender.send_many([subscribe(service, "dead"), subscribe(service, "alive")], POST, ttl=60)
    assert time.monotonic() - started < 3
    assert (dead.outcome, dead.status) == ("retry", None)
    assert "in time" in dead.reason
    assert alive.outcome == "delivered"


async def test_a_full_origin_leaves_slots_for_other_push_services(tmp_path):
    async with LocalPushService() as slow_service, LocalPushService() as fast_service:
        slow = [subscribe(slow_service, f"s{i}") for i in range(4)]
        for sub in slow:
            slow_service.delay(sub.id, 2.0)
        fast = [subscribe(fast_service, f"f{i}") for i in range(4)]
        vapid = load_or_create_vapid(tmp_path)
        async with PushSender(vapid, CONTACT, allow_loopback=True, concurrency=4, per_origin=2) as sender:
            started = time.monotonic()
            results = await sender.send_many(slow + fast, POST, ttl=60)
    assert all(r.outcome == "delivered" for r in results)
    # Without the per-origin cap the four slow requests would hold all four slots for two seconds.
    assert max(m.at for m in fast_service.messages) - started < 1.5


async def test_unreachable_endpoint_is_retried(sender):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    service = LocalPushService()
    service.origin = f"http://127.0.0.1:{port}"
    (result,) = await sender.send_many([subscribe(service, "x")], POST, ttl=60)
    assert result.outcome == "retry"
    assert "could not reach" in result.reason


async def test_redirects_are_not_followed(service, sender):
    service.answer("moved", 307, {"Location": "http://169.254.169.254/latest/meta-data"})
    (result,) = await sender.send_many([subscribe(service, "moved")], POST, ttl=60)
    assert (result.outcome, result.status) == ("rejected", 307)
    assert "redirect" in result.reason


@pytest.mark.parametrize(
    "endpoint, reason",
    [
        ("https://127.0.0.1/push/1", "loopback address"),
        ("https://10.0.0.1/push/1", "private address"),
        ("https://169.254.169.254/push/1", "cloud metadata address"),
        ("https://[::1]/push/1", "loopback address"),
        ("https://localhost/push/1", "loopback name"),
        ("http://push.example.com/push/1", "must use https"),
    ],
)
async def test_unsafe_endpoints_are_never_contacted(tmp_path, endpoint, reason):
    service = LocalPushService()
    keys = make_subscription(service, "1")["keys"]
    subscription = Subscription("1", endpoint, keys["p256dh"], keys["auth"])
    async with PushSender(load_or_create_vapid(tmp_path), CONTACT) as sender:
        (result,) = await sender.send_many([subscription], POST, ttl=60)
    assert result.outcome == "rejected"
    assert reason in result.reason


async def test_a_name_resolving_to_a_private_address_is_refused_at_send_time(tmp_path, monkeypatch):
    async def rebinding_lookup(host, port, family=socket.AF_UNSPEC):
        return [(socket.AF_INET, "10.0.0.7")]

    monkeypatch.setattr(outbound, "lookup", rebinding_lookup)
    service = LocalPushService()
    keys = make_subscription(service, "1")["keys"]
    subscription = Subscription("1", "https://push.example.com/wpush/1", keys["p256dh"], keys["auth"])
    async with PushSender(load_or_create_vapid(tmp_path), CONTACT) as sender:
        (result,) = await sender.send_many([subscription], POST, ttl=60)
    assert result.outcome == "rejected"
    assert result.reason == "push.example.com resolves to 10.0.0.7, a private address"


async def test_the_connection_goes_to_the_vetted_address(tmp_path, monkeypatch):
    # The name below resolves, through our resolver alone, to the loopback push service:
    # if aiohttp asked the system resolver instead, it would not find the name at all.
    async def test_lookup(host, port, family=socket.AF_UNSPEC):
        assert host == "push.hallway-test.invalid"
        return [(socket.AF_INET, "127.0.0.1")]

    monkeypatch.setattr(outbound, "lookup", test_lookup)
    received = []

    async def handler(request):
        received.append((request.host, await request.read()))
        return web.Response(status=201)

    app = web.Application()
    app.router.add_post("/push/{sid}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        service = LocalPushService()
        keys = make_subscription(service, "1")["keys"]
        endpoint = f"https://push.hallway-test.invalid:{port}/push/1"
        subscription = Subscription("1", endpoint.replace("https", "http"), keys["p256dh"], keys["auth"])
        async with PushSender(load_or_create_vapid(tmp_path), CONTACT, allow_loopback=True) as sender:
            (refused,) = await sender.send_many([subscription], POST, ttl=60)
            https_sub = Subscription("2", endpoint, keys["p256dh"], keys["auth"])
            (tried,) = await sender.send_many([https_sub], POST, ttl=60)
    finally:
        await runner.cleanup()
    # Plain http is for loopback names only, never for a name that merely resolves there.
    assert refused.outcome == "rejected" and "https" in refused.reason
    # https reached 127.0.0.1:port (the TLS handshake against a plain HTTP server fails).
    assert tried.outcome == "retry"
    assert received == []


async def test_payload_over_the_limit_is_refused_before_sending(service, sender):
    subs = [subscribe(service, "a")]
    too_big = {"title": "t", "body": "x" * MAX_PLAINTEXT}
    (result,) = await sender.send_many(subs, too_big, ttl=60)
    assert result.outcome == "rejected"
    assert "payload too large" in result.reason
    assert service.messages == [] and service.errors == []

    (fitted,) = await sender.send_many(subs, fit_payload(too_big), ttl=60)
    assert fitted.outcome == "delivered"
    assert json.loads(service.messages[0].plaintext)["body"].endswith("…")


async def test_malformed_keys_are_rejected_without_a_request(service, sender):
    good = subscribe(service, "a")
    broken = Subscription("b", f"{service.origin}/push/b", good.p256dh[:40], good.auth)
    (result,) = await sender.send_many([broken], POST, ttl=60)
    assert result.outcome == "rejected"
    assert service.messages == []


@pytest.mark.parametrize(
    "options, message",
    [
        ({"ttl": -1}, "ttl"),
        ({"ttl": 29 * 24 * 3600}, "ttl"),
        ({"ttl": 60, "urgency": "urgent"}, "urgency"),
        ({"ttl": 60, "topic": "x" * 33}, "topic"),
        ({"ttl": 60, "topic": "post 42"}, "topic"),
    ],
)
async def test_bad_header_options_are_programming_errors(sender, options, message):
    with pytest.raises(ValueError, match=message):
        await sender.send_many([], POST, **options)


async def test_service_in_a_thread_for_synchronous_callers(tmp_path):
    service = LocalPushService()
    service.start_in_thread()
    try:
        sub = subscribe(service, "t")
        async with PushSender(load_or_create_vapid(tmp_path), CONTACT, allow_loopback=True) as sender:
            (result,) = await sender.send_many([sub], POST, ttl=60)
        assert result.outcome == "delivered"
        assert json.loads((await service.wait_for(1))[0].plaintext) == POST
    finally:
        service.stop_in_thread()


async def test_sender_must_be_entered(tmp_path):
    sender = PushSender(load_or_create_vapid(tmp_path), CONTACT)
    with pytest.raises(RuntimeError, match="async with"):
        await sender.send_many([], POST, ttl=60)
